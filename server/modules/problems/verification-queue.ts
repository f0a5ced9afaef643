import type {
  TProblemPhoto,
  TVerificationItem,
  TVerificationQueueQuery,
} from '../../../core/contracts/problems.js';
import { escalationLevel } from '../../../core/problems/escalation.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { pageOf } from '../../platform/pagination.js';
import { presentFile } from '../files/files.service.js';
import { presentProblem } from './problems.present.js';
import { loadCalendar } from './problems.repo.js';
import { latestSubmissions, listSubmitted, photosOfMany } from './verification-queue.repo.js';

/**
 * 核查队列: the rectifications waiting for a verifier, oldest submission first, each with what the
 * verifier needs on site — the unit's note and the before and after photos — in three queries.
 */
export async function verificationQueue(
  database: Database,
  actor: Actor,
  q: TVerificationQueueQuery,
): Promise<{ items: TVerificationItem[]; nextCursor: string | null; total: number }> {
  const scope = requirePermission(actor, Permission.ProblemVerify);
  const now = new Date();
  const { rows, total } = await listSubmitted(database.db, scope, q);
  const page = pageOf(rows, q.limit, (r) => r.submittedAt);
  const ids = page.items.map((r) => r.id);
  const [calendar, photos, submissions] = await Promise.all([
    loadCalendar(database.db),
    photosOfMany(database.db, ids),
    latestSubmissions(database.db, ids),
  ]);
  const photo = (p: (typeof photos)[number]): TProblemPhoto => {
    const f = presentFile(p.file);
    return {
      id: f.id,
      url: f.url,
      thumbUrl: f.thumbUrl,
      stage: p.stage,
      eventId: p.eventId,
      takenAt: f.takenAt,
      lat: f.lat,
      lng: f.lng,
    };
  };
  const items = page.items.map((r): TVerificationItem => {
    const submission = submissions.find((s) => s.problemId === r.id) ?? null;
    const submittedAt = r.submittedAt ?? submission?.at ?? now;
    const mine = photos.filter((p) => Number(p.problemId) === r.id);
    return {
      problem: presentProblem(r, now, calendar),
      // The clock stops when the unit submits: the colour it had then is the one that counts.
      submittedEscalation: escalationLevel(
        { state: 'dispatched', deadline: r.deadline, reworkCount: r.reworkCount },
        submittedAt,
        calendar,
      ),
      submittedLate: r.deadline !== null && submittedAt > r.deadline,
      submission: submission
        ? {
            note: submission.note,
            actorName: submission.actorName,
            at: submission.at.toISOString(),
          }
        : null,
      before: mine.filter((p) => p.stage === 'before').map(photo),
      after: mine
        .filter((p) => p.stage === 'after' && p.eventId !== null && p.eventId === submission?.id)
        .map(photo),
    };
  });
  return { items, nextCursor: page.nextCursor, total };
}
