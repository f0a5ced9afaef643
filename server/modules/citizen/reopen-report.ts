import { reopenRefusal, type TReopenRefusal } from '../../../core/citizen/replies.js';
import type { TReopenReport, TTrackResponse } from '../../../core/contracts/citizen.js';
import { reporterReopenTo } from '../../../core/problems/lifecycle.js';
import type { Database } from '../../db/client.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { notify, officesCovering, usersWithRole } from '../notifications/notifications.service.js';
import { ruleDeadline } from '../problems/act-on-problem.js';
import { insertEvent, updateProblem } from '../problems/problems.repo.js';
import { claimReopen } from './citizen.repo.js';
import { reporterView, track, trackedProblems, trackingNotFound } from './citizen.service.js';
import { reporterActor } from './rate-report.js';

function reopenRefused(r: TReopenRefusal, windowDays: number): AppError {
  switch (r) {
    case 'already_reopened':
      return new AppError('already_reopened', 409, {
        zh: '每条反映只能申请一次重新办理，您已申请过',
        en: 'a report can be reopened once, and this one was',
      });
    case 'not_closed':
      return new AppError('not_closed', 409, {
        zh: '问题尚未办结，不能申请重新办理',
        en: 'the problem is not closed, so there is nothing to reopen',
      });
    case 'window_passed':
      return new AppError('reopen_window_passed', 409, {
        zh: `问题办结已超过 ${windowDays} 天，不能再申请重新办理；如问题仍然存在，请重新反映`,
        en: `the problem was closed more than ${windowDays} days ago and can no longer be reopened; if it is still there, report it again`,
      });
  }
}

/**
 * 申请重新办理: the reporter of a closed problem says it is not fixed — once per report, with a
 * reason, within REOPEN_WINDOW_DAYS of its closing, proved by the tracking code. The problem goes
 * back to the unit that closed it (整改中, a new deadline by its category's working days), as a
 * failed 回头看 would; its closing time and handling hours are cleared (its KPI cohort, by the
 * first dispatch, does not move). The timeline and the audit log record it; the offices covering
 * the place and the unit are told.
 */
export async function reopenReport(
  database: Database,
  code: string,
  input: TReopenReport,
  opts: { ip: string | null; reopenWindowDays: number },
): Promise<TTrackResponse> {
  const reason = input.reason?.trim() ?? '';
  if (!reason) {
    throw errors.invalid(
      { zh: '请填写申请重新办理的理由', en: 'give the reason why the problem should be reopened' },
      [{ path: 'body.reason', message: '必填 / required' }],
    );
  }
  await withTx(database, async (tx) => {
    const found = await trackedProblems(tx, code);
    if (!found) throw trackingNotFound();
    const now = new Date();
    const refusal = reopenRefusal(reporterView(found), now, opts.reopenWindowDays);
    if (refusal) throw reopenRefused(refusal, opts.reopenWindowDays);
    if (!(await claimReopen(tx, found.report.problemId, { reason, at: now }))) {
      throw reopenRefused('already_reopened', opts.reopenWindowDays);
    }
    const p = found.handling.p;
    const to = reporterReopenTo({ state: 'closed', unitId: p.unitId })!;
    const deadline = to === 'dispatched' ? await ruleDeadline(tx, p, now) : null;
    const updated = await updateProblem(tx, p.id, p.version, {
      state: to,
      closedAt: null,
      submittedAt: null,
      handlingHours: null,
      deadline,
      escalationIssued: 'none',
      extensionPending: false,
      extensionRequestedDeadline: null,
    });
    // The office moved it in the same moment (reopened it itself, say).
    if (!updated) {
      throw new AppError('stale_version', 409, {
        zh: '问题状态刚刚发生变化，请刷新后再试',
        en: 'the problem changed a moment ago; reload and try again',
      });
    }
    const actor = reporterActor(opts.ip);
    await insertEvent(tx, {
      problemId: p.id,
      action: 'reporter_reopen',
      fromState: 'closed',
      toState: to,
      actorId: null,
      actorName: actor.name,
      at: now,
      note: reason,
      data: {
        unitId: p.unitId,
        unitName: found.handling.unitName,
        deadline: deadline?.toISOString() ?? null,
      },
    });
    const notice = {
      kind: 'reporter_reopen',
      problemId: p.id,
      title: `群众申请重新办理：${p.title}`,
      body: reason,
    };
    await notify(tx, await officesCovering(tx, p.regionId), notice);
    if (p.unitId !== null) await notify(tx, await usersWithRole(tx, 'unit', p.unitId), notice);
    await writeAudit(tx, actor, {
      action: 'problem.reporter_reopen',
      entityType: 'problem',
      entityId: p.id,
      before: {
        state: 'closed',
        unitId: p.unitId,
        closedAt: p.closedAt?.toISOString() ?? null,
        version: p.version,
      },
      after: {
        state: to,
        unitId: p.unitId,
        deadline: deadline?.toISOString() ?? null,
        version: p.version + 1,
        reason,
        reportProblemId: found.report.problemId,
      },
    });
  });
  return track(database, code, opts);
}
