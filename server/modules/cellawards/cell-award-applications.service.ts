import { shanghaiDate } from '../../../core/calendar/working-days.js';
import {
  type TAssessmentInput,
  type TCreateApplication,
  type TObjectionInput,
  type TObjectionPatch,
} from '../../../core/contracts/cell-awards.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { uploadDocument } from '../files/documents.js';
import * as honoursRepo from '../honours/honours.repo.js';
import {
  outsideJurisdiction,
  requireRegionWithin,
  requireUnitWithin,
} from '../org/jurisdiction.js';
import { regionWithin, unitWithin } from '../org/regions.repo.js';
import { presentApplication, presentApplicationDetail } from './cell-awards.present.js';
import * as repo from './cell-awards.repo.js';
import {
  loadCall,
  loadApplication,
  notFound,
  requireReader,
  wrongStage,
  decidedAlready,
  staleApplication,
} from './cell-award-access.js';

// 文明细胞申报: applications, the applicant's materials, the assessment and 公示's objections.

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
