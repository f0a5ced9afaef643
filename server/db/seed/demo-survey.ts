import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { asc, eq, sql } from 'drizzle-orm';
import type { TQuestion } from '../../../core/contracts/surveys.js';
import { isEligible, preset } from '../../../core/survey/eligibility.js';
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
export const DEMO_MINORS_SURVEY_NAME = '示范市2026年未成年人思想道德建设测评问卷';

/** Spots of the demo's street interviews (随机街访), with a position near each. */
const STREET_SPOTS: { spot: string; lat: number; lng: number }[] = [
  { spot: '人民广场', lat: 30.2592, lng: 120.1689 },
  { spot: '湖滨步行街', lat: 30.2577, lng: 120.1628 },
  { spot: '火车站东广场', lat: 30.2431, lng: 120.1827 },
  { spot: '解放路与中山路口', lat: 30.2509, lng: 120.1705 },
  { spot: '市民公园东门', lat: 30.2683, lng: 120.1559 },
];

/**
 * The pupils' questionnaire of the minors' test (未成年人思想道德建设测评, BRIEF §1.1): our own
 * wording in the style of the published questionnaires.
 */
const PUPIL_QUESTIONS: TQuestion[] = [
  {
    id: 'Q1',
    kind: 'single',
    text: '你知道社会主义核心价值观的内容吗？',
    options: ['全知道', '知道一些', '不知道'],
    dimension: 'awareness',
    favourable: ['全知道', '知道一些'],
    dontKnow: [],
    standardKeys: [],
  },
  {
    id: 'Q2',
    kind: 'single',
    text: '本学期你参加过学校组织的志愿服务或社会实践活动吗？',
    options: ['参加过', '没参加过'],
    dimension: 'participation',
    favourable: ['参加过'],
    dontKnow: [],
    standardKeys: [],
  },
  {
    id: 'Q3',
    kind: 'single',
    text: '你对学校周边环境（交通秩序、流动摊点、网吧）满意吗？',
    options: ['满意', '基本满意', '不满意', '说不清'],
    dimension: 'satisfaction',
    favourable: ['满意', '基本满意'],
    dontKnow: ['说不清'],
    standardKeys: [],
  },
  {
    id: 'Q4',
    kind: 'single',
    text: '你愿意向身边同学宣传文明礼仪吗？',
    options: ['愿意', '无所谓', '不愿意'],
    dimension: 'support',
    favourable: ['愿意'],
    dontKnow: [],
    standardKeys: [],
  },
];

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

/**
 * A made-up but stable answer sheet: mostly favourable, less so for participation; `lower` takes
 * some off (passers-by in the street are less favourable than households in the demo).
 * `participation` is the chance of a favourable participation answer: 0.72 in September, under
 * the floor of 80 % (the year's projection was 否决); after the office's autumn push for
 * volunteering (the demo's story) the second round's households answer 0.88.
 */
function demoAnswers(
  qs: TQuestion[],
  seed: number,
  lower = 0,
  participation = 0.72,
): Record<string, TAnswerValue> {
  const out: Record<string, TAnswerValue> = {};
  qs.forEach((q, i) => {
    const r = ((seed * 7919 + i * 104729) % 1000) / 1000;
    const p =
      (q.dimension === 'participation' ? participation : q.dimension === 'awareness' ? 0.84 : 0.9) -
      lower;
    const fav = q.favourable;
    const other = q.options.filter((o) => !fav.includes(o));
    out[q.id] =
      r < p ? fav[Math.floor(r * 10) % fav.length]! : other[Math.floor(r * 1000) % other.length]!;
  });
  return out;
}

type Tx = Parameters<Parameters<typeof withTx>[1]>[0];

/** The street interviews of the closed round: 40 at five spots, five of them not counting. */
function streetResponses(
  base: { roundId: number; quotaId: number; questionnaireId: number; guideId: number },
  questions: TQuestion[],
) {
  const residents = preset('resident');
  return Array.from({ length: 40 }, (_, k) => {
    const at = STREET_SPOTS[k % STREET_SPOTS.length]!;
    // Passers-by include visitors and the young: every tenth is not a resident of six months.
    const age = k === 7 ? 17 : 19 + ((k * 11) % 46);
    const residentMonths = k % 10 === 3 ? k % 5 : 12 + ((k * 23) % 300);
    return {
      clientId: randomUUID(),
      ...base,
      channel: 'guide' as const,
      mode: 'street' as const,
      householdCode: null,
      spot: at.spot,
      age,
      residentMonths,
      eligible: isEligible(residents, { age, residentMonths }),
      answers: demoAnswers(questions, 5000 + k, 0.08),
      submittedAt: new Date(Date.UTC(2026, 8, 2 + (k % 7), 2 + (k % 7), (k * 11) % 60)),
      lat: at.lat + (k % 3) * 0.0003,
      lng: at.lng - (k % 4) * 0.0003,
    };
  });
}

/**
 * The minors' test (未成年人思想道德建设测评): its own survey, not linked to the campaign (it is
 * scored separately, BRIEF §1.1), with the pupils' group S (6–18, residence not asked) and a closed
 * round of 10 pupils in each of three communities — one aged 19 in each, who does not count.
 */
async function seedMinorsSurvey(
  tx: Tx,
  communities: (typeof regions.$inferSelect)[],
  guideId: number,
): Promise<void> {
  const pupils = preset('student');
  const [survey] = await tx
    .insert(surveys)
    .values({ name: DEMO_MINORS_SURVEY_NAME, campaignId: null })
    .returning();
  const [qn] = await tx
    .insert(surveyQuestionnaires)
    .values({
      surveyId: survey!.id,
      group: 'S',
      groupLabel: '中小学生',
      number: 1,
      status: 'published',
      publishedAt: new Date(),
      title: '示范市未成年人思想道德建设测评问卷（学生卷）',
      intro: '本问卷匿名填写，调查对象为本市中小学生（6—18周岁），不限居住时间。',
      questions: PUPIL_QUESTIONS,
      ...pupils,
    })
    .returning();
  const [round] = await tx
    .insert(surveyRounds)
    .values({
      surveyId: survey!.id,
      name: '未成年人问卷模拟测评',
      startsOn: '2026-06-01',
      endsOn: '2026-06-10',
      status: 'closed' as const,
      floorPercent: 85,
      minGuidesPerCommunity: 1,
    })
    .returning();
  for (const [i, c] of communities.slice(0, 3).entries()) {
    const [quota] = await tx
      .insert(surveyQuotas)
      .values({
        roundId: round!.id,
        regionId: c.id,
        group: 'S',
        mode: 'household',
        target: 10,
        population: 300 + i * 120,
        publicToken: randomBytes(9).toString('base64url'),
      })
      .returning();
    await tx.insert(surveyQuotaGuides).values({ quotaId: quota!.id, userId: guideId });
    await tx.insert(surveyResponses).values(
      Array.from({ length: 10 }, (_, k) => {
        const age = k === 9 ? 19 : 9 + ((k * 5 + i) % 9);
        return {
          clientId: randomUUID(),
          roundId: round!.id,
          quotaId: quota!.id,
          questionnaireId: qn!.id,
          channel: 'guide' as const,
          guideId,
          mode: 'household' as const,
          householdCode: `${c.code.slice(-6)}-S${String(k + 1).padStart(2, '0')}`,
          age,
          residentMonths: null,
          eligible: isEligible(pupils, { age }),
          answers: demoAnswers(PUPIL_QUESTIONS, 9000 + i * 10 + k),
          submittedAt: new Date(Date.UTC(2026, 5, 1 + k, 8, (k * 13) % 60)),
          lat: 30.262 + i * 0.004,
          lng: 120.15 + i * 0.004,
        };
      }),
    );
  }
  await rebuildTallies(tx, round!.id);
}

/**
 * The demo surveys. The residents' survey: questionnaire A from the demo file (published, rule
 * 18–65 and six months, BRIEF §3), a closed first round with 20 households in each of the first 6
 * communities and 40 street interviews (随机街访) city-wide, and an open second round with the same
 * quotas assigned to the demo guide. Beside it the minors' test with the pupils' group. Idempotent:
 * nothing happens once a survey exists, or without the demo campaign.
 */
export async function seedDemoSurvey(database: Database): Promise<boolean> {
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727011)`);
    const [n] = await tx.select({ n: sql<number>`count(*)::int` }).from(surveys);
    const [campaign] = await tx
      .select()
      .from(campaigns)
      .where(eq(campaigns.kind, 'city'))
      .orderBy(asc(campaigns.id))
      .limit(1);
    const [guide] = await tx.select().from(users).where(eq(users.username, 'surveyor'));
    const [city] = await tx.select().from(regions).where(eq(regions.level, 'city')).limit(1);
    if (n!.n > 0 || !campaign || !guide || !city) return false;
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
        ...preset('resident'),
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
            mode: 'household',
            target: 20,
            population: 1200 + i * 450,
            centerLat: 30.262 + i * 0.004,
            centerLng: 120.15 + i * 0.004,
            radiusM: 1500,
            publicToken: randomBytes(9).toString('base64url'),
          })
          .returning();
        await tx.insert(surveyQuotaGuides).values({ quotaId: quota!.id, userId: guide.id });
        // The closed round: 20 households each. The open one, under way: 15 in four of the six
        // (the first two communities not started yet).
        const closed = round.status === 'closed';
        const done = closed ? 20 : i >= 2 ? 15 : 0;
        if (done === 0) continue;
        await tx.insert(surveyResponses).values(
          Array.from({ length: done }, (_, k) => {
            seq++;
            return {
              clientId: randomUUID(),
              roundId: round.id,
              quotaId: quota!.id,
              questionnaireId: qn!.id,
              channel: 'guide' as const,
              guideId: guide.id,
              mode: 'household' as const,
              householdCode: `${c.code.slice(-6)}-${String(k + 1).padStart(3, '0')}`,
              age: 20 + ((seq * 13) % 45),
              residentMonths: 6 + ((seq * 17) % 200),
              eligible: true,
              answers: closed ? demoAnswers(questions, seq) : demoAnswers(questions, seq, 0, 0.88),
              submittedAt: closed
                ? new Date(Date.UTC(2026, 8, 1 + (k % 9), 1 + (k % 8), (k * 7) % 60))
                : new Date(Date.UTC(2026, 10, 21 + (k % 10), 1 + (k % 8), (k * 7) % 60)),
              lat: 30.262 + i * 0.004,
              lng: 120.15 + i * 0.004,
            };
          }),
        );
      }
      // 随机街访: its own quota (40 city-wide beside 120 households), its own stratum.
      const [street] = await tx
        .insert(surveyQuotas)
        .values({
          roundId: round.id,
          regionId: city.id,
          group: 'A',
          mode: 'street',
          target: 40,
          population: null,
          publicToken: randomBytes(9).toString('base64url'),
        })
        .returning();
      await tx.insert(surveyQuotaGuides).values({ quotaId: street!.id, userId: guide.id });
      if (round.status === 'closed') {
        await tx.insert(surveyResponses).values(
          streetResponses(
            {
              roundId: round.id,
              quotaId: street!.id,
              questionnaireId: qn!.id,
              guideId: guide.id,
            },
            questions,
          ),
        );
      }
      await rebuildTallies(tx, round.id);
    }
    await seedMinorsSurvey(tx, communities, guide.id);
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_survey',
      entityType: 'survey',
      entityId: survey!.id,
      after: {
        name: DEMO_SURVEY_NAME,
        rounds: 2,
        communities: communities.length,
        streetInterviews: 40,
        minors: DEMO_MINORS_SURVEY_NAME,
      },
    });
    return true;
  });
}
