import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { DEFAULT_CREDIT_RULES } from '../../../core/credits/rules.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { citizenCategories, submitReport } from '../../modules/citizen/citizen.service.js';
import { confirmCode } from '../../modules/credits/credits-shop.service.js';
import { takeRedeemCode, updateMe } from '../../modules/credits/credits-public.service.js';
import {
  addStaff,
  createItem,
  createShop,
  putRules,
} from '../../modules/credits/credits.service.js';
import { accountFor, grantFor } from '../../modules/credits/grant-credits.js';
import { actOnProblem } from '../../modules/problems/act-on-problem.js';
import { insertUser } from '../../modules/org/users.repo.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { hashPassword } from '../../platform/auth/password.js';
import type { FileStorage } from '../../platform/storage.js';
import { withTx } from '../../platform/tx.js';
import { execRows, type Database } from '../client.js';
import {
  activityAttendance,
  citizenReports,
  creditItems,
  creditShops,
  starHouseholds,
  starRatings,
  volunteerActivities,
  volunteers,
} from '../schema/index.js';
import { demoActor } from './demo-actors.js';
import { DEMO_PASSWORD } from './demo-city.data.js';

// 文明积分 in the demo city (invented data): the first rules, points for the volunteers' hours
// and the approved 十星级文明户 (at the times they happened), three residents' 随手拍 accepted
// today, 爱心超市 and two partner shops with items, the shop's staff login `shop`, a redemption
// used and one resident on the ranking by name.

const SHOPS = [
  {
    name: '湖滨社区爱心超市',
    kind: 'supermarket' as const,
    address: '湖滨社区党群服务中心一楼',
    items: [
      { name: '环保购物袋', points: 10, stock: 100 },
      { name: '毛巾', points: 20, stock: 40 },
      { name: '洗洁精', points: 30, stock: 30 },
      { name: '大米 5 斤', points: 100, stock: 20 },
      { name: '食用油 1.8 升', points: 150, stock: 10 },
    ],
  },
  {
    name: '湖滨书店',
    kind: 'partner' as const,
    address: '湖滨路 120 号',
    items: [{ name: '图书兑换券（20 元）', points: 80, stock: null }],
  },
  {
    name: '便民理发店',
    kind: 'partner' as const,
    address: '柳岸路 15 号',
    items: [{ name: '理发一次', points: 60, stock: null }],
  },
];

/** Residents who report with their phone (the first opts in to the ranking by name). */
const RESIDENTS = [
  { phone: '13600001001', name: '陈晓燕', reports: 3 },
  { phone: '13600001002', name: null, reports: 2 },
  { phone: '13600001003', name: null, reports: 1 },
];

const REPORTS = [
  '小区门口垃圾桶满溢，无人清运',
  '人行道上共享单车乱停乱放',
  '公园长椅损坏，存在安全隐患',
  '路边绿化带内有大量烟头和塑料袋',
  '公交站台广告牌破损',
  '背街小巷路灯不亮',
];

/** Seeds the credits once (nothing when any shop exists, or outside the demo city). */
export async function seedDemoCredits(database: Database, storage: FileStorage): Promise<boolean> {
  const db = database.db;
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(creditShops);
  if (existing!.n > 0) return false;
  const office = await demoActor(database, 'office');
  if (!office) return false;

  await putRules(database, office, {
    version: 0,
    rules: DEFAULT_CREDIT_RULES,
    note: '首版积分规则：随手拍立案每件 5 分，志愿服务每小时 10 分，星级文明户每颗星 10 分',
  });

  // Volunteers' hours of the past weeks, granted when they checked out.
  const attended = await db
    .select({
      id: activityAttendance.id,
      volunteerId: activityAttendance.volunteerId,
      minutes: activityAttendance.creditedMinutes,
      at: activityAttendance.checkOutAt,
      title: volunteerActivities.title,
      userId: volunteers.userId,
    })
    .from(activityAttendance)
    .innerJoin(volunteerActivities, eq(volunteerActivities.id, activityAttendance.activityId))
    .innerJoin(volunteers, eq(volunteers.id, activityAttendance.volunteerId))
    .where(isNotNull(activityAttendance.checkOutAt))
    .orderBy(activityAttendance.checkOutAt);
  const volunteerActor = (await demoActor(database, 'volunteer')) ?? SYSTEM_ACTOR;
  await withTx(database, async (tx) => {
    for (const a of attended) {
      if (a.minutes <= 0) continue;
      await grantFor(tx, {
        kind: 'volunteer_hours',
        sourceId: a.id,
        volunteerId: a.volunteerId,
        quantity: a.minutes,
        note: `志愿服务：${a.title}（${minutesToHours(a.minutes)} 小时）`,
        actor: a.userId === volunteerActor.id ? volunteerActor : SYSTEM_ACTOR,
        at: a.at!,
      });
    }
    // Households whose stars were approved, at the review.
    const rated = await tx
      .select({
        id: starRatings.id,
        stars: starRatings.starCount,
        year: starRatings.year,
        at: starRatings.reviewedAt,
        phone: starHouseholds.phone,
        headName: starHouseholds.headName,
      })
      .from(starRatings)
      .innerJoin(starHouseholds, eq(starHouseholds.id, starRatings.householdId))
      .where(eq(starRatings.status, 'approved'));
    for (const r of rated) {
      await grantFor(tx, {
        kind: 'star_rating',
        sourceId: r.id,
        phone: r.phone,
        quantity: r.stars,
        name: r.headName,
        note: `${r.year} 年度星级文明户：${r.stars} 颗星`,
        actor: office,
        at: r.at ?? new Date(),
      });
    }
  });

  // Residents' 随手拍 with their phones, accepted by the office today (the grant goes with 立案).
  const categories = await citizenCategories(db);
  let k = 0;
  for (const r of RESIDENTS) {
    for (let i = 0; i < r.reports; i++, k++) {
      const category = categories[k % categories.length];
      if (!category) break;
      const { trackingCode } = await submitReport(
        database,
        storage,
        {
          categoryId: category.id,
          description: REPORTS[k % REPORTS.length]!,
          lat: 30.2622 + k * 0.0007,
          lng: 120.1502 + k * 0.0005,
          phone: r.phone,
        },
        [],
        '127.0.0.1',
      );
      const [report] = await db
        .select({ problemId: citizenReports.problemId })
        .from(citizenReports)
        .where(eq(citizenReports.trackingCode, trackingCode));
      const [p] = await execRows<{ version: number }>(
        db,
        sql`select version from problems where id = ${report!.problemId}`,
      );
      await actOnProblem(database, office, report!.problemId, {
        action: 'register',
        version: p!.version,
      });
    }
  }

  // The shops, their items, and the shop's staff login.
  const shopIds: number[] = [];
  for (const s of SHOPS) {
    const shop = await createShop(database, office, {
      name: s.name,
      kind: s.kind,
      address: s.address,
    });
    shopIds.push(shop.id);
    for (const item of s.items) await createItem(database, office, shop.id, item);
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const staffId = await withTx(database, (tx) =>
    insertUser(tx, {
      username: 'shop',
      name: '林店长',
      phone: '13600000001',
      roles: ['shop'],
      unitId: null,
      regionId: null,
      passwordHash,
      mustChangePassword: false,
    }),
  );
  await addStaff(database, office, shopIds[0]!, staffId);
  const staff: Actor = {
    ...SYSTEM_ACTOR,
    id: staffId,
    username: 'shop',
    name: '林店长',
    roles: ['shop'],
  };

  // The first resident opts in to the ranking by name and has redeemed a shopping bag already.
  const first = RESIDENTS[0]!;
  const accountId = await withTx(database, (tx) => accountFor(tx, { phone: first.phone }));
  await updateMe(database, accountId, { showName: true, name: first.name });
  const [bag] = await db
    .select({ id: creditItems.id })
    .from(creditItems)
    .where(and(eq(creditItems.shopId, shopIds[0]!), eq(creditItems.name, '环保购物袋')));
  const code = await takeRedeemCode(database, accountId, bag!.id, 10);
  await confirmCode(database, staff, code.code);
  return true;
}
