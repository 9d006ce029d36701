import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

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
