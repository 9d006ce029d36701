import { describe, expect, it } from 'vitest';
import { createHarness, expectError } from '../helpers/harness';

const h = await createHarness({ seed: false });

describe('per-IP rate limits on the public entry points', () => {
  it('answers 429 in the one error shape once one IP sends too many logins', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      // A different account each time, so only the per-address limit can trip.
      const res = await h.anon.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: `nobody${i}@example.test`, password: 'whatever' },
        remoteAddress: '203.0.113.7',
      });
      statuses.push(res.statusCode);
      if (i === 30) {
        expectError(res, 429, 'RATE_LIMITED');
        expect(res.headers['retry-after']).toBeDefined();
      }
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    // Another IP is not affected.
    const other = await h.anon.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.test', password: 'whatever' },
      remoteAddress: '198.51.100.9',
    });
    expect(other.statusCode).toBe(401);
  });
});
