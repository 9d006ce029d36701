import path from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
});

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after login, used or not. */
  absoluteMs: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string | undefined;
  logLevel: (typeof logLevels)[number];
  /** Where the built web app lives; absent when only the API runs. */
  webDir: string | undefined;
  session: SessionPolicy;
  /** How long a principal (session, user, memberships) is served from memory at most. */
  principalCacheTtlMs: number;
  /** Invitation links stay valid this long. */
  invitationTtlMs: number;
  /** Failed logins for one address within the window before login answers 429. */
  loginFailures: { max: number; windowMs: number };
  /** argon2id cost; tests may lower it, production keeps the OWASP recommendation. */
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  /** Maximum JSON body size in bytes. */
  bodyLimit: number;
}

const DAY = 24 * 60 * 60 * 1000;

export const defaultPolicies = {
  session: { idleMs: 14 * DAY, absoluteMs: 60 * DAY },
  principalCacheTtlMs: 30_000,
  invitationTtlMs: 7 * DAY,
  loginFailures: { max: 5, windowMs: 15 * 60 * 1000 },
  argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  bodyLimit: 256 * 1024,
} satisfies Partial<Config>;

export class ConfigError extends Error {}

/** Reads the environment once; a bad value throws a `ConfigError` naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv, root: string): Config {
  // An empty variable (`DATABASE_URL=`) counts as unset.
  const set = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(root, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    webDir: path.join(root, 'build', 'web'),
    ...defaultPolicies,
  };
}
