import { eq, sql } from 'drizzle-orm';
import { addDays, shanghaiDate } from '../../../core/calendar/working-days.js';
import type { FrameworkData, StandardData } from '../../../core/frameworks/data.js';
import type { TMethod } from '../../../core/frameworks/methods.js';
import { defaultHonourTitle } from '../../../core/contracts/honours.js';
import { DEFAULT_SURVEY_CURVE } from '../../../core/scoring/rules.js';
import * as cells from '../../modules/cellawards/cell-awards.repo.js';
import { writeContent } from '../../modules/frameworks/framework-files.js';
import * as repo from '../../modules/frameworks/frameworks.repo.js';
import * as honoursRepo from '../../modules/honours/honours.repo.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import type { Database, Tx } from '../client.js';
import { campaigns, cellAwardCalls, units, users } from '../schema/index.js';
import { DEMO_CAMPAIGN } from './demo-framework.js';

// 文明细胞申报 in the demo city (issue #22, item 2): a small 文明单位 framework of our own wording
// after four of the 13 projects of 全国文明单位测评体系 (BRIEF §4: 学雷锋, 志愿服务, 道德讲堂, 优美环境;
// 30 points here, where the real one has 100 over 13), and this year's 市级文明单位 call in 公示, its
// period over: one applicant conferred (a certificate to print), one vetoed, one with an objection
// still being checked. The framework lives in a 文明细胞 (kind `cells`) campaign of its own, so the
// city's score, which combines the frameworks of its campaign, never sees it.

export const CELL_CAMPAIGN_NAME = '示范市文明细胞测评（演示）';
export const CELL_FRAMEWORK_NAME = '文明单位测评体系（演示）';

const std = (code: string, text: string, method: TMethod, maxScore: number): StandardData => ({
  code,
  text,
  guidance: null,
  method,
  maxScore,
  evidence: method === 'material' ? ['工作方案', '活动记录和图片'] : [],
  unitHints: [],
});

const FRAMEWORK: FrameworkData = {
  items: [
    {
      code: 'D1',
      text: '学雷锋',
      contents: [
        {
          code: 'D1.1',
          text: '学雷锋活动常态化',
          standards: [
            std('D1.1.1', '成立学雷锋志愿服务组织，每年开展学雷锋主题活动', 'material', 4),
            std('D1.1.2', '设立学雷锋志愿服务岗（站），有标识、有人员', 'field', 4),
          ],
        },
      ],
    },
    {
      code: 'D2',
      text: '志愿服务',
      contents: [
        {
          code: 'D2.1',
          text: '志愿服务制度化',
          standards: [
            std('D2.1.1', '职工注册志愿者占职工总数 10% 以上，有服务记录', 'material', 5),
            std('D2.1.2', '职工知晓并参与本单位志愿服务活动', 'survey', 3),
          ],
        },
      ],
    },
    {
      code: 'D3',
      text: '道德讲堂',
      contents: [
        {
          code: 'D3.1',
          text: '道德讲堂建设',
          standards: [
            std('D3.1.1', '建立道德讲堂，每年至少开展 4 次活动', 'material', 4),
            std('D3.1.2', '道德讲堂有固定场所和统一标识', 'field', 3),
          ],
        },
      ],
    },
    {
      code: 'D4',
      text: '优美环境',
      contents: [
        {
          code: 'D4.1',
          text: '办公环境',
          standards: [
            std('D4.1.1', '办公区域整洁有序，无乱堆乱放、乱贴乱画', 'field', 4),
            std('D4.1.2', '公益广告和文明提示醒目规范', 'field', 3),
          ],
        },
      ],
    },
  ],
  negativeItems: [],
  source: { meta: {}, scoring: null, sections: {}, levelInFile: false },
};

/**
 * The demo 文明单位 framework, in force (published v1) in a 文明细胞 (kind `cells`) campaign of its
 * own, which no "current campaign" choice or city picker sees; created once (found by name after
 * that). A campaign seeded before campaigns had a kind (migrated as `city`) is marked `cells` here.
 */
export async function ensureCellFramework(tx: Tx, now = new Date()): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(727031)`);
  const existing = await repo.findCampaignByName(tx, CELL_CAMPAIGN_NAME);
  if (existing && existing.kind !== 'cells') {
    await tx.update(campaigns).set({ kind: 'cells' }).where(eq(campaigns.id, existing.id));
  }
  if (existing) {
    const [fw] = await repo.listFrameworks(tx, [existing.id]);
    if (fw) return fw.id;
  }
  const [city] = await tx.select().from(campaigns).where(eq(campaigns.name, DEMO_CAMPAIGN.name));
  const campaignId =
    existing?.id ??
    (await repo.insertCampaign(tx, {
      name: CELL_CAMPAIGN_NAME,
      kind: 'cells',
      cycleStartYear: city?.cycleStartYear ?? DEMO_CAMPAIGN.cycleStartYear,
      cycleYears: city?.cycleYears ?? DEMO_CAMPAIGN.cycleYears,
      cycleWeights: city?.cycleWeights ?? [15, 25, 60],
      methodWeights: { material: 40, field: 40, survey: 20 },
      surveyFloor: { enabled: false, minRate: 0, effect: 'veto', points: 0 },
      surveyCurve: DEFAULT_SURVEY_CURVE,
      cyclePreset: 'custom',
    }));
  const frameworkId = await repo.insertFramework(tx, {
    campaignId,
    name: CELL_FRAMEWORK_NAME,
    level: 'prefecture',
    edition: 'demo-0.1',
    position: 0,
  });
  const version = await repo.insertVersion(tx, {
    frameworkId,
    number: 1,
    status: 'published',
    basedOnId: null,
    source: FRAMEWORK.source,
    publishedAt: now,
  });
  await writeContent(tx, version.id, FRAMEWORK, []);
  return frameworkId;
}

/** The demo's veto answers: none hit, unless `hit` names one. */
async function answerVetoes(tx: Tx, applicationId: number, by: number | null, hit?: string) {
  for (const key of [
    'leadership_violation',
    'staff_criminal_case',
    'safety_or_food_accident',
  ] as const) {
    await cells.upsertVeto(tx, {
      applicationId,
      vetoKey: key,
      hit: key === hit,
      note: key === hit ? '2025 年 8 月食堂发生集体食物中毒事件（演示）' : '经核查无此情况',
      checkedBy: by,
    });
  }
}

/**
 * This year's 市级文明单位 call with three applications, in 公示 whose period has ended. Idempotent:
 * nothing happens once the call exists, or without the demo city's units.
 */
export async function seedDemoCellAwards(
  database: Database,
  now = new Date(),
): Promise<{ seeded: boolean; applications: number }> {
  return withTx(database, async (tx) => {
    const frameworkId = await ensureCellFramework(tx, now);
    const today = shanghaiDate(now);
    const year = Number(today.slice(0, 4));
    const title = `${year}年度市级文明单位申报`;
    const [exists] = await tx
      .select({ id: cellAwardCalls.id })
      .from(cellAwardCalls)
      .where(sql`${cellAwardCalls.year} = ${year} and ${cellAwardCalls.title} = ${title}`);
    const byCode = async (code: string) =>
      (await tx.select().from(units).where(eq(units.code, code)))[0];
    const [cg, edu, market] = await Promise.all([
      byCode('SZF-CGJ'),
      byCode('SZF-JYJ'),
      byCode('SZF-SCJ'),
    ]);
    if (exists || !cg || !edu || !market) return { seeded: false, applications: 0 };
    const [office] = await tx.select().from(users).where(eq(users.username, 'office'));
    const by = office?.id ?? null;
    const version = await repo.findVersionByStatus(tx, frameworkId, 'published');
    const standards = await cells.standardsOf(tx, version!.id);
    const start = addDays(today, -10);
    const callId = await cells.insertCall(tx, {
      year,
      cellType: 'unit',
      level: 'city',
      title,
      honourTitle: defaultHonourTitle('unit', 'city'),
      frameworkId,
      frameworkVersionId: version!.id,
      applicationDeadline: addDays(today, -40),
      publicityDays: 7,
      publicityStart: start,
      publicityEnd: addDays(start, 6),
      officeRegionId: null,
      status: 'publicity',
      notes: '演示数据：申报材料经市文明办审核，实地查看、材料审核和问卷调查逐项评分。',
    });
    const apply = async (u: typeof cg, contact: string) =>
      cells.insertApplication(tx, {
        callId,
        applicantName: u.name,
        unitId: u.id,
        regionId: u.regionId,
        contact,
        assessedBy: by,
        assessedAt: now,
      });
    const a = await apply(cg, '赵联络 13900000004');
    const b = await apply(edu, '周老师 13900000021');
    const c = await apply(market, '陈科长 13900000022');
    // Scores: a loses a little on the survey and the signs; b and c elsewhere.
    const loss: Record<number, Record<string, number>> = {
      [a]: { 'D2.1.2': 0.5, 'D4.1.2': 0.5 },
      [b]: { 'D1.1.2': 1, 'D3.1.2': 1 },
      [c]: { 'D2.1.1': 1, 'D4.1.1': 0.5 },
    };
    for (const id of [a, b, c]) {
      for (const s of standards) {
        await cells.upsertMaterial(tx, {
          applicationId: id,
          standardKey: s.key,
          report: `${s.text}：已按要求落实，详见附件（演示）。`,
          updatedBy: by,
        });
        const lost = loss[id]![s.code] ?? 0;
        await cells.upsertScore(tx, {
          applicationId: id,
          standardKey: s.key,
          score: s.maxScore - lost,
          note: lost ? '部分达标' : null,
          scoredBy: by,
        });
      }
    }
    await answerVetoes(tx, a, by);
    await answerVetoes(tx, b, by, 'safety_or_food_accident');
    await answerVetoes(tx, c, by);
    await cells.setProposed(tx, callId, [a, c]);
    await cells.insertObjection(tx, {
      applicationId: a,
      receivedOn: addDays(start, 2),
      raisedBy: '匿名来信',
      content: '反映该单位志愿服务记录不全。',
      handling: '调阅志愿服务平台记录，服务时长记录完整。',
      outcome: 'dismissed',
      recordedBy: by,
    });
    await cells.insertObjection(tx, {
      applicationId: c,
      receivedOn: addDays(start, 5),
      raisedBy: '市民来电（12345 转办）',
      content: '反映该单位办事大厅排队秩序较差。',
      handling: null,
      outcome: 'pending',
      recordedBy: by,
    });
    // a: conferred, its title in the registry (another seed may have registered it already).
    const honourTitle = defaultHonourTitle('unit', 'city');
    const known = await honoursRepo.honoursByHolder(tx, [cg.name]);
    const key = honoursRepo.honourKey({
      cellType: 'unit',
      holderName: cg.name,
      title: honourTitle,
      yearConferred: year,
    });
    const honourId =
      known.get(key)?.id ??
      (await honoursRepo.insertHonour(tx, {
        cellType: 'unit',
        holderName: cg.name,
        unitId: cg.id,
        regionId: cg.regionId,
        title: honourTitle,
        level: 'city',
        yearConferred: year,
        termYears: 3,
        status: 'listed',
        remarks: `${title}（申报 #${a}）`,
        officeRegionId: null,
      }));
    await cells.updateApplicationRow(tx, a, 2, {
      decision: 'conferred',
      decisionNote: '公示期满无成立异议，授予市级文明单位称号。',
      decidedBy: by,
      decidedAt: now,
      honourId,
    });
    const out = { seeded: true, applications: 3 };
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_cell_awards',
      entityType: 'cell_award_call',
      entityId: callId,
      after: { ...out, honourId },
    });
    return out;
  });
}
