import { types } from '@electric-sql/pglite';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';

/**
 * PGlite's own bytea codecs turn each byte into a string of its own (`Array.from(bytes).map(…)`
 * to write hex text, `parseInt` per pair of digits to read it), and PGlite runs on the one thread
 * that serves every request: storing a 2 MiB image held it for seconds. Bytes are sent instead as
 * a binary parameter, which PGlite passes through untouched for any typed array, and the hex text
 * PostgreSQL answers is decoded by Node's Buffer in native code.
 */
export const pgliteCodecs = {
  // Lesson search ignores accents (migration 0023); PostgreSQL ships unaccent, PGlite loads it.
  extensions: { unaccent },
  serializers: {
    // PGlite types serializers as returning text, but sends a typed array as binary.
    [types.BYTEA]: ((value: unknown) => {
      if (!(value instanceof Uint8Array)) throw new Error('Invalid input for bytea type');
      return value;
    }) as unknown as (value: unknown) => string,
  },
  parsers: {
    // PostgreSQL's hex output: `\x`, then two digits per byte.
    [types.BYTEA]: (text: string) => new Uint8Array(Buffer.from(text.slice(2), 'hex')),
  },
};
