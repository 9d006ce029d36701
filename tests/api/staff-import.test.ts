import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, eq, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as authRepo from '../../server/auth/repository';
import { outboxMessages } from '../../server/db/schema';
import * as orgRepo from '../../server/orgs/repository';
import { checkRoute, createHarness, expectError, json, type UserFixture } from '../helpers/harness';

const h = await createHarness({ config: { publicUrl: 'https://rappel.example.com' } });
const { a } = h.world;

const fixture = (name: string) =>
  readFileSync(path.join(import.meta.dirname, '../fixtures/staff-import', name));

interface Send {
  apply?: boolean;
  createMissing?: boolean;
  type?: string;
  orgId?: string;
}

/** Sends a file to the preview (or, with `apply`, to the import) as a browser does. */
function send(caller: UserFixture, file: Buffer | string, options: Send = {}) {
  const { apply = false, createMissing, type = 'text/csv', orgId = a.id } = options;
  const query = createMissing === undefined ? '' : `?createMissing=${createMissing}`;
  return caller.inject({
    method: 'POST',
    url: `/api/orgs/${orgId}/staff-import${apply ? '' : '/preview'}${query}`,
    headers: { 'content-type': type },
    payload: file,
  });
}

interface Line {
  line: number;
  person: { name: string; email: string; roles: string[]; team: string | null };
  outcome: string;
  problems: string[];
  invitationId: string | null;
}

/** Each line as `row: outcome problems…`, the way the table on screen reads. */
const summary = (lines: Line[]) => lines.map((l) => [l.line, l.outcome, ...l.problems].join(' '));

const invitationMails = (domain: string) =>
  h.db
    .select({ to: outboxMessages.toAddress, locale: outboxMessages.locale })
    .from(outboxMessages)
    .where(
      and(eq(outboxMessages.kind, 'invitation'), like(outboxMessages.toAddress, `%@${domain}`)),
    );

const pendingInvitations = async () =>
  json(await a.users.admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/invitations` })).items;

beforeAll(async () => {
  // The French file names one member and one person already invited.
  const user = await authRepo.insertUser(h.db, {
    email: 'deja.membre@example.test',
    name: 'Mathis Noël',
    locale: 'fr',
    passwordHash: 'x',
    now: h.clock.now(),
  });
  await orgRepo.insertMembership(h.db, {
    orgId: a.id,
    userId: user.id,
    roles: ['learner'],
    now: h.clock.now(),
  });
  const res = await a.users.admin.inject({
    method: 'POST',
    url: `/api/orgs/${a.id}/invitations`,
    payload: { email: 'deja.invitee@example.test', roles: ['trainer'] },
  });
  expect(res.statusCode, res.body).toBe(201);
});

describe('a French Excel export (Windows-1252, semicolons, CRLF)', () => {
  const file = fixture('french-excel.csv');

  it('previews each row with its outcome and writes nothing', async () => {
    const before = await pendingInvitations();
    const res = await send(a.users.admin, file);
    expect(res.statusCode, res.body).toBe(200);
    const report = json(res);
    expect(report.applied).toBe(false);
    expect(summary(report.lines)).toEqual([
      '2 error unknown_team unknown_job_role',
      '3 error unknown_job_role unknown_managed_team',
      '4 invite',
      '6 error invalid_email',
      '7 member',
      '8 pending',
      '9 error duplicate_email',
      '10 error missing_email',
      '11 error missing_name',
      '12 error unknown_role unknown_language',
    ]);
    expect(report.counts).toEqual({ invite: 1, member: 1, pending: 1, error: 7 });
    expect(report.created).toEqual({ teams: [], jobRoles: [] });
    // Accents read from Windows-1252, the quoted field keeps its semicolon, roles in French.
    expect(report.lines[0].person).toEqual({
      name: 'Hélène Dupré',
      email: 'helene.dupre@example.test',
      roles: ['learner'],
      team: 'Comptabilité',
      jobRole: 'Aide-comptable',
      locale: 'fr',
      managedTeams: [],
    });
    expect(report.lines[1].person).toMatchObject({
      name: 'François Leclère',
      email: 'francois.leclere@example.test',
      roles: ['manager', 'learner'],
      jobRole: 'Commercial; grands comptes',
      managedTeams: ['Sales', 'Comptabilité'],
    });
    expect(report.lines[2].person).toMatchObject({ roles: ['referent'], locale: 'en' });
    expect(await pendingInvitations()).toEqual(before);
  });

  it('with missing teams and job roles made, previews them and then imports', async () => {
    const preview = json(await send(a.users.admin, file, { createMissing: true }));
    expect(preview.counts).toEqual({ invite: 3, member: 1, pending: 1, error: 5 });
    expect(preview.created).toEqual({
      teams: ['Comptabilité'],
      jobRoles: ['Aide-comptable', 'Commercial; grands comptes'],
    });
    const teamsBefore = json(
      await a.users.admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/teams` }),
    ).items;
    expect(teamsBefore.map((t: { name: string }) => t.name)).toEqual(['Sales']);

    const res = await send(a.users.admin, file, { createMissing: true, apply: true });
    expect(res.statusCode, res.body).toBe(200);
    const report = json(res);
    expect(report.applied).toBe(true);
    expect(report.counts).toEqual(preview.counts);
    const invited = report.lines.filter((l: Line) => l.outcome === 'invite');
    expect(invited.map((l: Line) => l.invitationId)).toEqual([
      expect.any(String),
      expect.any(String),
      expect.any(String),
    ]);

    const teams = json(
      await a.users.admin.inject({ method: 'GET', url: `/api/orgs/${a.id}/teams` }),
    ).items as { id: string; name: string }[];
    const teamId = (name: string) => teams.find((t) => t.name === name)!.id;
    const pending = await pendingInvitations();
    const francois = pending.find(
      (i: { email: string }) => i.email === 'francois.leclere@example.test',
    );
    expect(francois).toMatchObject({
      roles: ['manager', 'learner'],
      teamId: a.team.id,
      locale: 'fr',
    });
    expect([...francois.managedTeamIds].sort()).toEqual(
      [teamId('Sales'), teamId('Comptabilité')].sort(),
    );
    const helene = pending.find((i: { email: string }) => i.email === 'helene.dupre@example.test');
    expect(helene).toMatchObject({ roles: ['learner'], teamId: teamId('Comptabilité') });

    // Each invitation mailed in its own language, as a single invitation is.
    const mails = await invitationMails('example.test');
    expect(mails).toEqual(
      expect.arrayContaining([
        { to: 'helene.dupre@example.test', locale: 'fr' },
        { to: 'francois.leclere@example.test', locale: 'fr' },
        { to: 'agnes.garcon@example.test', locale: 'en' },
      ]),
    );
  });

  it('run twice, invites nobody again and makes no team twice', async () => {
    const mailsBefore = (await invitationMails('example.test')).length;
    const invitationsBefore = await pendingInvitations();
    const report = json(await send(a.users.admin, file, { createMissing: true, apply: true }));
    expect(report.counts).toEqual({ invite: 0, member: 1, pending: 4, error: 5 });
    expect(report.created).toEqual({ teams: [], jobRoles: [] });
    expect((await invitationMails('example.test')).length).toBe(mailsBefore);
    expect(await pendingInvitations()).toEqual(invitationsBefore);
  });
});

describe('a UTF-8 file with a BOM, commas, empty lines and a field over two lines', () => {
  it('reads English headers and numbers rows as a spreadsheet does', async () => {
    const report = json(await send(a.users.admin, fixture('utf8-bom-comma.csv')));
    expect(summary(report.lines)).toEqual([
      '2 invite',
      '4 invite',
      '5 error unknown_team unknown_job_role',
      '8 error duplicate_email',
      '9 error unknown_managed_team',
    ]);
    expect(report.lines[1].person).toMatchObject({
      name: 'Grace Hopper, Rear Admiral',
      roles: ['trainer', 'admin'],
    });
    expect(report.lines[2].person.name).toBe('Alan Turing');
    expect(report.lines[4].person).toMatchObject({
      name: 'Émile Zola',
      roles: ['manager'],
      managedTeams: ['Sales', 'Research'],
    });
  });
});

describe('who may import', () => {
  let n = 0;
  const learners = () => `Nom;Courriel\r\nPerson ${++n};person${n}@roles.example.test\r\n`;

  it('lets admins and trainers preview, nobody else, and no other organisation', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: `/api/orgs/${org.id}/staff-import/preview`,
        headers: { 'content-type': 'text/csv' },
        payload: learners(),
      }),
      allow: ['admin', 'trainer'],
      status: 200,
      badInput: (org) => ({
        method: 'POST',
        url: `/api/orgs/${org.id}/staff-import/preview?createMissing=maybe`,
        headers: { 'content-type': 'text/csv' },
        payload: learners(),
      }),
    });
  });

  it('lets admins and trainers import, nobody else, and no other organisation', async () => {
    await checkRoute(h, {
      request: (org) => ({
        method: 'POST',
        url: `/api/orgs/${org.id}/staff-import`,
        headers: { 'content-type': 'text/csv' },
        payload: learners(),
      }),
      allow: ['admin', 'trainer'],
      status: 200,
      badInput: (org) => ({
        method: 'POST',
        url: `/api/orgs/${org.id}/staff-import?createMissing=1`,
        headers: { 'content-type': 'text/csv' },
        payload: learners(),
      }),
    });
    // Two imports succeeded (admin, trainer): two people invited.
    expect(await invitationMails('roles.example.test')).toHaveLength(2);
  });

  it('lets a trainer invite learners only, and never make teams', async () => {
    const file =
      'Name,Email,Roles\nBoss,boss@trainer.example.test,admin\nLea,lea@trainer.example.test,\n';
    const report = json(await send(a.users.trainer, file, { apply: true }));
    expect(summary(report.lines)).toEqual(['2 error role_not_allowed', '3 invite']);
    expect(await invitationMails('trainer.example.test')).toEqual([
      { to: 'lea@trainer.example.test', locale: 'en' },
    ]);
    expectError(await send(a.users.trainer, file, { createMissing: true }), 403, 'FORBIDDEN');
  });
});

describe('files that cannot be imported', () => {
  it('answers 400 with a code for a file that is not CSV text or lacks a column', async () => {
    const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]);
    expectError(await send(a.users.admin, binary), 400, 'IMPORT_UNREADABLE');
    expectError(
      await send(a.users.admin, 'Name;Email\n"Ada;ada@x.test\n'),
      400,
      'IMPORT_UNREADABLE',
    );
    expectError(await send(a.users.admin, 'Name;Team\nAda;Sales\n'), 400, 'IMPORT_COLUMNS_MISSING');
    expectError(await send(a.users.admin, ''), 400);
    const many = ['Name,Email', ...Array.from({ length: 5001 }, (_, i) => `P${i},p${i}@x.test`)];
    expectError(await send(a.users.admin, many.join('\n')), 400, 'IMPORT_TOO_MANY_ROWS');
  });

  it('refuses a JSON body (415) and a file over 1 MB (413)', async () => {
    expectError(await send(a.users.admin, '{"name":"Ada"}', { type: 'application/json' }), 415);
    const big = `Name,Email\n${'x'.repeat(1024 * 1024)}`;
    expectError(await send(a.users.admin, big), 413);
  });

  it('reads Excel\'s "Unicode text" too (UTF-16 with its BOM, tabs)', async () => {
    const text = 'Nom\tE-mail\tÉquipe\r\nZoé Noël\tzoe@utf16.example.test\tSales\r\n';
    const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const report = json(await send(a.users.admin, file));
    expect(report.lines).toEqual([
      expect.objectContaining({
        line: 2,
        outcome: 'invite',
        person: expect.objectContaining({ name: 'Zoé Noël', team: 'Sales' }),
      }),
    ]);
  });

  it('reads the content types browsers give CSV files', async () => {
    for (const type of ['application/vnd.ms-excel', 'text/plain', 'application/octet-stream']) {
      const res = await send(a.users.admin, 'Name,Email\nAda,ada@types.example.test\n', { type });
      expect(res.statusCode, `${type}: ${res.body}`).toBe(200);
    }
  });
});

describe('a file of 1,000 people', () => {
  const file = [
    'Nom;E-mail;Équipe;Rôles',
    ...Array.from(
      { length: 1000 },
      (_, i) => `Personne ${i + 1};personne${i + 1}@bulk.example.test;Sales;apprenant`,
    ),
  ].join('\r\n');

  it('previews, imports with 1,000 invitation mails, and imports nothing the second time', async () => {
    const preview = json(await send(a.users.admin, file));
    expect(preview.counts).toEqual({ invite: 1000, member: 0, pending: 0, error: 0 });
    expect(await invitationMails('bulk.example.test')).toHaveLength(0);

    const applied = await send(a.users.admin, file, { apply: true });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(json(applied).counts).toEqual({ invite: 1000, member: 0, pending: 0, error: 0 });
    const mails = await invitationMails('bulk.example.test');
    expect(mails).toHaveLength(1000);
    expect(new Set(mails.map((m) => m.to)).size).toBe(1000);

    const again = json(await send(a.users.admin, file, { apply: true }));
    expect(again.counts).toEqual({ invite: 0, member: 0, pending: 1000, error: 0 });
    expect(await invitationMails('bulk.example.test')).toHaveLength(1000);
  }, 120_000);
});
