import {
  RANKING_MEASURE_INFO,
  type TConsequence,
  type TRankingRulesConfig,
  type TSnapshot,
  type TSnapshotSummary,
  type TUnitHistory,
} from '../../../core/contracts/rankings.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { Permission, type TScope } from '../../../core/permissions.js';
import { toRankingRules, unitFigures } from '../../../core/ranking/measures.js';
import {
  parseRankingPeriod,
  periodsEndingWith,
  type TRankingPeriod,
} from '../../../core/ranking/periods.js';
import { flagStreaks, rankUnits } from '../../../core/ranking/unit-ranking.js';
import type { Database, DbOrTx } from '../../db/client.js';
import type { SnapshotTotals } from '../../db/schema/rankings.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { reportedCounts } from './bulletins.repo.js';
import * as repo from './rankings.repo.js';

const notFound = () =>
  new AppError('not_found', 404, { zh: '排名快照不存在', en: 'ranking snapshot not found' });

/** A read: the office and leaders see everything, a unit only published rows of its own. */
function readScope(actor: Actor): TScope {
  const scope = requirePermission(actor, Permission.RankingRead);
  if (scope.kind === 'all') return scope;
  if (scope.kind === 'unit') return scope;
  throw errors.forbidden();
}

export async function getRules(database: Database, actor: Actor) {
  readScope(actor);
  const r = await repo.loadRules(database.db);
  return { rules: r.rules, version: r.version, updatedAt: r.updatedAt?.toISOString() ?? null };
}

export async function putRules(
  database: Database,
  actor: Actor,
  body: { rules: TRankingRulesConfig; version: number },
) {
  requirePermission(actor, Permission.RankingWrite);
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
      { path: 'body.period', message: 'not a month or an ISO week' },
    ]);
  }
  if (p.from > now) {
    throw errors.invalid({ zh: '周期尚未开始，不能排名', en: 'the period has not started yet' }, [
      { path: 'body.period', message: 'future period' },
    ]);
  }
  return p;
}

/** Streak and consequence of each flagged unit, from the published periods just before `p`. */
async function streaksFor(
  db: DbOrTx,
  rules: TRankingRulesConfig,
  p: TRankingPeriod,
  flags: Map<number, 'red' | 'black' | null>,
) {
  const depth = Math.max(1, ...rules.consequences.map((c) => c.streak)) + 12;
  const earlier = periodsEndingWith(p, depth + 1).slice(0, -1);
  const published = await repo.publishedFlags(
    db,
    earlier.map((e) => e.period),
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
 * Figures of every ranked unit in a period, ranked by the rules, and the city's totals of the
 * period (no writes).
 */
export async function computeRanking(
  db: DbOrTx,
  rules: TRankingRulesConfig,
  p: TRankingPeriod,
  now: Date,
) {
  const year = Number(shanghaiDate(p.from).slice(0, 4));
  // One after another: `db` is usually a transaction, i.e. one connection.
  const allUnits = await repo.activeUnits(db);
  const { byUnit: problems, total } = await repo.problemFigures(db, p.from, p.to, now);
  const [reported] = await reportedCounts(db, [p]);
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
 * Takes the snapshot of a period: a new version while the period has no published one (the
 * previous draft is superseded); refused once published. Rows are written once, never updated.
 */
export async function createSnapshot(
  database: Database,
  actor: Actor,
  body: { period: string },
  now = new Date(),
): Promise<TSnapshot> {
  requirePermission(actor, Permission.RankingWrite);
  const p = parsePeriod(body.period, now);
  const id = await withTx(database, async (tx) => {
    const existing = await repo.snapshotsOfPeriod(tx, p.period);
    if (existing.some((s) => s.state === 'published')) {
      throw new AppError('already_published', 409, {
        zh: `${p.period} 的排名已发布，不能重新计算`,
        en: `the ranking of ${p.period} is published and cannot be recomputed`,
      });
    }
    const { rules } = await repo.loadRules(tx);
    const { rows, totals } = await computeRanking(tx, rules, p, now);
    const streaks = await streaksFor(tx, rules, p, new Map(rows.map((r) => [r.unitId, r.flag])));
    for (const s of existing.filter((s) => s.state === 'draft')) {
      await repo.supersedeSnapshot(tx, s.id);
    }
    const snap = await repo.insertSnapshot(tx, {
      period: p.period,
      kind: p.kind,
      periodFrom: p.from,
      periodTo: p.to,
      version: (existing[0]?.version ?? 0) + 1,
      state: 'draft',
      rules,
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
      after: { period: p.period, version: snap.version, units: rows.length },
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
  requirePermission(actor, Permission.RankingWrite);
  await withTx(database, async (tx) => {
    const snap = await repo.findSnapshot(tx, id);
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
): TSnapshotSummary {
  return {
    id: s.id,
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

export async function listSnapshots(
  database: Database,
  actor: Actor,
  q: { kind?: 'month' | 'week'; state?: 'draft' | 'published' | 'superseded' },
): Promise<{ items: TSnapshotSummary[] }> {
  const scope = readScope(actor);
  const rows = await repo.listSnapshots(database.db, {
    kind: q.kind,
    state: scope.kind === 'unit' ? 'published' : q.state,
  });
  return {
    items: rows.filter((r) => !q.state || r.s.state === q.state).map((r) => summaryOf(r.s, r.c)),
  };
}

/** A snapshot with its rows by class; a unit sees a published one, and only its own row. */
export async function getSnapshot(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TSnapshot> {
  const scope = readScope(actor);
  const snap = await repo.findSnapshot(database.db, id);
  if (!snap || (scope.kind === 'unit' && snap.state !== 'published')) throw notFound();
  const all = await repo.rowsOf(database.db, id);
  const counts = {
    units: all.length,
    red: all.filter((r) => r.flag === 'red').length,
    black: all.filter((r) => r.flag === 'black').length,
  };
  const rows = scope.kind === 'unit' ? all.filter((r) => r.unitId === scope.unitId) : all;
  return {
    ...summaryOf(snap, counts),
    rules: snap.rules,
    classes: snap.rules.classes.map((c) => ({
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

/** A unit's published standings, flag counts and consequences (a unit: only its own). */
export async function unitHistory(
  database: Database,
  actor: Actor,
  unitId: number,
): Promise<TUnitHistory> {
  const scope = readScope(actor);
  if (scope.kind === 'unit' && scope.unitId !== unitId) throw errors.notFound('unit', unitId);
  const unit = (await repo.activeUnits(database.db)).find((u) => u.id === unitId);
  const rows = await repo.unitRows(database.db, unitId);
  if (!unit && rows.length === 0) throw errors.notFound('unit', unitId);
  const cons = await repo.consequences(database.db, unitId);
  return {
    unitId,
    unitName: unit?.name ?? rows[rows.length - 1]!.r.unitName,
    unitClass: rows[rows.length - 1]?.r.unitClass ?? null,
    periods: rows.map(({ s, r }) => ({
      snapshotId: s.id,
      period: s.period,
      kind: s.kind,
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
  const scope = readScope(actor);
  const unitId = scope.kind === 'unit' ? scope.unitId : q.unitId;
  return { items: (await repo.consequences(database.db, unitId)).map(presentConsequence) };
}

/** Labels of the measures, for pages and sheets. */
export const measureLabel = (key: string) =>
  RANKING_MEASURE_INFO[key as keyof typeof RANKING_MEASURE_INFO]?.label ?? { zh: key, en: key };
