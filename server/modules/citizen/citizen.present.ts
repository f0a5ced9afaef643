import type { TExposureItem, TTrackResponse } from '../../../core/contracts/citizen.js';
import type { CalendarTable } from '../../../core/calendar/working-days.js';
import { escalationLevel } from '../../../core/problems/escalation.js';
import { PROBLEM_STATE_LABELS, type TProblemState } from '../../../core/problems/lifecycle.js';
import type {
  CitizenReportRow,
  ExposureListRow,
  ProblemEventRow,
  ProblemWithNames,
  PublicPhotoRow,
} from './citizen.repo.js';

/** Public wording of each timeline step; internal steps (extension talk) are left out. */
const PUBLIC_STEPS: Record<string, { zh: string; en: string } | null> = {
  create: { zh: '已收到您的反映', en: 'Report received' },
  register: { zh: '已立案', en: 'Accepted' },
  reject: { zh: '不予立案', en: 'Not accepted' },
  dispatch: { zh: '已交责任单位办理', en: 'Sent to the responsible unit' },
  return: { zh: '重新确定责任单位', en: 'Being reassigned' },
  submit: { zh: '责任单位已整改，待核查', en: 'Fixed, awaiting verification' },
  approve: { zh: '核查通过，已销号', en: 'Verified and closed' },
  rework: { zh: '核查未通过，继续整改', en: 'Verification failed; being fixed again' },
  approve_extension: { zh: '办理期限已延长', en: 'Deadline extended' },
  defer: { zh: '暂缓办理', en: 'Deferred' },
  resume: { zh: '恢复办理', en: 'Resumed' },
  reopen: { zh: '重新办理', en: 'Reopened' },
  reporter_reopen: { zh: '应市民申请重新办理', en: 'Reopened at a reporter’s request' },
  rate: { zh: '收到市民评价', en: 'Rating received' },
  merge: { zh: '与同一问题合并办理', en: 'Handled together with the same problem' },
};

function publicPhotoUrls(base: string, fileId: string) {
  return { url: `${base}/photos/${fileId}`, thumbUrl: `${base}/photos/${fileId}/thumb` };
}

function presentPublicPhotos(base: string, photos: PublicPhotoRow[]) {
  return photos.map((p) => ({ ...publicPhotoUrls(base, p.fileId), stage: p.stage }));
}

/**
 * What a tracking code shows: the citizen's own report, the progress of the problem that handles it
 * (the one it was merged into, if any) in public wording, and the public photos.
 */
export function presentTrack(
  code: string,
  found: { report: CitizenReportRow; own: ProblemWithNames; handling: ProblemWithNames },
  events: ProblemEventRow[],
  photos: PublicPhotoRow[],
  feedback: TTrackResponse['feedback'],
): TTrackResponse {
  const { report, own, handling } = found;
  // After a merge the citizen follows the problem it joined, from the moment it joined.
  const mergedAt = events.find((e) => e.problemId === own.p.id && e.action === 'merge')?.at;
  const timeline = events
    .filter((e) => e.problemId === own.p.id || (mergedAt !== undefined && e.at > mergedAt))
    .flatMap((e) => {
      const label = PUBLIC_STEPS[e.action];
      if (!label) return [];
      return [{ at: e.at.toISOString(), label, publicNote: e.action === 'reject' ? e.note : null }];
    });
  const state = handling.p.state as TProblemState;
  return {
    trackingCode: code,
    categoryName: own.categoryName,
    description: own.p.description,
    address: own.p.address,
    status: state,
    statusLabel: PROBLEM_STATE_LABELS[state],
    unitName: handling.unitName,
    submittedAt: report.createdAt.toISOString(),
    timeline,
    photos: presentPublicPhotos(`/api/public/track/${code}`, photos),
    smsUpdates: report.smsOptIn,
    feedback,
  };
}

/** A 曝光台 entry; the escalation colour is derived here, at `now`. */
export function presentExposureItem(
  r: ExposureListRow,
  photos: PublicPhotoRow[],
  now: Date,
  calendar: CalendarTable,
): TExposureItem {
  const state = r.p.state as TProblemState;
  return {
    id: r.p.id,
    title: r.e.title,
    note: r.e.note,
    categoryName: r.categoryName,
    address: r.p.address,
    lat: r.p.lat,
    lng: r.p.lng,
    unitName: r.unitName,
    status: state,
    statusLabel: PROBLEM_STATE_LABELS[state],
    escalation: escalationLevel(
      { state, deadline: r.p.deadline, reworkCount: r.p.reworkCount },
      now,
      calendar,
    ),
    recurrence: r.p.recurrenceOfId !== null,
    reportedAt: r.p.createdAt.toISOString(),
    publishedAt: r.e.publishedAt.toISOString(),
    closedAt: r.p.closedAt ? r.p.closedAt.toISOString() : null,
    photos: presentPublicPhotos(
      `/api/public/exposure/${r.p.id}`,
      photos.filter((ph) => ph.problemId === r.p.id),
    ),
  };
}

/** The keyset cursor of the board: `<published ms>_<problem id>` of the page's last entry. */
export function exposureCursor(last: ExposureListRow): string {
  return `${last.e.publishedAt.getTime()}_${last.p.id}`;
}
