import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Which proxies Fastify believes about the client's address (X-Forwarded-For, -Proto, -Host). */
export type TrustProxy = boolean | number | string[];

/** One IP address, or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrRange(item: string): boolean {
  const [address = '', prefix, ...rest] = item.split('/');
  const version = isIP(address);
  if (!version || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * The `trustProxy` option Fastify takes. Fastify treats a bare hop count as trusting nobody (it
 * cannot check the peer), so a count becomes a function trusting that many hops from the socket:
 * right only when the server is reachable through the proxies alone.
 */
export function fastifyTrustProxy(trust: TrustProxy | undefined) {
  if (typeof trust !== 'number') return trust ?? false;
  return (_address: string, hop: number) => hop < trust;
}

const trustProxySchema = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (value === 'true' || value === 'false') return value === 'true';
    if (/^\d+$/.test(value)) return Number(value);
    const items = value.split(',').map((item) => item.trim());
    if (items.every(isAddressOrRange)) return items;
    ctx.addIssue({
      code: 'custom',
      message:
        'must be true, a number of hops, or a comma-separated list of IP addresses or CIDR ranges',
    });
    return z.NEVER;
  });

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
  TRUST_PROXY: trustProxySchema.optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z
    .string()
    .trim()
    .regex(/^([^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
      error: 'must be an address, e.g. rappel@example.com or "Rappel <rappel@example.com>"',
    })
    .optional(),
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
  /**
   * The reverse proxies whose X-Forwarded-For (and -Proto, -Host) are believed: the client's
   * address behind them is the per-IP rate limits' key. Unset: none, the socket's peer is the
   * client.
   */
  trustProxy?: TrustProxy;
  /** Where mail goes out (SMTP_URL, MAIL_FROM); absent: nothing is sent, the outbox keeps it. */
  smtp?: { url: string; from: string };
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
  /** How long a client may hold a connection (slow or idle clients cannot pile up sockets). */
  timeouts: ConnectionTimeouts;
  /** A request not answered within this long gets 503 UNAVAILABLE (the database is away). */
  requestDeadlineMs: number;
}

export interface ConnectionTimeouts {
  /** From the first byte of a request to the end of its headers. */
  headersMs: number;
  /** From the first byte of a request to the end of its body (the largest upload must fit). */
  requestMs: number;
  /** A connection with no byte in either direction for this long is closed. */
  idleMs: number;
  /** An idle keep-alive connection between two requests is closed after this long. */
  keepAliveMs: number;
}

const DAY = 24 * 60 * 60 * 1000;

export const defaultPolicies = {
  session: { idleMs: 14 * DAY, absoluteMs: 60 * DAY },
  principalCacheTtlMs: 30_000,
  invitationTtlMs: 7 * DAY,
  loginFailures: { max: 5, windowMs: 15 * 60 * 1000 },
  argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  bodyLimit: 256 * 1024,
  timeouts: {
    headersMs: 30_000,
    // A 25 MiB module file takes 210 s on a 1 Mbit/s uplink.
    requestMs: 240_000,
    idleMs: 60_000,
    // Longer than the 60 s idle time-out of common load balancers, which must close first.
    keepAliveMs: 65_000,
  },
  // Far past a normal answer (milliseconds), far short of the minutes TCP takes to give up on
  // a database that went silent; a route that needs longer sets its own `deadlineMs`.
  requestDeadlineMs: 10_000,
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
  if (!e.SMTP_URL !== !e.MAIL_FROM) {
    const [missing, given] = e.SMTP_URL ? ['MAIL_FROM', 'SMTP_URL'] : ['SMTP_URL', 'MAIL_FROM'];
    throw new ConfigError(
      `Invalid configuration:\n  ${missing}: required with ${given} (set both, or neither)`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(root, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    smtp: e.SMTP_URL && e.MAIL_FROM ? { url: e.SMTP_URL, from: e.MAIL_FROM } : undefined,
    webDir: path.join(root, 'build', 'web'),
    ...defaultPolicies,
  };
}
