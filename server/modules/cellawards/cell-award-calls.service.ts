import { addDays } from '../../../core/calendar/working-days.js';
import {
  CALL_STATUS_LABELS,
  eligibilityOf,
  nextCallStatus,
  type TCallPatch,
  type TCallStatus,
  type TCallStatusInput,
  type TCreateCallParsed,
  type TListCallsQuery,
  type TPublicityInput,
} from '../../../core/contracts/cell-awards.js';
import { defaultHonourTitle } from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { outsideJurisdiction } from '../org/jurisdiction.js';
import { regionWithin } from '../org/regions.repo.js';
import { presentCall } from './cell-awards.present.js';
import * as repo from './cell-awards.repo.js';
import { loadCall, requireReader, staleCall, wrongStage } from './cell-award-access.js';

// 文明细胞申报: the calls (申报通知) and their stages, 公示 included.

// ----- calls -----

export async function listCalls(database: Database, actor: Actor, q: TListCallsQuery) {
  requireReader(actor);
  const rows = await repo.listCalls(database.db, { ...q, within: officeRegionOf(actor) });
  return { items: rows.map(presentCall) };
}

export async function getCall(database: Database, actor: Actor, id: number) {
  requireReader(actor);
  const c = await loadCall(database.db, actor, id);
  const standards = await repo.standardsOf(database.db, c.frameworkVersionId);
  return {
    ...presentCall(c),
    standards,
    maxTotal: Math.round(standards.reduce((s, x) => s + x.maxScore, 0) * 100) / 100,
  };
}

/**
 * The framework's version in force (published): the one the call's applications are scored on.
 * Only a framework of a 文明细胞 (cells) campaign will do: the city's own frameworks score the
 * city, not a unit or a village.
 */
async function versionFor(db: DbOrTx, frameworkId: number) {
  const kind = await repo.frameworkCampaignKind(db, frameworkId);
  if (kind === 'city') {
    throw errors.invalid(
      {
        zh: '所选测评体系属于城市测评的创建周期，请选择“文明细胞”创建周期中的测评体系',
        en: "the framework chosen belongs to the city's evaluation; choose one of a 文明细胞 (cells) campaign",
      },
      [
        {
          path: 'body.frameworkId',
          message: '不是文明细胞测评体系 / not a 文明细胞 framework',
        },
      ],
    );
  }
  const v = await repo.publishedVersion(db, frameworkId);
  if (!v) {
    throw errors.invalid(
      {
        zh: '所选测评体系没有已发布的版本',
        en: 'the framework chosen has no published version',
      },
      [{ path: 'body.frameworkId', message: '没有已发布的版本 / no published version' }],
    );
  }
  return v;
}

const duplicateCall = (c: { year: number; title: string }) =>
  new AppError('duplicate', 409, {
    zh: `${c.year} 年度已有申报通知“${c.title}”`,
    en: `a call "${c.title}" of ${c.year} already exists`,
  });

export async function createCall(database: Database, actor: Actor, input: TCreateCallParsed) {
  requirePermission(actor, Permission.UnitWrite);
  const own = officeRegionOf(actor);
  const officeRegionId = input.officeRegionId === undefined ? own : input.officeRegionId;
  let id: number;
  try {
    id = await withTx(database, async (tx) => {
      if (
        own !== null &&
        (officeRegionId === null || !(await regionWithin(tx, officeRegionId, own)))
      ) {
        throw outsideJurisdiction({
          zh: '负责组织申报的文明办',
          en: 'The office running the call',
        });
      }
      const v = await versionFor(tx, input.frameworkId);
      const values: repo.CallInsert = {
        year: input.year,
        cellType: input.cellType,
        level: input.level,
        title: input.title,
        honourTitle: input.honourTitle || defaultHonourTitle(input.cellType, input.level),
        frameworkId: input.frameworkId,
        frameworkVersionId: v.id,
        applicationDeadline: input.applicationDeadline,
        publicityDays: input.publicityDays,
        officeRegionId,
        notes: input.notes || null,
      };
      const callId = await repo.insertCall(tx, values);
      await writeAudit(tx, actor, {
        action: 'cell_award_call.create',
        entityType: 'cell_award_call',
        entityId: callId,
        after: values,
      });
      return callId;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'cell_award_calls_year_title_uq')) throw duplicateCall(input);
    throw err;
  }
  return getCall(database, actor, id);
}

/** Edits a draft (after opening, only the notes and the deadline while it is open). */
export async function updateCall(database: Database, actor: Actor, id: number, p: TCallPatch) {
  requirePermission(actor, Permission.UnitWrite);
  const { version, ...patch } = p;
  try {
    await withTx(database, async (tx) => {
      const before = await loadCall(tx, actor, id);
      const changed = Object.keys(patch).filter(
        (k) => patch[k as keyof typeof patch] !== undefined,
      );
      const openEdits = ['notes', 'applicationDeadline', 'title'];
      if (
        before.status !== 'draft' &&
        !(before.status === 'open' && changed.every((k) => openEdits.includes(k)))
      ) {
        throw wrongStage(before.status, { zh: '修改这些内容', en: 'change these fields' });
      }
      const { notes, honourTitle, ...rest } = patch;
      const set: Partial<repo.CallInsert> = rest;
      if (notes !== undefined) set.notes = notes || null;
      // A blank title, or the usual one of the old level when the level changes, is the usual one.
      const usual = before.honourTitle === defaultHonourTitle(before.cellType, before.level);
      if (honourTitle !== undefined || (patch.level !== undefined && usual)) {
        set.honourTitle =
          honourTitle || defaultHonourTitle(before.cellType, patch.level ?? before.level);
      }
      if (patch.frameworkId !== undefined && patch.frameworkId !== before.frameworkId) {
        set.frameworkVersionId = (await versionFor(tx, patch.frameworkId)).id;
      }
      if (!(await repo.updateCallRow(tx, id, version, set))) {
        throw new AppError('stale_version', 409, {
          zh: '申报通知已被他人修改，请刷新后重试',
          en: 'the call was changed by someone else; reload and try again',
        });
      }
      await writeAudit(tx, actor, {
        action: 'cell_award_call.update',
        entityType: 'cell_award_call',
        entityId: id,
        before,
        after: set,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'cell_award_calls_year_title_uq')) {
      throw new AppError('duplicate', 409, {
        zh: '同一年度已有同名申报通知',
        en: 'a call of that year with that title already exists',
      });
    }
    throw err;
  }
  return getCall(database, actor, id);
}

async function auditStatus(
  tx: Tx,
  actor: Actor,
  id: number,
  from: TCallStatus,
  to: TCallStatus,
  extra: Record<string, unknown> = {},
) {
  await writeAudit(tx, actor, {
    action: 'cell_award_call.status',
    entityType: 'cell_award_call',
    entityId: id,
    before: { status: from },
    after: { status: to, label: CALL_STATUS_LABELS[to].zh, ...extra },
  });
}

/**
 * Moves the call one stage on: draft → open → assessing, and publicity → decided once every
 * application has its decision. 公示 is entered by publishing the list (`publishCall`).
 */
export async function moveCall(
  database: Database,
  actor: Actor,
  id: number,
  input: TCallStatusInput,
) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    await repo.lockCall(tx, id);
    const c = await loadCall(tx, actor, id);
    if (c.version !== input.version) throw staleCall();
    if (nextCallStatus(c.status) !== input.status || c.status === 'assessing') {
      throw wrongStage(c.status, {
        zh: `转入“${CALL_STATUS_LABELS[input.status].zh}”`,
        en: `move to "${CALL_STATUS_LABELS[input.status].en}"`,
      });
    }
    if (input.status === 'decided') {
      const open = (await repo.listApplications(tx, id)).filter((a) => a.decision === null);
      if (open.length) {
        throw new AppError('undecided', 409, {
          zh: `还有 ${open.length} 个申报未作决定（${open[0]!.applicantName}等）`,
          en: `${open.length} application(s) have no decision yet (${open[0]!.applicantName}…)`,
        });
      }
    }
    if (!(await repo.updateCallRow(tx, id, input.version, { status: input.status }))) {
      throw staleCall();
    }
    await auditStatus(tx, actor, id, c.status, input.status);
  });
  return getCall(database, actor, id);
}

/**
 * 公示: the office publishes the 拟授予名单 from a start date for the call's publicity days. Only
 * applications fully scored and eligible (every veto answered, none hit) may be on it.
 */
export async function publishCall(
  database: Database,
  actor: Actor,
  id: number,
  input: TPublicityInput,
) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    await repo.lockCall(tx, id);
    const c = await loadCall(tx, actor, id);
    if (c.version !== input.version) throw staleCall();
    if (c.status !== 'assessing') throw wrongStage(c.status, { zh: '发布公示', en: 'publish' });
    const standards = await repo.standardsOf(tx, c.frameworkVersionId);
    const apps = await repo.listApplications(tx, id);
    const vetoes = await repo.vetoesOf(
      tx,
      apps.map((a) => a.id),
    );
    const ids = [...new Set(input.applicationIds)];
    for (const [i, appId] of ids.entries()) {
      const a = apps.find((x) => x.id === appId);
      const path = `body.applicationIds.${i}`;
      if (!a) {
        throw errors.invalid(
          {
            zh: '名单中有不属于本通知的申报',
            en: 'an application on the list is not of this call',
          },
          [{ path, message: `申报 ${appId} 不属于本通知 / not of this call` }],
        );
      }
      const elig = eligibilityOf(
        vetoes.filter((v) => v.applicationId === a.id).map((v) => ({ key: v.vetoKey, hit: v.hit })),
      );
      if (elig !== 'eligible') {
        throw new AppError(
          'ineligible',
          409,
          {
            zh: `“${a.applicantName}”${elig === 'ineligible' ? '触及一票否决，不能列入公示名单' : '的否决事项尚未全部核查'}`,
            en: `"${a.applicantName}" ${elig === 'ineligible' ? 'is vetoed and cannot be published' : 'has vetoes not yet checked'}`,
          },
          { fields: [{ path, message: a.applicantName }] },
        );
      }
      if (a.scored < standards.length) {
        throw new AppError(
          'not_scored',
          409,
          {
            zh: `“${a.applicantName}”还有 ${standards.length - a.scored} 项标准未评分`,
            en: `"${a.applicantName}" has ${standards.length - a.scored} standard(s) not scored`,
          },
          { fields: [{ path, message: a.applicantName }] },
        );
      }
    }
    const end = addDays(input.startDate, c.publicityDays - 1);
    await repo.setProposed(tx, id, ids);
    if (
      !(await repo.updateCallRow(tx, id, input.version, {
        status: 'publicity',
        publicityStart: input.startDate,
        publicityEnd: end,
      }))
    ) {
      throw staleCall();
    }
    await auditStatus(tx, actor, id, c.status, 'publicity', {
      publicityStart: input.startDate,
      publicityEnd: end,
      applicationIds: ids,
    });
  });
  return getCall(database, actor, id);
}
