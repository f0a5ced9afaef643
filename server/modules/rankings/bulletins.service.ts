import type {
  TBulletin,
  TBulletinCells,
  TBulletinData,
  TBulletinSummary,
} from '../../../core/contracts/rankings.js';
import { computeKpis } from '../../../core/problems/kpis.js';
import { parseRankingPeriod, periodsEndingWith } from '../../../core/ranking/periods.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { Permission } from '../../../core/permissions.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { actorHas, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import * as brepo from './bulletins.repo.js';
import { qualifiedRate } from '../rounds/visit-counts.repo.js';
import * as repo from './rankings.repo.js';
import { getSnapshot, measureLabel, readVisibility, writeLevel } from './rankings.service.js';
import { currentOutlook } from '../scoring/outlook.service.js';
import { hitsBetween } from '../cellchecks/cell-checks.repo.js';
import { cellsDashboard } from '../honours/honours.service.js';

const notFound = () =>
  new AppError('not_found', 404, { zh: '通报不存在', en: 'bulletin not found' });

const TOP = 10;

/**
 * Everything a bulletin shows, computed from the snapshot and the period's problems — for a
 * district's or street's snapshot, the problems placed in its subtree and the visits of its
 * units' points, with no campaign outlook (the city's score, not the level's).
 */
export async function bulletinData(
  database: Database,
  actor: Actor,
  snapshotId: number,
  now: Date,
): Promise<TBulletinData> {
  const db = database.db;
  const snap = await getSnapshot(database, actor, snapshotId);
  const owner = snap.ownerRegionId;
  const p = parseRankingPeriod(snap.period)!;
  const cutoff = p.to < now ? p.to : now;
  const periods = periodsEndingWith(p, 6);
  // The trend's earlier periods read the totals kept with their published rankings (the figures
  // published then, no scan of their problems); the period itself, and an earlier one without a
  // published ranking counted after its end, are counted from the problems now.
  const kept = await brepo.publishedTotals(db, periods.slice(0, -1), owner);
  const counted = periods.filter((q) => !kept.has(q.period));
  const levelUnits =
    owner === null ? undefined : (await repo.activeUnits(db, owner)).map((u) => u.id);
  const [live, liveReported, overdueOpen, visits, overdue, recurring, categories] =
    await Promise.all([
      brepo.cohortCounts(db, counted, now, owner),
      brepo.reportedCounts(db, counted, owner),
      brepo.overdueCount(db, cutoff, owner),
      repo.visitFigures(db, p.from, p.to, levelUnits),
      brepo.topOverdue(db, cutoff, TOP, owner),
      brepo.topRecurring(db, p.from, p.to, TOP, owner),
      brepo.byCategory(db, p.from, p.to, 8, owner),
    ]);
  const figures = periods.map((q) => {
    const k = kept.get(q.period);
    if (k) return { counts: k.counts, reported: k.reported, recurrences: k.recurrences };
    const i = counted.indexOf(q);
    return { counts: live[i]!.counts, ...liveReported[i]! };
  });
  const trend = periods.map((q, i) => {
    const k = computeKpis(figures[i]!.counts);
    return {
      period: q.period,
      onTimeCloseRate: k.onTimeCloseRate,
      reworkRate: k.reworkRate,
      reported: figures[i]!.reported,
    };
  });
  // The period itself is always counted (the last of `counted`).
  const current = live.at(-1)!;
  const currentReported = liveReported.at(-1)!;
  const kpi = computeKpis(current.counts);
  const counts = {
    reported: currentReported.reported,
    recurrences: currentReported.recurrences,
    dispatched: current.cohort,
    closed: kpi.closed,
    overdue: overdueOpen,
  };
  // Every visit of the period, as the round report counts them (with or without a 包保单位; a
  // district's: those of its units' points).
  const v = visits.total;
  const visitRate = qualifiedRate(v);
  const rows = snap.classes.flatMap((c) => c.rows);
  return {
    period: snap.period,
    from: snap.from,
    to: snap.to,
    generatedAt: now.toISOString(),
    snapshotId: snap.id,
    snapshotVersion: snap.version,
    metrics: snap.rules.metrics.map((m) => ({
      key: m.key,
      label: measureLabel(m.key),
      weight: m.weight,
    })),
    summary: {
      reported: counts.reported,
      dispatched: counts.dispatched,
      closed: counts.closed,
      due: kpi.due - kpi.deferred,
      closeRate: kpi.closeRate,
      onTimeCloseRate: kpi.onTimeCloseRate,
      reworkRate: kpi.reworkRate,
      overdueOpen: counts.overdue,
      recurrences: counts.recurrences,
      visits: v.visits,
      visitPassRate: visitRate === null ? null : Math.round(visitRate * 10_000) / 10_000,
      unitsRanked: rows.filter((r) => r.rank !== null).length,
    },
    classes: snap.classes,
    consequences: rows
      .filter((r) => r.flag !== null && r.action !== null)
      .map((r) => ({ unitName: r.unitName, flag: r.flag!, streak: r.streak, action: r.action! })),
    topOverdue: overdue,
    topRecurring: recurring,
    charts: { byCategory: categories, trend },
    outlook: owner === null ? await currentOutlook(database, actor, now) : null,
    cells: await bulletinCells(database, actor, owner, p, now),
  };
}

/** How many of the period's negative-list hits a bulletin names. */
const CELL_HITS = 20;

/**
 * The bulletin's 文明细胞 section: the level's titles held by type, 复审 due, titles at risk (the
 * dashboard's figures, frozen with the bulletin) and the period's negative-list hits; null for a
 * maker who may not read the registry.
 */
async function bulletinCells(
  database: Database,
  actor: Actor,
  owner: number | null,
  p: { from: Date; to: Date },
  now: Date,
): Promise<TBulletinCells | null> {
  if (!actorHas(actor, Permission.UnitRead)) return null;
  const [d, hits] = await Promise.all([
    cellsDashboard(database, actor, owner === null ? {} : { regionId: owner }, now),
    hitsBetween(database.db, shanghaiDate(p.from), shanghaiDate(p.to), owner, CELL_HITS),
  ]);
  return {
    year: d.year,
    held: d.held,
    byType: d.byType.map((t) => ({ cellType: t.cellType, total: t.total })),
    reviewsDue: { thisYear: d.reviewsDue.thisYear, nextYear: d.reviewsDue.nextYear },
    atRisk: d.atRisk.items.map((h) => ({
      holderName: h.holderName,
      title: h.title,
      status: h.status,
    })),
    hits,
  };
}

async function present(db: DbOrTx, b: brepo.BulletinRow): Promise<TBulletin> {
  const names = await repo.regionNames(db, [b.ownerRegionId]);
  return {
    id: b.id,
    snapshotId: b.snapshotId,
    ownerRegionId: b.ownerRegionId,
    ownerName: b.ownerRegionId === null ? null : (names.get(b.ownerRegionId) ?? null),
    period: b.period,
    title: b.title,
    issueNo: await brepo.issueNo(db, b),
    state: b.state,
    createdAt: b.createdAt.toISOString(),
    createdByName: b.createdByName,
    publishedAt: b.publishedAt?.toISOString() ?? null,
    data: b.data,
  };
}

const defaultTitle = (period: string, level: string | null) =>
  (level ?? '') +
  (period.includes('W')
    ? `创建文明城市工作周通报（${period}）`
    : `创建文明城市工作月度通报（${period.replace('-', '年')}月）`);

/**
 * Generates a bulletin (draft) from a snapshot of the actor's level or a level under it; the
 * bulletin is that snapshot's level's. Its content is frozen from then on.
 */
export async function createBulletin(
  database: Database,
  actor: Actor,
  body: { snapshotId: number; title?: string },
  now = new Date(),
): Promise<TBulletin> {
  const { visibility } = writeLevel(actor);
  const snap = await repo.findSnapshot(database.db, body.snapshotId, visibility);
  if (!snap) {
    throw errors.invalid({ zh: '排名快照不存在', en: 'no such ranking snapshot' }, [
      { path: 'body.snapshotId', message: '找不到该排名 / not found' },
    ]);
  }
  if (snap.state === 'superseded') {
    throw new AppError('invalid_state', 409, {
      zh: '该排名已被新版本取代，请使用最新版本生成通报',
      en: 'this snapshot was superseded; generate the bulletin from the latest version',
    });
  }
  const data = await bulletinData(database, actor, snap.id, now);
  const names = await repo.regionNames(database.db, [snap.ownerRegionId]);
  const id = await withTx(database, async (tx) => {
    const bulletinId = await brepo.insertBulletin(tx, {
      snapshotId: snap.id,
      ownerRegionId: snap.ownerRegionId,
      period: snap.period,
      title:
        body.title ??
        defaultTitle(
          snap.period,
          snap.ownerRegionId === null ? null : (names.get(snap.ownerRegionId) ?? null),
        ),
      state: 'draft',
      data,
      createdBy: actor.id,
      createdByName: actor.name,
    });
    await writeAudit(tx, actor, {
      action: 'bulletin.create',
      entityType: 'bulletin',
      entityId: bulletinId,
      after: { period: snap.period, snapshotId: snap.id, ownerRegionId: snap.ownerRegionId },
    });
    return bulletinId;
  });
  return getBulletin(database, actor, id);
}

/**
 * Publishes a draft bulletin of the actor's level or a level under it; its ranking must be
 * published first, one bulletin per level and period.
 */
export async function publishBulletin(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TBulletin> {
  const { visibility } = writeLevel(actor);
  await withTx(database, async (tx) => {
    const b = await brepo.findBulletin(tx, id, visibility);
    if (!b) throw notFound();
    if (b.state !== 'draft') {
      throw new AppError('invalid_state', 409, {
        zh: '该通报已发布',
        en: 'this bulletin is already published',
      });
    }
    const snap = await repo.findSnapshot(tx, b.snapshotId);
    if (snap?.state !== 'published') {
      throw new AppError('ranking_not_published', 409, {
        zh: '请先发布本期排名，再发布通报',
        en: 'publish the ranking of the period before its bulletin',
      });
    }
    const others = await brepo.listBulletins(
      tx,
      { kind: 'all' },
      { publishedOnly: true, owner: b.ownerRegionId ?? 'city' },
    );
    if (others.some((o) => o.period === b.period)) {
      throw new AppError('already_published', 409, {
        zh: `${b.period} 已有发布的通报`,
        en: `a bulletin of ${b.period} is already published`,
      });
    }
    await brepo.markPublished(tx, id, new Date());
    await writeAudit(tx, actor, {
      action: 'bulletin.publish',
      entityType: 'bulletin',
      entityId: id,
      after: { period: b.period },
    });
  });
  return getBulletin(database, actor, id);
}

/**
 * The bulletins the reader sees (as its rankings: rankings.service.ts `readVisibility`);
 * `ownerRegionId` narrows them to one level's.
 */
export async function listBulletins(
  database: Database,
  actor: Actor,
  q: { ownerRegionId?: 'city' | number } = {},
): Promise<{ items: TBulletinSummary[] }> {
  const v = readVisibility(actor);
  const rows = await brepo.listBulletins(database.db, v, { owner: q.ownerRegionId });
  // 第 n 期 in publication order, counted per level.
  const issues = await brepo.issueNos(
    database.db,
    rows.filter((b) => b.state === 'published').map((b) => b.id),
  );
  const names = await repo.regionNames(
    database.db,
    rows.map((b) => b.ownerRegionId),
  );
  const items: TBulletinSummary[] = rows.map((b) => ({
    ...b,
    ownerName: b.ownerRegionId === null ? null : (names.get(b.ownerRegionId) ?? null),
    issueNo: issues.get(b.id) ?? null,
    createdAt: b.createdAt.toISOString(),
    publishedAt: b.publishedAt?.toISOString() ?? null,
  }));
  return { items };
}

/**
 * A bulletin; a unit reads the published ones of the city (issued to every unit) and of the
 * levels that rank it; a district office its level's and its streets'. Others: 404.
 */
export async function getBulletin(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TBulletin> {
  const v = readVisibility(actor);
  const b = await brepo.findBulletin(database.db, id, v);
  if (!b) throw notFound();
  return present(database.db, b);
}
