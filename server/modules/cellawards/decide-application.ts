import { shanghaiDate } from '../../../core/calendar/working-days.js';
import {
  DECISION_LABELS,
  eligibilityOf,
  type TDecisionInput,
} from '../../../core/contracts/cell-awards.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, isUniqueViolation } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { duplicateHonour, HONOUR_KEY, honourValues } from '../honours/honours.service.js';
import * as honoursRepo from '../honours/honours.repo.js';
import * as repo from './cell-awards.repo.js';
import {
  loadApplication,
  wrongStage,
  decidedAlready,
  staleApplication,
} from './cell-award-access.js';
import { getApplication } from './cell-award-applications.service.js';

// 文明细胞申报: the decision after 公示; conferring registers the holder in the honours registry.

const blocked = (code: string, zh: string, en: string) => new AppError(code, 409, { zh, en });

/**
 * The decision on an application once 公示 is over (not before its last day has passed: the
 * period is the public's). Conferring needs the application on the list, eligible (no veto hit —
 * a veto found during 公示 still blocks) and no objection pending or upheld; it registers the holder
 * in the honours registry in the same transaction, audited, and links it to the application.
 */
export async function decideApplication(
  database: Database,
  actor: Actor,
  id: number,
  input: TDecisionInput,
) {
  requirePermission(actor, Permission.UnitWrite);
  let key: { holderName: string; title: string; yearConferred: number } | undefined;
  try {
    await withTx(database, async (tx) => {
      const { app, call } = await loadApplication(tx, actor, id);
      await repo.lockCall(tx, call.id);
      if (call.status !== 'publicity') {
        throw wrongStage(call.status, { zh: '作出授予决定', en: 'decide' });
      }
      const today = shanghaiDate(new Date());
      if (!call.publicityEnd || today <= call.publicityEnd) {
        throw blocked(
          'publicity_running',
          `公示期至 ${call.publicityEnd} 结束，期满后方可作出决定`,
          `publicity runs until ${call.publicityEnd}: decide after it ends`,
        );
      }
      if (app.decision) throw decidedAlready(app.applicantName);
      const set: Partial<repo.ApplicationInsert> = {
        decision: input.decision,
        decisionNote: input.note || null,
        decidedBy: actor.id,
        decidedAt: new Date(),
      };
      let honourId: number | null = null;
      if (input.decision === 'conferred') {
        if (!app.proposed) {
          throw blocked(
            'not_proposed',
            `“${app.applicantName}”不在公示名单中，不能授予`,
            `"${app.applicantName}" was not on the published list: it cannot be conferred`,
          );
        }
        const vetoes = await repo.vetoesOf(tx, [id]);
        const elig = eligibilityOf(vetoes.map((v) => ({ key: v.vetoKey, hit: v.hit })));
        if (elig !== 'eligible') {
          throw blocked(
            'ineligible',
            `“${app.applicantName}”触及一票否决事项，不能授予`,
            `"${app.applicantName}" is vetoed: it cannot be conferred`,
          );
        }
        const objections = await repo.objectionsOf(tx, id);
        if (objections.some((o) => o.outcome === 'pending')) {
          throw blocked(
            'objection_pending',
            '该申报还有未核查完的异议',
            'an objection to this application is still being checked',
          );
        }
        if (objections.some((o) => o.outcome === 'upheld')) {
          throw blocked(
            'objection_upheld',
            '对该申报的异议成立，不能授予',
            'an objection to this application was upheld: it cannot be conferred',
          );
        }
        const values = honourValues({
          cellType: call.cellType,
          holderName: app.applicantName,
          unitId: app.unitId,
          regionId: app.regionId,
          title: call.honourTitle,
          level: call.level,
          yearConferred: call.year,
          termYears: 3,
          status: 'listed',
          remarks: `${call.title}（申报 #${id}）`,
          officeRegionId: call.officeRegionId,
        });
        key = values as typeof key;
        honourId = await honoursRepo.insertHonour(tx, values);
        await writeAudit(tx, actor, {
          action: 'honour.create',
          entityType: 'honour',
          entityId: honourId,
          after: { ...values, applicationId: id },
        });
        set.honourId = honourId;
      }
      if (!(await repo.updateApplicationRow(tx, id, input.version, set))) {
        throw staleApplication();
      }
      await writeAudit(tx, actor, {
        action: 'cell_award_application.decision',
        entityType: 'cell_award_application',
        entityId: id,
        before: { decision: null },
        after: {
          decision: input.decision,
          label: DECISION_LABELS[input.decision].zh,
          note: input.note ?? null,
          honourId,
        },
      });
    });
  } catch (err) {
    if (key && isUniqueViolation(err, HONOUR_KEY)) throw duplicateHonour(key);
    throw err;
  }
  return getApplication(database, actor, id);
}
