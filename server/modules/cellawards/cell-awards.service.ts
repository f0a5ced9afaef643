import { addDays, shanghaiDate } from '../../../core/calendar/working-days.js';
import {
  CALL_STATUS_LABELS,
  DECISION_LABELS,
  eligibilityOf,
  nextCallStatus,
  type TAssessmentInput,
  type TCallPatch,
  type TCallStatus,
  type TCallStatusInput,
  type TCreateApplication,
  type TCreateCallParsed,
  type TDecisionInput,
  type TListCallsQuery,
  type TObjectionInput,
  type TObjectionPatch,
  type TPublicityInput,
} from '../../../core/contracts/cell-awards.js';
import { defaultHonourTitle } from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { uploadDocument } from '../files/documents.js';
import { duplicateHonour, HONOUR_KEY, honourValues } from '../honours/honours.service.js';
import * as honoursRepo from '../honours/honours.repo.js';
import {
  outsideJurisdiction,
  requireRegionWithin,
  requireUnitWithin,
} from '../org/jurisdiction.js';
import { regionWithin, unitWithin } from '../org/regions.repo.js';
import {
  presentApplication,
  presentApplicationDetail,
  presentCall,
} from './cell-awards.present.js';
import * as repo from './cell-awards.repo.js';

// 文明细胞申报与测评 (issue #22, item 2). Like the honours registry, read with unit.read and written
// with unit.write — but read by the offices, their leaders and admins only: scores, vetoes and
// objections are the assessing office's working record, not a unit's to browse (a unit user holds
// unit.read for the directory). By level (#20): a district or street office sees and runs the
// calls its own 文明办 (or one below it) manages; another office's call is not there for it (404).

/** The stage the call must be at for an action, as a 409 naming both. */
function wrongStage(status: TCallStatus, action: { zh: string; en: string }) {
  const l = CALL_STATUS_LABELS[status];
  return new AppError('wrong_stage', 409, {
    zh: `申报通知处于“${l.zh}”阶段，不能${action.zh}`,
    en: `the call is at the stage "${l.en}": cannot ${action.en}`,
  });
}

const notFound = (what: 'call' | 'application' | 'objection', id: number | string) =>
  new AppError('not_found', 404, {
    zh: `${{ call: '申报通知', application: '申报', objection: '异议' }[what]}不存在（${id}）`,
    en: `${{ call: 'call', application: 'application', objection: 'objection' }[what]} not found (${id})`,
  });

/** Reads: an office, a leader or an admin with unit.read. */
function requireReader(actor: Actor) {
  requirePermission(actor, Permission.UnitRead);
  if (!actor.roles.some((r) => r === 'admin' || r === 'office' || r === 'leader')) {
    throw errors.forbidden();
  }
}

/** A call the actor's level may see: the city every one, a district office those it manages. */
async function callOfLevel(db: DbOrTx, actor: Actor, c: { officeRegionId: number | null }) {
  const own = officeRegionOf(actor);
  return (
    own === null || (c.officeRegionId !== null && (await regionWithin(db, c.officeRegionId, own)))
  );
}

async function loadCall(db: DbOrTx, actor: Actor, id: number) {
  const c = await repo.findCall(db, id);
  if (!c || !(await callOfLevel(db, actor, c))) throw notFound('call', id);
  return c;
}

/** The application and its call, when the actor's level may see the call. */
async function loadApplication(db: DbOrTx, actor: Actor, id: number) {
  const a = await repo.findApplication(db, id);
  if (!a) throw notFound('application', id);
  const call = await repo.findCall(db, a.callId);
  if (!call || !(await callOfLevel(db, actor, call))) throw notFound('application', id);
  return { app: a, call };
}

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

/** The framework's version in force (published): the one the call's applications are scored on. */
async function versionFor(db: DbOrTx, frameworkId: number) {
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
      const set: Partial<repo.CallInsert> = { ...patch, notes: patch.notes };
      if (patch.notes === undefined) delete set.notes;
      if (patch.honourTitle !== undefined) {
        set.honourTitle =
          patch.honourTitle || defaultHonourTitle(before.cellType, patch.level ?? before.level);
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

const staleCall = () =>
  new AppError('stale_version', 409, {
    zh: '申报通知已被他人修改，请刷新后重试',
    en: 'the call was changed by someone else; reload and try again',
  });

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

// ----- applications -----

export async function listApplications(database: Database, actor: Actor, callId: number) {
  requireReader(actor);
  await loadCall(database.db, actor, callId);
  const apps = await repo.listApplications(database.db, callId);
  const vetoes = await repo.vetoesOf(
    database.db,
    apps.map((a) => a.id),
  );
  return {
    items: apps.map((a) =>
      presentApplication(
        a,
        vetoes.filter((v) => v.applicationId === a.id),
      ),
    ),
  };
}

export async function getApplication(database: Database, actor: Actor, id: number) {
  requireReader(actor);
  const db = database.db;
  const { app, call } = await loadApplication(db, actor, id);
  const [vetoes, scores, materials, objections] = await Promise.all([
    repo.vetoesOf(db, [id]),
    repo.scoresOf(db, id),
    repo.materialsOf(db, id),
    repo.objectionsOf(db, id),
  ]);
  const honour = app.honourId ? await honoursRepo.findHonour(db, app.honourId) : undefined;
  return presentApplicationDetail(app, call, { vetoes, scores, materials, objections, honour });
}

const duplicateApplication = (name: string) =>
  new AppError('duplicate', 409, {
    zh: `“${name}”已申报本通知`,
    en: `"${name}" has already applied to this call`,
  });

export async function createApplication(
  database: Database,
  actor: Actor,
  callId: number,
  input: TCreateApplication,
) {
  requirePermission(actor, Permission.UnitWrite);
  let name = input.applicantName ?? '';
  let id: number;
  try {
    id = await withTx(database, async (tx) => {
      await repo.lockCall(tx, callId);
      const c = await loadCall(tx, actor, callId);
      if (c.status !== 'open')
        throw wrongStage(c.status, { zh: '受理申报', en: 'take applications' });
      const today = shanghaiDate(new Date());
      if (today > c.applicationDeadline) {
        throw new AppError('deadline_passed', 409, {
          zh: `申报截止日期（${c.applicationDeadline}）已过`,
          en: `the application deadline (${c.applicationDeadline}) has passed`,
        });
      }
      let regionId = input.regionId ?? null;
      let unitId: number | null = null;
      if (c.cellType === 'unit' || c.cellType === 'campus') {
        if (!input.unitId) {
          throw errors.invalid({ zh: '请选择申报单位', en: 'choose the applying unit' }, [
            { path: 'body.unitId', message: '请选择申报单位 / choose the applying unit' },
          ]);
        }
        const u = await repo.unitOf(tx, input.unitId);
        if (!u) throw errors.notFound('unit', input.unitId);
        await requireUnitWithin(tx, actor, u.id);
        if (c.officeRegionId !== null && !(await unitWithin(tx, u.id, c.officeRegionId))) {
          throw outsideJurisdiction({ zh: '该申报单位', en: 'The applying unit' });
        }
        unitId = u.id;
        name = name || u.name;
        regionId = regionId ?? u.regionId;
      } else {
        if (!name) {
          throw errors.invalid({ zh: '请填写申报对象名称', en: 'name the applicant' }, [
            { path: 'body.applicantName', message: '请填写申报对象名称 / name the applicant' },
          ]);
        }
        if (regionId === null) {
          throw errors.invalid(
            { zh: '请选择申报对象所在区域', en: "choose the applicant's region" },
            [{ path: 'body.regionId', message: '请选择所在区域 / choose the region' }],
          );
        }
        await requireRegionWithin(tx, actor, regionId);
        if (c.officeRegionId !== null && !(await regionWithin(tx, regionId, c.officeRegionId))) {
          throw outsideJurisdiction({ zh: '申报对象所在区域', en: "The applicant's region" });
        }
      }
      const values: repo.ApplicationInsert = {
        callId,
        applicantName: name,
        unitId,
        regionId,
        contact: input.contact || null,
      };
      const appId = await repo.insertApplication(tx, values);
      await writeAudit(tx, actor, {
        action: 'cell_award_application.create',
        entityType: 'cell_award_application',
        entityId: appId,
        after: values,
      });
      return appId;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'cell_award_applications_call_name_uq')) {
      throw duplicateApplication(name);
    }
    throw err;
  }
  return getApplication(database, actor, id);
}

/** The standard of the call's framework version with this key (404 when there is none). */
async function standardOf(db: DbOrTx, versionId: number, key: string) {
  const s = (await repo.standardsOf(db, versionId)).find((x) => x.key === key);
  if (!s) {
    throw new AppError('not_found', 404, {
      zh: `测评体系中没有该标准（${key}）`,
      en: `the framework has no such standard (${key})`,
    });
  }
  return s;
}

/** The applicant's report on a standard, while the call is open or being assessed. */
export async function saveMaterial(
  database: Database,
  actor: Actor,
  id: number,
  standardKey: string,
  report: string,
) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    const { app, call } = await loadApplication(tx, actor, id);
    if (call.status !== 'open' && call.status !== 'assessing') {
      throw wrongStage(call.status, { zh: '修改申报材料', en: 'change the materials' });
    }
    if (app.decision) throw decidedAlready(app.applicantName);
    await standardOf(tx, call.frameworkVersionId, standardKey);
    await repo.upsertMaterial(tx, { applicationId: id, standardKey, report, updatedBy: actor.id });
    await writeAudit(tx, actor, {
      action: 'cell_award_application.material',
      entityType: 'cell_award_application',
      entityId: id,
      after: { standardKey, report },
    });
  });
  return getApplication(database, actor, id);
}

export const MAX_MATERIAL_FILES = 10;

/** Checks a file may be attached to the report on a standard (before its bytes are stored). */
async function checkMaterialFile(
  database: Database,
  actor: Actor,
  id: number,
  standardKey: string,
) {
  requirePermission(actor, Permission.UnitWrite);
  const { app, call } = await loadApplication(database.db, actor, id);
  if (call.status !== 'open' && call.status !== 'assessing') {
    throw wrongStage(call.status, { zh: '上传申报材料', en: 'add materials' });
  }
  if (app.decision) throw decidedAlready(app.applicantName);
  await standardOf(database.db, call.frameworkVersionId, standardKey);
}

/**
 * Stores a document (PDF, Office, image: the files module's checks) and attaches it to the report
 * on a standard, at most MAX_MATERIAL_FILES each. Checked before the bytes are stored; a refused
 * write after that leaves an unattached file only its uploader can see.
 */
export async function addMaterialFile(
  database: Database,
  storage: FileStorage,
  actor: Actor,
  id: number,
  standardKey: string,
  /** Reads the form (after the permission and the application are checked). */
  receive: () => Promise<{
    upload: { data: Buffer; filename: string };
    title?: string | undefined;
  }>,
) {
  await checkMaterialFile(database, actor, id, standardKey);
  const { upload, title } = await receive();
  const file = await uploadDocument(database, storage, actor, upload);
  const name = (title || upload.filename).slice(0, 200);
  await withTx(database, async (tx) => {
    if ((await repo.countMaterialFiles(tx, id, standardKey)) >= MAX_MATERIAL_FILES) {
      throw new AppError('too_many_files', 400, {
        zh: `每项标准最多 ${MAX_MATERIAL_FILES} 个文件`,
        en: `at most ${MAX_MATERIAL_FILES} files per standard`,
      });
    }
    await repo.insertMaterialFile(tx, {
      applicationId: id,
      standardKey,
      fileId: file.id,
      title: name,
      uploadedBy: actor.id,
    });
    await writeAudit(tx, actor, {
      action: 'cell_award_application.file',
      entityType: 'cell_award_application',
      entityId: id,
      after: { standardKey, fileId: file.id, title: name },
    });
  });
  return getApplication(database, actor, id);
}

/** For the files module: true when the actor may read one of these applications. */
export async function mayReadApplicationFile(
  database: Database,
  actor: Actor,
  fileId: string,
): Promise<boolean | null> {
  const ids = await repo.applicationsWithFile(database.db, fileId);
  if (!ids.length) return null;
  for (const id of ids) {
    try {
      await getApplication(database, actor, id);
      return true;
    } catch (err) {
      if (err instanceof AppError && (err.status === 403 || err.status === 404)) continue;
      throw err;
    }
  }
  return false;
}

const decidedAlready = (name: string) =>
  new AppError('decided', 409, {
    zh: `“${name}”的申报已作出决定，不能再修改`,
    en: `the application of "${name}" has been decided and cannot change`,
  });

const staleApplication = () =>
  new AppError('stale_version', 409, {
    zh: '该申报已被他人修改，请刷新后重试',
    en: 'the application was changed by someone else; reload and try again',
  });

/**
 * The assessor's form: veto answers (while assessing, and during 公示 when an objection brings a
 * fact to light), scores by standard and notes (while assessing only: the published list stands on
 * them). A score is at most its standard's points.
 */
export async function saveAssessment(
  database: Database,
  actor: Actor,
  id: number,
  input: TAssessmentInput,
) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    const { app, call } = await loadApplication(tx, actor, id);
    await repo.lockCall(tx, call.id);
    if (app.decision) throw decidedAlready(app.applicantName);
    const scoring = input.scores !== undefined || input.assessorNotes !== undefined;
    if (scoring && call.status !== 'assessing') {
      throw wrongStage(call.status, { zh: '评分', en: 'score' });
    }
    if (input.vetoes && call.status !== 'assessing' && call.status !== 'publicity') {
      throw wrongStage(call.status, { zh: '核查否决事项', en: 'check the vetoes' });
    }
    const standards = await repo.standardsOf(tx, call.frameworkVersionId);
    const bad: { path: string; message: string }[] = [];
    for (const [i, s] of (input.scores ?? []).entries()) {
      const std = standards.find((x) => x.key === s.standardKey);
      if (!std) {
        bad.push({
          path: `body.scores.${i}.standardKey`,
          message: `测评体系中没有该标准 / no such standard: ${s.standardKey}`,
        });
      } else if (s.score > std.maxScore) {
        bad.push({
          path: `body.scores.${i}.score`,
          message: `${std.code} 得分 ${s.score} 超过该项分值 ${std.maxScore} / ${std.code}: ${s.score} is above its ${std.maxScore} points`,
        });
      }
    }
    if (bad.length) {
      throw errors.invalid(
        {
          zh: `有 ${bad.length} 项得分无效（超过分值或标准不存在）`,
          en: `${bad.length} score(s) are invalid (above the standard's points or no such standard)`,
        },
        bad,
      );
    }
    const before = {
      vetoes: await repo.vetoesOf(tx, [id]),
      scores: input.scores ? await repo.scoresOf(tx, id) : undefined,
      assessorNotes: app.assessorNotes,
    };
    for (const v of input.vetoes ?? []) {
      await repo.upsertVeto(tx, {
        applicationId: id,
        vetoKey: v.key,
        hit: v.hit,
        note: v.note || null,
        checkedBy: actor.id,
      });
    }
    for (const s of input.scores ?? []) {
      await repo.upsertScore(tx, {
        applicationId: id,
        standardKey: s.standardKey,
        score: s.score,
        note: s.note || null,
        scoredBy: actor.id,
      });
    }
    const set: Partial<repo.ApplicationInsert> = { assessedBy: actor.id, assessedAt: new Date() };
    if (input.assessorNotes !== undefined) set.assessorNotes = input.assessorNotes || null;
    if (!(await repo.updateApplicationRow(tx, id, input.version, set))) throw staleApplication();
    await writeAudit(tx, actor, {
      action: 'cell_award_application.assess',
      entityType: 'cell_award_application',
      entityId: id,
      before,
      after: { vetoes: input.vetoes, scores: input.scores, assessorNotes: input.assessorNotes },
    });
  });
  return getApplication(database, actor, id);
}

/** 异议: recorded during 公示 against an application on the published list. */
export async function addObjection(
  database: Database,
  actor: Actor,
  id: number,
  input: TObjectionInput,
) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    const { app, call } = await loadApplication(tx, actor, id);
    if (call.status !== 'publicity') {
      throw wrongStage(call.status, { zh: '登记异议', en: 'record an objection' });
    }
    if (!app.proposed) {
      throw new AppError('not_proposed', 409, {
        zh: `“${app.applicantName}”不在公示名单中`,
        en: `"${app.applicantName}" is not on the published list`,
      });
    }
    if (app.decision) throw decidedAlready(app.applicantName);
    const values = {
      applicationId: id,
      receivedOn: input.receivedOn,
      raisedBy: input.raisedBy,
      content: input.content,
      handling: input.handling || null,
      outcome: input.outcome,
      recordedBy: actor.id,
    };
    const objectionId = await repo.insertObjection(tx, values);
    await writeAudit(tx, actor, {
      action: 'cell_award_objection.create',
      entityType: 'cell_award_objection',
      entityId: objectionId,
      after: values,
    });
  });
  return getApplication(database, actor, id);
}

/** How an objection was handled and its outcome, until the application is decided. */
export async function updateObjection(
  database: Database,
  actor: Actor,
  id: number,
  objectionId: number,
  input: TObjectionPatch,
) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    const { app } = await loadApplication(tx, actor, id);
    const before = await repo.findObjection(tx, objectionId, id);
    if (!before) throw notFound('objection', objectionId);
    if (app.decision) throw decidedAlready(app.applicantName);
    const set: Partial<repo.ObjectionRow> = {};
    if (input.handling !== undefined) set.handling = input.handling || null;
    if (input.outcome !== undefined) set.outcome = input.outcome;
    if (!(await repo.updateObjectionRow(tx, objectionId, input.version, set))) {
      throw new AppError('stale_version', 409, {
        zh: '该异议已被他人修改，请刷新后重试',
        en: 'the objection was changed by someone else; reload and try again',
      });
    }
    await writeAudit(tx, actor, {
      action: 'cell_award_objection.update',
      entityType: 'cell_award_objection',
      entityId: objectionId,
      before,
      after: set,
    });
  });
  return getApplication(database, actor, id);
}

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
