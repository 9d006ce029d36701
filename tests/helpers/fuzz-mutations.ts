import fc from 'fast-check';
import { branchFor, type JsonSchema } from './json-schema';
import { type FuzzRequest, type Operation, requestOf, type ValidParts } from './fuzz-requests';
import { pathMutations, queryMutations } from './fuzz-url-mutations';

/** Text that has broken parsers, databases and renderers before. */
export const UNICODE_EDGES: Record<string, string> = {
  'lone high surrogate': 'a\ud800b',
  'lone low surrogate': '\udc00',
  NUL: 'a\u0000b',
  'RTL override': 'x\u202etxt.exe',
  emoji: '👩‍👩‍👧‍👦🇫🇷',
  'combining marks': `e${'\u0301'.repeat(60)}`,
  '4-byte chars': '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎',
  BOM: '\ufeffBOM',
  'zero-width only': '\u200b\u200c\u200d',
  'line separator': 'a\u2028b\u2029c',
  noncharacter: '\uffff\ufffe',
};

const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const NESTING: Record<string, string> = {
  'nested 100 deep': deepArray(100),
  'nested 5000 deep (objects)': deepObject(5000),
  'nested 50000 deep (arrays)': deepArray(50_000),
};
const HUGE_NUMBERS = ['1e400', '-1e400', '123456789012345678901234567890', '1e-400', '-0'];
const PROTO_KEYS = [
  '"__proto__":{"polluted":true}',
  '"constructor":{"prototype":{"polluted":true}}',
  '"__proto__":null',
];
const OTHER_TYPES: unknown[] = [0, 'fuzz', true, null, [], {}, [1], { a: 1 }, 1.5];

const RAW = 'FUZZ_RAW_7f3a';
const KEY = 'FUZZ_KEY_7f3a';

type Path = (string | number)[];
interface Site {
  path: Path;
  schema: JsonSchema;
  value: unknown;
}

/** Every place of a valid JSON value, with the schema (branch) that place satisfies. */
function sitesOf(schema: JsonSchema, value: unknown, path: Path = []): Site[] {
  const s = branchFor(schema, value);
  const out: Site[] = [{ path, schema: s, value }];
  if (Array.isArray(value) && s.items)
    value.forEach((v, i) => out.push(...sitesOf(s.items!, v, [...path, i])));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      if (s.properties?.[k]) out.push(...sitesOf(s.properties[k], v, [...path, k]));
  }
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as typeof node;
  node[path.at(-1)!] = value;
  return copy;
}

const where = (path: Path) =>
  `body${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;

/** One change to a JSON body: the new value (RAW/KEY markers become raw text) and its name. */
interface BodyChange {
  label: string;
  value: unknown;
  raw?: string;
}

/** The ways to break one place, by kind, so that each kind is as likely as the others. */
function changesAt(site: Site): BodyChange[][] {
  const { schema: s, value, path } = site;
  const at = where(path);
  const change = (label: string, v: unknown, raw?: string) => ({
    label: `${at}: ${label}`,
    value: v,
    raw,
  });
  const kinds: BodyChange[][] = [
    OTHER_TYPES.filter((t) => typeOf(t) !== typeOf(value)).map((t) =>
      change(`wrong type ${JSON.stringify(t)}`, t),
    ),
    Object.entries(NESTING).map(([name, text]) => change(name, RAW, text)),
  ];
  if (typeof value === 'string') {
    const max = s.maxLength ?? 10_000;
    kinds.push([
      change(`too long (${max + 1})`, 'x'.repeat(max + 1)),
      change('empty', ''),
      change('blank', '   '),
    ]);
    kinds.push(
      Object.entries(UNICODE_EDGES).flatMap(([name, u]) => [
        change(name, u),
        change(`${name} appended`, value + u),
      ]),
    );
  }
  if (typeof value === 'number') {
    const range = HUGE_NUMBERS.map((n) => change(`number ${n}`, RAW, n));
    if (s.minimum !== undefined) range.push(change('below minimum', s.minimum - 1));
    if (s.maximum !== undefined) range.push(change('above maximum', s.maximum + 1));
    if (s.type === 'integer') range.push(change('fraction', value + 0.5));
    kinds.push(range);
  }
  if (s.enum) kinds.push([change('not in enum', 'NOT_IN_ENUM')]);
  if (Array.isArray(value)) {
    const n = (s.maxItems ?? 1000) + 1;
    const size = [
      change(
        `${n} items`,
        Array.from({ length: n }, () => value[0] ?? 1),
      ),
    ];
    if ((s.minItems ?? 0) > 0) size.push(change('no items', []));
    kinds.push(size);
  }
  if (value && typeof value === 'object' && !Array.isArray(value))
    kinds.push(keyChanges(s, value as Record<string, unknown>, change));
  return kinds;
}

function keyChanges(
  s: JsonSchema,
  obj: Record<string, unknown>,
  change: (label: string, v: unknown, raw?: string) => BodyChange,
): BodyChange[] {
  const out = (s.required ?? []).map((key) => {
    const rest = { ...obj };
    delete rest[key];
    return change(`missing ${key}`, rest);
  });
  out.push(change('unknown key', { ...obj, unknownFuzzKey: 1 }));
  for (const proto of PROTO_KEYS) out.push(change(`key ${proto}`, { [KEY]: 0, ...obj }, proto));
  const first = Object.keys(obj)[0];
  if (first) out.push(change(`duplicate key ${first}`, { ...obj, [KEY]: 0 }, `"${first}":[[[]]]`));
  return out;
}

function typeOf(v: unknown) {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function bodyText(json: unknown, change: BodyChange) {
  const text = JSON.stringify(json);
  if (change.raw === undefined) return text;
  return text.replace(`"${RAW}"`, change.raw).replace(`"${KEY}":0`, change.raw);
}

/** Breaks the JSON body in one place, chosen among all the places of the valid value. */
function jsonBodyMutations(op: Operation, parts: ValidParts): fc.Arbitrary<FuzzRequest> {
  const sites = sitesOf(op.body!.json!, parts.json);
  return fc
    .constantFrom(...sites)
    .chain((site) =>
      fc
        .constantFrom(...changesAt(site))
        .chain((kind) => fc.constantFrom(...kind))
        .map((c) => ({ site, c })),
    )
    .map(({ site, c }) => {
      const req = requestOf(op, parts, c.label);
      req.payload = bodyText(setAt(parts.json, site.path, c.value), c);
      return req;
    });
}

const BAD_JSON: [string, (t: string) => string][] = [
  ['truncated JSON', (t) => t.slice(0, -1)],
  ['trailing garbage', (t) => `${t}}`],
  ['single quotes', () => "{'a':1}"],
  ['NaN', () => 'NaN'],
  ['empty body', () => ''],
  ['byte order mark', (t) => `\ufeff${t}`],
  ['JSON null', () => 'null'],
  ['trailing comma', (t) => t.replace(/}$/, ',}')],
];
const CONTENT_TYPES: [string, string | undefined, string][] = [
  ['text/plain', 'text/plain', 'hello'],
  ['form', 'application/x-www-form-urlencoded', 'a=1&b=2'],
  ['no content type', undefined, '{"a":1}'],
  ['multipart', 'multipart/form-data; boundary=x', '--x\r\n\r\nhi\r\n--x--'],
  ['JSON in UTF-16', 'application/json; charset=utf-16le', '{"a":1}'],
  ['XML', 'application/xml', '<a/>'],
  ['image', 'image/png', '\u0089PNG garbage'],
];

/** Breaks the body as a whole: not JSON, another content type, or no content type. */
function wholeBodyMutations(op: Operation, parts: ValidParts): fc.Arbitrary<FuzzRequest> {
  const valid = requestOf(op, parts);
  const text = typeof valid.payload === 'string' ? valid.payload : '{}';
  const variants: FuzzRequest[] = CONTENT_TYPES.map(([label, type, payload]) => ({
    ...valid,
    label: `content type: ${label}`,
    headers: type ? { 'content-type': type } : ({} as Record<string, string>),
    payload,
  }));
  if (op.body?.json)
    for (const [label, f] of BAD_JSON)
      variants.push({
        ...valid,
        label,
        headers: { 'content-type': 'application/json' },
        payload: f(text),
      });
  if (parts.binary)
    variants.push(
      { ...valid, label: 'image: empty', payload: Buffer.alloc(0) },
      { ...valid, label: 'image: not an image', payload: Buffer.from('GIF89a not really') },
      { ...valid, label: 'image: wrong declared type', headers: { 'content-type': 'image/gif' } },
    );
  return fc.constantFrom(...variants);
}

/**
 * The valid body with a lone surrogate appended to each of its strings in turn, one request per
 * string: text stored as JSON is where such characters have broken the database before, and a
 * random choice of place would reach each string too rarely to be sure of it.
 */
export function surrogateSweep(op: Operation, parts: ValidParts): FuzzRequest[] {
  if (!op.body?.json) return [];
  return sitesOf(op.body.json, parts.json)
    .filter((site) => typeof site.value === 'string')
    .map((site) => {
      const label = `${where(site.path)}: lone high surrogate (each string)`;
      const req = requestOf(op, parts, label);
      req.payload = JSON.stringify(setAt(parts.json, site.path, `${String(site.value)}\ud800`));
      return req;
    });
}

/** One request broken in one place (body part, body as a whole, path or query). */
export function mutationArb(op: Operation, parts: ValidParts): fc.Arbitrary<FuzzRequest> {
  const families: fc.Arbitrary<FuzzRequest>[] = [
    wholeBodyMutations(op, parts),
    queryMutations(op, parts),
  ];
  if (op.body?.json) families.push(jsonBodyMutations(op, parts), jsonBodyMutations(op, parts));
  if (op.pathParams.length) families.push(pathMutations(op, parts));
  return fc.oneof(...families);
}
