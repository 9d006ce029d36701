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

function hasPgCode(err: unknown, code: string): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}

/** True for PostgreSQL's unique_violation, from either driver (Drizzle wraps it in `cause`). */
export const isUniqueViolation = (err: unknown) => hasPgCode(err, '23505');
/** True for PostgreSQL's foreign_key_violation. */
export const isForeignKeyViolation = (err: unknown) => hasPgCode(err, '23503');
