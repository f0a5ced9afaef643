import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  ZQuestionnaireFileSchema,
  type TQuestion,
  type TQuestionnaire,
  type TQuestionnaireFile,
  type TQuestionnaireInput,
  type TSurvey,
} from '../../../core/contracts/surveys.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { campaigns, surveyQuestionnaires, surveys } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { surveyErrors } from './surveys.errors.js';

type QRow = typeof surveyQuestionnaires.$inferSelect;

/** A questionnaire row as the API shows it. */
export function presentQuestionnaire(r: QRow): TQuestionnaire {
  return {
    id: r.id,
    surveyId: r.surveyId,
    group: r.group,
    groupLabel: r.groupLabel,
    number: r.number,
    status: r.status,
    title: r.title,
    intro: r.intro,
    questions: r.questions,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    version: r.version,
  };
}

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
  const rows = await database.db.select().from(surveys).orderBy(asc(surveys.id));
  const qs = await database.db
    .select()
    .from(surveyQuestionnaires)
    .orderBy(asc(surveyQuestionnaires.group), asc(surveyQuestionnaires.number));
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    campaignId: s.campaignId,
    questionnaires: qs.filter((q) => q.surveyId === s.id).map(presentQuestionnaire),
  }));
}

export async function createSurvey(
  database: Database,
  actor: Actor,
  input: { name: string; campaignId?: number | null | undefined },
): Promise<{ id: number }> {
  requirePermission(actor, Permission.SurveyWrite);
  return withTx(database, async (tx) => {
    if (input.campaignId) {
      const [c] = await tx.select().from(campaigns).where(eq(campaigns.id, input.campaignId));
      if (!c) throw surveyErrors.notFound('campaign', input.campaignId);
    }
    const [dup] = await tx.select().from(surveys).where(eq(surveys.name, input.name));
    if (dup) throw errors.duplicate('survey', '名称', input.name);
    const [row] = await tx
      .insert(surveys)
      .values({ name: input.name, campaignId: input.campaignId ?? null })
      .returning();
    await writeAudit(tx, actor, {
      action: 'survey.create',
      entityType: 'survey',
      entityId: row!.id,
      after: row,
    });
    return { id: row!.id };
  });
}

/** Standards of the campaign's frameworks measured by questionnaire (method 问卷调查). */
export async function surveyStandards(database: Database, actor: Actor) {
  requireDesignRead(actor);
  return execRows<{ key: string; code: string; text: string; frameworkName: string }>(
    database.db,
    sql`select distinct on (n.key) n.key, n.code, n.text, f.name as "frameworkName"
        from framework_nodes n
        join framework_versions v on v.id = n.version_id
        join frameworks f on f.id = v.framework_id
        where n.method = 'survey' and v.status in ('published', 'draft')
        order by n.key, (v.status = 'published') desc, v.number desc`,
  );
}

/** Keys that do not name a 问卷调查 standard are refused, listing the question. */
async function checkStandardKeys(db: DbOrTx, questions: TQuestion[]): Promise<void> {
  const keys = [...new Set(questions.flatMap((q) => q.standardKeys))];
  if (keys.length === 0) return;
  const found = await execRows<{ key: string }>(
    db,
    sql`select distinct key from framework_nodes
        where method = 'survey' and key in (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )})`,
  );
  const ok = new Set(found.map((f) => f.key));
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

async function loadQuestionnaire(db: DbOrTx, id: number): Promise<QRow> {
  const [q] = await db.select().from(surveyQuestionnaires).where(eq(surveyQuestionnaires.id, id));
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
  return withTx(database, async (tx) => {
    const [s] = await tx.select().from(surveys).where(eq(surveys.id, surveyId));
    if (!s) throw surveyErrors.notFound('survey', surveyId);
    await checkStandardKeys(tx, input.questions);
    const existing = await tx
      .select()
      .from(surveyQuestionnaires)
      .where(
        and(
          eq(surveyQuestionnaires.surveyId, surveyId),
          eq(surveyQuestionnaires.group, input.group),
        ),
      );
    if (existing.some((q) => q.status === 'draft')) throw surveyErrors.draftExists();
    const number = Math.max(0, ...existing.map((q) => q.number)) + 1;
    const [row] = await tx
      .insert(surveyQuestionnaires)
      .values({ surveyId, number, status: 'draft', ...input })
      .returning();
    await writeAudit(tx, actor, {
      action,
      entityType: 'survey_questionnaire',
      entityId: row!.id,
      after: row,
    });
    return presentQuestionnaire(row!);
  });
}

/** Edits a draft in place; a published version is immutable (409). */
export async function updateQuestionnaire(
  database: Database,
  actor: Actor,
  id: number,
  input: Omit<TQuestionnaireInput, 'group'> & { version: number },
): Promise<TQuestionnaire> {
  requirePermission(actor, Permission.SurveyWrite);
  return withTx(database, async (tx) => {
    const before = await loadQuestionnaire(tx, id);
    if (before.status !== 'draft') throw surveyErrors.published();
    await checkStandardKeys(tx, input.questions);
    const { version, ...fields } = input;
    const [row] = await tx
      .update(surveyQuestionnaires)
      .set({ ...fields, version: sql`${surveyQuestionnaires.version} + 1` })
      .where(and(eq(surveyQuestionnaires.id, id), eq(surveyQuestionnaires.version, version)))
      .returning();
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
    await tx
      .update(surveyQuestionnaires)
      .set({ status: 'superseded', version: sql`${surveyQuestionnaires.version} + 1` })
      .where(
        and(
          eq(surveyQuestionnaires.surveyId, before.surveyId),
          eq(surveyQuestionnaires.group, before.group),
          eq(surveyQuestionnaires.status, 'published'),
        ),
      );
    const [row] = await tx
      .update(surveyQuestionnaires)
      .set({
        status: 'published',
        publishedAt: new Date(),
        version: sql`${surveyQuestionnaires.version} + 1`,
      })
      .where(and(eq(surveyQuestionnaires.id, id), eq(surveyQuestionnaires.version, version)))
      .returning();
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
  const q = await loadQuestionnaire(database.db, id);
  return {
    format: 'chuangcheng.questionnaire/1',
    group: q.group,
    groupLabel: q.groupLabel,
    title: q.title,
    intro: q.intro,
    questions: q.questions,
  };
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

/** The published questionnaire of each group of a survey. */
export async function publishedByGroup(db: DbOrTx, surveyId: number): Promise<Map<string, QRow>> {
  const rows = await db
    .select()
    .from(surveyQuestionnaires)
    .where(
      and(
        eq(surveyQuestionnaires.surveyId, surveyId),
        eq(surveyQuestionnaires.status, 'published'),
      ),
    );
  return new Map(rows.map((r) => [r.group, r]));
}

/** Questionnaires by id (for results over responses to several versions). */
export async function questionnairesById(db: DbOrTx, ids: number[]): Promise<Map<number, QRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(surveyQuestionnaires)
    .where(inArray(surveyQuestionnaires.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}
