/**
 * What the logs may hold. Logs are read by whoever runs the server and often shipped elsewhere,
 * so secrets (invitation tokens travel in URLs) and personal data (query parameters hold
 * addresses, names and lesson content) stay out of them.
 */
import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/** Where log lines go; pino's destination stream (stdout when none is given). */
export interface LogStream {
  write(line: string): void;
}

/**
 * An invitation token in a URL: `/api/invitations/<token>…` and the web page `/invite/<token>`,
 * also percent-encoded inside another URL (`/login?next=%2Finvite%2F<token>`).
 */
const TOKEN_IN_URL = /((?:\/|%2f)(?:api(?:\/|%2f)invitations|invite)(?:\/|%2f))[^/?#&%]+/gi;

/** `url` with every invitation token replaced. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_IN_URL, '$1[redacted]');
}

/** Fields of a database error that say what failed without the data it failed on. */
const SAFE_FIELDS = [
  'code',
  'statusCode',
  'severity',
  'routine',
  'schema',
  'schema_name',
  'table',
  'table_name',
  'column',
  'column_name',
  'constraint',
  'constraint_name',
] as const;

/** Drizzle puts the bound parameters into its message: `Failed query: …\nparams: …`. */
function withoutParams(text: string): string {
  return text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '');
}

interface SerializedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

/**
 * An error as logged: type, message, stack, codes and the SQL text of a failed query, never its
 * parameters nor PostgreSQL's `detail` (which quotes the offending values). Follows `cause`.
 */
export function serializeError(err: Error, depth = 0): SerializedError {
  const fields = err as unknown as Record<string, unknown>;
  const out: SerializedError = {
    type: err.constructor?.name ?? err.name,
    message: withoutParams(err.message),
    stack: withoutParams(err.stack ?? ''),
  };
  if (typeof fields.query === 'string') out.query = fields.query;
  for (const key of SAFE_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  if (err.cause instanceof Error && depth < 5) out.cause = serializeError(err.cause, depth + 1);
  return out;
}

/** A request as logged: Fastify's usual fields, with tokens cut out of the URL. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Fastify's `logger` option for a level (silent: no logger at all) and an optional stream. */
export function loggerOptions(level: string, stream?: LogStream): FastifyServerOptions['logger'] {
  // Silent means no logger at all, rather than one that drops every line it is handed.
  if (level === 'silent') return false;
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: ['req.headers.cookie', 'res.headers["set-cookie"]'],
    serializers: { req: serializeRequest, err: serializeError },
  };
}
