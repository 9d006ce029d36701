import { sql } from 'drizzle-orm';
import type { SetupBody } from '../../shared/auth';
import * as authRepo from '../auth/repository';
import type { AuthService } from '../auth/service';
import type { PasswordHasher } from '../auth/passwords';
import type { Database } from '../db/client';
import type { Clock } from '../lib/clock';
import { ConflictError } from '../lib/errors';
import * as orgRepo from '../orgs/repository';
import { seedDefaultPersonas } from '../personas/defaults';

export type SetupService = ReturnType<typeof createSetupService>;

// Any constant works: it names the lock that serialises concurrent set-up requests.
const SETUP_LOCK = 72_201;

export function createSetupService(deps: {
  db: Database;
  clock: Clock;
  hasher: PasswordHasher;
  auth: AuthService;
}) {
  const { db, clock, hasher, auth } = deps;
  return {
    async needed() {
      return (await orgRepo.countOrgs(db)) === 0;
    },

    /**
     * First run: creates the first organisation and its admin, and signs the admin in. Exactly
     * one call ever succeeds, even when several arrive at once (a transaction-scoped advisory
     * lock serialises them and the loser sees the organisation).
     */
    async run(body: SetupBody & { admin: { email: string } }) {
      const passwordHash = await hasher.hash(body.admin.password);
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
        if ((await orgRepo.countOrgs(tx)) > 0) {
          throw new ConflictError('Rappel is already set up. Sign in instead.', 'SETUP_DONE');
        }
        const now = clock.now();
        const locale = body.admin.locale ?? 'fr';
        const user = await authRepo.insertUser(tx, {
          email: body.admin.email,
          name: body.admin.name,
          locale,
          passwordHash,
          now,
        });
        const org = await orgRepo.insertOrg(tx, body.organisation.name, now);
        await orgRepo.insertMembership(tx, {
          orgId: org.id,
          userId: user.id,
          roles: ['admin'],
          now,
        });
        await seedDefaultPersonas(tx, org.id, locale, now);
        const token = await auth.openSession(user.id, tx);
        return { orgId: org.id, userId: user.id, token };
      });
    },
  };
}
