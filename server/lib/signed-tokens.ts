import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../db/client';
import { loadSecret } from './secrets';

/**
 * Tokens that carry their own meaning and need no row: `base64url(JSON).base64url(HMAC)`. Used
 * where a mail's link must work without signing in and must not be forgeable for anyone else
 * (one-click unsubscribe). Never for a secret that grants access: those are random and stored
 * hashed (server/lib/tokens.ts).
 */
export interface TokenSigner {
  sign(payload: Record<string, string>): string;
  /** The payload, or null when the token was not made by this install or was altered. */
  verify(token: string): Record<string, string> | null;
}

export function createTokenSigner(key: Buffer): TokenSigner {
  const mac = (body: string) => createHmac('sha256', key).update(body).digest();
  return {
    sign(payload) {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token) {
      const [body, signature, ...rest] = token.split('.');
      if (!body || !signature || rest.length > 0) return null;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const value: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
        const entries = Object.entries(value);
        if (!entries.every(([, v]) => typeof v === 'string')) return null;
        return Object.fromEntries(entries) as Record<string, string>;
      } catch {
        return null;
      }
    },
  };
}

/** The install's signer, with its key made at first start (server/lib/secrets.ts). */
export async function loadTokenSigner(db: Executor): Promise<TokenSigner> {
  const { key } = await loadSecret(db, 'link-signing', () => ({
    key: randomBytes(32).toString('base64url'),
  }));
  return createTokenSigner(Buffer.from(key!, 'base64url'));
}
