import { inArray, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { shanghaiDate, startOfShanghaiDay } from '../../../core/calendar/working-days.js';
import type { TPlaceKind } from '../../../core/contracts/volunteers.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth/password.js';
import { withTx } from '../../platform/tx.js';
import { insertUser } from '../../modules/org/users.repo.js';
import { recomputeHours } from '../../modules/volunteers/hours.service.js';
import { idNumberColumns } from '../../modules/volunteers/realname.js';
import { withCheckChar } from '../../../core/volunteers/id-number.js';
import { DEFAULT_VOLUNTEER_SETTINGS } from '../../modules/volunteers/volunteers.service.js';
import type { Database } from '../client.js';
import {
  activityAttendance,
  activitySignups,
  nationalHours,
  practicePlaces,
  regionPopulations,
  regions,
  units,
  volunteerActivities,
  volunteers,
  volunteerTeams,
} from '../schema/index.js';
import { DEMO_PASSWORD } from './demo-city.data.js';

// Invented demo data: stations around 湖滨 (near the demo problems), three teams, two dozen volunteers.
const PLACES: {
  kind: TPlaceKind;
  name: string;
  region: string;
  address: string;
  at: [number, number];
  hours: string;
  staff: string[];
}[] = [
  {
    kind: 'center',
    name: '示范市新时代文明实践中心',
    region: '示范市',
    address: '市民中心 B 座 1 楼',
    at: [30.2705, 120.1552],
    hours: '周一至周日 9:00-17:00',
    staff: ['主任 陈明', '干事 周静'],
  },
  {
    kind: 'institute',
    name: '湖滨街道新时代文明实践所',
    region: '湖滨街道',
    address: '湖滨路 88 号',
    at: [30.2641, 120.1519],
    hours: '工作日 8:30-17:30',
    staff: ['所长 李建华'],
  },
  {
    kind: 'station',
    name: '湖滨社区新时代文明实践站',
    region: '湖滨社区',
    address: '湖滨社区党群服务中心',
    at: [30.2622, 120.1502],
    hours: '工作日 9:00-17:00，周六 9:00-12:00',
    staff: ['站长 王芳', '社工 刘洋'],
  },
  {
    kind: 'station',
    name: '柳岸社区新时代文明实践站',
    region: '柳岸社区',
    address: '柳岸路 12 号',
    at: [30.2588, 120.1573],
    hours: '工作日 9:00-17:00',
    staff: ['站长 赵敏'],
  },
  {
    kind: 'lei_feng',
    name: '火车站学雷锋志愿服务站',
    region: '解放社区',
    address: '火车站东广场',
    at: [30.2669, 120.1621],
    hours: '每日 7:00-21:00',
    staff: ['站长 孙杰'],
  },
];

const TEAMS = [
  { name: '湖滨街道文明实践志愿服务队', unit: 'JD-990102001', region: '湖滨街道' },
  { name: '示范市青年志愿者协会', unit: null, region: '示范市' },
  { name: '解放路巾帼志愿服务队', unit: 'JD-990102002', region: '解放路街道' },
];

const NAMES = [
  '刘志愿',
  '陈晓燕',
  '杨光',
  '黄丽',
  '周涛',
  '吴敏',
  '徐磊',
  '孙婷',
  '马超',
  '朱红',
  '胡建国',
  '郭静',
  '何勇',
  '高洁',
  '林峰',
  '罗霞',
  '郑伟',
  '梁芳',
  '谢军',
  '宋佳',
  '唐亮',
  '许丹',
  '韩冰',
  '冯雪',
];
const SKILLS = [
  ['文明劝导'],
  ['急救', '文明劝导'],
  ['摄影'],
  ['心理疏导'],
  ['垃圾分类宣传'],
  ['助老'],
];
const COMMUNITIES = ['湖滨社区', '湖滨社区', '柳岸社区', '解放社区'];

const HOUR = 3_600_000;

/**
 * An invented ID number for demo volunteer `i`: region 990102 (no real region has it, like the
 * demo city's codes), a birth date from 1965 on, a valid check character.
 */
function demoIdNumber(i: number): string {
  const birth = `${1965 + i}${String((i % 12) + 1).padStart(2, '0')}${String((i % 27) + 1).padStart(2, '0')}`;
  return withCheckChar(`990102${birth}${String(100 + i * 7).padStart(3, '0')}`);
}

/**
 * Seeds the volunteer module into the demo city (idempotent: nothing happens once a team exists):
 * stations, teams, volunteers (one linked to the demo account `volunteer`), past activities with
 * attendance, one running today (for the check-in demo), one next week, and some populations.
 */
export async function seedDemoVolunteers(database: Database): Promise<boolean> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727011)`);
    const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(volunteerTeams);
    if (existing!.n > 0) return false;
    const regionRows = await tx.select({ id: regions.id, name: regions.name }).from(regions);
    const regionId = (name: string) => regionRows.find((r) => r.name === name)?.id ?? null;
    if (regionId('湖滨社区') === null) return false; // not the demo city
    const unitRows = await tx
      .select({ id: units.id, code: units.code })
      .from(units)
      .where(inArray(units.code, ['JD-990102001', 'JD-990102002']));
    const unitId = (code: string | null) => unitRows.find((u) => u.code === code)?.id ?? null;

    const placeIds: number[] = [];
    for (const p of PLACES) {
      const [row] = await tx
        .insert(practicePlaces)
        .values({
          kind: p.kind,
          name: p.name,
          regionId: regionId(p.region),
          address: p.address,
          lat: p.at[0],
          lng: p.at[1],
          openingHours: p.hours,
          staff: p.staff,
        })
        .returning({ id: practicePlaces.id });
      placeIds.push(row!.id);
    }
    const teamIds: number[] = [];
    for (const team of TEAMS) {
      const [row] = await tx
        .insert(volunteerTeams)
        .values({ name: team.name, unitId: unitId(team.unit), regionId: regionId(team.region) })
        .returning({ id: volunteerTeams.id });
      teamIds.push(row!.id);
    }
    const userId = await insertUser(tx, {
      username: 'volunteer',
      name: '刘志愿',
      phone: '13700000000',
      roles: ['volunteer'],
      unitId: null,
      regionId: null,
      passwordHash,
      mustChangePassword: false,
    });
    const volunteerIds: number[] = [];
    for (const [i, name] of NAMES.entries()) {
      const [row] = await tx
        .insert(volunteers)
        .values({
          name,
          phone: `137000000${String(i).padStart(2, '0')}`,
          organisation: i % 3 === 0 ? '示范市第一中学' : i % 3 === 1 ? '市供电公司' : null,
          teamId: teamIds[i % teamIds.length]!,
          skills: SKILLS[i % SKILLS.length]!,
          regionId: regionId(COMMUNITIES[i % COMMUNITIES.length]!),
          userId: i === 0 ? userId : null,
          // 实名 for three in four; the rest show as 未实名 (the office's list to complete).
          ...(i % 4 === 3 ? {} : idNumberColumns(demoIdNumber(i))),
        })
        .returning({ id: volunteers.id });
      volunteerIds.push(row!.id);
    }

    // Past activities (this month and last) with attendance, today's one, and next week's.
    const now = Date.now();
    const day = (d: number, h: number) => {
      const base = new Date(now + d * 86_400_000);
      // h o'clock Asia/Shanghai on that day
      return new Date(startOfShanghaiDay(shanghaiDate(base)).getTime() + h * HOUR);
    };
    const plan: {
      title: string;
      place: number;
      team: number;
      start: Date;
      hours: number;
      cap: number;
      came: number;
    }[] = [
      { title: '文明交通劝导', place: 2, team: 0, start: day(-20, 8), hours: 2, cap: 12, came: 9 },
      {
        title: '垃圾分类入户宣传',
        place: 2,
        team: 0,
        start: day(-9, 9),
        hours: 3,
        cap: 10,
        came: 8,
      },
      { title: '敬老院探访', place: 1, team: 2, start: day(-6, 14), hours: 2, cap: 8, came: 6 },
      {
        title: '“我们的节日”主题活动',
        place: 0,
        team: 1,
        start: day(-3, 9),
        hours: 3,
        cap: 30,
        came: 14,
      },
      {
        title: '火车站春运志愿服务',
        place: 4,
        team: 1,
        start: day(-2, 7),
        hours: 4,
        cap: 10,
        came: 7,
      },
    ];
    for (const [k, p] of plan.entries()) {
      const place = PLACES[p.place]!;
      const [a] = await tx
        .insert(volunteerActivities)
        .values({
          title: p.title,
          description: `${place.name}组织的志愿服务活动。`,
          startsAt: p.start,
          endsAt: new Date(p.start.getTime() + p.hours * HOUR),
          placeId: placeIds[p.place]!,
          address: place.address,
          lat: place.at[0],
          lng: place.at[1],
          regionId: regionId(place.region),
          capacity: p.cap,
          signedUp: p.came,
          organiserUnitId: unitId(TEAMS[p.team]!.unit),
          organiserTeamId: teamIds[p.team]!,
        })
        .returning({ id: volunteerActivities.id });
      for (let j = 0; j < p.came; j++) {
        const v = volunteerIds[(k * 5 + j) % volunteerIds.length]!;
        await tx
          .insert(activitySignups)
          .values({ activityId: a!.id, volunteerId: v })
          .onConflictDoNothing();
        // Most check out; every fifth forgot (hours then count to the scheduled end, flagged).
        const inAt = new Date(p.start.getTime() + ((j * 7) % 20) * 60_000);
        const outAt =
          j % 5 === 4
            ? null
            : new Date(p.start.getTime() + p.hours * HOUR - ((j * 11) % 30) * 60_000);
        await tx
          .insert(activityAttendance)
          .values({
            activityId: a!.id,
            volunteerId: v,
            clientId: randomUUID(),
            checkInAt: inAt,
            checkInMethod: j % 2 ? 'gps' : 'qr',
            checkOutAt: outAt,
            checkOutMethod: outAt ? 'qr' : null,
          })
          .onConflictDoNothing();
      }
    }
    // Today's activity is under way (so the demo check-in works), and one next week.
    for (const a of [
      {
        title: '湖滨社区环境清洁日',
        start: new Date(now - HOUR),
        end: new Date(now + 3 * HOUR),
        cap: 15,
      },
      { title: '文明餐桌宣传', start: day(7, 10), end: day(7, 12), cap: 10 },
    ]) {
      const place = PLACES[2]!;
      await tx.insert(volunteerActivities).values({
        title: a.title,
        description: '清理绿化带垃圾、劝导不文明行为。',
        startsAt: a.start,
        endsAt: a.end,
        placeId: placeIds[2]!,
        address: place.address,
        lat: place.at[0],
        lng: place.at[1],
        regionId: regionId(place.region),
        capacity: a.cap,
        organiserUnitId: unitId(TEAMS[0]!.unit),
        organiserTeamId: teamIds[0]!,
      });
    }
    for (const v of volunteerIds) await recomputeHours(tx, v, DEFAULT_VOLUNTEER_SETTINGS);
    // Hours the demo volunteer served elsewhere, recorded in the 全国志愿服务信息系统 and imported.
    for (const [k, [title, daysAgo, minutes]] of (
      [
        ['市图书馆导读服务', 40, 180],
        ['无偿献血宣传', 33, 120],
      ] as const
    ).entries()) {
      await tx.insert(nationalHours).values({
        volunteerId: volunteerIds[0]!,
        recordKey: `rec:DEMO-${k + 1}`,
        nationalRecordId: `DEMO-${k + 1}`,
        activityTitle: title,
        serviceDate: shanghaiDate(new Date(now - daysAgo * 86_400_000)),
        minutes,
        importFile: '演示数据',
      });
    }
    for (const [name, population] of [
      ['湖滨社区', 80],
      ['柳岸社区', 60],
      ['解放社区', 50],
    ] as const) {
      await tx.insert(regionPopulations).values({ regionId: regionId(name)!, population });
    }
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_volunteers',
      entityType: 'system',
      after: { places: PLACES.length, teams: TEAMS.length, volunteers: NAMES.length },
    });
    return true;
  });
}
