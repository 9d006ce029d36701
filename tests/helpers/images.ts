import { createHash } from 'node:crypto';
import type { Database } from '../../server/db/client';
import { assets } from '../../server/db/schema';

/** Tiny images of each accepted type, and things that only pretend to be images. */
const b64 = (s: string) => Buffer.from(s, 'base64');

/** 1×1 PNG. */
export const PNG = b64(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
);
/** 1×1 GIF89a. */
export const GIF = b64('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7');
/** 1×1 lossless WebP. */
export const WEBP = b64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');
/** A JFIF header and the end-of-image marker: what a JPEG starts with. */
export const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0xff, 0xd9,
]);

export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
);
export const HTML = Buffer.from(
  '<!doctype html><html><body><script>alert(1)</script></body></html>',
);

/** A distinct valid PNG each call (same header, different trailing bytes). */
let n = 0;
export function uniquePng(): Buffer {
  return Buffer.concat([PNG, Buffer.from(`#${++n}`)]);
}

/** `data` stored as an uploaded PNG of the organisation, written straight to the table. */
export async function insertPng(db: Database, orgId: string, data: Uint8Array) {
  const [row] = await db
    .insert(assets)
    .values({
      orgId,
      contentType: 'image/png',
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      data,
    })
    .returning();
  return row!;
}
