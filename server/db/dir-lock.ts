import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DirLock {
  /** Lets the next process in; safe to call twice. */
  release(): Promise<void>;
}

export class DataDirLockedError extends Error {}

export interface DirLockOptions {
  /**
   * How long a start waits for a lock being released: a holder killed a moment ago lets go
   * within milliseconds, but not before the next start may look.
   */
  waitMs?: number;
  /** Lock with `flock(1)` (default: when the system has it) or with the holder's record only. */
  useFlock?: boolean;
}

/**
 * Who holds the lock, written into the lock file: enough to tell a live holder from a dead one
 * whose process id was reused (a container restarted after a crash gets the same ids, down to
 * our own), as the process's start time since boot differs, and so does the boot.
 */
interface Holder {
  pid: number;
  host: string;
  bootId: string | null;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot), where /proc exists. */
  startTicks: string | null;
}

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

const bootId = () =>
  readOr(() => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), null);

/** The start time of `pid`, or null without /proc or when there is no such process. */
function startTicks(pid: number): string | null {
  const stat = readOr(() => fs.readFileSync(`/proc/${pid}/stat`, 'utf8'), null);
  // The command name (field 2) is in parentheses and may hold spaces: count after it.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

const me = (): Holder => ({
  pid: process.pid,
  host: os.hostname(),
  bootId: bootId(),
  startTicks: startTicks(process.pid),
});

function parseHolder(text: string): Holder | null {
  const value = readOr(() => JSON.parse(text) as Partial<Holder>, null);
  return typeof value?.pid === 'number' && Number.isInteger(value.pid)
    ? {
        pid: value.pid,
        host: String(value.host ?? ''),
        bootId: value.bootId ?? null,
        startTicks: value.startTicks ?? null,
      }
    : null;
}

/** Whether the recorded holder is a process running now, as far as this machine can tell. */
function isAlive(holder: Holder): boolean {
  if (holder.bootId && holder.bootId !== bootId()) return false; // the machine restarted since
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return holder.startTicks === null || holder.startTicks === startTicks(holder.pid);
}

function lockedError(dir: string, holder: Holder | null) {
  const who = holder ? ` (pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ''})` : '';
  return new DataDirLockedError(
    `The data directory ${dir} is already in use by another Rappel process${who}. ` +
      'Stop that process first, or set DATA_DIR to another directory.',
  );
}

/**
 * Holds an flock on `file` in a child that lives as long as our end of its stdin: when this
 * process dies, however it dies, the child reads end-of-file, exits, and the kernel drops the
 * lock. Its own session keeps a Ctrl-C in the terminal from ending it before we have closed.
 */
function flockHolder(file: string): Promise<ChildProcess | 'busy' | 'unavailable'> {
  return new Promise((resolve, reject) => {
    const child = spawn('flock', ['-n', file, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // Ending stdin of a holder that is already gone fails with EPIPE: nothing left to release.
    child.stdin!.on('error', () => {});
    child.stdout!.once('data', () => {
      child.stdout!.destroy();
      child.stderr!.destroy();
      child.unref();
      (child.stdin as unknown as { unref(): void }).unref();
      resolve(child);
    });
    child.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' ? resolve('unavailable') : reject(err),
    );
    // Without `echo locked` first: flock answers a lock held elsewhere with 1 and no message.
    child.once('exit', (code) => {
      if (code === 1 && stderr === '') resolve('busy');
      else reject(new Error(`flock could not lock ${file}: ${stderr.trim() || `exit ${code}`}`));
    });
  });
}

function endHolder(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const stop = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(stop);
      resolve();
    });
    child.stdin!.end();
  });
}

type Attempt = DirLock | { busy: Holder | null } | 'unavailable';

async function tryFlock(file: string): Promise<Attempt> {
  const child = await flockHolder(file);
  if (child === 'busy' || child === 'unavailable') {
    return child === 'busy' ? { busy: readHolder(file) } : child;
  }
  // A process locking by its record alone (a system without flock) on a shared volume.
  const recorded = readHolder(file);
  if (recorded && recorded.pid !== process.pid && isAlive(recorded)) {
    await endHolder(child);
    return { busy: recorded };
  }
  fs.writeFileSync(file, JSON.stringify(me()));
  let released: Promise<void> | undefined;
  return {
    release() {
      released ??= Promise.resolve()
        .then(() => fs.writeFileSync(file, ''))
        .finally(() => endHolder(child));
      return released;
    },
  };
}

const readHolder = (file: string) => parseHolder(readOr(() => fs.readFileSync(file, 'utf8'), ''));

/** Without flock: the record is the lock, taken over when its holder is not alive. */
function tryRecord(file: string): Attempt {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me()), { flag: 'wx' });
      let released = false;
      return {
        release() {
          if (!released) fs.rmSync(file, { force: true });
          released = true;
          return Promise.resolve();
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && isAlive(holder)) return { busy: holder };
      fs.rmSync(file, { force: true });
    }
  }
  return { busy: readHolder(file) };
}

/**
 * Takes `<dir>/rappel.lock` for this process. PGlite must be opened by one process only: two
 * writers would corrupt the directory. The lock dies with its holder, so a start after a crash
 * never needs a human: an flock held by a child process where `flock(1)` exists (Debian, Ubuntu
 * and Alpine images have it; it also holds between containers sharing the volume on one host),
 * else a record of the holder checked for being alive. The file stays: removing a file other
 * processes may have open would let two of them lock two different files.
 */
export async function acquireDirLock(dir: string, options: DirLockOptions = {}): Promise<DirLock> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'rappel.lock');
  const deadline = Date.now() + (options.waitMs ?? 3000);
  let useFlock = options.useFlock ?? true;
  for (;;) {
    const attempt = useFlock ? await tryFlock(file) : tryRecord(file);
    if (attempt === 'unavailable') {
      useFlock = false;
      continue;
    }
    if (!('busy' in attempt)) return attempt;
    if (Date.now() >= deadline) throw lockedError(dir, attempt.busy);
    await sleep(100);
  }
}
