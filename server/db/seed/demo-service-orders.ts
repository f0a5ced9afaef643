import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { TServiceCategory, TServiceOrderState } from '../../../core/service-orders/labels.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import * as repo from '../../modules/serviceorders/service-orders.repo.js';
import { recomputeHours } from '../../modules/volunteers/hours.service.js';
import { DEFAULT_VOLUNTEER_SETTINGS } from '../../modules/volunteers/volunteers.service.js';
import type { Database } from '../client.js';
import {
  practicePlaces,
  serviceItems,
  users,
  volunteers,
  volunteerTeams,
} from '../schema/index.js';

// 点单派单 in the demo city: the menus of three stations around 湖滨, and a dozen orders of the last
// two weeks at every step — one dispatched to the demo volunteer's team and open to take (the
// phone's card), one done and waiting for its requester (tracking code FWDEMQ2222EE), the rest
// confirmed, declined, cancelled by its requester, overdue — with step times spread as they happen, so the stations' record
// has medians to show. Invented data.

const MENUS: {
  place: string;
  items: {
    name: string;
    category: TServiceCategory;
    description: string;
    teams: number[];
    needed?: number;
  }[];
}[] = [
  {
    place: '湖滨社区新时代文明实践站',
    items: [
      {
        name: '助老陪诊',
        category: 'elderly',
        description: '陪同行动不便的老人到社区医院或市级医院就诊、取药',
        teams: [0],
      },
      {
        name: '上门理发',
        category: 'elderly',
        description: '为高龄、失能老人上门理发修面',
        teams: [0],
      },
      {
        name: '楼道清洁',
        category: 'environment',
        description: '清理楼道杂物、小广告，需两名志愿者',
        teams: [0, 1],
        needed: 2,
      },
      { name: '法律咨询', category: 'legal', description: '邻里纠纷、劳动维权等咨询', teams: [] },
    ],
  },
  {
    place: '柳岸社区新时代文明实践站',
    items: [
      {
        name: '代买药品',
        category: 'medical',
        description: '为独居老人代购常用药品并送药上门',
        teams: [0],
      },
      {
        name: '助残出行',
        category: 'disabled',
        description: '陪同残障人士出行、办事',
        teams: [0, 2],
      },
    ],
  },
  {
    place: '湖滨街道新时代文明实践所',
    items: [
      {
        name: '文艺演出进小区',
        category: 'culture',
        description: '小区广场文艺演出、电影放映',
        teams: [1],
        needed: 3,
      },
    ],
  },
];

const TEAMS = ['湖滨街道文明实践志愿服务队', '示范市青年志愿者协会', '解放路巾帼志愿服务队'];

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Plan {
  place: number;
  item: number;
  /** How long ago it was ordered. */
  ago: number;
  state: TServiceOrderState;
  /** Minutes after ordering of each step reached: dispatch, take, on site, done, confirm. */
  steps?: number[];
  /** Volunteers (by name) who took it; the first of them on site marked it done. */
  takers?: string[];
  need: string;
  contact: [string, string];
  address: string;
  /** Offset north of the station, in 1e-4 degrees (≈ 11 m each). */
  north: number;
  satisfied?: boolean;
  comment?: string;
  byStation?: string;
  decline?: string;
  /** 撤销: the requester withdrew it this many minutes after ordering, saying why. */
  cancel?: { after: number; reason: string };
  /** Placed by the grid worker for the resident (else on the public page). */
  byGrid?: boolean;
  /** Dispatched with a deadline already past (overdue). */
  late?: boolean;
}

const PLANS: Plan[] = [
  {
    place: 0,
    item: 0,
    ago: 2 * HOUR,
    state: 'ordered',
    need: '母亲八十五岁，下周二需复查血压，子女在外地无法陪同',
    contact: ['王秀兰', '13805710001'],
    address: '湖滨路 18 号 2 幢 302',
    north: 8,
  },
  {
    place: 0,
    item: 1,
    ago: 5 * HOUR,
    state: 'dispatched',
    steps: [40],
    need: '老伴卧床半年，想请志愿者上门理个发',
    contact: ['陈建华', '13805710002'],
    address: '湖滨路 26 号 1 单元 101',
    north: 6,
  },
  {
    place: 0,
    item: 0,
    ago: 26 * HOUR,
    state: 'taken',
    steps: [30, 95],
    takers: ['黄丽'],
    need: '明早九点去市一医院眼科复诊，需有人陪同挂号取药',
    contact: ['李桂芳', '13805710003'],
    address: '柳岸路 5 号 4 幢 201',
    north: 10,
  },
  {
    place: 0,
    item: 2,
    ago: 3 * HOUR,
    state: 'on_site',
    steps: [20, 45, 150],
    takers: ['黄丽', '徐磊'],
    need: '三单元楼道堆放杂物，影响通行，希望帮忙清理',
    contact: ['赵国强', '13805710004'],
    address: '湖滨路 12 号 3 单元',
    north: 4,
  },
  {
    place: 0,
    item: 0,
    ago: 30 * HOUR,
    state: 'done',
    steps: [25, 70, 1150, 1240],
    takers: ['刘志愿'],
    need: '父亲腿脚不便，需要陪同去社区卫生服务中心打疫苗',
    contact: ['孙丽萍', '13805710005'],
    address: '湖滨路 30 号 2 单元 402',
    north: 12,
  },
  {
    place: 0,
    item: 2,
    ago: 7 * DAY,
    state: 'confirmed',
    steps: [15, 60, 1440, 1530, 1700],
    takers: ['刘志愿', '徐磊'],
    need: '楼道墙面小广告太多，希望组织清理',
    contact: ['周建平', '13805710006'],
    address: '湖滨路 8 号 1 单元',
    north: 3,
    satisfied: true,
    comment: '清理得很干净，谢谢志愿者！',
  },
  {
    place: 0,
    item: 1,
    ago: 9 * DAY,
    state: 'confirmed',
    steps: [60, 180, 1500, 1545, 2000],
    takers: ['刘志愿'],
    need: '奶奶行动不便，想在家理发',
    contact: ['吴梅', '13805710007'],
    address: '湖滨路 22 号 3 幢 101',
    north: 7,
    satisfied: true,
    comment: '志愿者很耐心',
  },
  {
    place: 1,
    item: 0,
    ago: 11 * DAY,
    state: 'confirmed',
    steps: [120, 300, 1620, 1660, 2400],
    takers: ['黄丽'],
    need: '独居，降压药快吃完了，请帮忙代买',
    contact: ['郑志明', '13805710008'],
    address: '柳岸路 16 号 2 幢 502',
    north: 5,
    satisfied: false,
    comment: '送药比约定时间晚了一天',
  },
  {
    place: 1,
    item: 1,
    ago: 13 * DAY,
    state: 'confirmed',
    steps: [90, 200, 1450, 1580, 6000],
    takers: ['徐磊'],
    need: '需要陪同去区残联办理残疾证年审',
    contact: ['冯晓东', '13805710009'],
    address: '柳岸路 3 号 1 幢 102',
    north: 9,
    byStation: '居民电话未接通，经社区回访确认服务完成',
  },
  {
    place: 0,
    item: 3,
    ago: 4 * DAY,
    state: 'declined',
    steps: [180],
    need: '想咨询房产继承纠纷，需要律师代写起诉状',
    contact: ['钱伟', '13805710010'],
    address: '湖滨路 40 号',
    north: 2,
    decline: '代写诉状不在志愿服务范围，已告知可到区公共法律服务中心申请法律援助',
  },
  {
    place: 0,
    item: 0,
    ago: 3 * DAY,
    state: 'cancelled',
    steps: [40],
    need: '父亲下周一需去医院拿药，家里没人能陪',
    contact: ['郑丽', '13805710013'],
    address: '湖滨路 27 号 3 单元 402',
    north: 6,
    cancel: { after: 300, reason: '儿子请好假了，自己陪同，谢谢' },
  },
  {
    place: 0,
    item: 0,
    ago: 2 * DAY,
    state: 'dispatched',
    steps: [50],
    need: '邻居独居老人近日行动不便，需陪同去医院检查',
    contact: ['何阿姨', '13805710011'],
    address: '湖滨路 9 号 1 单元 201',
    north: 5,
    byGrid: true,
    late: true,
  },
  {
    place: 2,
    item: 0,
    ago: 6 * DAY,
    state: 'confirmed',
    steps: [240, 1440, 2600, 2720, 2800],
    takers: ['陈晓燕', '周涛', '孙婷'],
    need: '小区想在周末办一场文艺演出，丰富居民生活',
    contact: ['林主任', '13805710012'],
    address: '湖滨街道望湖小区中心广场',
    north: 1,
    satisfied: true,
  },
];

const STAMPS = ['dispatchedAt', 'takenAt', 'onSiteAt', 'doneAt', 'confirmedAt'] as const;

/**
 * Seeds 点单派单 into the demo city (idempotent: nothing once a menu item exists). Menus through
 * the repository, orders with their steps at the times they happened (the services would stamp
 * them all "now"), each step audited as the system's seed, and the volunteers' hours credited.
 */
export async function seedDemoServiceOrders(database: Database): Promise<number> {
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727031)`);
    const [existing] = await tx.select({ n: sql<number>`count(*)::int` }).from(serviceItems);
    if (existing!.n > 0) return 0;
    const places = await tx
      .select({
        id: practicePlaces.id,
        name: practicePlaces.name,
        lat: practicePlaces.lat,
        lng: practicePlaces.lng,
      })
      .from(practicePlaces);
    const teams = await tx
      .select({ id: volunteerTeams.id, name: volunteerTeams.name })
      .from(volunteerTeams);
    const people = await tx.select({ id: volunteers.id, name: volunteers.name }).from(volunteers);
    const [gridUser] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.username} = 'grid'`);
    const placeOf = MENUS.map((m) => places.find((p) => p.name === m.place));
    const teamIds = TEAMS.map((n) => teams.find((t) => t.name === n)?.id);
    if (placeOf.some((p) => !p) || teamIds.some((t) => t === undefined)) return 0; // not the demo city

    const itemIds: number[][] = [];
    for (const [m, menu] of MENUS.entries()) {
      const ids: number[] = [];
      for (const it of menu.items) {
        const id = await repo.insertItem(tx, {
          placeId: placeOf[m]!.id,
          name: it.name,
          category: it.category,
          description: it.description,
          volunteersNeeded: it.needed ?? 1,
        });
        await repo.setItemTeams(
          tx,
          id,
          it.teams.map((t) => teamIds[t]!),
        );
        ids.push(id);
      }
      itemIds.push(ids);
    }

    const now = Date.now();
    const credited = new Set<number>();
    for (const [i, p] of PLANS.entries()) {
      const place = placeOf[p.place]!;
      const item = MENUS[p.place]!.items[p.item]!;
      const orderedAt = new Date(now - p.ago);
      const at = (k: number) =>
        p.steps?.[k] === undefined ? null : new Date(orderedAt.getTime() + p.steps[k] * MIN);
      const stamps = Object.fromEntries(STAMPS.map((s, k) => [s, at(k)])) as Record<
        (typeof STAMPS)[number],
        Date | null
      >;
      const team = item.teams[0] === undefined ? teamIds[0]! : teamIds[item.teams[0]]!;
      const dispatched = stamps.dispatchedAt !== null && p.state !== 'declined';
      const code = `FWDEMQ2222${'ABCDEFGHJKLMNPQ'[i]!.repeat(2)}`;
      const id = await repo.insertOrder(tx, {
        trackingCode: code,
        clientId: p.byGrid ? randomUUID() : null,
        channel: p.byGrid ? 'staff' : 'public',
        placeId: place.id,
        itemId: itemIds[p.place]![p.item]!,
        need: p.need,
        address: p.address,
        lat: (place.lat ?? 30.2622) + p.north / 10_000,
        lng: place.lng ?? 120.1502,
        contactName: p.contact[0],
        contactPhone: p.contact[1],
        orderedBy: p.byGrid ? (gridUser?.id ?? null) : null,
        state: p.state,
        teamId: dispatched ? team : null,
        deadline: dispatched
          ? new Date(p.late ? now - 3 * HOUR : stamps.dispatchedAt!.getTime() + 2 * DAY)
          : null,
        volunteersNeeded: item.needed ?? 1,
        orderedAt,
        ...(p.state === 'declined'
          ? { declinedAt: stamps.dispatchedAt, declineReason: p.decline ?? null }
          : { ...stamps }),
        ...(p.cancel
          ? {
              cancelledAt: new Date(orderedAt.getTime() + p.cancel.after * MIN),
              cancelReason: p.cancel.reason,
            }
          : {}),
        doneNote: stamps.doneAt ? '服务已完成，居民表示感谢' : null,
        satisfied: p.byStation ? null : (p.satisfied ?? null),
        comment: p.comment ?? null,
        confirmedBy: stamps.confirmedAt ? (p.byStation ? 'station' : 'requester') : null,
        confirmReason: p.byStation ?? null,
      });
      const event = async (
        action: string,
        when: Date | null,
        w: { note?: string | null; volunteerId?: number } = {},
      ) => {
        if (!when) return;
        await repo.insertEvent(tx, {
          orderId: id,
          action,
          at: when,
          volunteerId: w.volunteerId ?? null,
          note: w.note ?? null,
        });
      };
      await event('order', orderedAt);
      if (p.state === 'declined') {
        await event('decline', stamps.dispatchedAt, { note: p.decline ?? null });
      } else {
        await event('dispatch', stamps.dispatchedAt);
      }
      if (p.cancel) {
        await event('cancel', new Date(orderedAt.getTime() + p.cancel.after * MIN), {
          note: p.cancel.reason,
        });
      }
      const takers = (p.takers ?? [])
        .map((n) => people.find((v) => v.name === n)?.id)
        .filter((v) => v !== undefined);
      for (const [k, v] of takers.entries()) {
        const takenAt = new Date(stamps.takenAt!.getTime() + k * 7 * MIN);
        await repo.insertTaker(tx, { orderId: id, volunteerId: v, takenAt });
        await event('take', takenAt, { volunteerId: v });
        if (stamps.onSiteAt) {
          const inAt = new Date(stamps.onSiteAt.getTime() + k * 4 * MIN);
          await repo.insertOrderAttendance(tx, {
            orderId: id,
            volunteerId: v,
            clientId: randomUUID(),
            at: inAt,
            lat: (place.lat ?? 30.2622) + p.north / 10_000,
            lng: place.lng ?? 120.1502,
          });
          await event('check_in', inAt, { volunteerId: v });
        }
      }
      if (stamps.doneAt && takers[0] !== undefined) {
        await event('finish', stamps.doneAt, {
          volunteerId: takers[0],
          note: '服务已完成，居民表示感谢',
        });
        await repo.closeOrderAttendances(tx, id, stamps.doneAt);
        for (const v of takers) credited.add(v);
      }
      if (stamps.confirmedAt) {
        await event(p.byStation ? 'confirm_for' : 'confirm', stamps.confirmedAt, {
          note: p.byStation ?? p.comment ?? null,
        });
      }
      await writeAudit(tx, SYSTEM_ACTOR, {
        action: 'seed.demo_service_order',
        entityType: 'service_order',
        entityId: id,
        after: { state: p.state, code },
      });
    }
    for (const v of credited) await recomputeHours(tx, v, DEFAULT_VOLUNTEER_SETTINGS);
    return PLANS.length;
  });
}
