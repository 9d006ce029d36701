import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../server/db/client';
import { createJobRunner, type JobRunnerDeps } from '../../server/jobs/runner';
import type { Clock } from '../../server/lib/clock';

export interface LogLine {
  level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what it is told, for tests to read. */
export function recordingLog() {
  const lines: LogLine[] = [];
  const waiting: { count: number; level: LogLine['level']; resolve: () => void }[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: unknown, msg?: string): void => {
      if (typeof fields === 'string') lines.push({ level, msg: fields, fields: {} });
      else lines.push({ level, msg: msg ?? '', fields: (fields ?? {}) as Record<string, unknown> });
      for (const w of waiting) {
        if (lines.filter((l) => l.level === w.level).length >= w.count) w.resolve();
      }
    };
  /** Resolves once `count` lines of `level` have been logged. */
  const logged = (level: LogLine['level'], count = 1) =>
    new Promise<void>((resolve) => {
      waiting.push({ count, level, resolve });
      if (lines.filter((l) => l.level === level).length >= count) resolve();
    });
  const log = {
    level: 'trace',
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    silent: () => {},
    child: () => log,
  } as unknown as FastifyBaseLogger;
  return { log, lines, logged };
}

/** A runner on `db` with a recording logger (the app's own runner is `app.jobs`). */
export function testRunner(db: Database, clock: Clock, options: Partial<JobRunnerDeps> = {}) {
  const { log, lines, logged } = recordingLog();
  return Object.assign(createJobRunner({ db, clock, log, ...options }), { lines, logged });
}

/** A promise with its resolver outside, to hold a handler until a test lets it go. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}
