import {
  ZQuestionnaireFileSchema,
  type TEligibility,
  type TQuestion,
  type TQuestionnaire,
  type TQuestionnaireFile,
  type TQuestionnaireInput,
  type TQuestionnaireUpdate,
  type TSurvey,
} from '../../../core/contracts/surveys.js';
import { Permission } from '../../../core/permissions.js';
import { ruleProblems } from '../../../core/survey/eligibility.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import * as repo from './design.repo.js';
import {
  eligibilityOf,
  presentQuestionnaire,
  presentQuestionnaireFile,
  presentSurveys,
} from './surveys.present.js';
import { surveyErrors } from './surveys.errors.js';

// Other modules (scoring's projection) read questionnaires by id.
export { questionnairesById } from './design.repo.js';

/** Who may read the design: the office, leaders, and guides (they fill it in). */
function requireDesignRead(actor: Actor): void {
  try {
    requirePermission(actor, Permission.SurveyRead);
  } catch {
    requirePermission(actor, Permission.SurveyCollect);
  }
}

export async function listSurveys(database: Database, actor: Actor): Promise<TSurvey[]> {
  requirePermission(actor, Permission.SurveyRead);
  const rows = await repo.listSurveyRows(database.db);
  const qs = await repo.listQuestionnaireRows(database.db);
  return presentSurveys(rows, qs);
}

export async function createSurvey(
  database: Database,
  actor: Actor,
  input: { name: string; campaignId?: number | null | undefined },
): Promise<{ id: number }> {
  requirePermission(actor, Permission.SurveyWrite);
  return withTx(database, async (tx) => {
    if (input.campaignId) {
      const c = await repo.findCampaign(tx, input.campaignId);
      if (!c) throw surveyErrors.notFound('campaign', input.campaignId);
    }
    const dup = await repo.findSurveyByName(tx, input.name);
    if (dup) throw errors.duplicate('survey', '名称', input.name);
    const row = await repo.insertSurvey(tx, {
      name: input.name,
      campaignId: input.campaignId ?? null,
    });
    await writeAudit(tx, actor, {
      action: 'survey.create',
      entityType: 'survey',
      entityId: row.id,
      after: row,
    });
    return { id: row.id };
  });
}

/** Standards of the campaign's frameworks measured by questionnaire (method 问卷调查). */
export async function surveyStandards(database: Database, actor: Actor) {
  requireDesignRead(actor);
  return repo.listSurveyStandards(database.db);
}

/** Keys that do not name a 问卷调查 standard are refused, listing the question. */
async function checkStandardKeys(db: DbOrTx, questions: TQuestion[]): Promise<void> {
  const keys = [...new Set(questions.flatMap((q) => q.standardKeys))];
  if (keys.length === 0) return;
  const ok = await repo.surveyStandardKeys(db, keys);
  const bad = questions.flatMap((q, i) =>
    q.standardKeys
      .filter((k) => !ok.has(k))
      .map((k) => ({
        path: `questions.${i}.standardKeys`,
        message: `“${k}”不是问卷调查类测评标准 / "${k}" is not a survey standard`,
      })),
  );
  if (bad.length) {
    throw errors.invalid(
      {
        zh: '关联的测评标准不存在或不是问卷调查类',
        en: 'linked standards must be survey standards',
      },
      bad,
    );
  }
}

/** The group's rule as its columns; an upside-down age range is refused (400). */
function ruleColumns(rule: TEligibility) {
  const bad = ruleProblems(rule);
  if (bad.length) {
    throw errors.invalid(
      { zh: '调查对象条件有误', en: 'the respondent rule is wrong' },
      bad.map((b) => ({ path: b.path, message: `${b.message.zh} / ${b.message.en}` })),
    );
  }
  return {
    minAge: rule.minAge,
    maxAge: rule.maxAge,
    minResidentMonths: rule.minResidentMonths,
  };
}

async function loadQuestionnaire(db: DbOrTx, id: number): Promise<repo.QuestionnaireRow> {
  const q = await repo.findQuestionnaire(db, id);
  if (!q) throw surveyErrors.notFound('questionnaire', id);
  return q;
}

/** A new draft for a respondent group: the next number after the group's last version. */
export async function createQuestionnaire(
  database: Database,
  actor: Actor,
  surveyId: number,
  input: TQuestionnaireInput,
  action = 'survey.questionnaire.create',
): Promise<TQuestionnaire> {
  requirePermission(actor, Permission.SurveyWrite);
  const { eligibility, ...fields } = input;
  const rule = ruleColumns(eligibility);
  return withTx(database, async (tx) => {
    const s = await repo.findSurvey(tx, surveyId);
    if (!s) throw surveyErrors.notFound('survey', surveyId);
    await checkStandardKeys(tx, input.questions);
    const existing = await repo.questionnairesOfGroup(tx, surveyId, input.group);
    if (existing.some((q) => q.status === 'draft')) throw surveyErrors.draftExists();
    const number = Math.max(0, ...existing.map((q) => q.number)) + 1;
    const row = await repo.insertQuestionnaire(tx, {
      surveyId,
      number,
      status: 'draft',
      ...fields,
      ...rule,
    });
    await writeAudit(tx, actor, {
      action,
      entityType: 'survey_questionnaire',
      entityId: row.id,
      after: row,
    });
    return presentQuestionnaire(row);
  });
}

/** Edits a draft in place; a published version is immutable (409). */
export async function updateQuestionnaire(
  database: Database,
  actor: Actor,
  id: number,
  input: TQuestionnaireUpdate,
): Promise<TQuestionnaire> {
  requirePermission(actor, Permission.SurveyWrite);
  const { version, eligibility, ...fields } = input;
  const rule = eligibility && ruleColumns(eligibility);
  return withTx(database, async (tx) => {
    const before = await loadQuestionnaire(tx, id);
    if (before.status !== 'draft') throw surveyErrors.published();
    await checkStandardKeys(tx, input.questions);
    const row = await repo.updateQuestionnaireRow(tx, id, version, {
      ...fields,
      ...(rule ?? eligibilityOf(before)),
    });
    if (!row) throw surveyErrors.stale('questionnaire');
    await writeAudit(tx, actor, {
      action: 'survey.questionnaire.update',
      entityType: 'survey_questionnaire',
      entityId: id,
      before,
      after: row,
    });
    return presentQuestionnaire(row);
  });
}

/** Publishes a draft; the group's version in force before it is superseded. */
export async function publishQuestionnaire(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
): Promise<TQuestionnaire> {
  requirePermission(actor, Permission.SurveyWrite);
  return withTx(database, async (tx) => {
    const before = await loadQuestionnaire(tx, id);
    if (before.status !== 'draft') throw surveyErrors.published();
    if (before.version !== version) throw surveyErrors.stale('questionnaire');
    await repo.supersedePublished(tx, before.surveyId, before.group);
    const row = await repo.markPublished(tx, id, version, new Date());
    if (!row) throw surveyErrors.stale('questionnaire');
    await writeAudit(tx, actor, {
      action: 'survey.questionnaire.publish',
      entityType: 'survey_questionnaire',
      entityId: id,
      before: { status: before.status },
      after: { status: row.status, number: row.number },
    });
    return presentQuestionnaire(row);
  });
}

/** Editing a published version: copies it into the group's next draft. */
export async function reviseQuestionnaire(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TQuestionnaire> {
  requirePermission(actor, Permission.SurveyWrite);
  const q = await loadQuestionnaire(database.db, id);
  return createQuestionnaire(
    database,
    actor,
    q.surveyId,
    {
      group: q.group,
      groupLabel: q.groupLabel,
      title: q.title,
      intro: q.intro,
      questions: q.questions,
      eligibility: eligibilityOf(q),
    },
    'survey.questionnaire.revise',
  );
}

export async function getQuestionnaire(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TQuestionnaire> {
  requireDesignRead(actor);
  return presentQuestionnaire(await loadQuestionnaire(database.db, id));
}

/** The questionnaire as its JSON file. */
export async function exportQuestionnaire(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TQuestionnaireFile> {
  requirePermission(actor, Permission.SurveyRead);
  return presentQuestionnaireFile(await loadQuestionnaire(database.db, id));
}

/** Imports a questionnaire file as the group's next draft; every problem is listed (400). */
export async function importQuestionnaire(
  database: Database,
  actor: Actor,
  surveyId: number,
  file: unknown,
): Promise<TQuestionnaire> {
  requirePermission(actor, Permission.SurveyWrite);
  const parsed = ZQuestionnaireFileSchema.safeParse(file);
  if (!parsed.success) {
    throw new AppError(
      'invalid',
      400,
      { zh: '问卷文件有误，未导入', en: 'the questionnaire file is invalid; nothing was imported' },
      {
        fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      },
    );
  }
  const { format: _format, ...input } = parsed.data;
  return createQuestionnaire(database, actor, surveyId, input, 'survey.questionnaire.import');
}
