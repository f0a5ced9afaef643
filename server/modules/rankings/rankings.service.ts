import {
  RANKING_MEASURE_INFO,
  type TConsequence,
  type TRankingRulesConfig,
  type TSnapshot,
  type TSnapshotSummary,
  type TUnitHistory,
} from '../../../core/contracts/rankings.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { Permission } from '../../../core/permissions.js';
import { toRankingRules, unitFigures } from '../../../core/ranking/measures.js';
import {
  parseRankingPeriod,
  periodsEndingWith,
  type TRankingPeriod,
} from '../../../core/ranking/periods.js';
import { flagStreaks, rankUnits } from '../../../core/ranking/unit-ranking.js';
import type { Database, DbOrTx } from '../../db/client.js';
import type { SnapshotTotals } from '../../db/schema/rankings.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { requireCityLevel } from '../org/jurisdiction.js';
import { rulesAtLevel } from '../../../core/ranking/level-labels.js';
import { regionWithin, unitWithin } from '../org/regions.repo.js';
import { reportedCounts } from './bulletins.repo.js';
import * as repo from './rankings.repo.js';

const notFound = () =>
  new AppError('not_found', 404, { zh: '排名快照不存在', en: 'ranking snapshot not found' });

/**
 * A read: the city's offices and leaders see every level's rankings; an office or leader held at
 * a district or street those of its level and the levels under it; a unit the published ones of
 * the city and of the levels that rank it, and in them only its own row.
 */
export function readVisibility(actor: Actor): repo.Visibility {
  const scope = requirePermission(actor, Permission.RankingRead);
  switch (scope.kind) {
    case 'all':
      return scope;
    case 'unit':
      return { kind: 'unit', unitId: scope.unitId };
    case 'region':
      return {
        kind: 'level',
        within: scope.regionId,
        ...(scope.unitId !== undefined ? { unitId: scope.unitId } : {}),
      };
    case 'self':
      throw errors.forbidden();
  }
}

/**
 * A write (compute, publish, bulletins): the actor's level is the owner of what it creates
 * (null: the city); it manages the snapshots and bulletins of its level and of the levels under
 * it (as rounds: round-access.ts).
 */
export function writeLevel(actor: Actor): { owner: repo.Owner; visibility: repo.Visibility } {
  requirePermission(actor, Permission.RankingWrite);
  const owner = officeRegionOf(actor);
  return {
    owner,
    visibility: owner === null ? { kind: 'all' } : { kind: 'level', within: owner },
  };
}

/** True when the reader sees every row of a snapshot it may see (not only its own unit's). */
async function seesWhole(db: DbOrTx, v: repo.Visibility, s: repo.SnapshotRow): Promise<boolean> {
  if (v.kind === 'all') return true;
  if (v.kind === 'unit' || s.ownerRegionId === null) return false;
  return regionWithin(db, s.ownerRegionId, v.within);
}

export async function getRules(database: Database, actor: Actor) {
  readVisibility(actor);
  const r = await repo.loadRules(database.db);
  return { rules: r.rules, version: r.version, updatedAt: r.updatedAt?.toISOString() ?? null };
}

export async function putRules(
  database: Database,
  actor: Actor,
  body: { rules: TRankingRulesConfig; version: number },
) {
  requirePermission(actor, Permission.RankingWrite);
  // One set of rules for every level: a district ranks its units by the city's classes and flags.
  requireCityLevel(actor, { zh: '排名规则', en: 'The ranking rules' });
  await withTx(database, async (tx) => {
    const before = await repo.loadRules(tx);
    if (!(await repo.saveRules(tx, body.rules, body.version, actor.id))) {
      throw new AppError('stale_version', 409, {
        zh: '排名规则已被他人修改，请刷新后重试',
        en: 'the ranking rules were changed by someone else; reload and try again',
      });
    }
    await writeAudit(tx, actor, {
      action: 'ranking.rules.update',
      entityType: 'settings',
      entityId: repo.RULES_KEY,
      before: before.rules,
      after: body.rules,
    });
  });
  return getRules(database, actor);
}

function parsePeriod(text: string, now: Date): TRankingPeriod {
  const p = parseRankingPeriod(text);
  if (!p) {
    throw errors.invalid({ zh: '周期不存在', en: 'no such period' }, [
      { path: 'body.period', message: '应为月份或 ISO 周 / not a month or an ISO week' },
    ]);
  }
  if (p.from > now) {
    throw errors.invalid({ zh: '周期尚未开始，不能排名', en: 'the period has not started yet' }, [
      { path: 'body.period', message: '不能是未来的期间 / future period' },
    ]);
  }
  return p;
}

/**
 * Streak and consequence of each flagged unit, from the level's published periods just before
 * `p` (a district's flags count in a row with the district's earlier ones, not the city's).
 */
async function streaksFor(
  db: DbOrTx,
  rules: TRankingRulesConfig,
  p: TRankingPeriod,
  flags: Map<number, 'red' | 'black' | null>,
  owner: repo.Owner,
) {
  const depth = Math.max(1, ...rules.consequences.map((c) => c.streak)) + 12;
  const earlier = periodsEndingWith(p, depth + 1).slice(0, -1);
  const published = await repo.publishedFlags(
    db,
    earlier.map((e) => e.period),
    owner,
  );
  // A period without a published snapshot breaks every streak: stop the history there.
  const history: { period: string; flags: ReadonlyMap<number, 'red' | 'black' | null> }[] = [];
  for (let i = earlier.length - 1; i >= 0; i--) {
    const f = published.get(earlier[i]!.period);
    if (!f) break;
    history.unshift({ period: earlier[i]!.period, flags: f });
  }
  history.push({ period: p.period, flags });
  const pure = toRankingRules(rules);
  const out = new Map<number, { streak: number; action: { zh: string; en: string } | null }>();
  for (const [unitId, flag] of flags) {
    if (flag === null) continue;
    const s = flagStreaks(pure, history, unitId);
    out.set(unitId, { streak: s.streak, action: s.actions[0] ?? null });
  }
  return out;
}

/**
 * Figures of every unit a level ranks in a period (the city: all; a district or street: those of
 * its subtree), ranked by the rules, and the level's totals of the period (no writes).
 */
export async function computeRanking(
  db: DbOrTx,
  rules: TRankingRulesConfig,
  p: TRankingPeriod,
  now: Date,
  owner: repo.Owner = null,
) {
  const year = Number(shanghaiDate(p.from).slice(0, 4));
  // One after another: `db` is usually a transaction, i.e. one connection.
  const allUnits = await repo.activeUnits(db, owner);
  const { byUnit: problems, total } = await repo.problemFigures(db, p.from, p.to, now, owner);
  const [reported] = await reportedCounts(db, [p], owner);
  const cutoff = p.to < now ? p.to : now;
  const totals: SnapshotTotals = { cutoff: cutoff.toISOString(), counts: total, ...reported! };
  const evidence = await repo.evidenceFigures(db, p.to, year);
  const visits = (await repo.visitFigures(db, p.from, p.to)).byUnit;
  const figures = unitFigures(rules, allUnits, (id) => ({
    problems: problems.get(id),
    evidence: evidence.get(id),
    visits: visits.get(id),
  }));
  const ranked = rankUnits(toRankingRules(rules), figures);
  const names = new Map(allUnits.map((u) => [u.id, u.name]));
  const classSize = new Map<string, number>();
  for (const r of ranked)
    if (r.rank !== null) classSize.set(r.unitClass, (classSize.get(r.unitClass) ?? 0) + 1);
  const valuesOf = new Map(figures.map((f) => [f.unitId, f.values]));
  const rows = ranked.map((r) => ({
    ...r,
    unitName: names.get(r.unitId) ?? String(r.unitId),
    classSize: classSize.get(r.unitClass) ?? 0,
    values: valuesOf.get(r.unitId) ?? {},
  }));
  return { rows, totals };
}

/**
 * Takes the actor's level's snapshot of a period: a new version while the level has no published
 * one of the period (the previous draft is superseded); refused once published. Rows are written
 * once, never updated.
 */
export async function createSnapshot(
  database: Database,
  actor: Actor,
  body: { period: string },
  now = new Date(),
): Promise<TSnapshot> {
  const { owner } = writeLevel(actor);
  const p = parsePeriod(body.period, now);
  const id = await withTx(database, async (tx) => {
    const existing = await repo.snapshotsOfPeriod(tx, p.period, owner);
    if (existing.some((s) => s.state === 'published')) {
      throw new AppError('already_published', 409, {
        zh: `${p.period} 的排名已发布，不能重新计算`,
        en: `the ranking of ${p.period} is published and cannot be recomputed`,
      });
    }
    const { rules } = await repo.loadRules(tx);
    const { rows, totals } = await computeRanking(tx, rules, p, now, owner);
    const streaks = await streaksFor(
      tx,
      rules,
      p,
      new Map(rows.map((r) => [r.unitId, r.flag])),
      owner,
    );
    for (const s of existing.filter((s) => s.state === 'draft')) {
      await repo.supersedeSnapshot(tx, s.id);
    }
    const snap = await repo.insertSnapshot(tx, {
      period: p.period,
      kind: p.kind,
      periodFrom: p.from,
      periodTo: p.to,
      ownerRegionId: owner,
      version: (existing[0]?.version ?? 0) + 1,
      state: 'draft',
      // Frozen with the snapshot as its level reads them (a district's departments are 区直).
      rules: rulesAtLevel(rules, owner === null ? 'city' : (actor.regionLevel ?? 'district')),
      totals,
      createdBy: actor.id,
      createdByName: actor.name,
    });
    const values = rows.map((r) => ({
      snapshotId: snap.id,
      unitId: r.unitId,
      unitName: r.unitName,
      unitClass: r.unitClass,
      sample: r.sample,
      values: r.values,
      score: r.score,
      rank: r.rank,
      classSize: r.classSize,
      flag: r.flag,
      excluded: r.excluded,
      missing: r.missing,
      streak: streaks.get(r.unitId)?.streak ?? 0,
      action: streaks.get(r.unitId)?.action ?? null,
    }));
    await repo.insertRankingRows(tx, values);
    await writeAudit(tx, actor, {
      action: 'ranking.snapshot.create',
      entityType: 'ranking_snapshot',
      entityId: snap.id,
      after: { period: p.period, ownerRegionId: owner, version: snap.version, units: rows.length },
    });
    return snap.id;
  });
  return getSnapshot(database, actor, id);
}

/**
 * Publishes a draft: its flags become official and the consequences of consecutive flags are
 * recorded. Refused when an earlier period was published after the draft was computed (its streaks
 * would be stale): recompute first.
 */
export async function publishSnapshot(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TSnapshot> {
  const { visibility } = writeLevel(actor);
  await withTx(database, async (tx) => {
    const snap = await repo.findSnapshot(tx, id, visibility);
    if (!snap) throw notFound();
    if (snap.state !== 'draft') {
      throw new AppError('invalid_state', 409, {
        zh: snap.state === 'published' ? '该排名已发布' : '该排名已被新版本取代，不能发布',
        en:
          snap.state === 'published'
            ? 'this snapshot is already published'
            : 'a newer version replaced this snapshot; it cannot be published',
      });
    }
    const rows = await repo.rowsOf(tx, id);
    const p = parseRankingPeriod(snap.period)!;
    const streaks = await streaksFor(
      tx,
      snap.rules,
      p,
      new Map(rows.map((r) => [r.unitId, r.flag])),
      snap.ownerRegionId,
    );
    const stale = rows.some(
      (r) => r.flag !== null && (streaks.get(r.unitId)?.streak ?? 0) !== r.streak,
    );
    if (stale) {
      throw new AppError('stale_snapshot', 409, {
        zh: '计算后又有往期排名发布，连续次数已变化，请重新计算后再发布',
        en: 'earlier periods were published since this snapshot was computed; recompute it first',
      });
    }
    if (!(await repo.markSnapshotPublished(tx, id, new Date(), actor.id))) throw notFound();
    const cons = rows
      .filter((r) => r.flag !== null && r.action !== null)
      .map((r) => ({
        snapshotId: id,
        period: snap.period,
        unitId: r.unitId,
        flag: r.flag!,
        streak: r.streak,
        action: r.action!,
      }));
    await repo.insertConsequences(tx, cons);
    await writeAudit(tx, actor, {
      action: 'ranking.snapshot.publish',
      entityType: 'ranking_snapshot',
      entityId: id,
      after: { period: snap.period, version: snap.version, consequences: cons.length },
    });
  });
  return getSnapshot(database, actor, id);
}

function summaryOf(
  s: repo.SnapshotRow,
  c: { units: number; red: number; black: number },
  names: ReadonlyMap<number, string>,
): TSnapshotSummary {
  return {
    id: s.id,
    ownerRegionId: s.ownerRegionId,
    ownerName: s.ownerRegionId === null ? null : (names.get(s.ownerRegionId) ?? null),
    period: s.period,
    kind: s.kind,
    from: s.periodFrom.toISOString(),
    to: s.periodTo.toISOString(),
    version: s.version,
    state: s.state,
    createdAt: s.createdAt.toISOString(),
    createdByName: s.createdByName,
    publishedAt: s.publishedAt?.toISOString() ?? null,
    units: c.units,
    red: c.red,
    black: c.black,
  };
}

/**
 * The snapshots the reader sees, newest period first; `ownerRegionId` narrows them to one level's
 * (`city`, or a district's or street's region: the city looks at a district's results).
 */
export async function listSnapshots(
  database: Database,
  actor: Actor,
  q: {
    kind?: 'month' | 'week';
    state?: 'draft' | 'published' | 'superseded';
    ownerRegionId?: 'city' | number;
  },
): Promise<{ items: TSnapshotSummary[] }> {
  const v = readVisibility(actor);
  const rows = await repo.listSnapshots(database.db, v, {
    kind: q.kind,
    state: q.state,
    owner: q.ownerRegionId,
  });
  const names = await repo.regionNames(
    database.db,
    rows.map((r) => r.s.ownerRegionId),
  );
  return { items: rows.map((r) => summaryOf(r.s, r.c, names)) };
}

/**
 * A snapshot with its rows by class; a unit (or a reader who sees it only as a unit's) sees a
 * published one, and only its own row. One the reader may not see is 404, as if it did not exist.
 */
export async function getSnapshot(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TSnapshot> {
  const v = readVisibility(actor);
  const snap = await repo.findSnapshot(database.db, id, v);
  if (!snap) throw notFound();
  const all = await repo.rowsOf(database.db, id);
  const counts = {
    units: all.length,
    red: all.filter((r) => r.flag === 'red').length,
    black: all.filter((r) => r.flag === 'black').length,
  };
  const ownUnit = v.kind === 'all' ? undefined : v.unitId;
  const rows = (await seesWhole(database.db, v, snap))
    ? all
    : all.filter((r) => r.unitId === ownUnit);
  const names = await repo.regionNames(database.db, [snap.ownerRegionId]);
  return {
    ...summaryOf(snap, counts, names),
    rules: snap.rules,
    // A district's or street's ranking shows the classes it has units in (no 区县 tab for a
    // district's own ranking: the district governments are ranked by the city); the city's, all.
    classes: snap.rules.classes
      .filter((c) => snap.ownerRegionId === null || all.some((r) => r.unitClass === c.key))
      .map((c) => ({
        key: c.key,
        label: c.label,
        rows: rows
          .filter((r) => r.unitClass === c.key)
          .map((r) => ({
            unitId: r.unitId,
            unitName: r.unitName,
            unitClass: r.unitClass,
            sample: r.sample,
            values: r.values,
            score: r.score,
            rank: r.rank,
            classSize: r.classSize,
            flag: r.flag,
            excluded: r.excluded,
            missing: r.missing,
            streak: r.streak,
            action: r.action,
          })),
      })),
  };
}

function presentConsequence(c: { c: repo.ConsequenceRow; unitName: string }): TConsequence {
  return {
    id: c.c.id,
    snapshotId: c.c.snapshotId,
    period: c.c.period,
    unitId: c.c.unitId,
    unitName: c.unitName,
    flag: c.c.flag,
    streak: c.c.streak,
    action: c.c.action,
    createdAt: c.c.createdAt.toISOString(),
  };
}

/**
 * A unit's published standings, flag counts and consequences in the rankings the reader sees (a
 * unit: only its own; a district office: a unit of its subtree, in its levels' rankings).
 */
export async function unitHistory(
  database: Database,
  actor: Actor,
  unitId: number,
): Promise<TUnitHistory> {
  const v = readVisibility(actor);
  if (v.kind === 'unit' && v.unitId !== unitId) throw errors.notFound('unit', unitId);
  if (
    v.kind === 'level' &&
    v.unitId !== unitId &&
    !(await unitWithin(database.db, unitId, v.within))
  ) {
    throw errors.notFound('unit', unitId);
  }
  const unit = (await repo.activeUnits(database.db)).find((u) => u.id === unitId);
  const rows = await repo.unitRows(database.db, unitId, v);
  if (!unit && rows.length === 0) throw errors.notFound('unit', unitId);
  const cons = await repo.consequences(database.db, unitId, v);
  const names = await repo.regionNames(
    database.db,
    rows.map((x) => x.s.ownerRegionId),
  );
  return {
    unitId,
    unitName: unit?.name ?? rows[rows.length - 1]!.r.unitName,
    unitClass: rows[rows.length - 1]?.r.unitClass ?? null,
    periods: rows.map(({ s, r }) => ({
      snapshotId: s.id,
      period: s.period,
      kind: s.kind,
      ownerRegionId: s.ownerRegionId,
      ownerName: s.ownerRegionId === null ? null : (names.get(s.ownerRegionId) ?? null),
      score: r.score,
      rank: r.rank,
      classSize: r.classSize,
      flag: r.flag,
      streak: r.streak,
      excluded: r.excluded,
      values: r.values,
    })),
    flags: {
      red: rows.filter((x) => x.r.flag === 'red').length,
      black: rows.filter((x) => x.r.flag === 'black').length,
    },
    consequences: cons.map(presentConsequence),
  };
}

export async function listConsequences(
  database: Database,
  actor: Actor,
  q: { unitId?: number },
): Promise<{ items: TConsequence[] }> {
  const v = readVisibility(actor);
  const unitId = v.kind === 'unit' ? v.unitId : q.unitId;
  return { items: (await repo.consequences(database.db, unitId, v)).map(presentConsequence) };
}

/** Labels of the measures, for pages and sheets. */
export const measureLabel = (key: string) =>
  RANKING_MEASURE_INFO[key as keyof typeof RANKING_MEASURE_INFO]?.label ?? { zh: key, en: key };
