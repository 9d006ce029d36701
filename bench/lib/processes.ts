import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Something started by the bench; stopped on success, on error and on Ctrl-C alike. */
type Cleanup = () => Promise<void>;
const cleanups: Cleanup[] = [];
const running = new Set<ChildProcess>();

export function onCleanup(fn: Cleanup) {
  cleanups.push(fn);
}

async function runCleanups() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    await fn().catch((err: unknown) => console.error('cleanup failed:', err));
  }
}

/** Runs a bench entry point: everything it started is stopped before the process exits. */
export async function main(fn: () => Promise<void>) {
  const interrupted = async (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping what the bench started…`);
    await runCleanups();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  // Last resort if the event loop dies: no server may outlive the bench.
  process.once('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
  let failed = false;
  try {
    await fn();
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    await runCleanups();
  }
  process.exit(failed ? 1 : 0);
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const APP_VARIABLES = ['PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'PUBLIC_URL', 'LOG_LEVEL'];

export interface Server {
  child: ChildProcess;
  port: number;
  url: string;
  /** Output kept for the error message when the server does not come up. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a command in its own process group (npm and the tsx CLI start children of their own),
 * so that `stop()` reaches the whole tree by group id and waits until every member has gone.
 */
export function startServer(
  command: string,
  args: string[],
  env: Record<string, string>,
  port: number,
): Server {
  // The app's own variables come from the bench only, never from the caller's shell.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !APP_VARIABLES.includes(key)),
  );
  const child = spawn(command, args, {
    cwd: root,
    env: { ...inherited, ...env, PORT: String(port), HOST: '127.0.0.1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const server: Server = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: () => (stopping ??= stopGroup(child, exited).finally(() => running.delete(child))),
  };
  onCleanup(server.stop);
  return server;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM first (the server checkpoints PGlite and frees its lock), SIGKILL after 10 s. */
async function stopGroup(child: ChildProcess, exited: Promise<void>) {
  if (child.pid === undefined) return;
  killGroup(child, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  await Promise.race([exited, sleep(10_000)]);
  while (groupAlive(child) && Date.now() < deadline) await sleep(25);
  if (groupAlive(child)) {
    killGroup(child, 'SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
  }
}

export function sleep(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

/** Polls `url` until it answers 200; returns the milliseconds since `since` (performance.now()). */
export async function waitFor200(url: string, since: number, server: Server, timeoutMs = 60_000) {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(
        `server exited with ${server.child.exitCode} before answering:\n${server.output()}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - since;
    } catch {
      // Not listening yet.
    }
    await sleep(20);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${server.output()}`);
}

/** The inode of the socket listening on 127.0.0.1:`port`, from /proc/net/tcp. */
function listeningInode(port: number): string | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') return cols[9];
    }
  }
  return undefined;
}

/** The process among `rootPid` and its descendants that holds the listening socket. */
export function listeningPid(rootPid: number, port: number): number {
  const inode = listeningInode(port);
  if (!inode) throw new Error(`nothing listens on port ${port}`);
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces; fields after the closing parenthesis are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const queue = [rootPid];
  for (let i = 0; i < queue.length && i < 1000; i++) {
    const pid = queue[i]!;
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      }
    } catch {
      // Gone, or a descriptor closed while we read.
    }
    queue.push(...(children.get(pid) ?? []));
  }
  throw new Error(`no process under ${rootPid} holds the socket of port ${port}`);
}

/** Resident set size of a process in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for ${pid}`);
  return kb / 1024;
}

/** The command name of a process, to show which process was measured. */
export function commandOf(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
}
