import fc from 'fast-check';
import {
  type FuzzRequest,
  type Operation,
  type QueryPair,
  requestOf,
  urlOf,
  type ValidParts,
} from './fuzz-requests';

const PATH_ODDITIES: Record<string, string> = {
  'dot dot': '..',
  'encoded dot dot': '%2e%2e',
  dot: '.',
  'bad percent-encoding': '%zz',
  'lone percent': '%',
  'truncated percent-encoding': '%E0%A4%A',
  'encoded lone surrogate': '%ED%A0%80',
  'encoded NUL': '%00',
  'encoded slash': 'a%2Fb',
  '101 characters': 'a'.repeat(101),
  '5000 characters': 'b'.repeat(5000),
  emoji: '%F0%9F%98%80',
  'uppercase uuid': 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE',
  'negative number': '-1',
  semicolon: 'x;y=1',
  empty: '',
};

/** Replaces one path parameter with an oddity. */
export function pathMutations(op: Operation, parts: ValidParts): fc.Arbitrary<FuzzRequest> {
  const names = op.pathParams.map((p) => p.name);
  return fc
    .tuple(fc.constantFrom(...names), fc.constantFrom(...Object.entries(PATH_ODDITIES)))
    .map(([name, [label, raw]]) => ({
      ...requestOf(op, parts, `path ${name}: ${label}`),
      url: urlOf(op, { ...parts.params, [name]: raw }, parts.query),
    }));
}

/** Adds or breaks query parameters: repeated, array syntax, empty, bad encoding, prototype keys. */
export function queryMutations(op: Operation, parts: ValidParts): fc.Arbitrary<FuzzRequest> {
  const names = op.queryParams.map((p) => p.name);
  const odd = (name: string): [string, QueryPair[]][] => [
    [
      `repeated ${name}`,
      [
        [name, 'a'],
        [name, 'b'],
      ],
    ],
    [
      `array ${name}[]`,
      [
        [`${name}[]`, 'a'],
        [`${name}[]`, 'b'],
      ],
    ],
    [`indexed ${name}[0]`, [[`${name}[0]`, 'a']]],
    [`object ${name}[x]`, [[`${name}[x]`, 'a']]],
    [`empty ${name}`, [[name, '']]],
    [`bare ${name}`, [[name, null]]],
    [`bad percent-encoding in ${name}`, [[name, '%zz']]],
    [`long ${name}`, [[name, 'q'.repeat(5000)]]],
    [`lone surrogate in ${name}`, [[name, '%ED%A0%80']]],
  ];
  const cases = [
    ...(names.length ? names : ['q']).flatMap(odd),
    ...odd('__proto__'),
    ['constructor key', [['constructor[prototype][x]', '1']]] as [string, QueryPair[]],
    ['only ampersands', [['&&', null]]] as [string, QueryPair[]],
  ];
  return fc.constantFrom(...cases).map(([label, pairs]) => ({
    ...requestOf(op, parts, `query: ${label}`),
    url: urlOf(op, parts.params, [...parts.query, ...pairs]),
  }));
}
