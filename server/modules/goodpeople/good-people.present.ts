import type {
  TGoodPersonMonth,
  TNomination,
  TPublicGoodPerson,
  TUpwardStep,
} from '../../../core/contracts/good-people.js';
import type { MonthRow, NominationRow, StepRow } from './good-people.repo.js';

function presentStep(s: StepRow): TUpwardStep {
  return { id: s.id, level: s.level, stage: s.stage, on: s.on, note: s.note };
}

/** Who put the name forward, as the office reads it. */
function nominatorLabel(r: NominationRow): string {
  if (r.source === 'citizen') return '群众推荐';
  return r.nominatorUnitName ?? r.nominatorRegionName ?? '—';
}

/**
 * A nomination for staff. A citizen nominator's name and phone only for a reviewer (`contacts`):
 * a unit sees its own nominations, never a citizen's contact.
 */
export function presentNomination(
  r: NominationRow,
  extra: { votes: number; steps: StepRow[]; contacts: boolean },
): TNomination {
  return {
    id: r.id,
    month: r.month,
    category: r.category,
    nomineeName: r.nomineeName,
    deeds: r.deeds,
    regionId: r.regionId,
    regionName: r.regionName,
    photoId: r.photoFileId,
    source: r.source,
    nominatorLabel: nominatorLabel(r),
    citizenName: extra.contacts ? r.citizenName : null,
    citizenPhone: extra.contacts ? r.citizenPhone : null,
    status: r.status,
    reason: r.reason,
    rank: r.rank,
    voteCount: extra.votes,
    steps: extra.steps.map(presentStep),
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
  };
}

/** A nominee on a public page: name, category, deeds, place, votes — nothing about who nominated. */
export function presentPublic(
  r: NominationRow,
  extra: { votes: number; steps: StepRow[] },
): TPublicGoodPerson {
  const photo = r.photoFileId ? `/api/public/good-people/${r.id}/photo` : null;
  return {
    id: r.id,
    month: r.month,
    category: r.category,
    nomineeName: r.nomineeName,
    deeds: r.deeds,
    regionName: r.regionName,
    rank: r.status === 'honoured' ? r.rank : null,
    voteCount: extra.votes,
    photoUrl: photo,
    thumbUrl: photo && `${photo}/thumb`,
    steps: extra.steps.map((s) => ({ level: s.level, stage: s.stage, on: s.on })),
  };
}

export function presentMonth(month: string, m: MonthRow | undefined): TGoodPersonMonth {
  return {
    month,
    state: m?.state ?? 'collecting',
    version: m?.version ?? 0,
    votingOpenedAt: m?.votingOpenedAt?.toISOString() ?? null,
    votingClosedAt: m?.votingClosedAt?.toISOString() ?? null,
    publishedAt: m?.publishedAt?.toISOString() ?? null,
  };
}
