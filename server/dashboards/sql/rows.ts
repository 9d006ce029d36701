/** Reading the values of a dashboard statement's rows (server/db/rows.ts), and writing them in. */
import { type SQL, sql } from 'drizzle-orm';

export type Raw = Record<string, unknown>;

export const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
export const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
/** An instant the statement answered as milliseconds since the epoch. */
export const epochMs = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)));
/** JSON from the database: postgres.js parses jsonb, PGlite may hand it over as text. */
export const jsonOf = <T>(v: unknown): T =>
  typeof v === 'string' ? (JSON.parse(v) as T) : (v as T);

/** No team, persona…, as a key that a hash join can match (it cannot match nulls). */
export const NONE_KEY = sql`'00000000-0000-0000-0000-000000000000'::uuid`;

/** `date` as a timestamptz parameter. */
export const instantSql = (date: Date): SQL => sql`${date.toISOString()}::timestamptz`;
