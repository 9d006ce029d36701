import { and, count, countDistinct, eq, gt, gte, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  cardStates,
  invitations,
  jobRoles,
  jobs,
  memberships,
  modules,
  outboxMessages,
  personas,
  teams,
  tools,
} from '../db/schema';

const countOf = (column: Parameters<typeof count>[0]) => count(column).mapWith(Number);

/**
 * What the admin's set-up checklist and the organisation's state count, in one statement:
 * structure, people, content, first answers, and what failed since `since`.
 */
export async function setupCounts(
  db: Executor,
  orgId: string,
  { now, since, mailJob }: { now: Date; since: Date; mailJob: string },
) {
  const n = <T>(query: T) => sql<number>`(${query})`.mapWith(Number);
  const activeMember = and(eq(memberships.orgId, orgId), isNull(memberships.deactivatedAt));
  const [row] = await db
    .select({
      teams: n(
        db
          .select({ n: countOf(teams.id) })
          .from(teams)
          .where(eq(teams.orgId, orgId)),
      ),
      jobRoles: n(
        db
          .select({ n: countOf(jobRoles.id) })
          .from(jobRoles)
          .where(eq(jobRoles.orgId, orgId)),
      ),
      members: n(
        db
          .select({ n: countOf(memberships.id) })
          .from(memberships)
          .where(activeMember),
      ),
      pendingInvitations: n(
        db
          .select({ n: countOf(invitations.id) })
          .from(invitations)
          .where(
            and(
              eq(invitations.orgId, orgId),
              isNull(invitations.acceptedAt),
              isNull(invitations.revokedAt),
              gt(invitations.expiresAt, now),
            ),
          ),
      ),
      personas: n(
        db
          .select({ n: countOf(personas.id) })
          .from(personas)
          .where(eq(personas.orgId, orgId)),
      ),
      tools: n(
        db
          .select({ n: countOf(tools.id) })
          .from(tools)
          .where(eq(tools.orgId, orgId)),
      ),
      publishedModules: n(
        db
          .select({ n: countOf(modules.id) })
          .from(modules)
          .where(and(eq(modules.orgId, orgId), eq(modules.status, 'published'))),
      ),
      draftModules: n(
        db
          .select({ n: countOf(modules.id) })
          .from(modules)
          .where(and(eq(modules.orgId, orgId), eq(modules.status, 'draft'))),
      ),
      // Active members with a card learnt: a card state exists once its first answer is in.
      learning: n(
        db
          .select({ n: countDistinct(cardStates.userId).mapWith(Number) })
          .from(cardStates)
          .innerJoin(
            memberships,
            and(eq(memberships.userId, cardStates.userId), eq(memberships.orgId, orgId)),
          )
          .where(and(eq(cardStates.orgId, orgId), isNull(memberships.deactivatedAt))),
      ),
      failedMessages: n(
        db
          .select({ n: countOf(outboxMessages.id) })
          .from(outboxMessages)
          .where(
            and(
              eq(outboxMessages.orgId, orgId),
              eq(outboxMessages.status, 'failed'),
              gte(outboxMessages.createdAt, since),
            ),
          ),
      ),
      failedJobs: n(
        db
          .select({ n: countOf(jobs.id) })
          .from(jobs)
          .where(
            and(
              eq(jobs.orgId, orgId),
              eq(jobs.status, 'failed'),
              // A mail job that failed for good is its message's failure, counted above.
              ne(jobs.name, mailJob),
              gte(jobs.finishedAt, since),
            ),
          ),
      ),
    })
    .from(sql`(select 1) as one`);
  return row!;
}
