/**
 * A local stand-in for a browser's push service (FCM, Mozilla's autopush…), checking what a real
 * one checks: the VAPID JWT (RFC 8292) signed with the key it names, for this service's origin,
 * not expired; and a payload it can decrypt (RFC 8291, aes128gcm) with the private key of the
 * subscription. Subscriptions are made here as a browser makes them: a P-256 key pair and a
 * 16-byte authentication secret.
 */
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  verify,
} from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A message the service accepted, decrypted. */
export interface Delivery {
  endpoint: string;
  /** The decrypted body, parsed as JSON. */
  message: Record<string, unknown>;
  /** The VAPID public key the sender signed with (`k=`). */
  vapidKey: string;
  claims: { aud: string; exp: number; sub: string };
  ttl: number;
}

export interface PushServiceStub {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** A new subscription, as `PushSubscription.toJSON()` gives it. */
  subscribe(): TestSubscription;
  /** Answers `status` (410: gone, 500: broken) to pushes for this endpoint from now on. */
  answer(endpoint: string, status: number): void;
  /** Every message accepted (201), in order. */
  deliveries: Delivery[];
  /** Requests refused because a check failed, with the reason: none in a good run. */
  refused: { endpoint: string; reason: string }[];
  close(): Promise<void>;
}

interface Device {
  ecdh: ECDH;
  auth: Buffer;
  status: number;
}

const b64u = (b: Buffer) => b.toString('base64url');

function p256Key(raw: Buffer) {
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('not an uncompressed P-256 point');
  const [x, y] = [raw.subarray(1, 33), raw.subarray(33)].map(b64u);
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
}

/** Checks `Authorization: vapid t=<jwt>, k=<key>`; answers the claims and the key. */
function checkVapid(header: string | undefined, origin: string) {
  const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(header ?? '');
  if (!m) throw new Error(`Authorization is not VAPID: ${header}`);
  const [jwt, k] = [m[1]!, m[2]!];
  const [head, body, sig] = jwt.split('.') as [string, string, string];
  const h = JSON.parse(Buffer.from(head, 'base64url').toString());
  if (h.alg !== 'ES256') throw new Error(`JWT alg ${h.alg}`);
  const key = p256Key(Buffer.from(k, 'base64url'));
  const signed = Buffer.from(`${head}.${body}`);
  const signature = Buffer.from(sig, 'base64url');
  if (!verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
    throw new Error('bad JWT signature');
  }
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud}, expected ${origin}`);
  const now = Date.now() / 1000;
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error(`exp ${claims.exp}`);
  if (!/^(mailto:|https:)/.test(claims.sub ?? '')) throw new Error(`sub ${claims.sub}`);
  return { claims, vapidKey: k };
}

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number) =>
  Buffer.from(hkdfSync('sha256', ikm, salt, info, length));

/** RFC 8291 §3.4 and RFC 8188: the plaintext of an aes128gcm body for this device. */
export function decrypt(body: Buffer, device: { ecdh: ECDH; auth: Buffer }): Buffer {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const records = body.subarray(21 + idlen);
  if (idlen !== 65 || rs < 18) throw new Error(`bad header: idlen ${idlen}, rs ${rs}`);

  const ecdhSecret = device.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    device.ecdh.getPublicKey(),
    senderKey,
  ]);
  const ikm = hkdf(ecdhSecret, device.auth, keyInfo, 32);
  const cek = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const baseNonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);

  const parts: Buffer[] = [];
  for (let seq = 0, at = 0; at < records.length; seq++, at += rs) {
    const record = records.subarray(at, at + rs);
    const nonce = Buffer.from(baseNonce);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, -16)), decipher.final()]);
    // Data, then a delimiter (2 on the last record, 1 before), then zero padding.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    const last = at + rs >= records.length;
    if (plain[end] !== (last ? 2 : 1)) throw new Error(`bad padding delimiter ${plain[end]}`);
    parts.push(plain.subarray(0, end));
  }
  return Buffer.concat(parts);
}

function newDevice(origin: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  const endpoint = `${origin}/push/${b64u(randomBytes(12))}`;
  const keys = { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) };
  return { subscription: { endpoint, keys }, ecdh, auth };
}

/** A valid subscription to a push service that is not running (for requests never pushed to). */
export const deviceSubscription = (origin = 'https://push.example.test'): TestSubscription =>
  newDevice(origin).subscription;

/** Starts the stand-in on a free loopback port. */
export async function startPushService(): Promise<PushServiceStub> {
  const devices = new Map<string, Device>();
  const deliveries: Delivery[] = [];
  const refused: PushServiceStub['refused'] = [];
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const endpoint = `${origin}${req.url}`;
      const device = devices.get(endpoint);
      const reply = (status: number) => res.writeHead(status).end();
      if (!device) return reply(404);
      try {
        if (req.method !== 'POST') throw new Error(`method ${req.method}`);
        if (req.headers['content-encoding'] !== 'aes128gcm') {
          throw new Error(`Content-Encoding ${req.headers['content-encoding']}`);
        }
        const ttl = Number(req.headers.ttl);
        if (!Number.isInteger(ttl) || ttl < 0) throw new Error(`TTL ${req.headers.ttl}`);
        const { claims, vapidKey } = checkVapid(req.headers.authorization, origin);
        const message = JSON.parse(decrypt(Buffer.concat(chunks), device).toString('utf8'));
        if (device.status !== 201) return reply(device.status);
        deliveries.push({ endpoint, message, vapidKey, claims, ttl });
        return reply(201);
      } catch (e) {
        refused.push({ endpoint, reason: (e as Error).message });
        return reply(400);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    deliveries,
    refused,
    subscribe() {
      const { subscription, ecdh, auth } = newDevice(origin);
      devices.set(subscription.endpoint, { ecdh, auth, status: 201 });
      return subscription;
    },
    answer(endpoint, status) {
      const device = devices.get(endpoint);
      if (!device) throw new Error(`unknown endpoint ${endpoint}`);
      device.status = status;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
