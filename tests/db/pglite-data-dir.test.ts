import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../server/db/client';
import { acquireDirLock, DataDirLockedError } from '../../server/db/dir-lock';

const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-data-'));
  dirs.push(dir);
  return dir;
};

/** Another process holding the lock of `dir`, as a running server does. */
async function holderProcess(dir: string, useFlock: boolean) {
  const code = `import { acquireDirLock } from './server/db/dir-lock.ts';
    await acquireDirLock(process.argv[1], { useFlock: ${useFlock} });
    console.log('held');
    setInterval(() => {}, 1000);`;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code, dir],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (exitCode) => reject(new Error(`holder exited with ${exitCode}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

describe('the embedded database directory', () => {
  it('keeps data across restarts, and lets one opener in at a time', async () => {
    const dir = tempDir();
    const first = await openPglite(dir);
    await first.migrate();
    await first.db.execute(sql`insert into organisations (name) values ('Persisted')`);
    // A second opener (as a second process would) gets a clear error, not a corrupted directory.
    await expect(openPglite(dir)).rejects.toThrow(DataDirLockedError);
    await expect(openPglite(dir)).rejects.toThrow(/already in use by another Rappel process/);
    await first.close();
    // Released at once: the next opener does not have to wait.
    await (await acquireDirLock(dir, { waitMs: 0 })).release();

    const second = await openPglite(dir);
    await second.migrate(); // already applied: nothing to do
    const rows = (await second.db.execute(sql`select name from organisations`)) as unknown as {
      rows: { name: string }[];
    };
    expect(rows.rows.map((r) => r.name)).toEqual(['Persisted']);
    await second.close();
  }, 180_000);

  for (const useFlock of [true, false]) {
    const how = useFlock ? 'with flock' : 'by its record alone (no flock on the system)';

    it(`refuses while another process holds it, and takes it once that one is killed, ${how}`, async () => {
      const dir = tempDir();
      const holder = await holderProcess(dir, useFlock);
      const refused = acquireDirLock(dir, { waitMs: 300, useFlock });
      await expect(refused).rejects.toThrow(DataDirLockedError);
      await expect(refused).rejects.toThrow(
        `already in use by another Rappel process (pid ${holder.child.pid} on ${os.hostname()})`,
      );
      holder.child.kill('SIGKILL');
      await holder.exited;
      const lock = await acquireDirLock(dir, { useFlock });
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'rappel.lock'), 'utf8'))).toMatchObject({
        pid: process.pid,
      });
      await lock.release();
    });
  }

  it('sees a record with our own process id but another start as left by a crash', async () => {
    // As after a restart in a PID namespace: the new process has the dead one's id.
    const dir = tempDir();
    const record = { pid: process.pid, host: os.hostname(), bootId: null, startTicks: '1' };
    fs.writeFileSync(path.join(dir, 'rappel.lock'), JSON.stringify(record));
    for (const useFlock of [false, true]) {
      const lock = await acquireDirLock(dir, { waitMs: 0, useFlock });
      await lock.release();
      fs.writeFileSync(path.join(dir, 'rappel.lock'), JSON.stringify(record));
    }
  });
});
