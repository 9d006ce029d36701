/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Rappel's service worker does no more than push needs: show the notification a push carries,
 * and open Rappel where it points when tapped. No fetch handler: it caches nothing and never
 * sits between the app and the network. Registered only when someone turns push on.
 */

const sw = self as unknown as ServiceWorkerGlobalScope;

interface PushPayload {
  title: string;
  body: string;
  url: string;
  tag?: string;
}

function payloadOf(event: PushEvent): PushPayload {
  try {
    const data = event.data?.json() as Partial<PushPayload> | undefined;
    if (data && typeof data.title === 'string') {
      return {
        title: data.title,
        body: typeof data.body === 'string' ? data.body : '',
        url: typeof data.url === 'string' ? data.url : '/',
        tag: typeof data.tag === 'string' ? data.tag : undefined,
      };
    }
  } catch {
    // Not JSON: still show something, browsers penalise a push that shows nothing.
  }
  return { title: 'Rappel', body: '', url: '/' };
}

/** The address to open: within this origin only, the home page otherwise. */
function sameOrigin(url: unknown): string {
  try {
    const target = new URL(typeof url === 'string' ? url : '/', sw.location.origin);
    if (target.origin === sw.location.origin) return target.href;
  } catch {
    // fall through
  }
  return new URL('/', sw.location.origin).href;
}

// A new version takes over at once: there is no cache whose versions could disagree.
sw.addEventListener('install', () => void sw.skipWaiting());
sw.addEventListener('activate', (event) => event.waitUntil(sw.clients.claim()));

sw.addEventListener('push', (event) => {
  const { title, body, url, tag } = payloadOf(event);
  event.waitUntil(
    sw.registration.showNotification(title, {
      body,
      tag,
      data: { url },
      icon: '/icons/icon-192.png',
    }),
  );
});

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = sameOrigin((event.notification.data as { url?: unknown } | null)?.url);
  event.waitUntil(
    (async () => {
      const tabs = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const exact = tabs.find((t) => t.url === url);
      if (exact) return exact.focus();
      const tab = tabs.find((t) => new URL(t.url).origin === sw.location.origin);
      if (tab) {
        const focused = await tab.focus();
        // Only a tab this worker controls can be sent elsewhere; another one is just shown.
        return (await focused.navigate(url).catch(() => null)) ?? focused;
      }
      return sw.clients.openWindow(url);
    })(),
  );
});

// The browser renewed the subscription (it may, at any time): tell the server the new address,
// with the session of whoever is signed in in this browser.
sw.addEventListener('pushsubscriptionchange', (event) => {
  const change = event as Event & {
    oldSubscription?: PushSubscription | null;
    newSubscription?: PushSubscription | null;
    waitUntil(p: Promise<unknown>): void;
  };
  change.waitUntil(
    (async () => {
      const old = change.oldSubscription;
      const fresh =
        change.newSubscription ??
        (old ? await sw.registration.pushManager.subscribe(old.options) : null);
      const send = (method: string, body: unknown) =>
        fetch('/api/me/push-subscriptions', {
          method,
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      if (fresh) await send('POST', fresh.toJSON());
      if (old && old.endpoint !== fresh?.endpoint) await send('DELETE', { endpoint: old.endpoint });
    })().catch(() => {}),
  );
});
