import type { TItemAnswer } from '../../../core/contracts/inspections.js';
import { describeCounted, describeQuantity } from '../../../core/inspection/quantity.js';
import {
  categoryCodeFor,
  isSevereFailure,
  type ChecklistItem,
} from '../../../core/inspection/score.js';
import type { TSeverity } from '../../../core/contracts/problems.js';
import type { Tx } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { intakeProblem } from '../problems/problems.service.js';
import { dispatchToUnit } from '../problems/dispatch-to-unit.js';
import * as repo from './findings.repo.js';
import { handProblemDown } from '../problems/hand-down.js';
import { unitWithin } from '../org/regions.repo.js';

export interface FindingPoint {
  id: number;
  name: string;
  regionId: number | null;
  unitId: number | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
}

/** What was counted, against the rule, e.g. "计数 3处（要求不少于5处）". */
function counted(item: ChecklistItem | undefined, a: TItemAnswer): string | null {
  if (a.count == null) return null;
  if (!item?.quantity) return `计数 ${a.count}`;
  const seen = describeCounted(item.quantity, a.count, a.total);
  return `计数 ${seen}（要求${describeQuantity(item.quantity).zh}）`;
}

/**
 * Runs inside the transaction of a visit's submission or correction (visits.service.ts), whose
 * caller has already checked the permission.
 *
 * From findings to problems (decided in docs/decisions.md): the failed items of one visit of one
 * point become ONE problem — one place, one responsible unit, one rectification — listing every
 * failed item, with their photos. A serious item makes it urgent. It is registered at once (an
 * inspector's finding needs no triage) and dispatched to the point's responsible unit (包保单位)
 * when the point has one. The external reference `visit-<first version id>` makes it idempotent:
 * a retry, or a correction of the same visit, never raises a second problem.
 */
export async function raiseFindings(
  tx: Tx,
  actor: Actor,
  input: {
    rootId: number;
    roundName: string;
    /** Who runs the round (null: the city) and whether the city hands its findings down. */
    round: { ownerRegionId: number | null; handDown: boolean };
    point: FindingPoint;
    checklist: readonly ChecklistItem[];
    items: readonly TItemAnswer[];
    visitedAt: Date;
  },
): Promise<number | null> {
  const failed = input.items.filter((a) => a.result === 'fail').sort((a, b) => a.index - b.index);
  if (failed.length === 0) return null;
  const text = (a: TItemAnswer) => input.checklist[a.index]?.text ?? `#${a.index + 1}`;
  const severe = (a: TItemAnswer) => isSevereFailure(input.checklist[a.index], a);
  const serious = failed.some(severe);
  const code = categoryCodeFor(text(failed[0]!));
  const cats = await repo.categoriesByCode(tx, [code, 'QT01']);
  const categoryId = (cats.find((c) => c.code === code) ?? cats[0])?.id;
  if (categoryId === undefined) return null;
  // Only photos this actor uploaded and no problem uses yet can be attached (at most 9).
  const wanted = [...new Set(failed.flatMap((a) => a.photoIds))];
  const usable = wanted.length ? await repo.unusedPhotoIds(tx, wanted, actor.id) : [];
  const photoIds = wanted.filter((id) => usable.includes(id)).slice(0, 9);
  const severity: TSeverity = serious ? 'urgent' : 'normal';
  const lines = failed.map((a, i) => {
    const extra = [counted(input.checklist[a.index], a), a.note].filter(Boolean).join('；');
    return `${i + 1}. ${text(a)}${severe(a) ? '（严重）' : ''}${extra ? `：${extra}` : ''}`;
  });
  const { detail, created } = await intakeProblem(
    tx,
    actor,
    {
      title: `${input.point.name}：${failed.length} 项检查不合格`.slice(0, 100),
      description: `${input.roundName} 实地检查不合格项：\n${lines.join('\n')}`.slice(0, 2000),
      categoryId,
      severity,
      channel: 'inspection',
      lat: input.point.lat,
      lng: input.point.lng,
      address: input.point.address,
      regionId: input.point.regionId,
      externalRef: `visit-${input.rootId}`,
      register: true,
      photoIds,
    },
    { duplicateRadiusM: 0, recurrenceDays: 90 },
    { pointId: input.point.id },
  );
  const problemId = detail.problem.id;
  if (!created) return problemId;
  const { ownerRegionId, handDown } = input.round;
  // 交办属地: a city round that hands its findings down leaves each to the office of the district
  // holding the point, which dispatches it to one of its own units.
  if (ownerRegionId === null && handDown && input.point.regionId !== null) {
    const district = await repo.districtHolding(tx, input.point.regionId);
    if (district) {
      await handProblemDown(tx, actor, {
        problem: { ...detail.problem, handedToRegionId: null },
        target: district,
        note: `${input.roundName}实地检查发现，交${district.name}创建办派遣`,
        at: new Date(),
      });
      return problemId;
    }
  }
  if (input.point.unitId === null) return problemId;
  const unit = await repo.findUnit(tx, input.point.unitId);
  if (!unit?.active) return problemId;
  // A district or street round dispatches to its own units only: a 包保单位 above its level (a
  // city department) leaves the problem registered for the office above to dispatch.
  if (ownerRegionId !== null && !(await unitWithin(tx, unit.id, ownerRegionId))) return problemId;
  // Dispatch to the 包保单位 in the same transaction, as the office's dispatch would.
  await dispatchToUnit(tx, actor, {
    problemId,
    version: detail.problem.version,
    categoryId,
    severity,
    unit,
    note: '实地检查发现，派往点位包保单位',
  });
  return problemId;
}
