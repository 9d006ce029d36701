/**
 * This browser's side of Web Push: what it supports, the service worker (registered only when
 * someone turns push on), its push subscription, and who turned it on here.
 */
import { dev } from '$app/environment';
import { pushApi } from '$lib/push-api';

/** Whose notifications this browser receives: another person may have turned them on here. */
const OWNER_KEY = 'rappel.pushOwner';

export type PushSupport = 'supported' | 'unsupported' | 'ios-home-screen';

/** Whether push can work here; on iOS it needs the app added to the Home Screen first. */
export function pushSupport(): PushSupport {
  const apis = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  if (apis && window.isSecureContext) return 'supported';
  const ios =
    /iPhone|iPad|iPod/.test(navigator.userAgent) ||
    (navigator.userAgent.includes('Macintosh') && navigator.maxTouchPoints > 1);
  const standalone = window.matchMedia('(display-mode: standalone)').matches;
  return ios && !standalone ? 'ios-home-screen' : 'unsupported';
}

function owner(): string | null {
  try {
    return localStorage.getItem(OWNER_KEY);
  } catch {
    return null;
  }
}

function setOwner(userId: string | null) {
  try {
    if (userId) localStorage.setItem(OWNER_KEY, userId);
    else localStorage.removeItem(OWNER_KEY);
  } catch {
    // Private mode without storage: the switch just forgets whose it was.
  }
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration('/');
  return (await registration?.pushManager.getSubscription()) ?? null;
}

/** Whether this browser notifies `userId`, or someone else who turned push on here. */
export async function pushState(userId: string): Promise<'on' | 'off' | 'someone-else'> {
  if (!(await currentSubscription())) return 'off';
  const who = owner();
  return who === userId ? 'on' : who ? 'someone-else' : 'off';
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

const sameKey = (a: ArrayBuffer | null, b: Uint8Array) =>
  !!a && a.byteLength === b.length && new Uint8Array(a).every((x, i) => x === b[i]);

/**
 * Registers the worker, subscribes this browser with the install's key and tells the server.
 * Call from a click: browsers ask for permission only then. Answers the permission when it was
 * not granted.
 */
export async function turnOn(userId: string): Promise<'granted' | NotificationPermission> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission;
  await navigator.serviceWorker.register('/service-worker.js', {
    scope: '/',
    type: dev ? 'module' : 'classic',
  });
  const registration = await navigator.serviceWorker.ready;
  const key = keyBytes((await pushApi.publicKey()).publicKey);
  let subscription = await registration.pushManager.getSubscription();
  // Made with another key (the install's database was reset): useless, and it blocks a new one.
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: key,
  });
  const json = subscription.toJSON();
  await pushApi.subscribe({
    endpoint: subscription.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
  });
  setOwner(userId);
  return 'granted';
}

/** Stops notifications here: the server forgets the device, then the browser unsubscribes. */
export async function turnOff(): Promise<void> {
  const subscription = await currentSubscription();
  if (subscription) {
    await pushApi.unsubscribe(subscription.endpoint);
    await subscription.unsubscribe();
  }
  setOwner(null);
}
