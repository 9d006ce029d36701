import { createHash, randomBytes } from 'node:crypto';

/** A random 256-bit secret, URL-safe (session cookies, invitation links). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the token: a leaked table gives no usable secret. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
