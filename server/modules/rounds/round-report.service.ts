import type { TRoundReport } from '../../../core/contracts/inspections.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { actorPermissions, officeRegionOf, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { dayRollups, presentRollups, rollupRow } from './round-report.present.js';
import * as daysRepo from './round-days.repo.js';
import * as repo from './round-report.repo.js';
import { managesRound } from './round-access.js';
import { findRound } from './rounds.repo.js';
import { standardRollup } from './standard-rollup.js';

/** The roll-up by day of a round drawn by day (from its roll-up by district). */
async function dayRows(
  db: DbOrTx,
  roundId: number,
  rows: Awaited<ReturnType<typeof repo.rollupRows>>,
) {
  const days = await daysRepo.daysOf(db, [roundId]);
  const names = await daysRepo.districtNames(db);
  return dayRollups(
    rows.filter((r) => r.dim === 'district'),
    days.map((d) => ({
      id: d.id,
      date: d.date,
      regionIds: d.regionIds,
      label: `${d.date} ${d.regionIds.map((id) => names.get(id) ?? `#${id}`).join('、')}`,
    })),
  );
}

/**
 * A round's report: 得分率 (item pass rate), mean point score, 合格率 and serious visits, in total
 * and by point type, district, region, responsible unit, point (one GROUPING SETS statement) and
 * — drawn by day — by day of the schedule; by checklist item, and by linked framework standard
 * (standard-rollup.ts), over the latest version of every visit — drawn points and places added
 * during the round (随机查看, marked) alike — and the total (and per-standard shares) of the
 * previous round of the same kind. A whole-campaign result: read by those who read the
 * campaign's scores (the office, leaders).
 */
export async function roundReport(
  database: Database,
  actor: Actor,
  roundId: number,
): Promise<TRoundReport> {
  // The city's score readers read every round's report; a district or street office the reports
  // of the rounds its level runs.
  const perms = actorPermissions(actor);
  if (!perms.has(Permission.ScoreRead) && !perms.has(Permission.InspectionManage)) {
    throw errors.forbidden();
  }
  const db = database.db;
  const round = await findRound(db, roundId);
  const readsAll = perms.has(Permission.ScoreRead) && officeRegionOf(actor) === null;
  if (!round || (!readsAll && !(await managesRound(db, actor, round)))) {
    throw errors.notFound('round', roundId);
  }
  const rows = await repo.rollupRows(db, roundId);
  const { total, byType, byDistrict, byRegion, byUnit, byPoint } = presentRollups(rows);
  const byDay = round.byDistrict ? await dayRows(db, roundId, rows) : [];
  // Places added on the spot (随机查看) are scored like drawn points, and marked.
  const added = await repo.addedPointKeys(db, roundId);
  for (const p of byPoint) p.added = added.has(p.key);
  const byItem = (await repo.itemRows(db, roundId)).map(rollupRow);
  const prev = await repo.previousRound(db, round.kind, roundId);
  let previous: TRoundReport['previous'] = null;
  if (prev) {
    const pt = await repo.totalRow(db, prev.id);
    previous = { roundId: prev.id, roundName: prev.name, total: rollupRow(pt) };
  }
  const byStandard = await standardRollup(db, roundId, prev?.id ?? null);
  return {
    roundId,
    roundName: round.name,
    drawn: round.drawnIds?.length ?? 0,
    visited: total.visits,
    added: byPoint.filter((p) => p.added).length,
    total,
    byType,
    byDistrict,
    byDay,
    byRegion,
    byUnit,
    byPoint,
    byItem,
    byStandard,
    previous,
  };
}
