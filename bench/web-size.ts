/**
 * What a phone downloads, compressed, to open a screen for the first time: Rappel's built web
 * app against an empty SvelteKit app built the same way in the same run (same Vite, Svelte,
 * SvelteKit, adapter-static with precompress, single-page fallback), so that the ratio says what
 * Rappel adds, not what the framework costs.
 *
 * Both are built from copies in a temporary folder, never in the working tree (a running server
 * or browser test keeps its build/web). A screen's JavaScript is the static import closure of
 * the client entry points and of the route's nodes (its layouts, then its page), read from Vite's
 * manifest; each file counts as its brotli copy, the one the server sends (server/app.ts). Code
 * split out behind a dynamic import is not in the first load and is not counted.
 *
 *   npx tsx bench/web-size.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, onCleanup, root } from './lib/processes';
import { isEntryPoint, machine, num } from './lib/stats';

/** A learner's Today and lesson player, compressed, against the empty app's first page. */
export const WEB_SIZE_TARGET = 2;

interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

interface Build {
  dir: string;
  /** Where adapter-static wrote the site, with its .br copies. */
  site: string;
  manifest: Manifest;
  /** Source file of a route component (relative to the app) → its node's manifest key. */
  nodeOf: Map<string, string>;
}

/** Copies what the app's build reads, links node_modules, and builds it with its own Vite. */
function buildCopy(label: string, site: string, write: (dir: string) => void): Build {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rappel-web-size-${label}-`));
  onCleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
  write(dir);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const output = path.join(dir, '.svelte-kit/output/client');
  const manifest = JSON.parse(
    fs.readFileSync(path.join(output, '.vite/manifest.json'), 'utf8'),
  ) as Manifest;
  const nodeOf = new Map<string, string>();
  for (const [key, chunk] of Object.entries(manifest)) {
    if (!chunk.src?.includes('/generated/client-optimized/nodes/')) continue;
    const source = fs.readFileSync(path.join(dir, chunk.src), 'utf8');
    const component = /from "(?:\.\.\/)+([^"]+\.svelte)"/.exec(source)?.[1];
    if (component) nodeOf.set(component, key);
  }
  return { dir, site: path.join(dir, site), manifest, nodeOf };
}

function rappelBuild(): Build {
  return buildCopy('rappel', 'build/web', (dir) => {
    for (const entry of [
      'web',
      'shared',
      'project.inlang',
      'package.json',
      'svelte.config.js',
      'vite.config.ts',
      'tsconfig.json',
      'tsconfig.web.json',
    ]) {
      fs.cpSync(path.join(root, entry), path.join(dir, entry), {
        recursive: true,
        // Generated again by the build.
        filter: (src) => !src.includes(`${path.sep}paraglide${path.sep}`),
      });
    }
  });
}

/** `sv create`'s minimal template, made a single-page app like Rappel. */
function skeletonBuild(): Build {
  const files: Record<string, string> = {
    'package.json': '{ "name": "skeleton", "private": true, "type": "module" }\n',
    'svelte.config.js': [
      "import adapter from '@sveltejs/adapter-static';",
      'export default { kit: { adapter: adapter({ pages: "build", assets: "build",',
      '  fallback: "index.html", precompress: true }) } };',
    ].join('\n'),
    'vite.config.js': [
      "import { sveltekit } from '@sveltejs/kit/vite';",
      "import { defineConfig } from 'vite';",
      'export default defineConfig({ plugins: [sveltekit()] });',
    ].join('\n'),
    'src/app.html': [
      '<!doctype html><html lang="en"><head><meta charset="utf-8" />',
      '<meta name="viewport" content="width=device-width, initial-scale=1" />',
      '%sveltekit.head%</head><body><div>%sveltekit.body%</div></body></html>',
    ].join('\n'),
    'src/routes/+layout.ts': 'export const ssr = false;\n',
    'src/routes/+page.svelte': '<h1>Welcome to SvelteKit</h1>\n',
  };
  return buildCopy('skeleton', 'build', (dir) => {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
  });
}

/** The layouts above a page, outermost first, then the page: the nodes SvelteKit loads. */
function routeComponents(routesDir: string, page: string): string[] {
  const parts = path.dirname(page).split('/');
  const layouts: string[] = [];
  for (let i = routesDir.split('/').length; i <= parts.length; i++) {
    const layout = `${parts.slice(0, i).join('/')}/+layout.svelte`;
    layouts.push(layout);
  }
  return [...layouts, page];
}

interface Download {
  js: number;
  css: number;
  files: number;
  /** The ten largest files, brotli bytes, with the modules Vite names them after. */
  largest: { name: string; bytes: number }[];
}

/** Brotli bytes of the JavaScript (and CSS) the first load of these pages fetches. */
function download(build: Build, routesDir: string, pages: string[]): Download {
  const keys = Object.entries(build.manifest)
    .filter(([key, c]) => c.isEntry && !key.includes('/nodes/'))
    .map(([key]) => key);
  for (const page of pages) {
    for (const component of routeComponents(routesDir, page)) {
      const key = build.nodeOf.get(component);
      // A folder without its own layout uses SvelteKit's default one, inside the entry.
      if (key) keys.push(key);
      else if (component === page) throw new Error(`no node for ${page}`);
    }
  }
  const seen = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = build.manifest[key]!;
    for (const c of chunk.css ?? []) css.add(c);
    for (const next of chunk.imports ?? []) visit(next);
  };
  keys.forEach(visit);
  const brotli = (file: string) => fs.statSync(path.join(build.site, `${file}.br`)).size;
  const sum = (files: Iterable<string>) => [...files].reduce((t, f) => t + brotli(f), 0);
  const js = [...seen].map((k) => build.manifest[k]!.file);
  const largest = [...seen]
    .map((k) => ({
      name: build.manifest[k]!.src ?? build.manifest[k]!.name ?? k,
      bytes: brotli(build.manifest[k]!.file),
    }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 10);
  return { js: sum(js), css: sum(css), files: js.length, largest };
}

export interface WebSizeResult {
  skeleton: Download;
  learner: Download;
  dashboards: Download;
}

export async function runWebSize({ log }: { log: (line: string) => void }) {
  log('building an empty SvelteKit app…');
  const skeleton = skeletonBuild();
  log('building Rappel…');
  const rappel = rappelBuild();
  const app = 'web/routes/(app)';
  return {
    skeleton: download(skeleton, 'src/routes', ['src/routes/+page.svelte']),
    learner: download(rappel, 'web/routes', [
      `${app}/o/[orgId]/+page.svelte`,
      `${app}/o/[orgId]/learn/[moduleId]/[lessonId]/+page.svelte`,
    ]),
    dashboards: download(rappel, 'web/routes', [`${app}/o/[orgId]/dashboards/+page.svelte`]),
  } satisfies WebSizeResult;
}

export function webSizeMarkdown(r: WebSizeResult): string {
  const kb = (bytes: number) => `${num(bytes / 1024, 1)} KiB`;
  const row = (label: string, d: Download) =>
    `| ${label} | ${kb(d.js)} | ${d.files} | ${(d.js / r.skeleton.js).toFixed(2)}× | ${kb(d.css)} |`;
  return [
    '### First download, brotli (`bench/web-size.ts`)',
    '',
    '| Screens | JavaScript | Files | × empty SvelteKit app | CSS |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('Empty SvelteKit app, first page', r.skeleton),
    row("A learner's Today, then the lesson player", r.learner),
    row('Dashboards, first visit', r.dashboards),
    '',
    `Target: a learner's screens at most ${WEB_SIZE_TARGET}× the empty app's JavaScript.`,
  ].join('\n');
}

if (isEntryPoint(import.meta.url)) {
  void main(async () => {
    const m = machine();
    const result = await runWebSize({ log: (line) => console.error(`  ${line}`) });
    console.log(`${m.date} · Node ${m.node}\n\n${webSizeMarkdown(result)}`);
    if (process.argv.includes('--largest')) {
      for (const [label, d] of Object.entries(result)) {
        console.log(`\n${label}:`);
        for (const f of d.largest) console.log(`  ${num(f.bytes / 1024, 1)} KiB  ${f.name}`);
      }
    }
    const ratio = result.learner.js / result.skeleton.js;
    if (ratio > WEB_SIZE_TARGET) {
      console.error(`Over the target: ${ratio.toFixed(2)}× > ${WEB_SIZE_TARGET}×`);
    }
  });
}
