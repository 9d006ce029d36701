import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { appSecrets } from '../db/schema';

/**
 * A secret made once for the whole install and kept in the database, so every instance and
 * every restart uses the same one (VAPID keys, the key that signs unsubscribe links). The first
 * instance to ask makes it; a concurrent first start keeps whichever row was written first.
 */
export async function loadSecret(
  db: Executor,
  name: string,
  make: () => Record<string, string>,
): Promise<Record<string, string>> {
  const [found] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  if (found) return found.value;
  await db
    .insert(appSecrets)
    .values({ name, value: make(), createdAt: sql`now()` })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  return row!.value;
}
