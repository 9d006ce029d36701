/**
 * The subset of JSON Schema (OpenAPI 3.0 flavour) that our generated document uses, and a small
 * validator for it. The fuzz suite checks 2xx bodies against the *documented* schema, which is
 * what a client reads; no validator library is a dependency, and this subset is small.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  nullable?: boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

/** Keywords the validator understands; anything else in the document is reported, not ignored. */
const KNOWN = new Set([
  ...['type', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems'],
  ...['minLength', 'maxLength', 'pattern', 'format', 'enum', 'minimum', 'maximum', 'nullable'],
  ...['exclusiveMinimum', 'exclusiveMaximum', 'anyOf', 'oneOf', 'allOf', 'default'],
  ...['description', 'title', 'example', 'examples', 'readOnly', 'writeOnly', 'deprecated'],
]);

const patterns = new Map<string, RegExp>();
function regex(pattern: string) {
  let re = patterns.get(pattern);
  if (!re) patterns.set(pattern, (re = new RegExp(pattern)));
  return re;
}

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const formats: Record<string, (s: string) => boolean> = {
  uuid: (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
  'date-time': (s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)),
  date: (s) => /^\d{4}-\d\d-\d\d$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)),
  uri: (s) => URL.canParse(s),
  email: (s) => /^[^\s@]+@[^\s@]+$/.test(s),
  binary: () => true,
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * The problems of `value` against `schema`, each as `path: message` (empty: valid). Unknown
 * keywords and formats count as problems, so the validator cannot silently pass what it does
 * not check.
 */
export function validate(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const out: string[] = [];
  const fail = (message: string) => out.push(`${path}: ${message}`);
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) fail(`unsupported keyword ${key}`);
  if (value === null && schema.nullable) return out;
  if (schema.anyOf && !schema.anyOf.some((s) => validate(s, value, path).length === 0))
    fail('matches no anyOf branch');
  if (schema.oneOf) {
    const matches = schema.oneOf.filter((s) => validate(s, value, path).length === 0).length;
    if (matches !== 1) fail(`matches ${matches} oneOf branches`);
  }
  for (const s of schema.allOf ?? []) out.push(...validate(s, value, path));
  if (schema.enum && !schema.enum.some((e) => e === value)) fail(`not one of ${schema.enum}`);
  const actual = typeOf(value);
  if (schema.type) {
    const ok = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      fail(`expected ${schema.type}, got ${actual}`);
      return out;
    }
  }
  if (typeof value === 'string') checkString(schema, value, fail);
  if (typeof value === 'number') checkNumber(schema, value, fail);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) fail('too few items');
    if (schema.maxItems !== undefined && value.length > schema.maxItems) fail('too many items');
    if (schema.items)
      value.forEach((v, i) => out.push(...validate(schema.items!, v, `${path}[${i}]`)));
  } else if (actual === 'object') {
    out.push(...checkObject(schema, value as Record<string, unknown>, path));
  }
  return out;
}

function checkString(schema: JsonSchema, value: string, fail: (m: string) => void) {
  if (schema.minLength !== undefined && value.length < schema.minLength) fail('too short');
  if (schema.maxLength !== undefined && value.length > schema.maxLength) fail('too long');
  if (schema.pattern && !regex(schema.pattern).test(value))
    fail(`does not match ${schema.pattern}`);
  if (schema.format) {
    const check = formats[schema.format];
    if (!check) fail(`unsupported format ${schema.format}`);
    else if (!check(value)) fail(`not a ${schema.format}`);
  }
}

function checkNumber(schema: JsonSchema, value: number, fail: (m: string) => void) {
  if (!Number.isFinite(value)) fail('not finite');
  if (schema.minimum !== undefined && value < schema.minimum) fail(`below ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) fail(`above ${schema.maximum}`);
  const exMin = schema.exclusiveMinimum;
  if (typeof exMin === 'number' && value <= exMin) fail(`not above ${exMin}`);
  if (exMin === true && value <= schema.minimum!) fail(`not above ${schema.minimum}`);
  const exMax = schema.exclusiveMaximum;
  if (typeof exMax === 'number' && value >= exMax) fail(`not below ${exMax}`);
  if (exMax === true && value >= schema.maximum!) fail(`not below ${schema.maximum}`);
}

function checkObject(schema: JsonSchema, value: Record<string, unknown>, path: string) {
  const out: string[] = [];
  const props = schema.properties ?? {};
  for (const key of schema.required ?? [])
    if (!Object.hasOwn(value, key)) out.push(`${path}: missing ${key}`);
  for (const [key, v] of Object.entries(value)) {
    const sub = props[key];
    if (sub) out.push(...validate(sub, v, `${path}.${key}`));
    else if (schema.additionalProperties === false) out.push(`${path}: unexpected key ${key}`);
    else if (typeof schema.additionalProperties === 'object')
      out.push(...validate(schema.additionalProperties, v, `${path}.${key}`));
  }
  return out;
}

/** The branch of an anyOf/oneOf that `value` satisfies (the schema itself when it has none). */
export function branchFor(schema: JsonSchema, value: unknown): JsonSchema {
  const branches = schema.oneOf ?? schema.anyOf;
  if (!branches) return schema;
  return branches.find((s) => validate(s, value).length === 0) ?? schema;
}
