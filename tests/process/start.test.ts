import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [tsx, 'server/main.ts'], {
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
  deadline = Date.now() + 90_000,
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
    const run = start({ PORT: 'eighty', DATA_DIR: dataDir });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Invalid configuration:\s+PORT:/);
  });

  it('serves on the embedded database, refuses a second process on the same data, and closes cleanly on SIGTERM', async () => {
    const port = 3900 + Math.floor(Math.random() * 90);
    const first = start({ PORT: String(port), DATA_DIR: dataDir });
    expect(await healthy(first, port)).toEqual({ status: 'ok' });
    expect(fs.readFileSync(path.join(dataDir, 'rappel.lock'), 'utf8')).toMatch(/^\d+$/);

    const second = start({ PORT: String(port + 100), DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('already in use by another Rappel process');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'rappel.lock'))).toBe(false);
  }, 120_000);
});
