import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type { TGoodPersonCategory } from '../../../core/contracts/good-people.js';
import { monthOf, previousMonth } from '../../../core/good-people/months.js';
import * as repo from '../../modules/goodpeople/good-people.repo.js';
import {
  addStep,
  changeStatus,
  moveMonth,
  nominate,
} from '../../modules/goodpeople/good-people.service.js';
import type { Actor } from '../../platform/actor.js';
import type { Database } from '../client.js';
import { goodPersonNominations, regions } from '../schema/index.js';
import { demoActor } from './demo-actors.js';

type Seeded = {
  by: 'unit' | 'office' | 'grid' | 'citizen';
  name: string;
  category: TGoodPersonCategory;
  community: string;
  deeds: string;
  /** Last month: what became of it (votes are the public's, rank the 好人榜's place). */
  outcome?: { votes: number; rank?: number; rejected?: string };
  /** This month: already shortlisted. */
  shortlisted?: true;
};

/** Last month: reviewed, voted on and published; the first on the list went up to the province. */
const LAST_MONTH: Seeded[] = [
  {
    by: 'citizen',
    name: '陈建国',
    category: 'bravery',
    community: '湖滨社区',
    deeds:
      '10月12日傍晚，西湖边一名儿童不慎落水，正在散步的陈建国毫不犹豫跳入水中，将孩子托举上岸后悄然离开，家属多方寻找才找到他。',
    outcome: { votes: 236, rank: 1 },
  },
  {
    by: 'grid',
    name: '刘秀英',
    category: 'filial',
    community: '柳岸社区',
    deeds:
      '丈夫去世后，刘秀英独自照顾瘫痪在床的婆婆十八年，端水喂饭、擦身按摩从不间断，老人至今没有生过一次褥疮。',
    outcome: { votes: 198, rank: 2 },
  },
  {
    by: 'unit',
    name: '王志强',
    category: 'dedication',
    community: '解放社区',
    deeds:
      '市城市管理综合执法局一线队员王志强，连续五年春节坚守岗位，主动帮助流动摊贩入市经营，化解矛盾纠纷两百余起。',
    outcome: { votes: 154, rank: 3 },
  },
  {
    by: 'office',
    name: '孙德明',
    category: 'honesty',
    community: '西关社区',
    deeds:
      '个体户孙德明拾到装有八万元现金和证件的提包，在原地等候失主三个多小时，如数归还并婉拒酬谢。',
    outcome: { votes: 97 },
  },
  {
    by: 'citizen',
    name: '赵小红',
    category: 'helping',
    community: '樱花社区',
    deeds: '热心帮助邻居，经常帮忙代收快递、照看孩子，邻里关系融洽，大家都很喜欢她。',
    outcome: { votes: 0, rejected: '事迹较为一般，建议继续培育后再推荐' },
  },
];

/** This month: nominations coming in, one already shortlisted. */
const THIS_MONTH: Seeded[] = [
  {
    by: 'unit',
    name: '李卫东',
    category: 'dedication',
    community: '望湖社区',
    deeds:
      '环卫班长李卫东每天凌晨四点上岗，十年来负责的路段从未出现垃圾积存，还自费为班组同事购买防寒手套。',
    shortlisted: true,
  },
  {
    by: 'citizen',
    name: '张桂兰',
    category: 'helping',
    community: '渔港社区',
    deeds: '退休教师张桂兰在社区开设免费“四点半课堂”，六年来辅导双职工家庭和留守儿童三百余人次。',
  },
  {
    by: 'grid',
    name: '周海峰',
    category: 'bravery',
    community: '湖滨社区',
    deeds: '周海峰在小区发现电动车起火，第一时间拿起灭火器扑救并疏散居民，避免了一场火灾。',
  },
];

const CITIZENS = [
  { name: '钱女士', phone: '13905710011' },
  { name: '吴先生', phone: '13905710022' },
];

/**
 * 身边好人 in the demo city: last month's list published (three honoured, one shortlisted, one not
 * taken) with its votes and a first step up to the province; this month's nominations coming in.
 * Once (nothing when any nomination exists).
 */
export async function seedDemoGoodPeople(database: Database): Promise<number> {
  const db = database.db;
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(goodPersonNominations);
  if (existing!.n > 0) return 0;
  const actors = {
    office: await demoActor(database, 'office'),
    unit: await demoActor(database, 'unit'),
    grid: await demoActor(database, 'grid'),
  };
  const office = actors.office;
  if (!office) return 0;
  const communities = new Map(
    (
      await db
        .select({ id: regions.id, name: regions.name })
        .from(regions)
        .where(sql`${regions.level} = 'community'`)
    ).map((r) => [r.name, r.id]),
  );
  const thisMonth = monthOf(new Date());
  const lastMonth = previousMonth(thisMonth);
  let n = 0;
  let citizen = 0;

  async function put(month: string, s: Seeded) {
    const regionId = communities.get(s.community);
    if (!regionId) return null;
    const body = { month, category: s.category, nomineeName: s.name, deeds: s.deeds, regionId };
    n++;
    if (s.by === 'citizen') {
      const who = CITIZENS[citizen++ % CITIZENS.length]!;
      const id = await repo.insertNomination(db, {
        ...body,
        source: 'citizen',
        citizenName: who.name,
        citizenPhone: who.phone,
      });
      return (await repo.findNomination(db, id))!;
    }
    const actor: Actor = actors[s.by] ?? office!;
    return nominate(database, actor, body);
  }

  const reviewed: { id: number; s: Seeded }[] = [];
  for (const s of LAST_MONTH) {
    const r = await put(lastMonth, s);
    if (!r) continue;
    const o = s.outcome!;
    const next = o.rejected
      ? { status: 'rejected' as const, reason: o.rejected }
      : { status: 'shortlisted' as const };
    await changeStatus(database, office, r.id, { ...next, version: r.version });
    if (!o.rejected) reviewed.push({ id: r.id, s });
  }
  let month = await moveMonth(database, office, lastMonth, { state: 'voting', version: 0 });
  // The public's votes, as they came in over the voting week (keys as the vote hashes them).
  const day = shanghaiDate(new Date(Date.now() - 5 * 86_400_000));
  await repo.insertVotes(
    db,
    reviewed.flatMap(({ id, s }) =>
      Array.from({ length: s.outcome!.votes }, (_, v) => ({
        nominationId: id,
        voterKey: createHash('sha256').update(`demo-voter:${id}:${v}`).digest('hex'),
        day,
      })),
    ),
  );
  month = await moveMonth(database, office, lastMonth, { state: 'closed', version: month.version });
  for (const { id, s } of reviewed) {
    if (!s.outcome!.rank) continue;
    const r = (await repo.findNomination(db, id))!;
    await changeStatus(database, office, id, {
      status: 'honoured',
      rank: s.outcome!.rank,
      version: r.version,
    });
  }
  await moveMonth(database, office, lastMonth, { state: 'published', version: month.version });
  const first = reviewed.find((r) => r.s.outcome!.rank === 1);
  if (first) {
    await addStep(database, office, first.id, {
      level: 'provincial',
      stage: 'recommended',
      on: shanghaiDate(new Date()),
      note: '报送省文明办参评月度省级好人榜',
    });
  }

  for (const s of THIS_MONTH) {
    const r = await put(thisMonth, s);
    if (r && s.shortlisted) {
      await changeStatus(database, office, r.id, { status: 'shortlisted', version: r.version });
    }
  }
  return n;
}
