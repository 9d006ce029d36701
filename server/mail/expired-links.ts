/**
 * A link that signs someone in or resets a password stays in clear in the outbox only while it
 * works. Once expired it is replaced, in the params and in the rendered parts, by a few words
 * saying so: the message stays readable in the admins' outbox, and the database holds no token
 * that a copy of it could leak.
 */
import {
  and,
  eq,
  gte,
  isNull,
  lte,
  max,
  notInArray,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import type { Locale } from '../../shared/common';
import type { Database } from '../db/client';
import { jobs, organisations, outboxMessages } from '../db/schema';
import type { OutboxRow } from './outbox';
import { templates } from './templates';

export const EXPIRED_LINKS_JOB = 'mail-expired-links';
/** A link lingers at most this long after it stopped working. */
export const EXPIRED_LINKS_EVERY_MS = 10 * 60_000;
/** Instances sharing the database may disagree on the time by a little. */
const CLOCK_SLACK_MS = 60 * 60_000;

/**
 * What stands in for an expired link, in the message's language: plain words, with nothing
 * HTML would escape, as they go into the HTML part too.
 */
export const REMOVED_LINK: Record<Locale, string> = {
  en: '[link expired, removed]',
  fr: '[lien expiré, retiré]',
};
const removedValues = Object.values(REMOVED_LINK);

/** Whether a secret param still holds its link (not yet replaced). */
export const isLiveLink = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && !removedValues.includes(value);

/** When the links of a message stop working; null when it carries none. */
export function linksExpireAt(row: Pick<OutboxRow, 'kind' | 'params' | 'createdAt'>): Date | null {
  const template = templates[row.kind];
  if (template?.linkLifetimeMs === undefined) return null;
  if (!template.secrets?.some((name) => row.params[name] !== undefined)) return null;
  return new Date(row.createdAt.getTime() + template.linkLifetimeMs);
}

/** When the last run that finished began: everything expired before it is already removed. */
async function lastRunAt(db: Database): Promise<Date | null> {
  const [row] = await db
    .select({ at: max(jobs.startedAt) })
    .from(jobs)
    .where(and(eq(jobs.name, EXPIRED_LINKS_JOB), eq(jobs.status, 'done')));
  return row?.at ?? null;
}

/**
 * Replaces the link in param `name` wherever the message shows it. The token rides in the
 * link's fragment, so it goes too where the link appears altered (HTML-escaped).
 */
function removeLinks(
  db: Database,
  { kind, name, where }: { kind: OutboxRow['kind']; name: string; where: SQL },
) {
  const link = sql<string>`(${outboxMessages.params} ->> ${name})`;
  const token = sql`split_part(${link}, '#', 2)`;
  const words = Object.entries(REMOVED_LINK).map(([l, w]) => sql`when ${l} then ${w}`);
  const removed = sql`(case ${outboxMessages.locale}::text ${sql.join(words, sql` `)} end)::text`;
  // An empty token (no fragment) leaves the text as it is: `replace` ignores an empty pattern.
  const strip = (column: SQLWrapper) =>
    sql`replace(replace(${column}, ${link}, ${removed}), ${token}, ${removed})`;
  return db
    .update(outboxMessages)
    .set({
      params: sql`jsonb_set(${outboxMessages.params}, array[${name}::text], to_jsonb(${removed}))`,
      subject: strip(outboxMessages.subject),
      textBody: strip(outboxMessages.textBody),
      htmlBody: strip(outboxMessages.htmlBody),
    })
    .where(
      and(
        where,
        eq(outboxMessages.kind, kind),
        notInArray(link, removedValues),
        sql`${link} <> ''`,
      ),
    )
    .returning({ id: outboxMessages.id });
}

/**
 * Removes every link expired at `now` from the outbox; answers how many messages lost one.
 * Each run looks only at messages queued since the previous run's links expired (all of them
 * on the first run), organisation by organisation along the (organisation, queued) index.
 */
export async function removeExpiredLinks(db: Database, now: Date): Promise<number> {
  const since = await lastRunAt(db);
  const orgIds = (await db.select({ id: organisations.id }).from(organisations)).map((o) => o.id);
  let count = 0;
  for (const [kind, template] of Object.entries(templates)) {
    const lifetime = template.linkLifetimeMs;
    if (lifetime === undefined || !template.secrets) continue;
    const queued = [lte(outboxMessages.createdAt, new Date(now.getTime() - lifetime))];
    if (since) {
      queued.push(
        gte(outboxMessages.createdAt, new Date(since.getTime() - lifetime - CLOCK_SLACK_MS)),
      );
    }
    for (const orgId of [null, ...orgIds]) {
      const org = orgId ? eq(outboxMessages.orgId, orgId) : isNull(outboxMessages.orgId);
      for (const name of template.secrets) {
        const where = and(org, ...queued)!;
        const done = await removeLinks(db, { kind: kind as OutboxRow['kind'], name, where });
        count += done.length;
      }
    }
  }
  return count;
}
