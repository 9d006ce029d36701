/**
 * What large images cost the embedded database's one thread: storing a 2 MiB upload and reading
 * it back through the assets repository, and importing a module file of about 20 MB (seven such
 * images) through the API, on in-memory PGlite with Rappel's bytea codecs
 * (server/db/pglite-codecs.ts) against PGlite's own, both in this thread, and with Rappel's
 * codecs in a worker thread (server/db/pglite-worker-client.ts, as a server on a data directory
 * runs it), in alternating rounds. Besides the time of each call it reports the longest
 * event-loop stall during it: what every other request of the process waited.
 *
 *   npx tsx bench/blobs.ts [--rounds 5] [--mib 2] [--images 7]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { buildApp } from '../server/app';
import { storeImage } from '../server/assets/service';
import { loadConfig } from '../server/config';
import * as assetRepo from '../server/assets/repository';
import { migrationsFolder, type Database } from '../server/db/client';
import { pgliteCodecs } from '../server/db/pglite-codecs';
import { PgliteWorkerClient } from '../server/db/pglite-worker-client';
import * as schema from '../server/db/schema';
import { main, root } from './lib/processes';
import { isEntryPoint, machine, median, num } from './lib/stats';

interface Variant {
  label: string;
  db: Database;
  orgId: string;
  /** A session cookie of the organisation's admin, for the module-file import. */
  cookie: string;
  app: Awaited<ReturnType<typeof buildApp>>;
}

interface Timing {
  storeMs: number;
  storeStallMs: number;
  readMs: number;
  readStallMs: number;
  importMs: number;
  importStallMs: number;
}

type Placement = 'this thread, our codecs' | "this thread, PGlite's codecs" | 'worker thread';

export async function open(label: string, placement: Placement): Promise<Variant> {
  const client =
    placement === 'worker thread'
      ? ((await PgliteWorkerClient.create()) as unknown as PGlite)
      : await PGlite.create(placement === 'this thread, our codecs' ? pgliteCodecs : {});
  const drizzled = drizzle({ client, schema, casing: 'snake_case' });
  await migrate(drizzled, { migrationsFolder });
  const db = drizzled as unknown as Database;
  const config = { ...loadConfig({ LOG_LEVEL: 'silent' }, root), webDir: undefined };
  const app = await buildApp({ config, db });
  const setup = await app.inject({
    method: 'POST',
    url: '/api/setup',
    payload: {
      organisation: { name: 'Bench' },
      admin: { name: 'Admin', email: 'admin@bench.test', password: 'a long bench password' },
    },
  });
  if (setup.statusCode !== 201) throw new Error(`${label}: set-up answered ${setup.body}`);
  const cookie = setup.cookies.find((c) => c.name === 'rappel_session')!.value;
  const orgId = (setup.json() as { orgId: string }).orgId;
  return { label, db, orgId, cookie, app };
}

/**
 * The example module file (docs/examples) carrying `count` images of `bytes.length` bytes, one
 * per image block: about 20 MB of JSON for seven 2 MiB images, under the 25 MiB import limit.
 */
export function moduleFile(bytes: Buffer, count: number) {
  const file = JSON.parse(
    fs.readFileSync(path.join(root, 'docs/examples/consigner-un-appel.rappel-module.json'), 'utf8'),
  );
  file.images = [];
  for (let i = 0; i < count; i++) {
    // Distinct pictures: the same bytes are stored once per organisation.
    randomBytes(64).copy(bytes, 64);
    const id = randomUUID();
    file.images.push({ id, contentType: 'image/png', data: bytes.toString('base64') });
    file.lessons[0].blocks.push({
      id: randomUUID(),
      personaIds: [],
      kind: 'image',
      assetId: id,
      alt: `Capture ${i + 1}`,
      caption: '',
    });
  }
  return JSON.stringify(file);
}

/**
 * The call's duration, and the longest gap between the ticks of a 1 ms timer while it ran: how
 * long any other request of the process would have waited.
 */
async function measure(fn: () => Promise<unknown>) {
  let last = performance.now();
  let stallMs = 0;
  const tick = () => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  };
  const timer = setInterval(tick, 1);
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  // Let a tick that was due during the last synchronous stretch fire and count it.
  await new Promise((resolve) => setTimeout(resolve, 2));
  clearInterval(timer);
  tick();
  return { ms, stallMs };
}

async function round(v: Variant, bytes: Buffer, file: string): Promise<Timing> {
  // A fresh picture each round: the same bytes twice are stored once.
  randomBytes(64).copy(bytes, 64);
  let id = '';
  const store = await measure(async () => {
    const image = { contentType: 'image/png' as const, data: bytes };
    id = (await storeImage(v.db, v.orgId, image, null, new Date())).id;
  });
  const read = await measure(async () => {
    const row = await assetRepo.findAsset(v.db, v.orgId, id);
    if (row?.data.length !== bytes.length)
      throw new Error(`${v.label}: read back a different size`);
  });
  const imported = await measure(async () => {
    const res = await v.app.inject({
      method: 'POST',
      url: `/api/orgs/${v.orgId}/modules/import`,
      payload: file,
      headers: { 'content-type': 'application/json', cookie: `rappel_session=${v.cookie}` },
    });
    if (res.statusCode !== 201)
      throw new Error(`${v.label}: import answered ${res.statusCode} ${res.body.slice(0, 300)}`);
  });
  return {
    storeMs: store.ms,
    storeStallMs: store.stallMs,
    readMs: read.ms,
    readStallMs: read.stallMs,
    importMs: imported.ms,
    importStallMs: imported.stallMs,
  };
}

export async function runBlobs({ rounds = 5, mib = 2, images = 7, log = console.error } = {}) {
  const bytes = randomBytes(mib * 1024 * 1024);
  // A PNG's signature: the import sniffs each image's type from its bytes.
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  const ours = await open("Rappel's codecs", 'this thread, our codecs');
  const theirs = await open("PGlite's own codecs", "this thread, PGlite's codecs");
  const worker = await open("Rappel's codecs, worker thread", 'worker thread');
  const variants = [ours, theirs, worker];
  const results = new Map<Variant, Timing[]>(variants.map((v) => [v, []]));
  for (let i = 0; i < rounds; i++) {
    // Rotate which goes first, so none always runs on a warmer machine.
    for (const v of [...variants.slice(i % 3), ...variants.slice(0, i % 3)]) {
      const t = await round(v, bytes, moduleFile(bytes, images));
      results.get(v)!.push(t);
      log(
        `round ${i + 1} ${v.label}: store ${num(t.storeMs)} ms, read ${num(t.readMs)} ms, ` +
          `import ${num(t.importMs)} ms`,
      );
    }
  }
  const summary = (v: Variant) => {
    const ts = results.get(v)!;
    const med = (k: keyof Timing) => median(ts.map((t) => t[k]));
    return {
      label: v.label,
      storeMs: med('storeMs'),
      storeStallMs: med('storeStallMs'),
      readMs: med('readMs'),
      readStallMs: med('readStallMs'),
      importMs: med('importMs'),
      importStallMs: med('importStallMs'),
    };
  };
  const fileMB = moduleFile(bytes, images).length / 1e6;
  for (const v of variants) await v.app.close();
  await (worker.db as unknown as { $client: PgliteWorkerClient }).$client.close();
  return {
    mib,
    images,
    fileMB,
    rounds,
    ours: summary(ours),
    theirs: summary(theirs),
    worker: summary(worker),
  };
}

export function blobsMarkdown(r: Awaited<ReturnType<typeof runBlobs>>) {
  const row = (s: typeof r.ours) =>
    `| ${s.label} | ${num(s.storeMs)} ms | ${num(s.storeStallMs)} ms | ${num(s.readMs)} ms | ` +
    `${num(s.readStallMs)} ms | ${num(s.importMs)} ms | ${num(s.importStallMs)} ms |`;
  const ratio = (a: number, b: number) => num(a / b, 2);
  return [
    `A ${r.mib} MiB image stored and read back, and a ${num(r.fileMB, 1)} MB module file ` +
      `(${r.images} such images) imported, on in-memory PGlite; median of ${r.rounds} alternating ` +
      'rounds. "Stall": the longest the event loop was held, which every other request waits.',
    '',
    '| PGlite | store | stall | read back | stall | import | stall |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(r.ours),
    row(r.theirs),
    row(r.worker),
    '',
    `Ours / PGlite's: store ${ratio(r.ours.storeMs, r.theirs.storeMs)}, read ` +
      `${ratio(r.ours.readMs, r.theirs.readMs)}, import ${ratio(r.ours.importMs, r.theirs.importMs)}.`,
    `Worker / this thread (our codecs): import stall ` +
      `${ratio(r.worker.importStallMs, r.ours.importStallMs)}, import time ` +
      `${ratio(r.worker.importMs, r.ours.importMs)}.`,
  ].join('\n');
}

if (isEntryPoint(import.meta.url)) {
  void main(async () => {
    const arg = (name: string, fallback: number) => {
      const i = process.argv.indexOf(`--${name}`);
      return i > 0 ? Number(process.argv[i + 1]) : fallback;
    };
    const m = machine();
    const result = await runBlobs({
      rounds: arg('rounds', 5),
      mib: arg('mib', 2),
      images: arg('images', 7),
    });
    console.log(`${m.date} · ${m.cpus} CPUs · Node ${m.node}\n\n${blobsMarkdown(result)}`);
  });
}
