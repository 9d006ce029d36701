import postgres from 'postgres';
import { UnavailableError } from '../lib/errors';

type Sql = ReturnType<typeof postgres>;
export type PgOptions = postgres.Options<Record<string, postgres.PostgresType>>;

/** A connection of its own (a postgres.js pool of one) for one hot transaction at a time. */
export interface Lane {
  sql: Sql;
  /** How many times its connection closed: a change mid-transaction means the transaction is gone. */
  closes: number;
}

/** How long a hot transaction waits for a free lane before answering 503. */
const LANE_WAIT_MS = 5000;
/**
 * A hot transaction (a few statements, milliseconds) still running after this long is stuck on
 * its connection, typically behind a network partition, which TCP takes minutes to notice.
 */
export const LANE_STALL_MS = 10_000;

/**
 * The lanes hot transactions run on. Not `reserve()`: in postgres.js 3.4 a reserved connection
 * that closes goes back to the pool dead on `release()` (the next query on it throws outside any
 * promise and kills the process), and a reservation queued while connections fail is never
 * settled (porsager/postgres#1195, #1199): after outages, requests hung for good. A pool of one
 * that loses its connection simply opens another for the next transaction.
 */
export function postgresLanes(url: string, count: number, options: PgOptions) {
  // No lifetime: a pool of one closing its connection between two statements would end the
  // transaction under way.
  const open = (lane: Lane) => {
    // A connection of a client the lane has dropped no longer counts.
    const sql: Sql = postgres(url, {
      ...options,
      max: 1,
      max_lifetime: null,
      onclose: () => void (lane.sql === sql && lane.closes++),
    });
    return sql;
  };
  const lanes = Array.from({ length: count }, () => {
    const lane: Lane = { sql: undefined as unknown as Sql, closes: 0 };
    lane.sql = open(lane);
    return lane;
  });
  const free = [...lanes];
  const waiting: ((lane: Lane) => void)[] = [];
  return {
    acquire(): Promise<Lane> {
      const lane = free.pop();
      if (lane) return Promise.resolve(lane);
      return new Promise((resolve, reject) => {
        const take = (l: Lane) => {
          clearTimeout(timer);
          resolve(l);
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(take), 1);
          reject(new UnavailableError());
        }, LANE_WAIT_MS);
        waiting.push(take);
      });
    },
    release(lane: Lane) {
      const next = waiting.shift();
      if (next) next(lane);
      else free.push(lane);
    },
    /** Drops the lane's connection, failing what runs or waits on it, and opens a new one. */
    reset(lane: Lane) {
      const stuck = lane.sql;
      lane.closes++;
      lane.sql = open(lane);
      void stuck.end({ timeout: 0 });
    },
    end: () => Promise.all(lanes.map((l) => l.sql.end({ timeout: 5 }))),
  };
}

export type Lanes = ReturnType<typeof postgresLanes>;
