import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type MessageKind, preferenceKindOf } from '../../shared/notify';
import type { Database, Executor } from '../db/client';
import { organisations, outboxMessages } from '../db/schema';
import { backoffMs } from '../jobs/runner';
import type { JobQueue, RunningJob } from '../jobs/types';
import type { Clock } from '../lib/clock';
import type { TokenSigner } from '../lib/signed-tokens';
import { linksExpireAt } from './expired-links';
import type { Mailer } from './mailer';
import { type RenderedMail, templates } from './templates';
import type { Outbox, OutboxEntry } from './types';

export type OutboxRow = typeof outboxMessages.$inferSelect;

/** Tries of one message before it is marked failed (30 s, 1, 2, 4 min apart: the runner's). */
export const MAIL_MAX_ATTEMPTS = 5;
export const MAIL_JOB = 'mail';
const REASON_MAX_CHARS = 1000;
const LINK_EXPIRED = 'The link in this message expired before it could be sent.';

/** Kinds a person subscribed to: they carry a one-click unsubscribe link and header. */
const unsubscribable = new Set<MessageKind>(['reminder', 'new-work', 'digest', 'manual-reminder']);

export interface RenderedMessage extends RenderedMail {
  headers: Record<string, string>;
}

export interface OutboxService extends Outbox {
  /** Whether mail leaves at all (SMTP set up). */
  readonly mailConfigured: boolean;
  /** The `mail` job: renders the message once and hands it to SMTP, or marks it `unsent`. */
  deliver(job: RunningJob): Promise<void>;
  /** Marks the message of a `mail` job the runner gave up on failed, with the reason. */
  giveUp(job: RunningJob, reason: string, tx: Executor): Promise<void>;
  /** The message as it was or would be sent (rendered now when it was not yet). */
  render(row: OutboxRow): Promise<RenderedMessage>;
  /** Plans one more try of a failed or unsent message; false when it is in no such state. */
  retry(row: OutboxRow, tx?: Executor): Promise<boolean>;
}

export interface OutboxDeps {
  db: Database;
  clock: Clock;
  jobs: JobQueue;
  /** null: no SMTP, every message stays readable in the outbox as `unsent`. */
  mailer: Mailer | null;
  /** Absolute address of the web app, no trailing slash. */
  appUrl: string;
  /** Signs unsubscribe links (the install's key, server/lib/signed-tokens.ts). */
  signer: () => Promise<TokenSigner>;
}

const stillTrying = sql`${outboxMessages.status} in ('queued', 'retrying')`;
const messageIdOf = (job: RunningJob) => {
  const id = job.payload.messageId;
  if (typeof id !== 'string') throw new Error('A mail job needs a messageId');
  return id;
};

export function createOutbox({
  db,
  clock,
  jobs,
  mailer,
  appUrl,
  signer,
}: OutboxDeps): OutboxService {
  // Every copy of one message carries the same id, so that a repeat (a crash after the SMTP
  // server accepted it, before it was marked sent) can be recognised and dropped.
  const host = new URL(appUrl).hostname;
  const messageIdHeader = (id: string) => `<${id}@${host}>`;
  const fail = (id: string, reason: string, tx: Executor = db) =>
    tx
      .update(outboxMessages)
      .set({ status: 'failed', lastError: reason.slice(0, REASON_MAX_CHARS), nextAttemptAt: null })
      .where(and(eq(outboxMessages.id, id), stillTrying));

  async function enqueueDelivery(id: string, orgId: string | null, suffix: string, tx: Executor) {
    await jobs.enqueue(
      {
        name: MAIL_JOB,
        key: `mail:${id}${suffix}`,
        orgId,
        payload: { messageId: id },
        maxAttempts: MAIL_MAX_ATTEMPTS,
      },
      tx,
    );
  }

  async function queueIn(entry: OutboxEntry, tx: Executor): Promise<boolean> {
    const [added] = await tx
      .insert(outboxMessages)
      .values({
        orgId: entry.orgId,
        userId: entry.userId,
        toAddress: entry.to,
        locale: entry.locale,
        kind: entry.kind,
        key: entry.key,
        params: entry.params,
        createdAt: clock.now(),
      })
      .onConflictDoNothing({ target: outboxMessages.key })
      .returning({ id: outboxMessages.id });
    if (!added) return false;
    await enqueueDelivery(added.id, entry.orgId, '', tx);
    return true;
  }

  async function render(row: OutboxRow): Promise<RenderedMessage> {
    const template = templates[row.kind];
    if (!template) throw new Error(`No mail template for messages of kind ${row.kind}`);
    const params = template.params.safeParse(row.params);
    if (!params.success) {
      throw new Error(
        `The ${row.kind} message's params do not fit its template: ${params.error.message}`,
      );
    }
    const [org] = row.orgId
      ? await db
          .select({ name: organisations.name, timeZone: organisations.timeZone })
          .from(organisations)
          .where(eq(organisations.id, row.orgId))
      : [];
    // The mail's own link opens the page that asks before it stops anything; the header's is
    // the API that mail programs post to in one click (RFC 8058).
    let unsubscribeUrl: string | null = null;
    let oneClickUrl: string | null = null;
    if (row.userId && unsubscribable.has(row.kind)) {
      const kind = preferenceKindOf[row.kind as keyof typeof preferenceKindOf];
      const token = (await signer()).sign({ u: row.userId, k: kind });
      unsubscribeUrl = `${appUrl}/unsubscribe/${token}`;
      oneClickUrl = `${appUrl}/api/unsubscribe/${token}`;
    }
    const mail = template.render(params.data, {
      locale: row.locale,
      orgId: row.orgId,
      orgName: org?.name ?? null,
      appUrl,
      unsubscribeUrl,
      timeZone: org?.timeZone ?? 'UTC',
      queuedAt: row.createdAt,
    });
    const headers: Record<string, string> = oneClickUrl
      ? {
          'List-Unsubscribe': `<${oneClickUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }
      : {};
    return { ...mail, headers };
  }

  async function rendered(row: OutboxRow): Promise<RenderedMessage> {
    if (row.subject !== null && row.textBody !== null && row.htmlBody !== null) {
      return { subject: row.subject, text: row.textBody, html: row.htmlBody, headers: row.headers };
    }
    const mail = await render(row);
    // Kept as first rendered: a retry sends the same words, and the outbox shows what was sent.
    await db
      .update(outboxMessages)
      .set({
        subject: mail.subject,
        textBody: mail.text,
        htmlBody: mail.html,
        headers: mail.headers,
      })
      .where(eq(outboxMessages.id, row.id));
    return mail;
  }

  async function deliver(job: RunningJob): Promise<void> {
    const id = messageIdOf(job);
    const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
    // Gone with its organisation, or already sent by an earlier run of this job.
    if (!row || row.status === 'sent') return;
    const expiresAt = linksExpireAt(row);
    if (expiresAt && expiresAt <= clock.now()) {
      // A dead link is no use to anyone. Rendered all the same, so that admins read what it
      // was once its link is removed; a template that cannot render says so on their page.
      await rendered(row).catch(() => undefined);
      await fail(id, LINK_EXPIRED);
      return;
    }
    try {
      const mail = await rendered(row);
      if (!mailer) {
        await db
          .update(outboxMessages)
          .set({ status: 'unsent', nextAttemptAt: null })
          .where(eq(outboxMessages.id, id));
        return;
      }
      await mailer.send({
        to: row.toAddress,
        ...mail,
        messageId: messageIdHeader(row.id),
        date: clock.now(),
      });
      await db
        .update(outboxMessages)
        .set({
          status: 'sent',
          sentAt: clock.now(),
          attempts: sql`${outboxMessages.attempts} + 1`,
          lastError: null,
          nextAttemptAt: null,
        })
        .where(eq(outboxMessages.id, id));
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, REASON_MAX_CHARS);
      // Only while it is being tried: a try that outlived its lease must not bring back a
      // message the runner has since given up on (`giveUp`).
      await db
        .update(outboxMessages)
        .set({
          status: 'retrying',
          attempts: sql`${outboxMessages.attempts} + 1`,
          lastError: reason,
          nextAttemptAt: new Date(clock.now().getTime() + backoffMs(job.attempt)),
        })
        .where(and(eq(outboxMessages.id, id), stillTrying));
      // The runner plans the next try (with the same back-off), or gives up: then `giveUp`.
      throw err;
    }
  }

  return {
    mailConfigured: mailer !== null,
    async queue(entry, tx) {
      return tx ? queueIn(entry, tx) : db.transaction((t) => queueIn(entry, t));
    },
    deliver,
    async giveUp(job, reason, tx) {
      await fail(messageIdOf(job), reason, tx);
    },
    render: rendered,
    async retry(row, tx) {
      const run = async (t: Executor) => {
        const [updated] = await t
          .update(outboxMessages)
          .set({ status: 'queued', lastError: null, nextAttemptAt: null })
          .where(
            sql`${outboxMessages.id} = ${row.id} and ${outboxMessages.status} in ('failed', 'unsent')`,
          )
          .returning({ id: outboxMessages.id });
        if (!updated) return false;
        // Job keys are unique forever: each retry is a job of its own.
        await enqueueDelivery(row.id, row.orgId, `:retry:${randomUUID()}`, t);
        return true;
      };
      return tx ? run(tx) : db.transaction(run);
    },
  };
}
