import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { migrationsFolder, openPostgres } from '../../server/db/client';

const url = process.env.TEST_DATABASE_URL;
const journal = JSON.parse(
  fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8'),
) as { entries: unknown[] };

describe.skipIf(!url)('migrations on PostgreSQL', () => {
  it('two instances starting at the same moment on a database that needs migrating both start, and it is migrated once', async () => {
    const name = `rappel_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = postgres(url!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const dbUrl = new URL(url!);
    dbUrl.pathname = `/${name}`;
    const first = openPostgres(dbUrl.toString(), { max: 3 });
    const second = openPostgres(dbUrl.toString(), { max: 3 });
    try {
      const results = await Promise.allSettled([first.migrate(), second.migrate()]);
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual([
        'fulfilled',
        'fulfilled',
      ]);
      const check = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
      const applied = await check`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await check.end();
      expect(applied[0]!.n).toBe(journal.entries.length);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  }, 120_000);
});
