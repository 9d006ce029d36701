import fc from 'fast-check';
import type { JsonSchema } from './json-schema';
import { type Hints, knownId, valueArb } from './openapi-arbitraries';

/** One operation of the OpenAPI document, reduced to what the fuzz suite needs. */
export interface Operation {
  method: string;
  /** The path template, `/api/orgs/{orgId}/teams/{teamId}`. */
  path: string;
  pathParams: { name: string; schema: JsonSchema }[];
  queryParams: { name: string; schema: JsonSchema }[];
  /** The JSON body schema, or the other media types the body may have (an image upload). */
  body?: { json?: JsonSchema; mediaTypes: string[] };
  /** Documented success statuses and their JSON schema (undefined: not a JSON body). */
  success: Record<number, JsonSchema | undefined>;
}

/** A request as sent: raw (already percent-encoded) URL, headers and body text. */
export interface FuzzRequest {
  label: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** A raw query pair; a null value sends the bare key (`?flag`). */
export type QueryPair = [string, string | null];

/** A request that is valid for its operation, kept in parts so that one part can be broken. */
export interface ValidParts {
  params: Record<string, string>;
  query: QueryPair[];
  json?: unknown;
  binary?: { type: string; data: Buffer };
}

interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

/** Every operation of the document, in its order. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content;
      const success: Operation['success'] = {};
      for (const [status, res] of Object.entries(op.responses)) {
        if (Number(status) >= 200 && Number(status) < 300)
          success[Number(status)] = res.content?.['application/json']?.schema;
      }
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: content && {
          json: content['application/json']?.schema,
          mediaTypes: Object.keys(content),
        },
        success,
      });
    }
  }
  return ops;
}

/** Valid parts for `op`: real ids where the world has them, schema-valid values elsewhere. */
export function validPartsArb(
  op: Operation,
  hints: Hints,
  image: Buffer,
): fc.Arbitrary<ValidParts> {
  const params: Record<string, fc.Arbitrary<string>> = {};
  for (const p of op.pathParams) {
    const id = knownId(hints, p.name);
    params[p.name] = (id ? fc.constant(id) : valueArb(p.schema, hints, p.name)).map((v) =>
      encodeURIComponent(String(v)),
    );
  }
  const query = fc.tuple(
    ...op.queryParams.map((p) =>
      fc.option(
        valueArb(p.schema, hints, p.name).map(
          (v) => [p.name, encodeURIComponent(String(v))] as [string, string],
        ),
        { nil: undefined },
      ),
    ),
  );
  const json = op.body?.json ? valueArb(op.body.json, hints) : fc.constant(undefined);
  const imageType = op.body?.mediaTypes.find((t) => t === 'image/png');
  return fc.record({ params: fc.record(params), query, json }).map((p) => ({
    params: p.params,
    query: p.query.filter((q) => q !== undefined),
    json: p.json,
    binary: !op.body?.json && imageType ? { type: imageType, data: image } : undefined,
  }));
}

/** The URL of `op` with raw path segments and query pairs (already encoded, or broken on purpose). */
export function urlOf(op: Operation, params: Record<string, string>, query: QueryPair[]) {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
  const search = query.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join('&');
  return search ? `${path}?${search}` : path;
}

/** The request that `parts` describe, with a JSON or binary body as the operation takes. */
export function requestOf(op: Operation, parts: ValidParts, label = 'valid'): FuzzRequest {
  const req: FuzzRequest = {
    label,
    method: op.method,
    url: urlOf(op, parts.params, parts.query),
    headers: {},
  };
  if (parts.json !== undefined) {
    req.headers['content-type'] = 'application/json';
    req.payload = JSON.stringify(parts.json);
  } else if (parts.binary) {
    req.headers['content-type'] = parts.binary.type;
    req.payload = parts.binary.data;
  }
  return req;
}
