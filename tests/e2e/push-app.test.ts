import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startAppWithClock } from './helpers';

let app: App;

beforeAll(async () => {
  app = await startAppWithClock();
});
afterAll(() => app?.close());

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

describe('the installable app', () => {
  it('serves its manifest and icons', async () => {
    const res = await fetch(`${app.base}/manifest.webmanifest`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as {
      name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({ name: 'Rappel', start_url: '/', display: 'standalone' });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual([
      '192x192 any',
      '512x512 any',
      '512x512 maskable',
    ]);
    for (const icon of manifest.icons) {
      const png = await fetch(new URL(icon.src, app.base));
      expect(png.headers.get('content-type')).toBe('image/png');
      expect(pngSize(Buffer.from(await png.arrayBuffer())).join('x')).toBe(icon.sizes);
    }
  });

  it('serves the service worker fresh, under a policy that lets it run', async () => {
    const worker = await fetch(`${app.base}/service-worker.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/^(application|text)\/javascript/);
    expect(worker.headers.get('cache-control')).toBe('no-cache');

    const page = await fetch(`${app.base}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(/script-src ([^;]*)/.exec(csp)?.[1]).not.toMatch(/unsafe|\*/);
  });

  it('shows a push as a notification that carries the link to open', async () => {
    const { page, errors } = await app.person('fr-FR', 390);
    await page.context().grantPermissions(['notifications'], { origin: app.base });
    await page.goto(`${app.base}/login`);
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe(
      '/manifest.webmanifest',
    );
    const scope = await page.evaluate(async () => {
      await navigator.serviceWorker.register('/service-worker.js', { scope: '/' });
      return (await navigator.serviceWorker.ready).scope;
    });
    expect(scope).toBe(`${app.base}/`);

    // What the push service would hand the browser, delivered through the DevTools protocol.
    const cdp = await page.context().newCDPSession(page);
    const registered = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const mine = registrations.find((r) => r.scopeURL === `${app.base}/` && !r.isDeleted);
        if (mine) resolve(mine.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registered;
    const message = { title: 'Vos rappels du jour', body: '3 rappels', url: '/o/x', tag: 't1' };
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: app.base,
      registrationId,
      data: JSON.stringify(message),
    });
    const shown = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      for (;;) {
        const [n] = await registration.getNotifications();
        if (n) return { title: n.title, body: n.body, tag: n.tag, data: n.data };
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    expect(shown).toEqual({
      title: message.title,
      body: message.body,
      tag: message.tag,
      data: { url: '/o/x' },
    });
    expect(errors).toEqual([]);
  });
});
