import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jobLocksFor } from '../../server/lib/jobs';
import { runEverywhereAtOnce } from '../helpers/jobs';

const pgUrl = process.env.TEST_DATABASE_URL;

describe('a background job', () => {
  it.skipIf(!pgUrl)(
    'started at the same moment by two instances on one PostgreSQL runs once',
    async () => {
      // A name of its own: advisory locks are per database, and other test files share this one.
      const name = `test job ${randomUUID()}`;
      const result = await runEverywhereAtOnce(name, [jobLocksFor(pgUrl), jobLocksFor(pgUrl)]);
      expect(result).toEqual({ runs: 1, skipped: 1 });
    },
  );

  it('runs on the embedded database, which has one process', async () => {
    const result = await runEverywhereAtOnce('test job', [jobLocksFor(undefined)]);
    expect(result).toEqual({ runs: 1, skipped: 0 });
  });
});
