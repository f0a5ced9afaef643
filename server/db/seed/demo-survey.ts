import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { asc, eq, sql } from 'drizzle-orm';
import type { TQuestion } from '../../../core/contracts/surveys.js';
import {
  dimensionFromWord,
  guessDontKnow,
  type TAnswerValue,
} from '../../../core/survey/questions.js';
import { rebuildTallies } from '../../modules/surveys/results.service.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import type { Database } from '../client.js';
import {
  campaigns,
  frameworkNodes,
  regions,
  surveyQuestionnaires,
  surveyQuotaGuides,
  surveyQuotas,
  surveyResponses,
  surveyRounds,
  surveys,
  users,
} from '../schema/index.js';
import { DEMO_FRAMEWORK_FILE } from './demo-framework.js';

interface DemoQuestion {
  id: string;
  dimension: string;
  text: string;
  options: string[];
  favorable: string[];
}

/** Which demo standards (method 问卷调查) each demo question measures. */
const STANDARD_OF: Record<string, string[]> = {
  Q1: ['I1.2.2'],
  Q2: ['I1.2.2'],
  Q3: ['I1.2.2'],
  Q4: ['I7.2.2'],
  Q5: ['I2.2.3'],
  Q7: ['I5.4.1'],
  Q9: ['I5.4.2'],
};

export const DEMO_SURVEY_NAME = '示范市2026年入户问卷调查';

/** The demo file's household survey as questionnaire A (市民). */
export function demoQuestions(keysByCode: ReadonlyMap<string, string> = new Map()): TQuestion[] {
  const doc = JSON.parse(readFileSync(DEMO_FRAMEWORK_FILE, 'utf8')) as {
    householdSurvey: { questions: DemoQuestion[] };
  };
  return doc.householdSurvey.questions.map((q) => ({
    id: q.id,
    kind: 'single',
    text: q.text,
    options: q.options,
    dimension: dimensionFromWord(q.dimension),
    favourable: q.favorable,
    dontKnow: guessDontKnow(q.options),
    standardKeys: (STANDARD_OF[q.id] ?? []).flatMap((c) => keysByCode.get(c) ?? []),
  }));
}

/** A made-up but stable answer sheet: mostly favourable, less so for participation. */
function demoAnswers(qs: TQuestion[], seed: number): Record<string, TAnswerValue> {
  const out: Record<string, TAnswerValue> = {};
  qs.forEach((q, i) => {
    const r = ((seed * 7919 + i * 104729) % 1000) / 1000;
    const p = q.dimension === 'participation' ? 0.72 : q.dimension === 'awareness' ? 0.84 : 0.9;
    const fav = q.favourable;
    const other = q.options.filter((o) => !fav.includes(o));
    out[q.id] =
      r < p ? fav[Math.floor(r * 10) % fav.length]! : other[Math.floor(r * 1000) % other.length]!;
  });
  return out;
}

/**
 * The demo survey: questionnaire A from the demo file (published), a closed first round with 20
 * households in each of the first 6 communities answered, and an open second round whose quotas
 * are assigned to the demo guide. Idempotent: nothing happens once a survey exists, or without the
 * demo campaign.
 */
export async function seedDemoSurvey(database: Database): Promise<boolean> {
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727011)`);
    const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(surveys);
    const [campaign] = await tx.select().from(campaigns).orderBy(asc(campaigns.id)).limit(1);
    const [guide] = await tx.select().from(users).where(eq(users.username, 'surveyor'));
    if (n!.n > 0 || !campaign || !guide) return false;
    const nodes = await tx
      .select({ code: frameworkNodes.code, key: frameworkNodes.key })
      .from(frameworkNodes)
      .where(eq(frameworkNodes.method, 'survey'));
    const questions = demoQuestions(new Map(nodes.map((x) => [x.code, x.key])));
    const [survey] = await tx
      .insert(surveys)
      .values({ name: DEMO_SURVEY_NAME, campaignId: campaign.id })
      .returning();
    const [qn] = await tx
      .insert(surveyQuestionnaires)
      .values({
        surveyId: survey!.id,
        group: 'A',
        groupLabel: '市民',
        number: 1,
        status: 'published',
        publishedAt: new Date(),
        title: '示范市文明城市创建入户问卷（市民卷）',
        intro:
          '本问卷匿名填写，仅用于了解市民对文明城市创建的看法。调查对象：本地居住满半年、18—65周岁常住居民。',
        questions,
      })
      .returning();
    const floor = campaign.surveyFloor.enabled ? campaign.surveyFloor.minRate : 80;
    const [first, second] = await tx
      .insert(surveyRounds)
      .values([
        {
          surveyId: survey!.id,
          name: '第一次模拟测评',
          startsOn: '2026-09-01',
          endsOn: '2026-09-10',
          status: 'closed' as const,
          floorPercent: floor,
          minGuidesPerCommunity: 2,
        },
        {
          surveyId: survey!.id,
          name: '第二次模拟测评',
          startsOn: '2026-11-20',
          endsOn: '2026-12-10',
          status: 'open' as const,
          floorPercent: floor,
          minGuidesPerCommunity: 2,
        },
      ])
      .returning();
    const communities = await tx
      .select()
      .from(regions)
      .where(eq(regions.level, 'community'))
      .orderBy(asc(regions.code))
      .limit(6);
    let seq = 0;
    for (const round of [first!, second!]) {
      for (const [i, c] of communities.entries()) {
        const [quota] = await tx
          .insert(surveyQuotas)
          .values({
            roundId: round.id,
            regionId: c.id,
            group: 'A',
            target: 20,
            population: 1200 + i * 450,
            centerLat: 30.262 + i * 0.004,
            centerLng: 120.15 + i * 0.004,
            radiusM: 1500,
            publicToken: randomBytes(9).toString('base64url'),
          })
          .returning();
        await tx.insert(surveyQuotaGuides).values({ quotaId: quota!.id, userId: guide.id });
        if (round.status !== 'closed') continue;
        await tx.insert(surveyResponses).values(
          Array.from({ length: 20 }, (_, k) => {
            seq++;
            return {
              clientId: randomUUID(),
              roundId: round.id,
              quotaId: quota!.id,
              questionnaireId: qn!.id,
              channel: 'guide' as const,
              guideId: guide.id,
              householdCode: `${c.code.slice(-6)}-${String(k + 1).padStart(3, '0')}`,
              age: 20 + ((seq * 13) % 45),
              residentMonths: 6 + ((seq * 17) % 200),
              eligible: true,
              answers: demoAnswers(questions, seq),
              submittedAt: new Date(Date.UTC(2026, 8, 1 + (k % 9), 1 + (k % 8), (k * 7) % 60)),
              lat: 30.262 + i * 0.004,
              lng: 120.15 + i * 0.004,
            };
          }),
        );
      }
      await rebuildTallies(tx, round.id);
    }
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_survey',
      entityType: 'survey',
      entityId: survey!.id,
      after: { name: DEMO_SURVEY_NAME, rounds: 2, communities: communities.length },
    });
    return true;
  });
}
