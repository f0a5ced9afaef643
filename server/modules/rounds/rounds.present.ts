import type { TRound } from '../../../core/contracts/inspections.js';
import type { DrawPoint, DrawRule } from '../../../core/draw/draw.js';
import type { PointLabel, RoundRow } from './rounds.repo.js';

type State = RoundRow['state'];

export const STATE_LABELS: Record<State, { zh: string; en: string }> = {
  planned: { zh: '待抽签', en: 'planned' },
  committed: { zh: '已公布承诺值', en: 'committed' },
  drawn: { zh: '已抽取', en: 'drawn' },
  revealed: { zh: '已公开种子', en: 'revealed' },
};

/**
 * A round as its reader may see it: `mayKnowPoints` (decided by the service) says whether the
 * frozen list and the drawn points are shown; the seed only once revealed. `labels` names the
 * drawn points (a point deleted since is shown by its id).
 */
export function presentRound(
  r: RoundRow,
  mayKnowPoints: boolean,
  labels: ReadonlyMap<number, PointLabel> = new Map(),
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
    drawnPoints:
      drawn?.map((id) => ({
        id,
        ...(labels.get(id) ?? {
          name: `#${id}`,
          typeCode: '',
          typeName: '',
          districtName: null,
        }),
      })) ?? null,
    seed: r.state === 'revealed' ? r.seed : null,
    committedAt: r.committedAt?.toISOString() ?? null,
    drawnAt: r.drawnAt?.toISOString() ?? null,
    revealedAt: r.revealedAt?.toISOString() ?? null,
  };
}
