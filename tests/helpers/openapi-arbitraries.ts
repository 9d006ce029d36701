import fc from 'fast-check';
import type { JsonSchema } from './json-schema';

/**
 * What the generator knows about the world, so that valid values name real objects and reach
 * the handler instead of stopping at a 404.
 */
export interface Hints {
  /** Real ids by parameter name (`teamId`, `moduleId`…); `fallbackPersonaId` finds `personaId`. */
  ids: Record<string, string>;
  /** Fixed values by property name (a current password…). */
  fixed?: Record<string, unknown>;
}

/** Readable words, some beyond ASCII, so that valid text is valid after trimming too. */
const WORDS = ['alpha', 'Beta', 'gamma', 'café', 'Δelta', 'naïve', '42', 'Ōsaka', 'x'];

/** The real id for a property or parameter name, by its last word (`managedTeamIds` → team). */
export function knownId(hints: Hints, name: string | undefined): string | undefined {
  if (!name || name === 'id') return undefined;
  const singular = name.replace(/Ids$/, 'Id');
  if (hints.ids[singular]) return hints.ids[singular];
  const key = Object.keys(hints.ids).find((k) =>
    singular.endsWith(k.charAt(0).toUpperCase() + k.slice(1)),
  );
  return key ? hints.ids[key] : undefined;
}

function text(min: number, max: number): fc.Arbitrary<string> {
  const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 });
  return words.map((w) => {
    let s = w.join(' ');
    while (s.length < min) s += ' x';
    return s.slice(0, max).trimEnd() || 'x'.repeat(Math.max(min, 1));
  });
}

function stringArb(schema: JsonSchema, hints: Hints, name?: string): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, min + 60);
  switch (schema.format) {
    case 'uuid': {
      const id = knownId(hints, name);
      return id ? fc.constant(id) : fc.uuid({ version: 4 });
    }
    case 'date-time':
      return dateArb().map((d) => d.toISOString());
    case 'date':
      return dateArb().map((d) => d.toISOString().slice(0, 10));
    case 'uri':
      return fc.constantFrom(...WORDS.slice(0, 3)).map((w) => `https://video.example/${w}`);
    case 'email':
      return emailArb();
  }
  if (name === 'email') return emailArb();
  if (schema.pattern) {
    const re = new RegExp(schema.pattern);
    return fc
      .stringMatching(re, { maxLength: max })
      .filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
  }
  return text(min, max);
}

const emailArb = () => fc.nat({ max: 9999 }).map((n) => `fuzz${n}@example.test`);
const dateArb = () =>
  fc.date({
    min: new Date('2025-01-01T00:00:00Z'),
    max: new Date('2028-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

function numberArb(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.maximum !== undefined ? schema.maximum - 1000 : -1000);
  const max = schema.maximum ?? min + 1000;
  if (schema.type === 'integer') return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function arrayArb(schema: JsonSchema, hints: Hints, name?: string): fc.Arbitrary<unknown[]> {
  const minLength = schema.minItems ?? 0;
  const maxLength = Math.min(schema.maxItems ?? minLength + 3, minLength + 3);
  const items = schema.items ?? {};
  const id = items.format === 'uuid' ? knownId(hints, name) : undefined;
  // One real id at most: a list naming the same object twice is refused for a good reason.
  if (id && minLength <= 1 && maxLength >= 1) return fc.constant([id]);
  return fc.array(valueArb(items, hints, name), { minLength, maxLength });
}

function objectArb(schema: JsonSchema, hints: Hints): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, sub] of Object.entries(props)) model[key] = valueArb(sub, hints, key);
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
}

/**
 * Values that satisfy `schema` (the OpenAPI subset the document uses), named after `name` when
 * the generator knows a real object or a fixed value for it.
 */
export function valueArb(schema: JsonSchema, hints: Hints, name?: string): fc.Arbitrary<unknown> {
  if (name && hints.fixed && name in hints.fixed) return fc.constant(hints.fixed[name]);
  let arb = baseArb(schema, hints, name);
  if (schema.nullable) arb = fc.option(arb, { nil: null, freq: 4 });
  return arb;
}

function baseArb(schema: JsonSchema, hints: Hints, name?: string): fc.Arbitrary<unknown> {
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) return fc.oneof(...branches.map((b) => valueArb(b, hints, name)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      return stringArb(schema, hints, name);
    case 'integer':
    case 'number':
      return numberArb(schema);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return arrayArb(schema, hints, name);
    case 'object':
      return objectArb(schema, hints);
    case 'null':
      return fc.constant(null);
    default:
      return fc.constant(null);
  }
}
