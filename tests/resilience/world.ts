import type { Role } from '../../shared/common';
import { buildApp } from '../../server/app';
import { createPasswordHasher } from '../../server/auth/passwords';
import type { DbHandle } from '../../server/db/client';
import * as orgRepo from '../../server/orgs/repository';
import * as structureRepo from '../../server/structure/repository';
import { TestClock } from '../helpers/clock';
import {
  type Harness,
  type OrgFixture,
  PASSWORD,
  testConfig,
  type UserFixture,
  userMaker,
} from '../helpers/harness';
import { learningFixtures } from '../helpers/learning';
import { sampleCards } from '../helpers/modules';

/** What the load needs: learners with a session, and the cards assigned to them. */
export interface CrashWorld {
  orgId: string;
  learners: { id: string; token: string }[];
  cardIds: string[];
}

/**
 * An organisation whose learners all have one published module of `cards` true/false cards
 * assigned, written into `handle` before a server is started on it: through the real app
 * in this process (the fixtures of the API tests), with sessions valid by the wall clock, as
 * the server checks them.
 */
export async function seedCrashWorld(
  handle: DbHandle,
  { learners, cards }: { learners: number; cards: number },
): Promise<CrashWorld> {
  const clock = new TestClock(new Date());
  const config = testConfig();
  const hasher = createPasswordHasher(config.argon2);
  const app = await buildApp({ config, db: handle.db, clock, hasher });
  await app.ready();
  const db = handle.db;
  const passwordHash = await hasher.hash(PASSWORD);
  const { signIn, addUser } = userMaker({ app, db, clock, config, passwordHash }, 'crash');

  try {
    const orgRow = await orgRepo.insertOrg(db, 'Crash test', clock.now());
    const org: OrgFixture = {
      id: orgRow.id,
      name: 'Crash test',
      users: { trainer: await addUser(orgRow.id, ['trainer']) } as Record<Role, UserFixture>,
      team: await structureRepo.insertItem(db, 'team', orgRow.id, 'Sales', clock.now()),
      jobRole: await structureRepo.insertItem(db, 'jobRole', orgRow.id, 'Rep', clock.now()),
    };
    // The fixtures read the app, the database, the clock and addUser of a harness.
    const h = { app, db, handle, clock, config, addUser, signIn } as unknown as Harness;
    const f = learningFixtures(h);
    const tf = sampleCards.truefalse;
    const module = await f.publishedModule(org, {}, [{ cards: Array(cards).fill(tf) }]);
    const people = [];
    for (let i = 0; i < learners; i++) people.push(await addUser(org.id, ['learner']));
    await f.assign(
      org,
      module.id,
      people.map((p) => p.id),
    );
    return {
      orgId: org.id,
      learners: people.map((p) => ({ id: p.id, token: p.token! })),
      cardIds: module.lessons[0]!.cardIds,
    };
  } finally {
    await app.close();
  }
}
