import { inArray, sql } from 'drizzle-orm';
import { currentStarYear } from '../../../core/contracts/star-households.js';
import {
  createCriterion,
  createHousehold,
  proposeRating,
  reviewRating,
} from '../../modules/starhouseholds/star-households.service.js';
import type { Database } from '../client.js';
import { grids, starCriteria, starHouseholds } from '../schema/index.js';
import { demoActor } from './demo-actors.js';

/**
 * 十星级文明户 in the demo city (invented people and addresses): the ten stars — our own
 * illustrative list, which the office may change — and 15 households in 湖滨一网格 (the demo grid
 * worker 孙网格's, login `grid`) and 柳岸一网格, this year's ratings at every step: one ten-star
 * household and others approved (on 湖滨社区's and 柳岸社区's public boards), one waiting for
 * review, one returned with its reason.
 */
export const DEMO_STARS = [
  ['patriotic', '爱国守法星', 'Patriotic and law-abiding'],
  ['integrity', '诚实守信星', 'Honest and trustworthy'],
  ['filial', '孝老爱亲星', 'Respects elders, cares for the young'],
  ['hygiene', '卫生健康星', 'Clean and healthy home'],
  ['learning', '学习进取星', 'Keeps learning'],
  ['industrious', '勤劳致富星', 'Hard-working'],
  ['neighbourly', '邻里和睦星', 'Good neighbours'],
  ['new_customs', '移风易俗星', 'Modern customs'],
  ['thrift', '勤俭节约星', 'Thrifty'],
  ['volunteer', '志愿服务星', 'Volunteers'],
] as const;
const ALL = DEMO_STARS.map(([code]) => code);

type Outcome = 'approved' | 'proposed' | 'returned' | null;
interface DemoHousehold {
  head: string;
  building: string;
  room: string;
  phone: string;
  /** How many of the stars (the first n), and where the rating stands (null: not rated yet). */
  stars: number;
  outcome: Outcome;
  note?: string;
  reason?: string;
}

const HUBIN: DemoHousehold[] = [
  {
    head: '陈志远',
    building: '湖滨花园 3 幢 1 单元',
    room: '501',
    phone: '13905710101',
    stars: 10,
    outcome: 'approved',
    note: '照顾瘫痪老母亲十余年，常年参加社区志愿服务',
  },
  {
    head: '林美华',
    building: '湖滨花园 3 幢 2 单元',
    room: '302',
    phone: '13905710102',
    stars: 8,
    outcome: 'approved',
  },
  {
    head: '黄建军',
    building: '湖滨花园 5 幢 1 单元',
    room: '201',
    phone: '13905710103',
    stars: 7,
    outcome: 'approved',
  },
  {
    head: '吴秀兰',
    building: '湖滨花园 5 幢 2 单元',
    room: '602',
    phone: '13905710104',
    stars: 9,
    outcome: 'proposed',
    note: '垃圾分类示范户',
  },
  {
    head: '徐国强',
    building: '湖滨花园 7 幢',
    room: '101',
    phone: '13905710105',
    stars: 6,
    outcome: 'returned',
    reason: '卫生健康星缺少入户核实记录，请补充后重新申报',
  },
  {
    head: '孙丽娟',
    building: '湖滨花园 7 幢',
    room: '402',
    phone: '13905710106',
    stars: 5,
    outcome: 'approved',
  },
  {
    head: '马德胜',
    building: '湖滨新村 2 幢',
    room: '303',
    phone: '13905710107',
    stars: 0,
    outcome: null,
  },
  {
    head: '朱玉梅',
    building: '湖滨新村 2 幢',
    room: '204',
    phone: '13905710108',
    stars: 0,
    outcome: null,
  },
  {
    head: '胡海涛',
    building: '湖滨新村 4 幢',
    room: '101',
    phone: '13905710109',
    stars: 0,
    outcome: null,
  },
];
const LIUAN: DemoHousehold[] = [
  {
    head: '郭淑芬',
    building: '柳岸人家 1 幢',
    room: '301',
    phone: '13905710201',
    stars: 9,
    outcome: 'approved',
  },
  {
    head: '何立新',
    building: '柳岸人家 1 幢',
    room: '502',
    phone: '13905710202',
    stars: 6,
    outcome: 'approved',
  },
  {
    head: '罗春燕',
    building: '柳岸人家 3 幢',
    room: '102',
    phone: '13905710203',
    stars: 8,
    outcome: 'proposed',
  },
  {
    head: '高文斌',
    building: '柳岸人家 3 幢',
    room: '401',
    phone: '13905710204',
    stars: 0,
    outcome: null,
  },
  {
    head: '梁晓红',
    building: '柳岸人家 6 幢',
    room: '201',
    phone: '13905710205',
    stars: 0,
    outcome: null,
  },
  {
    head: '宋卫东',
    building: '柳岸人家 6 幢',
    room: '603',
    phone: '13905710206',
    stars: 0,
    outcome: null,
  },
];

/** The stars (once: none when any exists), then the households and ratings (once likewise). */
export async function seedDemoStarHouseholds(database: Database): Promise<number> {
  const office = await demoActor(database, 'office');
  const street = await demoActor(database, 'street');
  const district = await demoActor(database, 'district');
  const worker = await demoActor(database, 'grid');
  if (!office || !street || !district || !worker) return 0;
  const [criteria] = await database.db.select({ n: sql<number>`count(*)::int` }).from(starCriteria);
  if (criteria!.n === 0) {
    for (const [i, [code, name, nameEn]] of DEMO_STARS.entries()) {
      await createCriterion(database, office, { code, name, nameEn, sortOrder: i, active: true });
    }
  }
  const [households] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(starHouseholds);
  if (households!.n > 0) return 0;
  const gridRows = await database.db
    .select({ id: grids.id, name: grids.name, minLat: grids.minLat, minLng: grids.minLng })
    .from(grids)
    .where(inArray(grids.name, ['湖滨一网格', '柳岸一网格']));
  const hubin = gridRows.find((g) => g.name === '湖滨一网格');
  const liuan = gridRows.find((g) => g.name === '柳岸一网格');
  if (!hubin || !liuan) return 0;
  const year = currentStarYear();
  let made = 0;
  // 湖滨一网格: the grid worker registers and proposes, the street office reviews; 柳岸一网格 has
  // no grid worker in the demo: the street office proposes and the district office reviews.
  const parts = [
    { grid: hubin, list: HUBIN, proposer: worker, reviewer: street },
    { grid: liuan, list: LIUAN, proposer: street, reviewer: district },
  ];
  for (const { grid, list, proposer, reviewer } of parts) {
    for (const [i, h] of list.entries()) {
      const created = await createHousehold(database, proposer, {
        gridId: grid.id,
        headName: h.head,
        address: `${h.building} ${h.room} 室`,
        building: h.building,
        phone: h.phone,
        lat: grid.minLat + 0.002 + i * 0.001,
        lng: grid.minLng + 0.002 + (i % 3) * 0.002,
      });
      made++;
      if (!h.outcome) continue;
      const proposed = await proposeRating(database, proposer, created.id, {
        year,
        stars: ALL.slice(0, h.stars),
        note: h.note ?? null,
      });
      const rating = proposed.rating!;
      if (h.outcome === 'approved') {
        await reviewRating(database, reviewer, rating.id, {
          version: rating.version,
          decision: 'approve',
        });
      } else if (h.outcome === 'returned') {
        await reviewRating(database, reviewer, rating.id, {
          version: rating.version,
          decision: 'return',
          reason: h.reason ?? '请补充材料',
        });
      }
    }
  }
  return made;
}
