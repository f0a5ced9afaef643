import type { TPledge } from '../../../core/contracts/groups.js';
import type {
  PledgeIndicatorRow,
  PledgeRow,
  PledgeAssignmentRow,
  CampaignRow,
  UnitRow,
} from './groups.repo.js';

/** 目标责任书: the unit's assignments and indicators on the campaign, with the signing status. */
export function presentPledge(
  c: CampaignRow,
  u: UnitRow,
  a: { a: PledgeRow; by: string | null } | undefined,
  assignments: PledgeAssignmentRow[],
  inds: PledgeIndicatorRow[],
): TPledge {
  return {
    campaignId: c.id,
    campaignName: c.name,
    unitId: u.id,
    unitName: u.name,
    status: a?.a.status ?? 'unsigned',
    signedFileId: a?.a.signedFileId ?? null,
    signedByName: a?.by ?? null,
    signedAt: a?.a.signedAt?.toISOString() ?? null,
    version: a?.a.version ?? 1,
    assignments: assignments.map((t) => ({
      frameworkName: t.framework_name,
      standardCode: t.standard_code,
      standardText: t.standard_text,
      maxScore: Number(t.max_score),
      role: t.lead ? 'lead' : 'responsible',
      leaderName: t.leader_name,
      due: t.due_date ?? t.due_text,
    })),
    indicators: inds.map((i) => ({
      name: i.name,
      target: `${i.direction === 'gte' ? '≥' : '≤'} ${Number(i.target)}${i.measure}`,
      standardCode: i.code,
    })),
  };
}
