import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode, ErrorIssue } from '../../shared/common';
import { AppError, isDatabaseUnavailable, UnavailableError } from '../lib/errors';

/** Fastify's own client errors (bad JSON, wrong content type, body too large…) by code. */
const fastifyCodes: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'VALIDATION_FAILED',
    message: 'The body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'VALIDATION_FAILED',
    message: 'The body is empty but the content type says JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'VALIDATION_FAILED',
    message: 'The Content-Length header does not match the body.',
  },
  // Answered by the router before any route, through `frameworkErrors` (414 and 400).
  FST_ERR_MAX_PARAM_LENGTH: {
    code: 'VALIDATION_FAILED',
    message: 'A part of the address is too long.',
  },
  FST_ERR_BAD_URL: {
    code: 'VALIDATION_FAILED',
    message: 'The address is not valid (bad percent-encoding).',
  },
  FST_ERR_RATE_LIMIT_EXCEEDED: {
    code: 'RATE_LIMITED',
    message: 'Too many requests. Try again later.',
  },
};

const byStatus: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

function zodIssues(err: FastifyError): ErrorIssue[] {
  const where = err.validationContext;
  return (err.validation ?? []).map((v) => ({
    path: [
      ...(where ? [where] : []),
      ...v.instancePath
        .split('/')
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
    ],
    message: v.message ?? 'Invalid value',
    code: v.keyword,
  }));
}

function send(reply: FastifyReply, status: number, error: ErrorBody['error']) {
  return reply.code(status).type('application/json').send({ error });
}

/** Seconds a client waits before trying again, by the codes that ask it to. */
const retryAfter: Partial<Record<ErrorCode, string>> = {
  RATE_LIMITED: '60',
  // Long enough for a restarted or failed-over database; short enough that users barely notice.
  UNAVAILABLE: '5',
};

export function errorHandler(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let appError: AppError | undefined = err instanceof AppError ? err : undefined;
  if (!appError && isDatabaseUnavailable(err)) {
    request.log.warn({ err }, 'database unavailable');
    appError = new UnavailableError();
  }
  if (appError) {
    const wait = retryAfter[appError.code];
    if (wait) reply.header('retry-after', wait);
    return send(reply, appError.status, {
      code: appError.code,
      message: appError.message,
      issues: appError.issues,
    });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    return send(reply, 400, {
      code: 'VALIDATION_FAILED',
      message: 'Some fields are missing or invalid.',
      issues: zodIssues(err),
    });
  }
  const known = err.code ? fastifyCodes[err.code] : undefined;
  const status = err.statusCode ?? 500;
  if (known) return send(reply, status >= 400 && status < 500 ? status : 400, known);
  if (status >= 400 && status < 500) {
    // Other client errors from Fastify (e.g. __proto__ in JSON): keep the status, hide details.
    return send(reply, status, {
      code: byStatus[status] ?? 'BAD_REQUEST',
      message: 'The request was refused.',
    });
  }
  request.log.error({ err }, 'unhandled error');
  return send(reply, 500, {
    code: 'INTERNAL',
    message: 'Something went wrong on our side. Please try again.',
    requestId: String(request.id),
  });
}

/** One error shape everywhere, and JSON 404 for unknown API paths. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler(errorHandler);
});
