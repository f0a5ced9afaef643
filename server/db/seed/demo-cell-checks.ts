import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { addMonths } from '../../../core/cells/dynamic.js';
import {
  createCheckList,
  createNegativeList,
  recordCheck,
  recordHit,
} from '../../modules/cellchecks/cell-checks.service.js';
import { createHonour } from '../../modules/honours/honours.service.js';
import type { Database } from '../client.js';
import { cellCheckLists, honours, problems, regions } from '../schema/index.js';
import { demoActor } from './demo-actors.js';

// 文明细胞 dynamic management in the demo city (issue #22, item 3). The standards and the negative
// list are our own illustrative wording, in the shape BRIEF §4 reports ("20项标准,每季一考核";
// 负面清单 items of −2/−3 points, severe ones leading to 整改) — not any city's official text.

const CHECK_LIST = '文明单位季度考核（示例）';
const STANDARDS = [
  '创建工作领导小组健全，年度计划明确',
  '社会主义核心价值观宣传阵地常态更新',
  '道德讲堂每季度至少开展一次',
  '志愿服务队伍注册在岗，季度服务不少于 2 次',
  '学雷锋活动有记录、有照片',
  '窗口服务文明用语规范，服务承诺公开',
  '办公区域整洁，无乱张贴',
  '门前三包责任落实，无乱堆放',
  '公共厕所干净无异味',
  '禁烟标识齐全，无人吸烟',
  '垃圾分类设施齐全，投放规范',
  '无障碍设施完好可用',
  '职工文明礼仪培训有开展',
  '勤俭节约制止餐饮浪费有措施',
  '“我们的节日”主题活动有开展',
  '结对帮扶共建社区或村有成效',
  '公益广告按要求刊播',
  '职工参与文明交通劝导',
  '网络文明传播有专人负责',
  '创建档案资料完整规范',
];
const NEGATIVE_LIST = '文明单位负面清单（示例）';
const NEGATIVE_ITEMS: { text: string; points: number; severe?: true }[] = [
  { text: '门前环境脏乱差被媒体曝光', points: 2 },
  { text: '窗口服务被群众实名投诉并查实', points: 2 },
  { text: '未按要求参加全市创建集中活动', points: 2 },
  { text: '志愿服务连续两季度空白', points: 2 },
  { text: '公益广告刊播不达标经督查未整改', points: 2 },
  { text: '职工不文明行为被通报', points: 3 },
  { text: '问题交办逾期未整改', points: 3 },
  { text: '领导班子成员发生严重违纪违法', points: 3, severe: true },
  { text: '职工发生刑事案件', points: 3, severe: true },
  { text: '发生重大安全生产或食品安全责任事故', points: 3, severe: true },
];

/** The demo's own holders (distinctive names: the registry's demo seeds others). */
const HOLDERS = ['东湖区图书馆', '西城区青少年宫', '南山区科技馆'] as const;
const DISTRICT = { 东湖区图书馆: '东湖区', 西城区青少年宫: '西城区', 南山区科技馆: '南山区' };

/** The quarter `back` quarters before today's (2026-Q4 → 2026-Q3 for 1). */
function quarterBefore(today: string, back: number): { period: string; day: string } {
  const day = addMonths(today, -3 * back);
  return { period: `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`, day };
}

/** Lists, three holders (made when missing), a few checks and one hit — once. */
export async function seedDemoCellChecks(database: Database): Promise<number> {
  const db = database.db;
  const [done] = await db
    .select({ id: cellCheckLists.id })
    .from(cellCheckLists)
    .where(eq(cellCheckLists.name, CHECK_LIST));
  if (done) return 0;
  const office = await demoActor(database, 'office');
  if (!office) return 0;

  const list = await createCheckList(database, office, {
    cellType: 'unit',
    name: CHECK_LIST,
    frequency: 'quarterly',
    standards: STANDARDS.map((text, i) => ({ code: String(i + 1), text, points: 5 })),
  });
  await createNegativeList(database, office, {
    cellType: 'unit',
    name: NEGATIVE_LIST,
    items: NEGATIVE_ITEMS.map((it, i) => ({
      code: `F${i + 1}`,
      text: it.text,
      points: it.points,
      severe: it.severe ?? false,
    })),
  });

  // The library stands where problems were reported lately: its record shows them.
  const [near] = await db
    .select({ lat: problems.lat, lng: problems.lng })
    .from(problems)
    .where(and(isNotNull(problems.lat), isNotNull(problems.lng)))
    .orderBy(desc(problems.createdAt))
    .limit(1);
  const districts = new Map(
    (
      await db
        .select({ id: regions.id, name: regions.name })
        .from(regions)
        .where(eq(regions.level, 'district'))
    ).map((r) => [r.name, r.id]),
  );
  const today = shanghaiDate(new Date());
  const year = Number(today.slice(0, 4));
  const ids: number[] = [];
  for (const name of HOLDERS) {
    const [existing] = await db
      .select({ id: honours.id })
      .from(honours)
      .where(and(eq(honours.cellType, 'unit'), eq(honours.holderName, name)));
    if (existing) {
      ids.push(existing.id);
      continue;
    }
    const place =
      name === '东湖区图书馆' && near ? { lat: near.lat! + 0.0002, lng: near.lng! } : {};
    const h = await createHonour(database, office, {
      cellType: 'unit',
      holderName: name,
      level: 'city',
      yearConferred: year - 1,
      termYears: 3,
      status: 'listed',
      regionId: districts.get(DISTRICT[name]) ?? null,
      ...place,
    });
    ids.push(h.id);
  }

  const results = (fails: number[]) =>
    STANDARDS.map((_, i) => ({
      code: String(i + 1),
      pass: !fails.includes(i + 1),
      note: fails.includes(i + 1) ? '现场检查未达标' : null,
    }));
  const checks = [
    { honourId: ids[0]!, back: 2, fails: [8] },
    { honourId: ids[0]!, back: 1, fails: [] },
    { honourId: ids[1]!, back: 1, fails: [4, 9, 20] },
  ];
  let n = 0;
  for (const c of checks) {
    const { period, day } = quarterBefore(today, c.back);
    await recordCheck(database, office, {
      honourId: c.honourId,
      listId: list.id,
      period,
      checkedOn: day,
      results: results(c.fails),
    });
    n++;
  }
  await recordHit(database, office, {
    honourId: ids[1]!,
    itemCode: 'F4',
    hitOn: addMonths(today, -1),
    note: '志愿服务连续两季度无记录',
  });
  return n + 1;
}
