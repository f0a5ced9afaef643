import type {
  TCountOverride,
  TDrawnPoint,
  TRound,
  TRoundDay,
} from '../../../core/contracts/inspections.js';
import type { DrawPoint, DrawRule } from '../../../core/draw/draw.js';
import type { RoundDayRow } from './round-days.repo.js';
import type { PointLabel, RoundRow } from './rounds.repo.js';

type State = RoundRow['state'];

export const STATE_LABELS: Record<State, { zh: string; en: string }> = {
  planned: { zh: '待抽签', en: 'planned' },
  committed: { zh: '已公布承诺值', en: 'committed' },
  drawn: { zh: '已抽取', en: 'drawn' },
  revealed: { zh: '已公开种子', en: 'revealed' },
};

/** Drawn ids by name, type and district (a point deleted since is shown by its id). */
function named(ids: number[], labels: ReadonlyMap<number, PointLabel>): TDrawnPoint[] {
  return ids.map((id) => ({
    id,
    ...(labels.get(id) ?? { name: `#${id}`, typeCode: '', typeName: '', districtName: null }),
  }));
}

/** A day of the schedule as its reader may see it (the round's rule for secret rounds). */
export function presentDay(
  d: RoundDayRow,
  mayKnowPoints: boolean,
  labels: ReadonlyMap<number, PointLabel>,
  districtNames: ReadonlyMap<number, string>,
): TRoundDay {
  const drawn = mayKnowPoints ? d.drawnIds : null;
  return {
    id: d.id,
    date: d.date,
    regionIds: d.regionIds,
    districts: d.regionIds.map((id) => ({ id, name: districtNames.get(id) ?? `#${id}` })),
    overrides: d.overrides as TCountOverride[],
    state: d.state,
    stateLabel: STATE_LABELS[d.state],
    plan: (d.plan as DrawRule[] | null) ?? null,
    commitment: d.commitment,
    fingerprint: d.fingerprint,
    frozenList: mayKnowPoints ? ((d.frozenList as DrawPoint[] | null) ?? null) : null,
    drawnIds: drawn,
    drawnPoints: drawn ? named(drawn, labels) : null,
    seed: d.state === 'revealed' ? d.seed : null,
    committedAt: d.committedAt?.toISOString() ?? null,
    drawnAt: d.drawnAt?.toISOString() ?? null,
    revealedAt: d.revealedAt?.toISOString() ?? null,
    version: d.version,
  };
}

/**
 * A round as its reader may see it: `mayKnowPoints` (decided by the service) says whether the
 * frozen list and the drawn points are shown; the seed only once revealed. `labels` names the
 * drawn points (a point deleted since is shown by its id). A round drawn by day carries its days.
 */
export function presentRound(
  r: RoundRow,
  mayKnowPoints: boolean,
  labels: ReadonlyMap<number, PointLabel> = new Map(),
  days: RoundDayRow[] = [],
  districtNames: ReadonlyMap<number, string> = new Map(),
  ownerNames: ReadonlyMap<number, string> = new Map(),
): TRound {
  const drawn = mayKnowPoints ? r.drawnIds : null;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    state: r.state,
    stateLabel: STATE_LABELS[r.state],
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    plan: r.plan as DrawRule[],
    regionIds: r.regionIds,
    inspectorIds: r.inspectorIds,
    commitment: r.commitment,
    fingerprint: r.fingerprint,
    frozenList: mayKnowPoints ? ((r.frozenList as DrawPoint[] | null) ?? null) : null,
    drawnIds: drawn,
    drawnPoints: drawn ? named(drawn, labels) : null,
    seed: r.state === 'revealed' ? r.seed : null,
    committedAt: r.committedAt?.toISOString() ?? null,
    drawnAt: r.drawnAt?.toISOString() ?? null,
    revealedAt: r.revealedAt?.toISOString() ?? null,
    byDistrict: r.byDistrict,
    ownerRegionId: r.ownerRegionId,
    ownerName: r.ownerRegionId === null ? null : (ownerNames.get(r.ownerRegionId) ?? null),
    handDown: r.handDown,
    days: days.map((d) => presentDay(d, mayKnowPoints, labels, districtNames)),
  };
}
