import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import {
  DEFAULT_RANKING_CONFIG,
  ZRankingRulesSchema,
  type TRankingRulesConfig,
} from '../../../core/contracts/rankings.js';
import { sumCounts, type KpiCounts } from '../../../core/problems/kpis.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  rankingConsequences,
  rankingRows,
  rankingSnapshots,
  settings,
  units,
} from '../../db/schema/index.js';
import { kpiCounts } from '../problems/problems-reports.repo.js';
import { periodVisitCounts } from '../rounds/visit-counts.repo.js';

export const RULES_KEY = 'ranking.rules';

export type SnapshotRow = typeof rankingSnapshots.$inferSelect;
export type RankingRowRow = typeof rankingRows.$inferSelect;

/** The office's ranking rules and their version (0 while the defaults apply). */
export async function loadRules(
  db: DbOrTx,
): Promise<{ rules: TRankingRulesConfig; version: number; updatedAt: Date | null }> {
  const [row] = await db.select().from(settings).where(eq(settings.key, RULES_KEY));
  if (!row) return { rules: DEFAULT_RANKING_CONFIG, version: 0, updatedAt: null };
  const v = row.value as { rules: unknown; version: number };
  const parsed = ZRankingRulesSchema.safeParse(v.rules);
  return {
    rules: parsed.success ? parsed.data : DEFAULT_RANKING_CONFIG,
    version: v.version,
    updatedAt: row.updatedAt,
  };
}

/** Writes the rules if the stored version is still `expected`; false when it moved on. */
export async function saveRules(
  db: DbOrTx,
  rules: TRankingRulesConfig,
  expected: number,
  userId: number | null,
): Promise<boolean> {
  const value = { rules, version: expected + 1 };
  if (expected === 0) {
    const rows = await db
      .insert(settings)
      .values({ key: RULES_KEY, value, updatedBy: userId })
      .onConflictDoNothing()
      .returning({ key: settings.key });
    return rows.length === 1;
  }
  const rows = await db
    .update(settings)
    .set({ value, updatedBy: userId, updatedAt: new Date() })
    .where(
      and(eq(settings.key, RULES_KEY), sql`(${settings.value} ->> 'version')::int = ${expected}`),
    )
    .returning({ key: settings.key });
  return rows.length === 1;
}

export async function activeUnits(db: DbOrTx) {
  return db
    .select({ id: units.id, name: units.name, type: units.type })
    .from(units)
    .where(eq(units.active, true))
    .orderBy(asc(units.id));
}

/**
 * 按期结案率 / 返工率 counts per unit for the cohort dispatched in the period (as the KPI page), and
 * their sum over every problem of the cohort (the city's counts, kept with the snapshot).
 */
export async function problemFigures(
  db: DbOrTx,
  from: Date,
  to: Date,
  now: Date,
): Promise<{ byUnit: Map<number, KpiCounts>; total: KpiCounts }> {
  const rows = await kpiCounts(
    db,
    { kind: 'all' },
    { groupBy: 'unit', from: from.toISOString(), to: to.toISOString() },
    now,
  );
  return {
    byUnit: new Map(rows.filter((r) => r.key !== null).map((r) => [Number(r.key), r])),
    total: sumCounts(rows),
  };
}

/**
 * Evidence per lead unit over the published frameworks' material standards, as of the period's
 * end: standards led, dossiers submitted (or approved) before the end, and of the standards whose
 * task deadline fell before the end, those submitted by their deadline (end of day, Shanghai).
 */
export async function evidenceFigures(
  db: DbOrTx,
  to: Date,
  year: number,
): Promise<Map<number, { standards: number; submitted: number; due: number; onTime: number }>> {
  const toDate = shanghaiDate(to);
  const rows = await execRows<{
    unit_id: number;
    standards: number;
    submitted: number;
    due: number;
    on_time: number;
  }>(
    db,
    sql`with std as (
          select a.lead_unit_id as unit_id, fv.framework_id, s.key, a.due_date
            from assignments a
            join framework_versions fv on fv.id = a.version_id and fv.status = 'published'
            join framework_nodes s on s.id = a.standard_id
           where s.kind = 'standard' and s.method = 'material')
        select std.unit_id,
               count(*)::int as standards,
               count(*) filter (where d.state in ('submitted', 'approved')
                                  and d.submitted_at < ${to})::int as submitted,
               count(*) filter (where std.due_date < ${toDate}::date)::int as due,
               count(*) filter (where std.due_date < ${toDate}::date
                                  and d.state in ('submitted', 'approved')
                                  and d.submitted_at < ((std.due_date + 1)::timestamp at time zone 'Asia/Shanghai'))::int as on_time
          from std
          left join evidence_dossiers d
            on d.framework_id = std.framework_id and d.standard_key = std.key and d.year = ${year}
         group by 1`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.unit_id),
      { standards: r.standards, submitted: r.submitted, due: r.due, onTime: r.on_time },
    ]),
  );
}

/**
 * Inspection visits in the period, counted as the round report counts them (visit-counts.repo.ts):
 * per responsible unit of the point, the visits with an applicable item and the 合格 ones among
 * them (the unit's 点位合格率 and sample), and the city's total for the bulletin.
 */
export async function visitFigures(db: DbOrTx, from: Date, to: Date) {
  const { total, byUnit } = await periodVisitCounts(db, from, to);
  return {
    total,
    byUnit: new Map(
      [...byUnit].map(([id, c]) => [id, { visits: c.assessed, passed: c.qualified }] as const),
    ),
  };
}

export async function snapshotsOfPeriod(db: DbOrTx, period: string) {
  return db
    .select()
    .from(rankingSnapshots)
    .where(eq(rankingSnapshots.period, period))
    .orderBy(desc(rankingSnapshots.version));
}

export async function findSnapshot(db: DbOrTx, id: number): Promise<SnapshotRow | undefined> {
  const [row] = await db.select().from(rankingSnapshots).where(eq(rankingSnapshots.id, id));
  return row;
}

export async function rowsOf(db: DbOrTx, snapshotId: number, unitId?: number) {
  return db
    .select()
    .from(rankingRows)
    .where(
      unitId === undefined
        ? eq(rankingRows.snapshotId, snapshotId)
        : and(eq(rankingRows.snapshotId, snapshotId), eq(rankingRows.unitId, unitId)),
    )
    .orderBy(
      asc(rankingRows.unitClass),
      sql`${rankingRows.rank} asc nulls last`,
      asc(rankingRows.unitId),
    );
}

/** The flags of the published snapshots of these periods, by period. */
export async function publishedFlags(
  db: DbOrTx,
  periods: string[],
): Promise<Map<string, Map<number, 'red' | 'black' | null>>> {
  const out = new Map<string, Map<number, 'red' | 'black' | null>>();
  if (periods.length === 0) return out;
  const rows = await db
    .select({ period: rankingSnapshots.period, unitId: rankingRows.unitId, flag: rankingRows.flag })
    .from(rankingSnapshots)
    .leftJoin(rankingRows, eq(rankingRows.snapshotId, rankingSnapshots.id))
    .where(and(inArray(rankingSnapshots.period, periods), eq(rankingSnapshots.state, 'published')));
  for (const r of rows) {
    const m = out.get(r.period) ?? new Map<number, 'red' | 'black' | null>();
    if (r.unitId !== null) m.set(r.unitId, r.flag);
    out.set(r.period, m);
  }
  return out;
}

export async function listSnapshots(
  db: DbOrTx,
  q: { kind?: 'month' | 'week'; state?: SnapshotRow['state'] },
) {
  const rows = await execRows<{
    id: number;
    units: number;
    red: number;
    black: number;
  }>(
    db,
    sql`select s.id, count(r.unit_id)::int as units,
               count(*) filter (where r.flag = 'red')::int as red,
               count(*) filter (where r.flag = 'black')::int as black
          from ranking_snapshots s left join ranking_rows r on r.snapshot_id = s.id
         where true ${q.kind ? sql`and s.kind = ${q.kind}` : sql``}
           ${q.state ? sql`and s.state = ${q.state}` : sql``}
         group by s.id`,
  );
  const counts = new Map(rows.map((r) => [Number(r.id), r]));
  const where = and(
    q.kind ? eq(rankingSnapshots.kind, q.kind) : undefined,
    q.state ? eq(rankingSnapshots.state, q.state) : undefined,
  );
  const snaps = await db
    .select()
    .from(rankingSnapshots)
    .where(where)
    .orderBy(desc(rankingSnapshots.period), desc(rankingSnapshots.version))
    .limit(500);
  return snaps.map((s) => ({ s, c: counts.get(s.id) ?? { units: 0, red: 0, black: 0 } }));
}

/** A unit's rows in the published snapshots, oldest period first. */
export async function unitRows(db: DbOrTx, unitId: number) {
  return db
    .select({ s: rankingSnapshots, r: rankingRows })
    .from(rankingRows)
    .innerJoin(rankingSnapshots, eq(rankingSnapshots.id, rankingRows.snapshotId))
    .where(and(eq(rankingRows.unitId, unitId), eq(rankingSnapshots.state, 'published')))
    .orderBy(asc(rankingSnapshots.periodFrom), asc(rankingSnapshots.kind));
}

export async function consequences(db: DbOrTx, unitId?: number) {
  return db
    .select({ c: rankingConsequences, unitName: units.name })
    .from(rankingConsequences)
    .innerJoin(units, eq(units.id, rankingConsequences.unitId))
    .where(unitId === undefined ? undefined : eq(rankingConsequences.unitId, unitId))
    .orderBy(desc(rankingConsequences.createdAt), desc(rankingConsequences.id))
    .limit(500);
}

export type ConsequenceRow = typeof rankingConsequences.$inferSelect;

export async function supersedeSnapshot(db: DbOrTx, id: number): Promise<void> {
  await db.update(rankingSnapshots).set({ state: 'superseded' }).where(eq(rankingSnapshots.id, id));
}

export async function insertSnapshot(
  db: DbOrTx,
  values: typeof rankingSnapshots.$inferInsert,
): Promise<SnapshotRow> {
  const [snap] = await db.insert(rankingSnapshots).values(values).returning();
  return snap!;
}

/** A snapshot's rows, in batches of 500 (a city has ~10³ units). */
export async function insertRankingRows(
  db: DbOrTx,
  values: (typeof rankingRows.$inferInsert)[],
): Promise<void> {
  for (let i = 0; i < values.length; i += 500) {
    await db.insert(rankingRows).values(values.slice(i, i + 500));
  }
}

/** Marks a snapshot published; false when it no longer exists. */
export async function markSnapshotPublished(
  db: DbOrTx,
  id: number,
  at: Date,
  by: number | null,
): Promise<boolean> {
  const updated = await db
    .update(rankingSnapshots)
    .set({ state: 'published', publishedAt: at, publishedBy: by })
    .where(eq(rankingSnapshots.id, id))
    .returning({ id: rankingSnapshots.id });
  return updated.length === 1;
}

export async function insertConsequences(
  db: DbOrTx,
  values: (typeof rankingConsequences.$inferInsert)[],
): Promise<void> {
  if (values.length) await db.insert(rankingConsequences).values(values);
}
