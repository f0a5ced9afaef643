import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { KPI_EXCLUDED_STATES, type KpiCounts } from '../../../core/problems/kpis.js';
import type { TProblemBrief } from '../../../core/contracts/rankings.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { bulletins, rankingSnapshots } from '../../db/schema/index.js';
import type { SnapshotTotals } from '../../db/schema/rankings.js';
import { regionSubtree } from '../org/regions.repo.js';
import { ownerFilter, visibleSql, type Owner, type Visibility } from './rankings.repo.js';

/**
 * A level's problems (alias `p`): every problem for the city (null), for a district or street
 * those placed in its subtree — what its office sees and dispatches.
 */
const inLevel = (owner: Owner): SQL =>
  owner === null ? sql`` : sql`and p.region_id in ${regionSubtree(owner)}`;

export type BulletinRow = typeof bulletins.$inferSelect;

/**
 * Per period (one SQL aggregate for all of them, each period an index range on dispatched_at):
 * the KPI counts of the cohort dispatched in it, exactly as `kpiCounts` counts them, with a
 * problem due once closed or past its deadline at min(period end, now).
 */
export async function cohortCounts(
  db: DbOrTx,
  periods: { from: Date; to: Date }[],
  now: Date,
  owner: Owner = null,
) {
  const b = sql.join(
    periods.map(
      (q, i) =>
        sql`(${i}::int, ${q.from.toISOString()}::timestamptz, ${q.to.toISOString()}::timestamptz, ${(q.to < now ? q.to : now).toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  const due = sql`(p.state = 'closed' or p.deadline <= b.c)`;
  const rows = await execRows<{
    i: number;
    cohort: number;
    due: number;
    deferred: number;
    closed: number;
    closed_on_time: number;
    reworked: number;
    extended: number;
    hours: number;
  }>(
    db,
    sql`with b(i, f, t, c) as (values ${b})
        select b.i, count(*)::int as cohort,
               count(*) filter (where ${due})::int as due,
               count(*) filter (where ${due} and p.state = 'deferred')::int as deferred,
               count(*) filter (where p.state = 'closed')::int as closed,
               count(*) filter (where p.state = 'closed' and p.closed_at <= p.deadline)::int as closed_on_time,
               count(*) filter (where ${due} and p.rework_count > 0)::int as reworked,
               count(*) filter (where ${due} and p.extension_count > 0)::int as extended,
               coalesce(sum(p.handling_hours) filter (where p.state = 'closed'), 0)::float8 as hours
          from b join problems p on p.dispatched_at >= b.f and p.dispatched_at < b.t
         where p.state not in ${KPI_EXCLUDED_STATES} ${inLevel(owner)}
         group by b.i`,
  );
  return periods.map((_, i) => {
    const r = rows.find((x) => Number(x.i) === i);
    return {
      cohort: r?.cohort ?? 0,
      counts: {
        due: r?.due ?? 0,
        deferred: r?.deferred ?? 0,
        closed: r?.closed ?? 0,
        closedOnTime: r?.closed_on_time ?? 0,
        reworked: r?.reworked ?? 0,
        extended: r?.extended ?? 0,
        handlingHoursSum: r?.hours ?? 0,
      } satisfies KpiCounts,
    };
  });
}

/**
 * The level's totals kept with its published ranking of each of `periods` that has them and
 * counted them after the period ended (a ranking taken mid-period counted part of it only).
 */
export async function publishedTotals(
  db: DbOrTx,
  periods: { period: string; to: Date }[],
  owner: Owner = null,
): Promise<Map<string, SnapshotTotals>> {
  if (!periods.length) return new Map();
  const rows = await db
    .select({ period: rankingSnapshots.period, totals: rankingSnapshots.totals })
    .from(rankingSnapshots)
    .where(
      and(
        eq(rankingSnapshots.state, 'published'),
        owner === null
          ? sql`${rankingSnapshots.ownerRegionId} is null`
          : eq(rankingSnapshots.ownerRegionId, owner),
        inArray(
          rankingSnapshots.period,
          periods.map((q) => q.period),
        ),
      ),
    );
  const out = new Map<string, SnapshotTotals>();
  for (const r of rows) {
    const q = periods.find((x) => x.period === r.period);
    if (r.totals && q && new Date(r.totals.cutoff).getTime() === q.to.getTime())
      out.set(r.period, r.totals);
  }
  return out;
}

/** Per period: problems reported (registered in the app) and recurrences (反弹) among them. */
export async function reportedCounts(
  db: DbOrTx,
  periods: { from: Date; to: Date }[],
  owner: Owner = null,
) {
  const b = sql.join(
    periods.map(
      (q, i) =>
        sql`(${i}::int, ${q.from.toISOString()}::timestamptz, ${q.to.toISOString()}::timestamptz)`,
    ),
    sql`, `,
  );
  const rows = await execRows<{ i: number; reported: number; recurrences: number }>(
    db,
    sql`with b(i, f, t) as (values ${b})
        select b.i, count(*) filter (where p.state <> 'merged')::int as reported,
               count(*) filter (where p.recurrence_of_id is not null)::int as recurrences
          from b join problems p on p.created_at >= b.f and p.created_at < b.t ${inLevel(owner)}
         group by b.i`,
  );
  return periods.map((_, i) => {
    const r = rows.find((x) => Number(x.i) === i);
    return { reported: r?.reported ?? 0, recurrences: r?.recurrences ?? 0 };
  });
}

/** Open problems past their deadline at the cutoff (the partial deadline index serves it). */
export async function overdueCount(db: DbOrTx, cutoff: Date, owner: Owner = null) {
  const [row] = await execRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from problems p
         where p.state = 'dispatched' and p.deadline < ${cutoff} ${inLevel(owner)}`,
  );
  return row?.n ?? 0;
}

const briefSelect = sql`p.id, p.code, p.title, u.name as unit_name,
  coalesce(pc.name, c.name) as category_name, p.address, p.deadline, p.created_at,
  o.code as recurrence_of_code,
  (select ph.file_id from problem_photos ph where ph.problem_id = p.id
    order by (ph.stage = 'before') desc, ph.id limit 1) as photo_id`;
const briefJoins = sql`left join units u on u.id = p.unit_id
  join problem_categories c on c.id = p.category_id
  left join problem_categories pc on pc.id = c.parent_id
  left join problems o on o.id = p.recurrence_of_id`;

interface BriefRow {
  id: number | string;
  code: string;
  title: string;
  unit_name: string | null;
  category_name: string;
  address: string | null;
  deadline: Date | string | null;
  created_at: Date | string;
  recurrence_of_code: string | null;
  photo_id: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function brief(r: BriefRow, cutoff: Date | null): TProblemBrief {
  const deadline = iso(r.deadline);
  return {
    id: Number(r.id),
    code: r.code,
    title: r.title,
    unitName: r.unit_name,
    categoryName: r.category_name,
    address: r.address,
    deadline,
    createdAt: iso(r.created_at)!,
    overdueDays:
      cutoff && deadline
        ? Math.max(0, Math.floor((cutoff.getTime() - new Date(deadline).getTime()) / 86_400_000))
        : null,
    recurrenceOfCode: r.recurrence_of_code,
    photoId: r.photo_id,
  };
}

/** The open problems longest past their deadline at the cutoff (the deadline index serves it). */
export async function topOverdue(db: DbOrTx, cutoff: Date, limit: number, owner: Owner = null) {
  const rows = await execRows<BriefRow>(
    db,
    sql`select ${briefSelect} from problems p ${briefJoins}
         where p.state = 'dispatched' and p.deadline < ${cutoff} ${inLevel(owner)}
         order by p.deadline asc, p.id limit ${limit}`,
  );
  return rows.map((r) => brief(r, cutoff));
}

/** Problems of the period that came back at a place where one had been closed (反弹). */
export async function topRecurring(
  db: DbOrTx,
  from: Date,
  to: Date,
  limit: number,
  owner: Owner = null,
) {
  const rows = await execRows<BriefRow>(
    db,
    sql`select ${briefSelect} from problems p ${briefJoins}
         where p.created_at >= ${from} and p.created_at < ${to} and p.recurrence_of_id is not null
           and p.state not in ${['merged', 'rejected']} ${inLevel(owner)}
         order by p.created_at desc, p.id desc limit ${limit}`,
  );
  return rows.map((r) => brief(r, null));
}

/** Problems reported in the period by top-level category, most first. */
export async function byCategory(
  db: DbOrTx,
  from: Date,
  to: Date,
  limit: number,
  owner: Owner = null,
) {
  const rows = await execRows<{ name: string; count: number }>(
    db,
    sql`select coalesce(pc.name, c.name) as name, count(*)::int as count
          from problems p join problem_categories c on c.id = p.category_id
          left join problem_categories pc on pc.id = c.parent_id
         where p.created_at >= ${from} and p.created_at < ${to} and p.state <> 'merged'
           ${inLevel(owner)}
         group by 1 order by 2 desc, 1 limit ${limit}`,
  );
  return rows;
}

/** The visibility of a bulletin: its snapshot's (see rankings.repo.ts `Visibility`). */
const bulletinVisible = (v: Visibility): SQL | undefined =>
  visibleSql(v, {
    owner: sql`${bulletins.ownerRegionId}`,
    state: sql`${bulletins.state}`,
    snapshotId: sql`${bulletins.snapshotId}`,
  });

/** A bulletin, if the reader may see it (`v` absent: any). */
export async function findBulletin(
  db: DbOrTx,
  id: number,
  v: Visibility = { kind: 'all' },
): Promise<BulletinRow | undefined> {
  const [row] = await db
    .select()
    .from(bulletins)
    .where(and(eq(bulletins.id, id), bulletinVisible(v)));
  return row;
}

/** The bulletins the reader sees (`owner`: one level's; `publishedOnly`), newest first. */
export async function listBulletins(
  db: DbOrTx,
  v: Visibility,
  q: { publishedOnly?: boolean; owner?: 'city' | number } = {},
) {
  return db
    .select({
      id: bulletins.id,
      snapshotId: bulletins.snapshotId,
      ownerRegionId: bulletins.ownerRegionId,
      period: bulletins.period,
      title: bulletins.title,
      state: bulletins.state,
      createdAt: bulletins.createdAt,
      createdByName: bulletins.createdByName,
      publishedAt: bulletins.publishedAt,
    })
    .from(bulletins)
    .where(
      and(
        q.publishedOnly ? eq(bulletins.state, 'published') : undefined,
        ownerFilter(bulletins.ownerRegionId, q.owner),
        bulletinVisible(v),
      ),
    )
    .orderBy(desc(bulletins.createdAt), desc(bulletins.id))
    .limit(500);
}

/** 第 n 期 of these bulletins: each published one's place among its level's (by publication). */
export async function issueNos(db: DbOrTx, ids: number[]): Promise<Map<number, number>> {
  if (!ids.length) return new Map();
  const rows = await execRows<{ id: number; n: number }>(
    db,
    sql`select id, n from (
          select id, row_number() over (
                   partition by coalesce(owner_region_id, 0) order by published_at, id)::int as n
            from bulletins where state = 'published') x
         where id in ${ids}`,
  );
  return new Map(rows.map((r) => [Number(r.id), r.n]));
}

/** 第 n 期: the bulletin's place among its level's published ones (by publication time). */
export async function issueNo(db: DbOrTx, b: BulletinRow): Promise<number | null> {
  if (b.state !== 'published' || !b.publishedAt) return null;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(bulletins)
    .where(
      and(
        eq(bulletins.state, 'published'),
        b.ownerRegionId === null
          ? sql`${bulletins.ownerRegionId} is null`
          : eq(bulletins.ownerRegionId, b.ownerRegionId),
        sql`(${bulletins.publishedAt}, ${bulletins.id}) <= (${b.publishedAt}, ${b.id})`,
      ),
    );
  return row?.n ?? null;
}

export async function insertBulletin(
  db: DbOrTx,
  values: typeof bulletins.$inferInsert,
): Promise<number> {
  const [row] = await db.insert(bulletins).values(values).returning({ id: bulletins.id });
  return row!.id;
}

export async function markPublished(db: DbOrTx, id: number, at: Date): Promise<void> {
  await db
    .update(bulletins)
    .set({ state: 'published', publishedAt: at })
    .where(eq(bulletins.id, id));
}
