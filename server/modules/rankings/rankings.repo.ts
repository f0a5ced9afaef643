import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import {
  DEFAULT_RANKING_CONFIG,
  ZRankingRulesSchema,
  type TRankingRulesConfig,
} from '../../../core/contracts/rankings.js';
import { sumCounts, type KpiCounts } from '../../../core/problems/kpis.js';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  rankingConsequences,
  rankingRows,
  rankingSnapshots,
  regions,
  settings,
  units,
} from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';
import { kpiCounts } from '../problems/problems-reports.repo.js';
import { periodVisitCounts, type VisitCounts } from '../rounds/visit-counts.repo.js';

export const RULES_KEY = 'ranking.rules';

export type SnapshotRow = typeof rankingSnapshots.$inferSelect;

/**
 * Which levels' rankings (and bulletins) a reader sees: `all` (the city's offices and readers);
 * `level` those of the levels inside a region's subtree (a district or street 创建办 and leader),
 * with `unitId` when the reader also answers for a unit; `unit` a unit's: the published ones of the
 * city (issued to every unit) and of any level that ranks it.
 */
export type Visibility =
  | { kind: 'all' }
  | { kind: 'level'; within: number; unitId?: number }
  | { kind: 'unit'; unitId: number };

/** A level: null for the city, else the district's or street's region. */
export type Owner = number | null;

const ownerIs = (col: SQL | typeof rankingSnapshots.ownerRegionId, owner: Owner) =>
  owner === null ? sql`${col} is null` : sql`${col} = ${owner}`;

/**
 * The condition on a snapshot (`owner`, `state`, `id` its columns, or a bulletin's and its
 * snapshot's) that the reader may see it.
 */
/** Which rows of a level-owned table (snapshots, bulletins) the visibility lets through. */
export function visibleSql(
  v: Visibility,
  c: { owner: SQL; state: SQL; snapshotId: SQL },
): SQL | undefined {
  const asUnit = (unitId: number) =>
    sql`(${c.state} = 'published' and (${c.owner} is null or exists (select 1 from ranking_rows rr
          where rr.snapshot_id = ${c.snapshotId} and rr.unit_id = ${unitId})))`;
  switch (v.kind) {
    case 'all':
      return undefined;
    case 'unit':
      return asUnit(v.unitId);
    case 'level': {
      const own = sql`${c.owner} in ${regionSubtree(v.within)}`;
      return v.unitId === undefined ? own : sql`(${own} or ${asUnit(v.unitId)})`;
    }
  }
}

const snapshotCols = {
  owner: sql`${rankingSnapshots.ownerRegionId}`,
  state: sql`${rankingSnapshots.state}`,
  snapshotId: sql`${rankingSnapshots.id}`,
};

/** The visibility of a snapshot (by the `ranking_snapshots` table's columns). */
export const snapshotVisible = (v: Visibility) => visibleSql(v, snapshotCols);

/** The owner filter of a list: `city` the city's own, a region id that level's own. */
export function ownerFilter(col: AnyPgColumn, f: 'city' | number | undefined): SQL | undefined {
  if (f === undefined) return undefined;
  return f === 'city' ? isNull(col) : eq(col, f);
}

/** The names of these regions (the levels named on snapshots and bulletins). */
export async function regionNames(
  db: DbOrTx,
  ids: (number | null)[],
): Promise<Map<number, string>> {
  const list = [...new Set(ids.filter((x): x is number => x !== null))];
  if (!list.length) return new Map();
  const rows = await db
    .select({ id: regions.id, name: regions.name })
    .from(regions)
    .where(inArray(regions.id, list));
  return new Map(rows.map((r) => [r.id, r.name]));
}
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

/**
 * The active units a level ranks: every unit for the city; for a district or street, the units
 * whose region lies in its subtree (区直部门, 街道办事处 …) but not the level's own government
 * (东湖区人民政府 in 东湖区's ranking: the city ranks it among the districts).
 */
export async function activeUnits(db: DbOrTx, owner: Owner = null) {
  return db
    .select({ id: units.id, name: units.name, type: units.type })
    .from(units)
    .where(
      owner === null
        ? eq(units.active, true)
        : sql`${units.active} and ${units.regionId} in ${regionSubtree(owner)}
              and not (${units.regionId} = ${owner}
                       and ${units.type} in ('district_government', 'street_office'))`,
    )
    .orderBy(asc(units.id));
}

/**
 * 按期结案率 / 返工率 counts per unit for the cohort dispatched in the period (as the KPI page), and
 * their sum over every problem of the cohort (the city's counts, kept with the snapshot) — for a
 * district or street, over the cohort's problems placed in its subtree (what its office sees).
 */
export async function problemFigures(
  db: DbOrTx,
  from: Date,
  to: Date,
  now: Date,
  owner: Owner = null,
): Promise<{ byUnit: Map<number, KpiCounts>; total: KpiCounts }> {
  const q = { groupBy: 'unit', from: from.toISOString(), to: to.toISOString() } as const;
  const rows = await kpiCounts(db, { kind: 'all' }, q, now);
  const levelRows =
    owner === null ? rows : await kpiCounts(db, { kind: 'region', regionId: owner }, q, now);
  return {
    byUnit: new Map(rows.filter((r) => r.key !== null).map((r) => [Number(r.key), r])),
    total: sumCounts(levelRows),
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
 * them (the unit's 点位合格率 and sample), and the total for the bulletin: the city's, or with
 * `unitIds` (a district's or street's ranked units) the visits of those units' points.
 */
export async function visitFigures(db: DbOrTx, from: Date, to: Date, unitIds?: number[]) {
  const counted = await periodVisitCounts(db, from, to);
  const { byUnit } = counted;
  let total = counted.total;
  if (unitIds) {
    total = { visits: 0, assessed: 0, qualified: 0 } satisfies VisitCounts;
    for (const id of unitIds) {
      const c = byUnit.get(id);
      if (c) {
        total.visits += c.visits;
        total.assessed += c.assessed;
        total.qualified += c.qualified;
      }
    }
  }
  return {
    total,
    byUnit: new Map(
      [...byUnit].map(([id, c]) => [id, { visits: c.assessed, passed: c.qualified }] as const),
    ),
  };
}

/** A level's snapshots of a period, newest version first. */
export async function snapshotsOfPeriod(db: DbOrTx, period: string, owner: Owner = null) {
  return db
    .select()
    .from(rankingSnapshots)
    .where(and(eq(rankingSnapshots.period, period), ownerIs(rankingSnapshots.ownerRegionId, owner)))
    .orderBy(desc(rankingSnapshots.version));
}

/** A snapshot, if the reader may see it (`v` absent: any). */
export async function findSnapshot(
  db: DbOrTx,
  id: number,
  v: Visibility = { kind: 'all' },
): Promise<SnapshotRow | undefined> {
  const [row] = await db
    .select()
    .from(rankingSnapshots)
    .where(and(eq(rankingSnapshots.id, id), snapshotVisible(v)));
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

/** The flags of a level's published snapshots of these periods, by period. */
export async function publishedFlags(
  db: DbOrTx,
  periods: string[],
  owner: Owner = null,
): Promise<Map<string, Map<number, 'red' | 'black' | null>>> {
  const out = new Map<string, Map<number, 'red' | 'black' | null>>();
  if (periods.length === 0) return out;
  const rows = await db
    .select({ period: rankingSnapshots.period, unitId: rankingRows.unitId, flag: rankingRows.flag })
    .from(rankingSnapshots)
    .leftJoin(rankingRows, eq(rankingRows.snapshotId, rankingSnapshots.id))
    .where(
      and(
        inArray(rankingSnapshots.period, periods),
        eq(rankingSnapshots.state, 'published'),
        ownerIs(rankingSnapshots.ownerRegionId, owner),
      ),
    );
  for (const r of rows) {
    const m = out.get(r.period) ?? new Map<number, 'red' | 'black' | null>();
    if (r.unitId !== null) m.set(r.unitId, r.flag);
    out.set(r.period, m);
  }
  return out;
}

/** The snapshots the reader sees, newest period first (`owner`: one level's only). */
export async function listSnapshots(
  db: DbOrTx,
  v: Visibility,
  q: { kind?: 'month' | 'week'; state?: SnapshotRow['state']; owner?: 'city' | number },
) {
  const where = and(
    q.kind ? eq(rankingSnapshots.kind, q.kind) : undefined,
    q.state ? eq(rankingSnapshots.state, q.state) : undefined,
    ownerFilter(rankingSnapshots.ownerRegionId, q.owner),
    snapshotVisible(v),
  );
  const rows = await execRows<{
    id: number;
    units: number;
    red: number;
    black: number;
  }>(
    db,
    sql`select ${rankingSnapshots.id} as id, count(r.unit_id)::int as units,
               count(*) filter (where r.flag = 'red')::int as red,
               count(*) filter (where r.flag = 'black')::int as black
          from ${rankingSnapshots} left join ranking_rows r on r.snapshot_id = ${rankingSnapshots.id}
         where ${where ?? sql`true`}
         group by ${rankingSnapshots.id}`,
  );
  const counts = new Map(rows.map((r) => [Number(r.id), r]));
  const snaps = await db
    .select()
    .from(rankingSnapshots)
    .where(where)
    .orderBy(desc(rankingSnapshots.period), desc(rankingSnapshots.version))
    .limit(500);
  return snaps.map((s) => ({ s, c: counts.get(s.id) ?? { units: 0, red: 0, black: 0 } }));
}

/** A unit's rows in the published snapshots the reader sees, oldest period first. */
export async function unitRows(db: DbOrTx, unitId: number, v: Visibility = { kind: 'all' }) {
  return db
    .select({ s: rankingSnapshots, r: rankingRows })
    .from(rankingRows)
    .innerJoin(rankingSnapshots, eq(rankingSnapshots.id, rankingRows.snapshotId))
    .where(
      and(
        eq(rankingRows.unitId, unitId),
        eq(rankingSnapshots.state, 'published'),
        snapshotVisible(v),
      ),
    )
    .orderBy(
      asc(rankingSnapshots.periodFrom),
      asc(rankingSnapshots.kind),
      sql`${rankingSnapshots.ownerRegionId} nulls first`,
    );
}

/** Consequences of the snapshots the reader sees (of one unit, or of all), newest first. */
export async function consequences(db: DbOrTx, unitId?: number, v: Visibility = { kind: 'all' }) {
  return db
    .select({ c: rankingConsequences, unitName: units.name })
    .from(rankingConsequences)
    .innerJoin(units, eq(units.id, rankingConsequences.unitId))
    .innerJoin(rankingSnapshots, eq(rankingSnapshots.id, rankingConsequences.snapshotId))
    .where(
      and(
        unitId === undefined ? undefined : eq(rankingConsequences.unitId, unitId),
        snapshotVisible(v),
      ),
    )
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

/**
 * The districts and streets that run their own campaign office (an active office user held
 * there), with their level: each takes its own monthly ranking.
 */
export async function levelsWithOffice(
  db: DbOrTx,
): Promise<{ id: number; level: 'district' | 'street' }[]> {
  return execRows(
    db,
    sql`select distinct r.id, r.level from users u join regions r on r.id = u.region_id
        where u.active and 'office' = any(u.roles) and r.level in ('district', 'street')
        order by r.id`,
  );
}
