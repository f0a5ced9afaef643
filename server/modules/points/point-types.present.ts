import type { TChecklistItemView, TPointType } from '../../../core/contracts/inspections.js';
import type { ChecklistItem } from '../../../core/inspection/score.js';
import type { TypeRow } from './point-types.repo.js';

/** Fills the optional fields of stored items (the seed and older rows omit some). */
export function normalItem(i: ChecklistItem): TChecklistItemView {
  return {
    text: i.text,
    guidance: i.guidance ?? null,
    countRule: i.countRule ?? null,
    quantity: i.quantity ?? null,
    serious: i.serious ?? false,
    severeCapable: i.severeCapable ?? false,
    standards: [...(i.standards ?? [])],
  };
}

export function presentPointType(r: TypeRow): TPointType {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    sampling: r.sampling,
    defaultDrawCount: r.default_draw_count,
    route: r.route,
    checklist: r.checklist.map(normalItem),
    randomCheck: r.random_check,
    version: r.version,
    points: r.points,
    visits: r.visits,
    awaiting: r.awaiting,
    activeRounds: r.active_rounds,
  };
}
