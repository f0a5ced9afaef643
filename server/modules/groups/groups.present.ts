import type { TAgreement } from '../../../core/contracts/groups.js';
import type {
  AgreementIndicatorRow,
  AgreementRow,
  AgreementTaskRow,
  CampaignRow,
  UnitRow,
} from './groups.repo.js';

/** 目标责任书: the unit's tasks and indicators on the campaign, with the signing status. */
export function presentAgreement(
  c: CampaignRow,
  u: UnitRow,
  a: { a: AgreementRow; by: string | null } | undefined,
  tasks: AgreementTaskRow[],
  inds: AgreementIndicatorRow[],
): TAgreement {
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
    tasks: tasks.map((t) => ({
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
