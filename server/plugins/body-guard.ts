import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorIssue } from '../../shared/common';
import { ValidationError } from '../lib/errors';

/**
 * Deepest nesting of objects and arrays a JSON body may have. The deepest real body, a module
 * file, goes six levels down (file → lessons → lesson → cards → card → options → option).
 */
export const MAX_JSON_DEPTH = 32;
const MAX_ISSUES = 20;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
/** What changes the nesting: brackets, and quotes, since brackets inside strings do not count. */
const STRUCTURE = /[[\]{}"]/g;

/**
 * Whether the JSON text nests deeper than `max`, read in one pass without parsing. Jumps from one
 * bracket or quote to the next, and over strings with `indexOf`, so long strings (the images in
 * a module file) cost little. Malformed text is left for the parser to refuse.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  const structure = new RegExp(STRUCTURE);
  let depth = 0;
  for (let m = structure.exec(text); m; m = structure.exec(text)) {
    const c = text.charCodeAt(m.index);
    if (c === QUOTE) {
      const end = closingQuote(text, m.index);
      if (end < 0) return false;
      structure.lastIndex = end + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else {
      depth--;
    }
  }
  return false;
}

/** The index of the quote that ends the string opened at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  let end = start;
  for (;;) {
    end = text.indexOf('"', end + 1);
    if (end < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
  }
}

/** A lone UTF-16 surrogate: a high one not followed by a low one, or a low one not preceded. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const ANY_SURROGATE = /[\ud800-\udfff]/;

/** Why PostgreSQL could not store this text (text and jsonb), or null when it can. */
function unstorable(text: string): string | null {
  if (text.includes('\0')) return 'must not contain NUL characters';
  // The cheap test first: most text has no surrogate at all.
  if (ANY_SURROGATE.test(text) && LONE_SURROGATE.test(text)) {
    return 'must not contain a lone UTF-16 surrogate';
  }
  return null;
}

interface Node {
  value: unknown;
  key: string | number | null;
  parent: Node | null;
}

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) path.push(n.key);
  return path.reverse();
}

/**
 * The paths of the strings (and object keys) in `root` that PostgreSQL cannot store, in document
 * order. Iterative, and a node keeps only a link to its parent, so the cost is linear in the size
 * of the value whatever its depth.
 */
export function unstorableText(root: unknown): ErrorIssue[] {
  const out: ErrorIssue[] = [];
  const stack: Node[] = [{ value: root, key: null, parent: null }];
  while (stack.length && out.length < MAX_ISSUES) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      const why = unstorable(value);
      if (why) out.push({ path: pathOf(node), message: `Text ${why}.` });
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], key: i, parent: node });
    } else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
      const entries = Object.entries(value);
      for (const [key] of entries) {
        const why = unstorable(key);
        if (why) out.push({ path: pathOf(node), message: `Keys ${why}.` });
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i]![1], key: entries[i]![0], parent: node });
      }
    }
  }
  return out.slice(0, MAX_ISSUES);
}

/**
 * Guards every route before its handler:
 * - a JSON body is read only by routes that declare one (others, such as logout, never pay for
 *   parsing whatever is sent), and one nested deeper than `MAX_JSON_DEPTH` is refused in one
 *   linear pass before `JSON.parse`;
 * - text PostgreSQL cannot store (NUL, lone surrogates: text and jsonb refuse both, which would
 *   end in a 500) is refused in the body and the query string, with the path of each field.
 * Both refusals are 400 `VALIDATION_FAILED`.
 */
export const bodyGuardPlugin = fp(async (app: FastifyInstance) => {
  // Fastify's own parser still does the parsing, with the app's __proto__ policy.
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = app.initialConfig;
  const parseJson = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string | Buffer, done) => {
      if (!request.routeOptions.schema?.body) return done(null, undefined);
      const text = body.toString();
      if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
        const message = `Nested more than ${MAX_JSON_DEPTH} levels deep.`;
        return done(new ValidationError('The body is nested too deeply.', [{ path: [], message }]));
      }
      parseJson(request, text, done);
    },
  );

  app.addHook('preValidation', async (request) => {
    for (const where of ['body', 'querystring'] as const) {
      const issues = unstorableText(where === 'body' ? request.body : request.query);
      if (issues.length) {
        throw new ValidationError('Some text cannot be stored.', issues, where);
      }
    }
  });
});
