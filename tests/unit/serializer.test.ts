import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { meSchema } from '../../shared/auth';
import { errorBodySchema } from '../../shared/common';
import { invitationSchema, orgSchema } from '../../shared/orgs';
import { serializerCompiler } from '../../server/lib/serializer';

const compile = (schema: z.ZodType) =>
  serializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' });
const id = '0b7e3c1e-2a4f-4c5d-8e9f-0a1b2c3d4e5f';

describe('response serialisation from the zod schemas', () => {
  it('sends only the fields the schema declares: nothing else can leak', () => {
    const out = JSON.parse(
      compile(meSchema)({
        user: { id, email: 'a@b.co', name: 'Ann', locale: 'fr', passwordHash: '$argon2id$secret' },
        memberships: [{ orgId: id, orgName: 'Acme', roles: ['admin'], teamId: null, secret: 1 }],
      }),
    );
    expect(out).toEqual({
      user: { id, email: 'a@b.co', name: 'Ann', locale: 'fr' },
      memberships: [{ orgId: id, orgName: 'Acme', roles: ['admin'] }],
    });
  });

  it('writes dates as ISO strings that the shared schema decodes back to the same instant', () => {
    const createdAt = new Date('2026-03-02T09:00:00.123Z');
    const text = compile(orgSchema)({ id, name: 'Acme', createdAt });
    expect(JSON.parse(text)).toEqual({ id, name: 'Acme', createdAt: '2026-03-02T09:00:00.123Z' });
    expect(orgSchema.parse(JSON.parse(text)).createdAt).toEqual(createdAt);
  });

  it('keeps nulls, booleans and optional fields as declared', () => {
    const now = new Date('2026-03-02T09:00:00Z');
    const invitation = {
      id,
      email: 'b@c.de',
      roles: ['learner'],
      teamId: null,
      jobRoleId: id,
      managedTeamIds: [],
      locale: 'en',
      invitedBy: 'Ann',
      createdAt: now,
      expiresAt: now,
      expired: false,
    };
    expect(JSON.parse(compile(invitationSchema)(invitation))).toEqual({
      ...invitation,
      createdAt: now.toISOString(),
      expiresAt: now.toISOString(),
    });
    expect(JSON.parse(compile(errorBodySchema)({ error: { code: 'X', message: 'm' } }))).toEqual({
      error: { code: 'X', message: 'm' },
    });
  });

  it('refuses a response that lacks a required field (a bug, answered as 500)', () => {
    expect(() => compile(orgSchema)({ id, createdAt: new Date() })).toThrow(/name/);
  });
});
