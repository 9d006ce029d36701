import fs from 'node:fs';
import path from 'node:path';
import type { Role } from '../../shared/common';
import * as authRepo from '../../server/auth/repository';
import { type Database, migrationsFolder } from '../../server/db/client';
import * as moduleRepo from '../../server/modules/repository';
import * as orgRepo from '../../server/orgs/repository';
import * as toolRepo from '../../server/tools/repository';

/**
 * The hand-written data step of a migration, as start-up runs it: the statement of `file`
 * (between drizzle-kit's breakpoints) that contains `marker`. A test writes rows as they were
 * before the migration, runs this step again over them and checks what it made of them.
 */
export function migrationDataStep(file: string, marker: string): string {
  const text = fs.readFileSync(path.join(migrationsFolder, file), 'utf8');
  const step = text.split('--> statement-breakpoint').find((s) => s.includes(marker));
  if (!step) throw new Error(`${file} has no statement with ${marker}`);
  return step;
}

/** Rows written straight through the repositories, at `now`, for the migration tests. */
export function migrationFixtures(db: Database, now: Date, emailPrefix: string) {
  let n = 0;
  return {
    /** A new user, member of `orgId` with `roles` (a learner by default); answers their id. */
    async member(orgId: string, roles: Role[] = ['learner'], teamId: string | null = null) {
      const user = await authRepo.insertUser(db, {
        email: `${emailPrefix}${++n}@example.test`,
        name: `Member ${n}`,
        locale: 'fr',
        passwordHash: 'x',
        now,
      });
      await orgRepo.insertMembership(db, { orgId, userId: user.id, roles, teamId, now });
      return user.id;
    },

    /** An organisation with one module of one tool; answers both ids. */
    async orgWithModule(name: string) {
      const org = await orgRepo.insertOrg(db, name, now);
      const tool = await toolRepo.insertTool(db, org.id, { name: 'CRM', description: null }, now);
      const module = await moduleRepo.insertModule(
        db,
        org.id,
        {
          title: 'Accounts',
          summary: '',
          toolId: tool.id,
          processId: null,
          estimatedMinutes: 5,
          criticality: 'normal',
        },
        now,
      );
      return { orgId: org.id, moduleId: module.id };
    },
  };
}
