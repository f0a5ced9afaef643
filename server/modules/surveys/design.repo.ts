import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import { campaigns, surveyQuestionnaires, surveys } from '../../db/schema/index.js';

// Surveys and their questionnaires (the design), and the campaigns they belong to.

export type SurveyRow = typeof surveys.$inferSelect;
export type QuestionnaireRow = typeof surveyQuestionnaires.$inferSelect;
/** What a questionnaire is written with (the rule as its three columns). */
export type QuestionnaireFields = Pick<
  QuestionnaireRow,
  'groupLabel' | 'title' | 'intro' | 'questions' | 'minAge' | 'maxAge' | 'minResidentMonths'
>;
export type CampaignRow = typeof campaigns.$inferSelect;

export async function listSurveyRows(db: DbOrTx): Promise<SurveyRow[]> {
  return db.select().from(surveys).orderBy(asc(surveys.id));
}

/** Every questionnaire, by group and version number. */
export async function listQuestionnaireRows(db: DbOrTx): Promise<QuestionnaireRow[]> {
  return db
    .select()
    .from(surveyQuestionnaires)
    .orderBy(asc(surveyQuestionnaires.group), asc(surveyQuestionnaires.number));
}

export async function findCampaign(db: DbOrTx, id: number): Promise<CampaignRow | undefined> {
  const [c] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return c;
}

export async function findSurvey(db: DbOrTx, id: number): Promise<SurveyRow | undefined> {
  const [s] = await db.select().from(surveys).where(eq(surveys.id, id));
  return s;
}

/** The survey's id if it exists (what a response needs of it). */
export async function findSurveyId(db: DbOrTx, id: number): Promise<{ id: number } | undefined> {
  const [s] = await db.select({ id: surveys.id }).from(surveys).where(eq(surveys.id, id));
  return s;
}

export async function findSurveyByName(db: DbOrTx, name: string): Promise<SurveyRow | undefined> {
  const [dup] = await db.select().from(surveys).where(eq(surveys.name, name));
  return dup;
}

export async function insertSurvey(
  db: DbOrTx,
  values: { name: string; campaignId: number | null },
): Promise<SurveyRow> {
  const [row] = await db.insert(surveys).values(values).returning();
  return row!;
}

export interface SurveyStandardRow {
  key: string;
  code: string;
  text: string;
  frameworkName: string;
}

/** Standards of the frameworks measured by questionnaire (method 问卷调查), published first. */
export async function listSurveyStandards(db: DbOrTx): Promise<SurveyStandardRow[]> {
  return execRows<SurveyStandardRow>(
    db,
    sql`select distinct on (n.key) n.key, n.code, n.text, f.name as "frameworkName"
        from framework_nodes n
        join framework_versions v on v.id = n.version_id
        join frameworks f on f.id = v.framework_id
        where n.method = 'survey' and v.status in ('published', 'draft')
        order by n.key, (v.status = 'published') desc, v.number desc`,
  );
}

/** Which of the keys name a 问卷调查 standard. */
export async function surveyStandardKeys(db: DbOrTx, keys: string[]): Promise<Set<string>> {
  const found = await execRows<{ key: string }>(
    db,
    sql`select distinct key from framework_nodes
        where method = 'survey' and key in (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )})`,
  );
  return new Set(found.map((f) => f.key));
}

export async function findQuestionnaire(
  db: DbOrTx,
  id: number,
): Promise<QuestionnaireRow | undefined> {
  const [q] = await db.select().from(surveyQuestionnaires).where(eq(surveyQuestionnaires.id, id));
  return q;
}

/** Every version of a respondent group's questionnaire. */
export async function questionnairesOfGroup(
  db: DbOrTx,
  surveyId: number,
  group: string,
): Promise<QuestionnaireRow[]> {
  return db
    .select()
    .from(surveyQuestionnaires)
    .where(and(eq(surveyQuestionnaires.surveyId, surveyId), eq(surveyQuestionnaires.group, group)));
}

export async function insertQuestionnaire(
  db: DbOrTx,
  values: QuestionnaireFields & {
    surveyId: number;
    group: string;
    number: number;
    status: 'draft';
  },
): Promise<QuestionnaireRow> {
  const [row] = await db.insert(surveyQuestionnaires).values(values).returning();
  return row!;
}

/** Updates a questionnaire at the given version; undefined when the version is stale. */
export async function updateQuestionnaireRow(
  db: DbOrTx,
  id: number,
  version: number,
  fields: QuestionnaireFields,
): Promise<QuestionnaireRow | undefined> {
  const [row] = await db
    .update(surveyQuestionnaires)
    .set({ ...fields, version: sql`${surveyQuestionnaires.version} + 1` })
    .where(and(eq(surveyQuestionnaires.id, id), eq(surveyQuestionnaires.version, version)))
    .returning();
  return row;
}

/** The group's published version becomes superseded. */
export async function supersedePublished(
  db: DbOrTx,
  surveyId: number,
  group: string,
): Promise<void> {
  await db
    .update(surveyQuestionnaires)
    .set({ status: 'superseded', version: sql`${surveyQuestionnaires.version} + 1` })
    .where(
      and(
        eq(surveyQuestionnaires.surveyId, surveyId),
        eq(surveyQuestionnaires.group, group),
        eq(surveyQuestionnaires.status, 'published'),
      ),
    );
}

/** Marks a questionnaire published at the given version; undefined when the version is stale. */
export async function markPublished(
  db: DbOrTx,
  id: number,
  version: number,
  publishedAt: Date,
): Promise<QuestionnaireRow | undefined> {
  const [row] = await db
    .update(surveyQuestionnaires)
    .set({
      status: 'published',
      publishedAt,
      version: sql`${surveyQuestionnaires.version} + 1`,
    })
    .where(and(eq(surveyQuestionnaires.id, id), eq(surveyQuestionnaires.version, version)))
    .returning();
  return row;
}

/** The published questionnaire of each group of a survey. */
export async function publishedByGroup(
  db: DbOrTx,
  surveyId: number,
): Promise<Map<string, QuestionnaireRow>> {
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
export async function questionnairesById(
  db: DbOrTx,
  ids: number[],
): Promise<Map<number, QuestionnaireRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(surveyQuestionnaires)
    .where(inArray(surveyQuestionnaires.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}
