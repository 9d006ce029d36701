import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { onCleanup } from './processes';

/** The PostgreSQL server the bench may use; only its scratch databases are touched. */
export const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty database on the bench server, dropped when the bench ends. */
export async function scratchDatabase(): Promise<string> {
  const name = `rappel_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  onCleanup(async () => {
    try {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A temporary PGlite data directory, removed when the bench ends. */
export function scratchDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rappel-bench-'));
  onCleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
