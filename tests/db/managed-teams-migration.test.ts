import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '../../shared/common';
import * as authRepo from '../../server/auth/repository';
import { migrationsFolder } from '../../server/db/client';
import { managedTeams } from '../../server/db/schema';
import * as orgRepo from '../../server/orgs/repository';
import * as structureRepo from '../../server/structure/repository';
import { createTestDb } from '../helpers/db';

const handle = await createTestDb();
afterAll(() => handle.close());
const { db } = handle;
const now = new Date('2026-03-02T09:00:00Z');

/** The hand-written last statement of migration 0005, as start-up runs it. */
function dataStep() {
  const text = fs.readFileSync(path.join(migrationsFolder, '0005_managed-teams.sql'), 'utf8');
  return text.split('--> statement-breakpoint').at(-1)!;
}

let n = 0;
async function membership(orgId: string, roles: Role[], teamId: string | null) {
  const user = await authRepo.insertUser(db, {
    email: `migrated${++n}@example.test`,
    name: `Migrated ${n}`,
    locale: 'fr',
    passwordHash: 'x',
    now,
  });
  await orgRepo.insertMembership(db, { orgId, userId: user.id, roles, teamId, now });
  return user.id;
}

describe('migration 0005 (managed teams)', () => {
  it('makes every manager with a team manage it, and nobody else anything', async () => {
    const org = await orgRepo.insertOrg(db, 'Before managed teams', now);
    const sales = await structureRepo.insertItem(db, 'team', org.id, 'Sales', now);
    const support = await structureRepo.insertItem(db, 'team', org.id, 'Support', now);
    const manager = await membership(org.id, ['manager', 'learner'], sales.id);
    const alreadySet = await membership(org.id, ['manager'], support.id);
    await db.insert(managedTeams).values({ orgId: org.id, userId: alreadySet, teamId: support.id });
    await membership(org.id, ['manager'], null);
    await membership(org.id, ['referent'], sales.id);
    await membership(org.id, ['learner'], sales.id);

    await db.execute(sql.raw(dataStep()));

    const rows = await db
      .select({ userId: managedTeams.userId, teamId: managedTeams.teamId })
      .from(managedTeams)
      .where(eq(managedTeams.orgId, org.id));
    expect(rows.sort((x, y) => x.teamId.localeCompare(y.teamId))).toEqual(
      [
        { userId: manager, teamId: sales.id },
        { userId: alreadySet, teamId: support.id },
      ].sort((x, y) => x.teamId.localeCompare(y.teamId)),
    );
  });
});
