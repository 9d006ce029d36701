import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { IMAGE_MAX_BYTES } from '../../shared/modules';
import { assets } from '../../server/db/schema';
import {
  ALL_ROLES,
  AUTHORS,
  checkRoute,
  createHarness,
  expectError,
  issuePaths,
  json,
  type OrgFixture,
} from '../helpers/harness';
import { GIF, HTML, JPEG, PNG, SVG, uniquePng, WEBP } from '../helpers/images';

const h = await createHarness();
const url = (org: OrgFixture, rest = '') => `/api/orgs/${org.id}/assets${rest}`;
const upload = (org: OrgFixture, payload: Buffer | string, type = 'image/png') => ({
  method: 'POST' as const,
  url: url(org),
  payload,
  headers: { 'content-type': type },
});

async function uploaded(org: OrgFixture, bytes: Buffer = uniquePng()): Promise<string> {
  const res = await org.users.trainer.inject(upload(org, bytes));
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}

describe('uploading an image', () => {
  it('trainers and admins upload; the body is the raw image', async () => {
    await checkRoute(h, {
      request: (org) => upload(org, uniquePng()),
      allow: [...AUTHORS],
      status: 201,
      badInput: (org) => upload(org, SVG),
    });
    const { a } = h.world;
    const bytes = uniquePng();
    const res = await a.users.admin.inject(upload(a, bytes));
    expect(json(res)).toEqual({
      id: expect.any(String),
      contentType: 'image/png',
      size: bytes.length,
      createdAt: h.clock.now().toISOString(),
    });
    const [row] = await h.db
      .select()
      .from(assets)
      .where(eq(assets.id, json(res).id));
    expect(row).toMatchObject({ orgId: a.id, createdBy: a.users.admin.id, size: bytes.length });
    expect(Buffer.from(row!.data).equals(bytes)).toBe(true);
  });

  it('takes the type from the bytes, never from the declared type', async () => {
    const { a } = h.world;
    const cases: [Buffer, string, string][] = [
      [PNG, 'image/gif', 'image/png'],
      [JPEG, 'application/octet-stream', 'image/jpeg'],
      [GIF, 'image/webp', 'image/gif'],
      [WEBP, 'image/jpeg', 'image/webp'],
      [Buffer.concat([Buffer.from('GIF87a'), GIF.subarray(6)]), 'image/png', 'image/gif'],
    ];
    for (const [bytes, declared, sniffed] of cases) {
      const res = await a.users.trainer.inject(upload(a, bytes, declared));
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res).contentType, declared).toBe(sniffed);
    }
  });

  it('refuses SVG, HTML and empty bodies, whatever they claim to be', async () => {
    const { a } = h.world;
    const fakes: [Buffer, string][] = [
      [SVG, 'image/png'],
      [SVG, 'image/svg+xml'],
      [HTML, 'image/png'],
      [HTML, 'application/octet-stream'],
      [Buffer.from('RIFF\0\0\0\0WAVEfmt '), 'image/webp'],
      [PNG.subarray(0, 7), 'image/png'],
      [Buffer.alloc(0), 'image/png'],
    ];
    for (const [bytes, type] of fakes) {
      const res = await a.users.trainer.inject(upload(a, bytes, type));
      if (type === 'image/svg+xml') {
        expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
        continue;
      }
      const err = expectError(res, 400, 'VALIDATION_FAILED');
      expect(issuePaths(err), `${type}: ${bytes.subarray(0, 12).toString()}`).toEqual(['body']);
    }
    const none = await a.users.trainer.inject({ method: 'POST', url: url(a) });
    expect(issuePaths(expectError(none, 400, 'VALIDATION_FAILED'))).toEqual(['body']);
  });

  it('refuses other body types (JSON, text, forms) with 415', async () => {
    const { a } = h.world;
    for (const [payload, type] of [
      ['{"data":"iVBORw0KGgo="}', 'application/json'],
      ['hello', 'text/plain'],
      ['a=b', 'application/x-www-form-urlencoded'],
    ]) {
      expectError(await a.users.trainer.inject(upload(a, payload!, type)), 415);
    }
  });

  it(`refuses more than ${IMAGE_MAX_BYTES} bytes with 413; exactly the limit is fine`, async () => {
    const { a } = h.world;
    const big = Buffer.concat([PNG, Buffer.alloc(IMAGE_MAX_BYTES - PNG.length + 1)]);
    expectError(await a.users.trainer.inject(upload(a, big)), 413, 'PAYLOAD_TOO_LARGE');
    const atLimit = big.subarray(0, IMAGE_MAX_BYTES);
    const res = await a.users.trainer.inject(upload(a, atLimit));
    expect(res.statusCode).toBe(201);
    expect(json(res).size).toBe(IMAGE_MAX_BYTES);
  });

  it('stores the same bytes once per organisation', async () => {
    const { a, b } = h.world;
    const bytes = uniquePng();
    const first = json(await a.users.trainer.inject(upload(a, bytes)));
    const again = await a.users.admin.inject(upload(a, bytes, 'application/octet-stream'));
    expect(again.statusCode).toBe(201);
    expect(json(again)).toEqual(first);
    const theirs = json(await b.users.trainer.inject(upload(b, bytes)));
    expect(theirs.id).not.toBe(first.id);
    const rows = await h.db
      .select({ id: assets.id })
      .from(assets)
      .where(eq(assets.sha256, sha(bytes)));
    expect(rows).toHaveLength(2);
  });

  it('is documented in OpenAPI as a binary body of the accepted types', async () => {
    const spec = json(await h.anon.inject({ method: 'GET', url: '/api/docs/json' }));
    const post = spec.paths['/api/orgs/{orgId}/assets'].post;
    expect(Object.keys(post.requestBody.content).sort()).toEqual([
      'application/octet-stream',
      'image/gif',
      'image/jpeg',
      'image/png',
      'image/webp',
    ]);
    expect(post.requestBody.content['image/png'].schema).toEqual({
      type: 'string',
      format: 'binary',
    });
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '413', '415']),
    );
  });
});

describe('reading an image', () => {
  it('every member of the organisation reads it; another organisation’s is 404', async () => {
    await checkRoute(h, {
      request: async (org, owner) => ({
        method: 'GET',
        url: url(org, `/${await uploaded(owner)}`),
      }),
      allow: [...ALL_ROLES],
      status: 200,
      objectInPath: true,
      badInput: (org) => ({ method: 'GET', url: url(org, '/not-an-id') }),
    });
    const { a } = h.world;
    expectError(
      await a.users.learner.inject({ method: 'GET', url: url(a, `/${crypto.randomUUID()}`) }),
      404,
      'NOT_FOUND',
    );
  });

  it('answers the bytes with the sniffed type and headers that keep a browser safe', async () => {
    const { a } = h.world;
    const id = json(await a.users.trainer.inject(upload(a, WEBP, 'image/png'))).id;
    const res = await a.users.learner.inject({ method: 'GET', url: url(a, `/${id}`) });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(WEBP)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-type': 'image/webp',
      'content-length': String(WEBP.length),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=31536000, immutable',
      'content-security-policy': "default-src 'none'; sandbox",
      'content-disposition': 'inline',
    });
  });

  it('gives back a full-size image byte for byte (every byte value, 2 MiB)', async () => {
    const { a } = h.world;
    const body = Buffer.alloc(IMAGE_MAX_BYTES - PNG.length, 0);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7 + (i >> 8)) & 0xff;
    const bytes = Buffer.concat([PNG, body]);
    const id = json(await a.users.trainer.inject(upload(a, bytes))).id;
    const res = await a.users.learner.inject({ method: 'GET', url: url(a, `/${id}`) });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBe(IMAGE_MAX_BYTES);
    expect(res.rawPayload.equals(bytes)).toBe(true);
  });

  it('is documented in OpenAPI as binary content of each image type', async () => {
    const spec = json(await h.anon.inject({ method: 'GET', url: '/api/docs/json' }));
    const ok = spec.paths['/api/orgs/{orgId}/assets/{assetId}'].get.responses['200'];
    expect(Object.keys(ok.content).sort()).toEqual([
      'image/gif',
      'image/jpeg',
      'image/png',
      'image/webp',
    ]);
    expect(ok.content['image/jpeg'].schema).toEqual({ type: 'string', format: 'binary' });
  });
});

function sha(bytes: Buffer) {
  return createHash('sha256').update(bytes).digest('hex');
}
