import { eq, sql } from 'drizzle-orm';
import type { TProblemActionRequest } from '../../../core/contracts/problems.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { actOnProblem } from '../../modules/problems/act-on-problem.js';
import { createProblem } from '../../modules/problems/problems.service.js';
import { demoPositionIn } from './demo-boundaries.js';
import { DEMO_HISTORY_UNITS } from './demo-history.js';
import { withTx } from '../../platform/tx.js';
import type { Database } from '../client.js';
import { problemCategories, problems, regions, units } from '../schema/index.js';

/** Typical problems of a campaign week: where, what, and which unit would own it. */
const DEMO: { title: string; category: string; unit: string; address: string }[] = [
  {
    title: '解放路菜市场门口垃圾堆积',
    category: 'HJ01',
    unit: 'SZF-CGJ',
    address: '解放路88号东湖农贸市场',
  },
  {
    title: '湖滨路人行道电动车乱停放',
    category: 'ZX04',
    unit: 'SZF-JJZD',
    address: '湖滨路与望湖街交叉口',
  },
  { title: '青石巷井盖破损', category: 'SS01', unit: 'SZF-ZJJ', address: '青石巷12号' },
  {
    title: '长安街公交站台公益广告褪色',
    category: 'XC02',
    unit: 'SW-XCB',
    address: '长安街公交站（北向）',
  },
  {
    title: '鼓楼广场流动摊贩占道',
    category: 'ZX03',
    unit: 'JD-990103001',
    address: '鼓楼广场东侧',
  },
  {
    title: '西关社区宣传栏内容过期',
    category: 'XC03',
    unit: 'SW-WMB',
    address: '西关社区居委会门口',
  },
  { title: '南山公园绿地垃圾较多', category: 'YL01', unit: 'SZF-YLJ', address: '南山公园北门' },
  { title: '滨江路路灯不亮', category: 'SS03', unit: 'SZF-ZJJ', address: '滨江路300米处' },
  { title: '火车站广场公厕不洁', category: 'HJ06', unit: 'QY-HCZ', address: '示范市火车站东广场' },
  {
    title: '人民医院门口机动车违停',
    category: 'ZX05',
    unit: 'SZF-JJZD',
    address: '示范市人民医院正门',
  },
  {
    title: '第一中学周边小广告',
    category: 'HJ05',
    // 块: the street office answers for its streets (东湖区东门街道).
    unit: 'JD-990102003',
    address: '示范市第一中学南侧围墙',
  },
  { title: '万达广场外店外经营', category: 'ZX02', unit: 'SZF-SCJ', address: '万达广场B区' },
  { title: '驿站社区楼道乱堆物料', category: 'ZX06', unit: 'SZF-MZJ', address: '驿站社区3栋' },
  { title: '高新区盲道被占', category: 'SS06', unit: 'SZF-CGJ', address: '创业大道科技园段' },
  { title: '翠竹路树木缺株', category: 'YL02', unit: 'SZF-YLJ', address: '翠竹路中段' },
  {
    title: '丝路街道垃圾桶满溢',
    category: 'HJ04',
    unit: 'JD-990103003',
    address: '丝路大街与驼铃巷交叉口',
  },
  {
    title: '实验小学门口交通秩序混乱',
    category: 'WM01',
    unit: 'SZF-JJZD',
    address: '示范市实验小学',
  },
  { title: '湖滨社区不文明养犬', category: 'WM03', unit: 'SZF-GAJ', address: '湖滨社区中心花园' },
];

/** Where each demo problem ends up, to show every state and colour of the ledger. */
const PATHS: TProblemActionRequest['action'][][] = [
  [],
  ['register'],
  ['register', 'dispatch'],
  ['register', 'dispatch'],
  ['register', 'dispatch', 'submit'],
  ['register', 'dispatch', 'submit', 'approve'],
  ['register', 'dispatch', 'submit', 'rework'],
  ['register', 'dispatch', 'request_extension'],
  ['register', 'dispatch', 'return'],
  ['register', 'dispatch', 'submit', 'approve'],
  ['register', 'dispatch'],
  ['reject'],
  ['register', 'dispatch', 'submit', 'rework', 'submit', 'rework'],
  ['register', 'defer'],
  ['register', 'dispatch'],
  ['register', 'dispatch', 'submit', 'approve'],
  ['register', 'dispatch'],
  ['register', 'dispatch', 'submit'],
];

const NOTES: Partial<Record<TProblemActionRequest['action'], string>> = {
  reject: '经核实不属于创建问题，不予立案',
  submit: '已组织人员整改完毕，附整改后照片',
  rework: '回头看发现仍未整改到位，请返工',
  request_extension: '需采购材料，申请延期',
  return: '该点位不属于本单位管辖，申请退回',
  defer: '涉及道路改造工程，待工程完工后处理',
};

/** A few weeks of campaign work for the demo city: problems in every state, some overdue. */
export async function seedDemoProblems(database: Database, office: Actor): Promise<number> {
  const [existing] = await database.db.select({ n: sql<number>`count(*)::int` }).from(problems);
  if (existing!.n > 0) return 0;
  const cats = new Map(
    (await database.db.select().from(problemCategories)).map((c) => [c.code, c.id]),
  );
  const unitRows = await database.db.select().from(units);
  const unitByCode = new Map(unitRows.map((u) => [u.code, u]));
  const communities = await database.db
    .select()
    .from(regions)
    .where(eq(regions.level, 'community'))
    .orderBy(regions.id);
  let n = 0;
  for (const [i, d] of DEMO.entries()) {
    const unit = unitByCode.get(d.unit);
    const categoryId = cats.get(d.category);
    if (!unit || !categoryId) continue;
    const unitActor: Actor = {
      ...SYSTEM_ACTOR,
      name: `${unit.name}联络员`,
      roles: ['unit'],
      unitId: unit.id,
    };
    const community = communities[(i * 5) % communities.length];
    const { detail } = await createProblem(database, office, {
      title: d.title,
      categoryId,
      severity: i % 7 === 0 ? 'urgent' : 'normal',
      channel: (['inspection', 'office', 'hotline', 'citizen', 'media', 'supervision'] as const)[
        i % 6
      ],
      regionId: community?.id ?? null,
      address: d.address,
      // Inside its community's area (demo-boundaries.ts): the boundaries agree with the problem.
      ...((community && demoPositionIn(community.code, i)) ?? {
        lat: Math.round((30.2741 + ((i % 6) - 3) * 0.004 + i * 0.0003) * 1e6) / 1e6,
        lng: Math.round((120.1551 + (Math.floor(i / 6) - 1) * 0.005) * 1e6) / 1e6,
      }),
    });
    let p = detail.problem;
    for (const action of PATHS[i % PATHS.length]!) {
      const actor = ['submit', 'return', 'request_extension'].includes(action) ? unitActor : office;
      const res = await actOnProblem(database, actor, p.id, {
        action,
        version: p.version,
        note: NOTES[action] ?? null,
        unitId: action === 'dispatch' ? unit.id : undefined,
        extensionDeadline:
          action === 'request_extension' && p.deadline
            ? new Date(new Date(p.deadline).getTime() + 5 * 86_400_000).toISOString()
            : undefined,
      });
      p = res.problem;
    }
    n++;
  }
  // Make the week look lived-in: some dispatched problems are past their deadline (黄/红). Their
  // whole history moves back with the deadline (dates, the timeline, the deadline the dispatch
  // recorded), so the page tells one story: dispatched N days ago, due days ago, still open.
  // Early in a month that is last month: only units outside last month's ranked history
  // (demo-history.ts) are chosen, so its 流动红旗 and 黑牌 stay as that history decides.
  const ranked = sql.join(
    DEMO_HISTORY_UNITS.map((c) => sql`${c}`),
    sql`, `,
  );
  await withTx(database, async (tx) => {
    await tx.execute(sql`
      create temp table demo_overdue on commit drop as
      select id, interval '1 day' * ((deadline at time zone 'Asia/Shanghai')::date
               - (now() at time zone 'Asia/Shanghai')::date + days_late) as shift from (
        select id, deadline,
               (array[1, 6, 2, 9])[(row_number() over (order by id) - 1) % 4 + 1] as days_late
          from problems where state = 'dispatched' and not extension_pending and rework_count < 2
           and unit_id not in (select id from units where code in (${ranked}))
         order by id limit 4) o`);
    await tx.execute(sql`
      update problems p set deadline = p.deadline - o.shift,
             created_at = p.created_at - o.shift, registered_at = p.registered_at - o.shift,
             dispatched_at = p.dispatched_at - o.shift, updated_at = p.updated_at - o.shift
        from demo_overdue o where p.id = o.id`);
    await tx.execute(sql`
      update problem_events e set at = e.at - o.shift,
             data = case when e.data ? 'deadline'
                         then jsonb_set(e.data, '{deadline}', to_jsonb(to_char(p.deadline at time zone 'UTC',
                                'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
                         else e.data end
        from demo_overdue o join problems p on p.id = o.id
       where e.problem_id = o.id`);
  });
  await database.afterCommit();
  return n;
}
