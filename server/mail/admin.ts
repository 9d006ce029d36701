import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type {
  OutboxList,
  OutboxListQuery,
  OutboxMessage,
  OutboxMessageDetail,
} from '../../shared/outbox';
import type { Database } from '../db/client';
import { outboxMessages } from '../db/schema';
import { ConflictError, NotFoundError } from '../lib/errors';
import { isLiveLink } from './expired-links';
import type { OutboxRow, OutboxService } from './outbox';
import { templates } from './templates';
import { escapeHtml } from './templates/layout';

const MASK = '••••••••';

function toApi(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    to: row.toAddress,
    locale: row.locale,
    subject: row.subject,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

/**
 * The secret part of a link (its token: the longest run of URL-safe characters) replaced, so an
 * admin sees where it leads but cannot use it.
 */
export function maskLink(url: string): string {
  const runs = url.match(/[A-Za-z0-9_-]{16,}/g) ?? [];
  const longest = runs.sort((a, b) => b.length - a.length)[0];
  return longest ? url.replace(longest, MASK) : MASK;
}

/** Every secret param's value (and its HTML-escaped form) masked wherever the message shows it. */
function masker(row: OutboxRow): (text: string) => string {
  const names = templates[row.kind]?.secrets ?? [];
  const pairs = names
    .map((name) => row.params[name])
    // An expired link was already replaced by words saying so: nothing left to hide.
    .filter(isLiveLink)
    .flatMap((v) => [
      [v, maskLink(v)],
      [escapeHtml(v), escapeHtml(maskLink(v))],
    ]);
  return (text) => pairs.reduce((out, [secret, masked]) => out.replaceAll(secret!, masked!), text);
}

/** The outbox routes' work: one organisation's messages, for its admins. */
export function createOutboxAdmin({ db, outbox }: { db: Database; outbox: OutboxService }) {
  async function find(orgId: string, id: string): Promise<OutboxRow> {
    const [row] = await db
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.orgId, orgId), eq(outboxMessages.id, id)));
    if (!row) throw new NotFoundError('Message');
    return row;
  }

  return {
    async list(orgId: string, query: OutboxListQuery): Promise<OutboxList> {
      const where: (SQL | undefined)[] = [eq(outboxMessages.orgId, orgId)];
      if (query.status) where.push(eq(outboxMessages.status, query.status));
      if (query.kind) where.push(eq(outboxMessages.kind, query.kind));
      if (query.before) {
        // Keyset paging: the rows after the cursor in (createdAt desc, id desc) order.
        where.push(
          sql`(${outboxMessages.createdAt}, ${outboxMessages.id}) < (select c.created_at, c.id from outbox_messages c where c.id = ${query.before} and c.org_id = ${orgId})`,
        );
      }
      const rows = await db
        .select()
        .from(outboxMessages)
        .where(and(...where))
        .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
        .limit(query.limit + 1);
      const page = rows.slice(0, query.limit);
      return {
        items: page.map(toApi),
        nextBefore: rows.length > query.limit ? page[page.length - 1]!.id : null,
        mailConfigured: outbox.mailConfigured,
      };
    },

    async get(orgId: string, id: string): Promise<OutboxMessageDetail> {
      const row = await find(orgId, id);
      const mask = masker(row);
      try {
        const mail = await outbox.render(row);
        return {
          ...toApi(row),
          subject: mask(mail.subject),
          text: mask(mail.text),
          html: mask(mail.html),
          headers: mail.headers,
          renderError: null,
          mailConfigured: outbox.mailConfigured,
        };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return {
          ...toApi(row),
          text: null,
          html: null,
          headers: {},
          renderError: reason,
          mailConfigured: outbox.mailConfigured,
        };
      }
    },

    /** One more try for a failed or unsent message; 409 while it is queued, retrying or sent. */
    async retry(orgId: string, id: string): Promise<OutboxMessage> {
      const row = await find(orgId, id);
      if (!(await outbox.retry(row))) {
        throw new ConflictError(
          `This message is ${row.status}: only failed or unsent messages can be tried again.`,
        );
      }
      return toApi(await find(orgId, id));
    },
  };
}
