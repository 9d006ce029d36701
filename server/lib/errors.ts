import type { ErrorCode, ErrorIssue } from '../../shared/common';

/** An error a user can act on: mapped to its status and `{ error: { code, message } }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly issues?: ErrorIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * Bad input found by a service rule rather than by the route's schema. Issue paths are given
 * relative to the request part (`where`), and prefixed with it like the schema's own issues
 * (`body.teamId`), so a form maps both the same way.
 */
export class ValidationError extends AppError {
  constructor(
    message: string,
    issues: ErrorIssue[],
    where: 'body' | 'querystring' | 'params' = 'body',
  ) {
    super(
      'VALIDATION_FAILED',
      400,
      message,
      issues.map((i) => ({ ...i, path: [where, ...i.path] })),
    );
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Please sign in.') {
    super('UNAUTHENTICATED', 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your role does not allow this.') {
    super('FORBIDDEN', 403, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super('NOT_FOUND', 404, `${what} not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code: ErrorCode = 'CONFLICT') {
    super(code, 409, message);
  }
}

/** The database does not answer for now: 503, and the client may try again shortly. */
export class UnavailableError extends AppError {
  constructor(message = 'The service is unavailable for a moment. Please try again shortly.') {
    super('UNAVAILABLE', 503, message);
  }
}

/** True when `err`, or an error in its `cause` chain (Drizzle wraps the driver's), has a code. */
function hasCode(err: unknown, matches: (code: string) => boolean): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && matches(code)) return true;
  }
  return false;
}

/** True for PostgreSQL's unique_violation, from either driver (Drizzle wraps it in `cause`). */
export const isUniqueViolation = (err: unknown) => hasCode(err, (c) => c === '23505');
/** True for PostgreSQL's foreign_key_violation. */
export const isForeignKeyViolation = (err: unknown) => hasCode(err, (c) => c === '23503');

/**
 * The ways a database that is away shows: the socket's errors, postgres.js's own codes for a
 * connection that closed or never opened, and PostgreSQL's connection_exception class (08…) and
 * shutdown codes (admin_shutdown, crash_shutdown, cannot_connect_now).
 */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/** True when the database could not be reached or dropped the connection: worth a retry. */
export const isDatabaseUnavailable = (err: unknown) =>
  hasCode(err, (c) => unavailableCodes.has(c) || /^08[0-9A-Z]{3}$/.test(c));
