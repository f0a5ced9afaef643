import { sql } from 'drizzle-orm';
import type { TAnswerValue } from '../../../core/survey/questions.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { quotasWithin } from './plan.repo.js';

// Results: the answer tallies kept at each submission, and what is read from the responses.

export interface TallyRow {
  round_id: number;
  quota_id: number;
  questionnaire_id: number;
  qid: string;
  answer: TAnswerValue;
  n: number;
}

/** Answers that are counted: options, ratings, choices; not open text (no option is that long). */
const COUNTED = sql.raw(
  `(jsonb_typeof(a.value) <> 'string' or length(a.value #>> '{}') <= 60) and octet_length(a.value::text) <= 1000`,
);

const idList = (ids: number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/**
 * The aggregate the results rest on, straight from the responses: how often each answer was given
 * to each question in each quota, over eligible responses. The baseline of the benchmark, and what
 * rebuilds the tallies.
 */
export function tallySql(roundIds: number[]) {
  return sql`select r.round_id, r.quota_id, r.questionnaire_id, a.key as qid, a.value as answer,
        count(*)::int as n
      from survey_responses r cross join lateral jsonb_each(r.answers) a
      where r.round_id in (${idList(roundIds)}) and r.eligible and ${COUNTED}
      group by r.round_id, r.quota_id, r.questionnaire_id, a.key, a.value`;
}

/**
 * The same counts from the tallies kept at each submission (what the results read); with
 * `within`, of the quotas placed in that region's subtree only.
 */
export function rollupSql(roundIds: number[], within: number | null = null) {
  return sql`select round_id, quota_id, questionnaire_id, question_id as qid, answer, n
      from survey_answer_tallies where round_id in (${idList(roundIds)})
        and ${quotasWithin(within, sql`quota_id`)}`;
}

/** The tallies of the rounds (of the quotas `within` a region). */
export async function tallyRows(
  db: DbOrTx,
  roundIds: number[],
  within: number | null = null,
): Promise<TallyRow[]> {
  return execRows<TallyRow>(db, rollupSql(roundIds, within));
}

/** Counts one eligible response's answers into the tallies (inside its transaction). */
export async function countAnswers(
  tx: DbOrTx,
  r: { roundId: number; quotaId: number; questionnaireId: number; answers: unknown },
): Promise<void> {
  // Rows are taken in key order, so concurrent submissions lock them in the same order.
  await tx.execute(sql`
    insert into survey_answer_tallies (round_id, quota_id, questionnaire_id, question_id, answer, n)
    select ${r.roundId}, ${r.quotaId}, ${r.questionnaireId}, a.key, a.value, 1
    from jsonb_each(${JSON.stringify(r.answers)}::jsonb) a
    where ${COUNTED}
    order by a.key, a.value
    on conflict (quota_id, questionnaire_id, question_id, answer)
    do update set n = survey_answer_tallies.n + 1`);
}

/** Recounts a round's tallies from its responses (after bulk loads: the seed, the benchmark). */
export async function rebuildTallies(tx: DbOrTx, roundId: number): Promise<void> {
  await tx.execute(sql`delete from survey_answer_tallies where round_id = ${roundId}`);
  await tx.execute(sql`
    insert into survey_answer_tallies (round_id, quota_id, questionnaire_id, question_id, answer, n)
    select round_id, quota_id, questionnaire_id, qid, answer, n from (${tallySql([roundId])}) t`);
}

export interface QuotaCountRow {
  round_id: number;
  quota_id: number;
  eligible: number;
  ineligible: number;
}

/** Responses per quota (of the quotas `within` a region): eligible (the design's n_h) and not. */
export async function quotaCounts(
  db: DbOrTx,
  roundIds: number[],
  within: number | null = null,
): Promise<QuotaCountRow[]> {
  return execRows<QuotaCountRow>(
    db,
    sql`select round_id, quota_id, (count(*) filter (where eligible))::int as eligible,
          (count(*) filter (where not eligible))::int as ineligible
        from survey_responses
        where round_id in (${idList(roundIds)}) and ${quotasWithin(within, sql`quota_id`)}
        group by round_id, quota_id`,
  );
}

export interface SuspectRow {
  id: number;
  guide_id: number | null;
  guide_name: string | null;
  region_name: string;
  mode: 'household' | 'street';
  household_code: string | null;
  spot: string | null;
  submitted_at: string | Date;
  answers_key: string;
  lat: number | null;
  lng: number | null;
  center_lat: number | null;
  center_lng: number | null;
  radius_m: number;
}

/**
 * Every response of a round (of the quotas `within` a region) as the suspicious-pattern check
 * reads it (answers as one hash).
 */
export async function responsesForCheck(
  db: DbOrTx,
  roundId: number,
  within: number | null = null,
): Promise<SuspectRow[]> {
  return execRows<SuspectRow>(
    db,
    sql`select r.id::int as id, r.guide_id, u.name as guide_name, g.name as region_name,
          r.mode, r.household_code, r.spot, r.submitted_at, md5(r.answers::text) as answers_key, r.lat, r.lng,
          q.center_lat, q.center_lng, q.radius_m
        from survey_responses r
        join survey_quotas q on q.id = r.quota_id
        join regions g on g.id = q.region_id
        left join users u on u.id = r.guide_id
        where r.round_id = ${roundId} and ${quotasWithin(within, sql`r.quota_id`)}`,
  );
}
