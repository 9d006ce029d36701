import { type SQL, sql } from 'drizzle-orm';
import { customType, index, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { moduleVersions } from './modules';
import { organisations } from './orgs';

/**
 * A text search configuration's name (`rappel_french`, `rappel_english`: see migration 0023).
 * Sent as text: PGlite would encode a parameter the server types `regconfig` as an oid number.
 */
const regconfig = customType<{ data: string; driverData: SQL }>({
  dataType: () => 'regconfig',
  toDriver: (name) => sql`${name}::text::regconfig`,
});
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * What a learner can look up again: the text of each published lesson (its title, then each
 * block), parsed once per version and search configuration, so a search reads the index instead
 * of every lesson. Rows are written from the version's snapshot the first time a learner
 * searches it in that language (server/lookup/service.ts); a version is immutable, so they never
 * go stale, and they go with it.
 */
export const lessonSearchEntries = pgTable(
  'lesson_search_entries',
  {
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    moduleVersionId: uuid()
      .notNull()
      .references(() => moduleVersions.id, { onDelete: 'cascade' }),
    /** A lesson of the snapshot (not a foreign key: the working copy may have dropped it). */
    lessonId: uuid().notNull(),
    /** 0: the lesson's title; n: its n-th block; then its cards. */
    part: smallint().notNull(),
    /** The block's personas (the lesson's own limit is checked against the snapshot); empty: everyone. */
    personaIds: uuid().array().notNull().default([]),
    /** Plain text, as the excerpt shows it. */
    body: text().notNull(),
    config: regconfig().notNull(),
    document: tsvector()
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector("config", "body")`),
  },
  (t) => [
    primaryKey({ columns: [t.moduleVersionId, t.config, t.lessonId, t.part] }),
    index('lesson_search_entries_org_id_idx').on(t.orgId),
    index('lesson_search_entries_document_idx').using('gin', t.document),
  ],
);
