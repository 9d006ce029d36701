import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { managedTeams } from '../../server/db/schema';
import * as orgRepo from '../../server/orgs/repository';
import * as structureRepo from '../../server/structure/repository';
import { createTestDb } from '../helpers/db';
import { migrationDataStep, migrationFixtures } from '../helpers/migration-data';

const handle = await createTestDb();
afterAll(() => handle.close());
const { db } = handle;
const now = new Date('2026-03-02T09:00:00Z');
const dataStep = () => migrationDataStep('0005_managed-teams.sql', 'INSERT INTO "managed_teams"');
const { member } = migrationFixtures(db, now, 'migrated');

describe('migration 0005 (managed teams)', () => {
  it('makes every manager with a team manage it, and nobody else anything', async () => {
    const org = await orgRepo.insertOrg(db, 'Before managed teams', now);
    const sales = await structureRepo.insertItem(db, 'team', org.id, 'Sales', now);
    const support = await structureRepo.insertItem(db, 'team', org.id, 'Support', now);
    const manager = await member(org.id, ['manager', 'learner'], sales.id);
    const alreadySet = await member(org.id, ['manager'], support.id);
    await db.insert(managedTeams).values({ orgId: org.id, userId: alreadySet, teamId: support.id });
    await member(org.id, ['manager'], null);
    await member(org.id, ['referent'], sales.id);
    await member(org.id, ['learner'], sales.id);

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
