#!/usr/bin/env node
// Renders the installable app's PNG icons from web/static/favicon.svg with headless Chromium
// (playwright-core, /usr/bin/chromium or CHROMIUM_PATH). The PNGs are committed: run this again
// only when the logo changes.
//
//   node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const svg = fs.readFileSync(path.join(root, 'web/static/favicon.svg'), 'utf8');
const out = path.join(root, 'web/static/icons');

// The logo's background and its glyph (the path), read from the SVG so the two stay one design.
const fill = /<rect[^>]*fill="([^"]+)"/.exec(svg)?.[1];
const glyph = /<path[^>]*\/>/.exec(svg)?.[0];
if (!fill || !glyph) throw new Error('favicon.svg no longer has the rect + path this expects');

/**
 * A maskable icon is cropped by the device to any shape inside its central 80 % circle: the
 * background fills the whole square and the glyph shrinks into the safe zone.
 */
const maskable =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">` +
  `<rect width="32" height="32" fill="${fill}"/>` +
  `<g transform="translate(16 16) scale(0.7) translate(-16 -16)">${glyph}</g></svg>`;

const icons = [
  { file: 'icon-192.png', size: 192, source: svg },
  { file: 'icon-512.png', size: 512, source: svg },
  { file: 'icon-maskable-512.png', size: 512, source: maskable },
  // iOS ignores the manifest's icons and rounds this one itself: full-bleed, like maskable.
  { file: 'apple-touch-icon.png', size: 180, source: maskable },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  fs.mkdirSync(out, { recursive: true });
  for (const { file, size, source } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const sized = source.replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${sized}</body></html>`,
    );
    await page.screenshot({ path: path.join(out, file), omitBackground: true });
    await page.close();
    console.log(`web/static/icons/${file} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
