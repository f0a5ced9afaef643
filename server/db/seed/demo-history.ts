import { sql } from 'drizzle-orm';
import {
  addDays,
  endOfShanghaiDay,
  shanghaiDate,
  startOfShanghaiDay,
  workingHoursBetween,
} from '../../../core/calendar/working-days.js';
import type { TProblemActionRequest } from '../../../core/contracts/problems.js';
import {
  parseRankingPeriod,
  previousRankingPeriod,
  rankingPeriodOf,
} from '../../../core/ranking/periods.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { loadCalendar } from '../../modules/problems/problems.repo.js';
import { createProblem } from '../../modules/problems/problems.service.js';
import { execRows, type Database } from '../client.js';
import { problemCategories, units } from '../schema/index.js';
import { demoActor } from './demo-actors.js';
import { demoPositionIn } from './demo-boundaries.js';

/*
 * Last month's problems of the demo city, all handled by now: the month the office ranks first
 * (the rankings page and the monthly job open on it). The default minimum sample (5 cases) keeps
 * a unit with one or two problems out of the ranking; here several units of two classes have
 * enough cases, with different records, so 流动红旗 and 黑牌 show (and a few units stay 样本不足).
 */

/** How a problem went: closed by its deadline, after it, and with one 返工 on the way or not. */
type Outcome = 'onTime' | 'late' | 'rework' | 'reworkLate';

/** Per unit: its outcomes, and the categories its problems are of (in turn). */
const PLAN: { unit: string; outcomes: Outcome[]; categories: string[] }[] = [
  // City departments: 城管局 and 交警 do well, 住建局 is late on most, 市场监管局 has too few.
  {
    unit: 'SZF-CGJ',
    outcomes: ['onTime', 'onTime', 'onTime', 'rework', 'onTime', 'late', 'onTime', 'onTime'],
    categories: ['HJ01', 'ZX03', 'HJ05', 'HJ04', 'SS06'],
  },
  {
    unit: 'SZF-JJZD',
    outcomes: ['onTime', 'onTime', 'onTime', 'onTime', 'onTime'],
    categories: ['ZX04', 'ZX05', 'WM01'],
  },
  {
    unit: 'SZF-YLJ',
    outcomes: ['onTime', 'rework', 'onTime', 'late', 'onTime'],
    categories: ['YL01', 'YL02'],
  },
  {
    unit: 'SZF-ZJJ',
    outcomes: ['late', 'onTime', 'reworkLate', 'late', 'onTime', 'late'],
    categories: ['SS01', 'SS03'],
  },
  { unit: 'SZF-SCJ', outcomes: ['onTime', 'onTime'], categories: ['ZX02'] },
  // District governments: 东湖区 does well, 西城区 is late on half.
  {
    unit: 'QX-990102',
    outcomes: ['onTime', 'onTime', 'rework', 'onTime', 'onTime', 'onTime'],
    categories: ['HJ04', 'ZX06', 'XC03'],
  },
  {
    unit: 'QX-990103',
    outcomes: ['late', 'onTime', 'reworkLate', 'onTime', 'late'],
    categories: ['HJ06', 'ZX06', 'HJ04'],
  },
  {
    unit: 'QX-990104',
    outcomes: ['onTime', 'onTime', 'late', 'onTime', 'onTime'],
    categories: ['XC02', 'HJ05', 'ZX03'],
  },
  // 东湖区's streets, which the district office ranks (and the city's 街道 class too): 湖滨 does
  // well, 解放路 is late on most, 樱花 is in between, 新港镇 has too few to rank. (东门 keeps out:
  // it owns one of the current demo problems that may be moved into last month, demo-problems.ts.)
  {
    unit: 'JD-990102001',
    outcomes: ['onTime', 'onTime', 'onTime', 'onTime', 'rework', 'onTime'],
    categories: ['HJ04', 'ZX06', 'HJ05'],
  },
  {
    unit: 'JD-990102002',
    outcomes: ['late', 'late', 'onTime', 'reworkLate', 'late'],
    categories: ['ZX03', 'HJ01', 'SS06'],
  },
  {
    unit: 'JD-990102005',
    outcomes: ['onTime', 'late', 'onTime', 'onTime', 'rework'],
    categories: ['HJ06', 'ZX04'],
  },
  { unit: 'JD-990102004', outcomes: ['onTime', 'late'], categories: ['HJ01'] },
];

const WHAT: Record<string, string> = {
  HJ01: '垃圾堆积未及时清运',
  HJ04: '垃圾桶满溢',
  HJ05: '墙面小广告',
  HJ06: '公厕保洁不到位',
  ZX02: '店外经营',
  ZX03: '流动摊贩占道',
  ZX04: '非机动车乱停放',
  ZX05: '机动车违停',
  ZX06: '楼道乱堆物',
  SS01: '井盖破损',
  SS03: '路灯不亮',
  SS06: '盲道被占',
  XC02: '公益广告褪色',
  XC03: '宣传栏内容过期',
  YL01: '绿地垃圾较多',
  YL02: '行道树缺株',
  WM01: '校门口交通秩序混乱',
};

const STREETS = [
  '和平路',
  '建设路',
  '人民路',
  '中山路',
  '文化路',
  '育才路',
  '光明街',
  '幸福路',
  '朝阳路',
  '新华街',
  '青年路',
  '胜利街',
  '东风路',
  '团结路',
  '迎宾大道',
  '滨湖东路',
  '花园街',
  '学府路',
  '金桥路',
  '春风巷',
];

const NOTES: Partial<Record<TProblemActionRequest['action'], string>> = {
  submit: '已整改完毕，附整改后照片',
  rework: '回头看发现仍未整改到位，请返工',
};

/** The steps after dispatch, and the day (after the dispatch day) each is taken on. */
const STEPS: Record<Outcome, [TProblemActionRequest['action'], number][]> = {
  onTime: [
    ['submit', 2],
    ['approve', 3],
  ],
  late: [
    ['submit', 7],
    ['approve', 8],
  ],
  rework: [
    ['submit', 1],
    ['rework', 2],
    ['submit', 3],
    ['approve', 4],
  ],
  reworkLate: [
    ['submit', 2],
    ['rework', 4],
    ['submit', 7],
    ['approve', 8],
  ],
};

/** The units ranked on last month's history (the demo's other problems keep away from it). */
export const DEMO_HISTORY_UNITS: readonly string[] = PLAN.map((p) => p.unit);

/** Days from dispatch to the deadline (end of that day, Shanghai). */
const DEADLINE_DAYS = 5;

/** A Shanghai wall time on a day: `day` plus hours. */
const at = (day: string, hours: number) =>
  new Date(startOfShanghaiDay(day).getTime() + hours * 3600_000);

/**
 * Seeds last month's history (see above): each problem taken in through the problem service, its
 * handling (dispatch, rectification, 返工, approval) written with last month's times. Once:
 * skipped when it has run before (its audit record). Returns how many.
 */
export async function seedDemoHistory(database: Database, now = new Date()): Promise<number> {
  const month = previousRankingPeriod(parseRankingPeriod(rankingPeriodOf(now, 'month'))!);
  // Once: the record of an earlier run (the month may hold other problems, e.g. the current demo's
  // overdue ones early in a month, demo-problems.ts).
  const [have] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from audit_log where action = 'seed.demo_history'`,
  );
  if (have!.n > 0) return 0;
  const officeActor = await demoActor(database, 'office');
  if (!officeActor) return 0;
  const cats = new Map(
    (await database.db.select().from(problemCategories)).map((c) => [c.code, c.id]),
  );
  const unitByCode = new Map((await database.db.select().from(units)).map((u) => [u.code, u]));
  // Communities with their district and street: a district government's problems lie in its
  // district, a street office's in its street.
  const communities = await execRows<{
    id: number;
    code: string;
    district: string;
    street: string;
  }>(
    database.db,
    sql`select c.id, c.code, d.code as district, s.code as street from regions c
          join regions d on d.level = 'district' and c.path like d.path || '%'
          join regions s on s.level = 'street' and c.path like s.path || '%'
         where c.level = 'community' order by c.id`,
  );
  const calendar = await loadCalendar(database.db);
  const firstDay = shanghaiDate(month.from);
  let n = 0;
  for (const plan of PLAN) {
    const unit = unitByCode.get(plan.unit);
    if (!unit) continue;
    const unitActor: Actor = {
      ...SYSTEM_ACTOR,
      name: `${unit.name}联络员`,
      roles: ['unit'],
      unitId: unit.id,
    };
    const district = plan.unit.startsWith('QX-') ? plan.unit.slice(3) : null;
    const ownStreet = plan.unit.startsWith('JD-') ? plan.unit.slice(3) : null;
    const places = communities.filter(
      (c) => (!district || c.district === district) && (!ownStreet || c.street === ownStreet),
    );
    for (const [k, outcome] of plan.outcomes.entries()) {
      const category = plan.categories[k % plan.categories.length]!;
      const categoryId = cats.get(category);
      if (!categoryId) continue;
      const street = STREETS[n % STREETS.length]!;
      // Dispatched on the 2nd to the 19th: every step and deadline falls inside the month.
      const day = addDays(firstDay, 1 + ((n * 5) % 18));
      const place = places[(n * 3) % places.length];
      const { detail } = await createProblem(database, officeActor, {
        title: `${street}${WHAT[category] ?? '问题'}`,
        categoryId,
        severity: 'normal',
        channel: (['inspection', 'hotline', 'citizen', 'supervision'] as const)[n % 4],
        regionId: place?.id ?? null,
        address: `${street}${10 + ((n * 7) % 90)}号附近`,
        // Inside its community's area (demo-boundaries.ts), away from the current problems' spots.
        ...((place && demoPositionIn(place.code, 500 + n)) ?? {
          lat: Math.round((30.2861 + (n % 7) * 0.0012) * 1e6) / 1e6,
          lng: Math.round((120.1351 + Math.floor(n / 7) * 0.0012) * 1e6) / 1e6,
        }),
        register: true,
      });
      const p = detail.problem;
      // The handling, written as the problem services would have written it on those days: a
      // history is not replayed through today's clock (its deadlines would be in the future).
      const dispatchedAt = at(day, 10);
      const deadline = endOfShanghaiDay(addDays(day, DEADLINE_DAYS));
      const steps = STEPS[outcome].map(([action, after]) => ({
        action,
        at: at(addDays(day, after), 15),
      }));
      const closedAt = steps.at(-1)!.at;
      const submittedAt = steps.filter((x) => x.action === 'submit').at(-1)!.at;
      const handlingHours =
        Math.round(workingHoursBetween(dispatchedAt, closedAt, calendar) * 100) / 100;
      let state = 'dispatched';
      let reworks = 0;
      const events = [
        {
          action: 'dispatch',
          from: 'registered',
          to: 'dispatched',
          actor: officeActor,
          at: dispatchedAt,
          note: null as string | null,
          data: {
            unitId: unit.id,
            unitName: unit.name,
            deadline: deadline.toISOString(),
          } as object,
        },
        ...steps.map((x) => {
          const from = state;
          state =
            x.action === 'submit' ? 'submitted' : x.action === 'rework' ? 'dispatched' : 'closed';
          if (x.action === 'rework') reworks++;
          return {
            action: x.action,
            from,
            to: state,
            actor: x.action === 'submit' ? unitActor : officeActor,
            at: x.at,
            note: NOTES[x.action] ?? null,
            data:
              x.action === 'rework'
                ? { reworkCount: reworks, deadline: deadline.toISOString() }
                : x.action === 'approve'
                  ? { handlingHours }
                  : {},
          };
        }),
      ];
      await withTx(database, async (tx) => {
        await tx.execute(sql`
          update problems set state = 'closed', unit_id = ${unit.id},
                 created_at = ${at(day, 9.5)}, registered_at = ${at(day, 9.5)},
                 dispatched_at = ${dispatchedAt}, deadline = ${deadline},
                 submitted_at = ${submittedAt}, closed_at = ${closedAt},
                 rework_count = ${reworks}, handling_hours = ${handlingHours},
                 updated_at = ${closedAt}, version = version + ${events.length}
           where id = ${p.id}`);
        await tx.execute(
          sql`update problem_events set at = ${at(day, 9.5)} where problem_id = ${p.id}`,
        );
        await tx.execute(sql`
          insert into problem_events (problem_id, action, from_state, to_state, actor_id,
                                      actor_name, at, note, data)
          values ${sql.join(
            events.map(
              (e) =>
                sql`(${p.id}, ${e.action}, ${e.from}, ${e.to}, ${e.actor.id}, ${e.actor.name},
                     ${e.at}, ${e.note}, ${JSON.stringify(e.data)}::jsonb)`,
            ),
            sql`, `,
          )}`);
      });
      n++;
    }
  }
  await withTx(database, (tx) =>
    writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_history',
      entityType: 'system',
      after: { period: month.period, problems: n },
    }),
  );
  return n;
}
