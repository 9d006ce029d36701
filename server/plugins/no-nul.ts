import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorIssue } from '../../shared/common';
import { ValidationError } from '../lib/errors';

const MAX_ISSUES = 20;

/** Paths of the strings (or object keys) in `value` that contain U+0000. */
function nulPaths(value: unknown, path: (string | number)[], out: ErrorIssue[]): void {
  if (out.length >= MAX_ISSUES) return;
  if (typeof value === 'string') {
    if (value.includes('\0')) out.push({ path, message: 'Text must not contain NUL characters.' });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, [...path, i], out));
  } else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\0')) out.push({ path, message: 'Keys must not contain NUL characters.' });
      nulPaths(item, [...path, key], out);
    }
  }
}

/**
 * JSON may carry `\u0000` in a string, but PostgreSQL text and jsonb cannot store it: without
 * this check such a body ends in a database error (500). Refuses it up front, for every route,
 * as 400 with the path of each field.
 */
export const noNulPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    for (const where of ['body', 'querystring'] as const) {
      const issues: ErrorIssue[] = [];
      nulPaths(where === 'body' ? request.body : request.query, [], issues);
      if (issues.length) {
        throw new ValidationError('Some text contains NUL characters.', issues, where);
      }
    }
  });
});
