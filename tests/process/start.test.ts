import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDirLock } from '../../server/db/dir-lock';
import { freePort } from '../helpers/server-spawn';

const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function freshDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-start-'));
  dirs.push(dir);
  return dir;
}

/**
 * The server as one process (tsx as a loader, not its CLI's parent process, so that a signal
 * reaches the server itself); `prefix` runs it under another command (a fresh PID namespace).
 */
function start(env: Record<string, string>, prefix: string[] = []) {
  const command = [...prefix, process.execPath, '--import', 'tsx', 'server/main.ts'];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function healthy(
  run: ReturnType<typeof start>,
  port: number,
  deadline = Date.now() + 180_000,
) {
  while (Date.now() < deadline) {
    if (run.child.exitCode !== null) throw new Error(`exited: ${run.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return (await res.json()) as unknown;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('never became healthy');
}

describe('starting and stopping the server', () => {
  it('stops at once with a clear message on a bad setting', async () => {
    const run = start({ PORT: 'eighty', DATA_DIR: freshDir() });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Invalid configuration:\s+PORT:/);
  }, 60_000);

  it('serves on the embedded database, refuses a second process on the same data, and closes cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = freshDir();
    const first = start({ PORT: String(port), DATA_DIR: dataDir });
    expect(await healthy(first, port)).toEqual({ status: 'ok' });
    const lockFile = path.join(dataDir, 'rappel.lock');
    expect(JSON.parse(fs.readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: first.child.pid });

    const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('already in use by another Rappel process');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Released on the way out: the next process gets it without waiting.
    await (await acquireDirLock(dataDir, { waitMs: 0 })).release();
  }, 400_000);

  it('starts again by itself after being killed (SIGKILL), also in a fresh PID namespace each time', async () => {
    const port = await freePort();
    const dataDir = freshDir();
    const killed = start({ PORT: String(port), DATA_DIR: dataDir });
    await healthy(killed, port);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const next = start({ PORT: String(port), DATA_DIR: dataDir });
    await healthy(next, port);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);

    // As in a container restarted after a crash: the new server gets the same process ids.
    const inNamespace = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL'];
    const crashed = start({ PORT: String(port), DATA_DIR: dataDir }, inNamespace);
    await healthy(crashed, port);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    const last = start({ PORT: String(port), DATA_DIR: dataDir }, inNamespace);
    expect(await healthy(last, port)).toEqual({ status: 'ok' });
    last.child.kill('SIGKILL');
    await last.exited;
  }, 600_000);
});
