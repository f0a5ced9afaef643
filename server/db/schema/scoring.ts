import { date, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { frameworks } from './frameworks.js';
import { users } from './org.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * A recorded 负面清单 hit: an event of a negative-list item in a cycle year. The item is named by
 * its stable key (like dossiers and indicators), so a hit survives a new framework version; its
 * effect (deduct points, suspend, disqualify) is read from the item in force.
 */
export const negativeHits = pgTable(
  'negative_hits',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    frameworkId: integer('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'restrict' }),
    itemKey: text('item_key').notNull(),
    year: integer('year').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    note: text('note').notNull().default(''),
    recordedBy: integer('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('negative_hits_framework_idx').on(t.frameworkId, t.year)],
);
