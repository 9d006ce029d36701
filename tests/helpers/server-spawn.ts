import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A port nothing listens on, as the system hands one out. Never a port drawn from a fixed range:
 * the machines run other services (NATS on 4222, for one) that a drawn port can hit.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Runs `command` from the repository root as a server is run in the process tests: warnings and
 * worse logged, the embedded database unless `env` names another, `env` over this process's own.
 * Answers the child and everything it has written so far (stdout and stderr together).
 */
export function spawnServer(
  command: string[],
  env: Record<string, string>,
): { child: ChildProcess; output(): string } {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}
