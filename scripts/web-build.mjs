// The web build that `npm start` checks before serving (scripts/start.mjs), also run alone by
// scripts/ensure-web-build.mjs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'build', 'web', 'index.html');
const lockDir = join(root, 'build', '.web-build.lock');

/** Sources of the web build. Generated folders inside them are skipped. */
const sources = [
  'web',
  'shared',
  'svelte.config.js',
  'vite.config.ts',
  'tsconfig.web.json',
  'project.inlang/settings.json',
];
const skipped = new Set([join(root, 'web', 'lib', 'paraglide')]);

/** The newest modification time (ms) under `path`, or 0 when it does not exist. */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (skipped.has(path)) return 0;
  let latest = stat.mtimeMs; // a deleted file changes its folder's time
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** 'missing', 'stale' or 'fresh'. */
function state() {
  let built;
  try {
    built = statSync(output).mtimeMs;
  } catch {
    return 'missing';
  }
  const changed = Math.max(...sources.map((s) => newest(join(root, s))));
  return changed > built ? 'stale' : 'fresh';
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function tryLock() {
  mkdirSync(join(root, 'build'), { recursive: true });
  try {
    mkdirSync(lockDir);
  } catch (e) {
    if (e.code === 'EEXIST') return false;
    throw e;
  }
  writeFileSync(join(lockDir, 'pid'), String(process.pid));
  return true;
}

/** A lock whose process has died (killed mid-build) is taken over. */
function lockIsStale() {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch {
    try {
      // The pid file is written just after the folder: give a brand-new lock a moment.
      return Date.now() - statSync(lockDir).mtimeMs > 5000;
    } catch {
      return false;
    }
  }
}

/** Runs vite build; false when it failed. */
function build(why) {
  console.log(
    why === 'missing'
      ? 'ensure-web-build: build/web is missing, building the web app (vite build)…'
      : 'ensure-web-build: web sources changed since the last build, rebuilding (vite build)…',
  );
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status === 0) return true;
  console.error('ensure-web-build: the web build failed; see the messages above.');
  return false;
}

/**
 * Builds the web app only when build/web is missing or older than its sources, so that an
 * unchanged checkout starts in milliseconds. Several processes starting at once (tests,
 * benchmarks) build it once: the others wait for that build. False when the build failed or
 * another process's build never ended. SKIP_WEB_BUILD=1 skips the check.
 */
export function ensureWebBuild() {
  if (process.env.SKIP_WEB_BUILD === '1') return true;
  const deadline = Date.now() + 10 * 60 * 1000;
  let waited = false;
  for (;;) {
    const now = state();
    if (now === 'fresh') return true;
    if (tryLock()) {
      try {
        // Another process may have finished the same build while we waited for the lock.
        const again = state();
        return again === 'fresh' || build(again);
      } finally {
        rmSync(lockDir, { recursive: true, force: true });
      }
    }
    if (lockIsStale()) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      console.error('ensure-web-build: gave up waiting for another web build to finish.');
      return false;
    }
    if (!waited) console.log('ensure-web-build: another process is building the web app, waiting…');
    waited = true;
    sleep(250);
  }
}
