import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { spawnServer } from '../helpers/server-spawn';

/** A server as one process (tsx as a loader), as `npm start` runs it. */
export interface ServerProcess {
  child: ChildProcess;
  inPidNamespace: boolean;
  exited: Promise<void>;
  output(): string;
}

/**
 * Starts `server/main.ts` with `env`; `inPidNamespace` runs it as the first process of a fresh
 * PID namespace, as in a container (killing it kills the namespace).
 */
export function startServer(env: Record<string, string>, inPidNamespace = false): ServerProcess {
  const prefix = inPidNamespace
    ? ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL']
    : [];
  const command = [...prefix, process.execPath, '--import', 'tsx', 'server/main.ts'];
  const { child, output } = spawnServer(command, env);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, inPidNamespace, exited, output };
}

/** Waits until the server answers /api/health; fails if it exits or never answers. */
export async function untilHealthy(server: ServerProcess, port: number, ms = 180_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`the server exited: ${server.output()}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server never answered: ${server.output()}`);
}

export async function kill(server: ServerProcess) {
  server.child.kill('SIGKILL');
  await server.exited;
}

/**
 * Stops the server as `docker stop` does, with SIGTERM to the server itself: `unshare` holds
 * SIGTERM back while it waits for its child, so in a namespace the signal goes to that child.
 */
export async function stop(server: ServerProcess) {
  const pid = server.child.pid!;
  const target = server.inPidNamespace
    ? Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0])
    : pid;
  process.kill(target, 'SIGTERM');
  await server.exited;
}
