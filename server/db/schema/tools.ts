import { sql } from 'drizzle-orm';
import {
  doublePrecision,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { NextUse } from '../../../shared/tools';
import { organisations } from './orgs';

export const tools = pgTable(
  'tools',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tools_org_name_key').on(t.orgId, sql`lower(${t.name})`)],
);

export const processes = pgTable(
  'processes',
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    toolId: uuid()
      .notNull()
      .references(() => tools.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    /** Validated by `nextUseSchema` on the way in. */
    nextUse: jsonb().$type<NextUse>().notNull().default({ kind: 'none' }),
    /** Recall aimed for on each use day; null: `DEFAULT_USE_DAY_TARGET` (shared/retention.ts). */
    useDayTarget: doublePrecision(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('processes_tool_name_key').on(t.toolId, sql`lower(${t.name})`),
    index('processes_org_id_idx').on(t.orgId),
  ],
);
