import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../server/db/client';
import { acquireDirLock, DataDirLockedError } from '../../server/db/dir-lock';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-data-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the embedded database directory', () => {
  it('keeps data across restarts, and lets one opener in at a time', async () => {
    const first = await openPglite(dir);
    await first.migrate();
    await first.db.execute(sql`insert into organisations (name) values ('Persisted')`);
    // A second opener (as a second process would) gets a clear error, not a corrupted directory.
    await expect(openPglite(dir)).rejects.toThrow(DataDirLockedError);
    await expect(openPglite(dir)).rejects.toThrow(/already in use by another Rappel process/);
    await first.close();
    expect(fs.existsSync(path.join(dir, 'rappel.lock'))).toBe(false);

    const second = await openPglite(dir);
    await second.migrate(); // already applied: nothing to do
    const rows = (await second.db.execute(sql`select name from organisations`)) as unknown as {
      rows: { name: string }[];
    };
    expect(rows.rows.map((r) => r.name)).toEqual(['Persisted']);
    await second.close();
  });

  it('takes over a lock left by a process that died', () => {
    const lockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-lock-'));
    // A pid far above any live one on this machine (pid_max is at most 2^22).
    fs.writeFileSync(path.join(lockDir, 'rappel.lock'), '9999999');
    const lock = acquireDirLock(lockDir);
    expect(fs.readFileSync(path.join(lockDir, 'rappel.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    fs.rmSync(lockDir, { recursive: true, force: true });
  });
});
