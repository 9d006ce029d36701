import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDirLock } from '../../server/db/dir-lock';
import { freePort, spawnServer } from '../helpers/server-spawn';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-npm-'));
let tree: number[] = [];
afterAll(() => {
  for (const pid of tree) if (running(pid)) process.kill(pid, 'SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Whether `pid` is a live process (an exited one waiting to be reaped is not). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** `pid` and all its descendants, as /proc lists them now. */
function processTree(pid: number): number[] {
  const children = fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((task) =>
      fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/),
    )
    .filter(Boolean)
    .map(Number);
  return [pid, ...children.flatMap(processTree)];
}

async function answers(port: number) {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/health`)).ok;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('npm start', () => {
  it('stops the whole server when only npm gets SIGTERM (as from docker stop)', async () => {
    const port = await freePort();
    const { child: npm, output } = spawnServer(['npm', 'start'], {
      PORT: String(port),
      DATA_DIR: dataDir,
    });
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    expect(await until(() => answers(port), 240_000), output()).toBe(true);
    tree = processTree(npm.pid!);
    expect(tree.length).toBeGreaterThan(1);

    npm.kill('SIGTERM');
    await exited;
    expect(await until(() => tree.every((pid) => !running(pid)), 30_000), output()).toBe(true);
    expect(await answers(port)).toBe(false);
    // The data directory is free: the next start does not have to wait.
    await (await acquireDirLock(dataDir, { waitMs: 0 })).release();
  }, 400_000);
});
