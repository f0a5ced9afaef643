import { RATING_LABELS, rateRefusal, type TRateRefusal } from '../../../core/citizen/replies.js';
import type { TRateReport, TTrackResponse } from '../../../core/contracts/citizen.js';
import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { insertEvent } from '../problems/problems.repo.js';
import { claimRating } from './citizen.repo.js';
import { reporterView, track, trackedProblems, trackingNotFound } from './citizen.service.js';

/** Who the reporter is in the timeline and the audit log: no account, the tracking code proves it. */
export function reporterActor(ip: string | null): Actor {
  return { ...SYSTEM_ACTOR, username: 'reporter', name: '报告人（市民）', roles: [], ip };
}

const RATE_REFUSALS: Record<TRateRefusal, AppError> = {
  not_closed: new AppError('not_closed', 409, {
    zh: '问题办结后才能评价',
    en: 'the result can be rated once the problem is closed',
  }),
  already_rated: new AppError('already_rated', 409, {
    zh: '您已评价过，每条反映只能评价一次',
    en: 'this report was rated already; a report is rated once',
  }),
};

/**
 * 评价: the reporter rates the result of a closed problem (the one their report was merged into,
 * if it was), once — proved by the tracking code. The rating goes on the report (for the unit's
 * 满意率), into the problem's timeline for the staff, and into the audit log.
 */
export async function rateReport(
  database: Database,
  code: string,
  input: TRateReport,
  opts: { ip: string | null; reopenWindowDays: number },
): Promise<TTrackResponse> {
  await withTx(database, async (tx) => {
    const found = await trackedProblems(tx, code);
    if (!found) throw trackingNotFound();
    const refusal = rateRefusal(reporterView(found));
    if (refusal) throw RATE_REFUSALS[refusal];
    const now = new Date();
    const comment = input.comment || null;
    const problemId = found.handling.p.id;
    const claimed = await claimRating(tx, found.report.problemId, {
      rating: input.rating,
      comment,
      ratedProblemId: problemId,
      at: now,
    });
    // Two ratings sent at once: the second finds the first.
    if (!claimed) throw RATE_REFUSALS.already_rated;
    const actor = reporterActor(opts.ip);
    await insertEvent(tx, {
      problemId,
      action: 'rate',
      fromState: found.handling.p.state,
      toState: found.handling.p.state,
      actorId: null,
      actorName: actor.name,
      at: now,
      note: comment,
      data: { rating: input.rating, label: RATING_LABELS[input.rating].zh },
    });
    await writeAudit(tx, actor, {
      action: 'citizen.rate',
      entityType: 'problem',
      entityId: problemId,
      after: { rating: input.rating, comment, reportProblemId: found.report.problemId },
    });
  });
  return track(database, code, opts);
}
