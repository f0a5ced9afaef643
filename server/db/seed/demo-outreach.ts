import { sql } from 'drizzle-orm';
import { createPairing, submitVisit } from '../../modules/outreach/outreach.service.js';
import type { Database } from '../client.js';
import { outreachPairings, regions, units } from '../schema/index.js';
import { demoActor } from './demo-actors.js';

/**
 * 入户包联 in the demo city: a few units paired with communities or one building, the demo unit's
 * (市城市管理综合执法局, login `unit`) among them, with some households already visited — so the
 * office's coverage and the unit's phone flow (web/mobile/flows/VisitsFlow.tsx) show something.
 */
const PAIRINGS = [
  { unit: 'SZF-CGJ', community: '湖滨社区', building: '3幢', target: 24 },
  { unit: 'SZF-CGJ', community: '柳岸社区', building: '', target: 60 },
  { unit: 'SZF-JJZD', community: '解放社区', building: '', target: 40 },
  { unit: 'SW-WMB', community: '西关社区', building: '', target: 80 },
] as const;

/** The demo unit user's visits in 湖滨社区 3幢: days ago, flat, what was delivered. */
const VISITS = [
  { daysAgo: 6, household: '1单元101', publicity: ['核心价值观', '创城知识'] },
  { daysAgo: 6, household: '1单元102', publicity: ['核心价值观', '创城知识', '文明公约'] },
  { daysAgo: 3, household: '1单元201', publicity: ['垃圾分类'], concern: '单元门口垃圾桶太少' },
  { daysAgo: 1, household: '2单元301', publicity: ['创城知识', '志愿服务'] },
];

/** Pairings and a few visits, once (nothing when any pairing exists). */
export async function seedDemoOutreach(database: Database): Promise<number> {
  const [existing] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(outreachPairings);
  if (existing!.n > 0) return 0;
  const office = await demoActor(database, 'office');
  const unitUser = await demoActor(database, 'unit');
  if (!office) return 0;
  const unitIds = new Map(
    (await database.db.select({ id: units.id, code: units.code }).from(units)).map((u) => [
      u.code,
      u.id,
    ]),
  );
  const communities = new Map(
    (
      await database.db
        .select({ id: regions.id, name: regions.name })
        .from(regions)
        .where(sql`${regions.level} = 'community'`)
    ).map((r) => [r.name, r.id]),
  );
  let n = 0;
  for (const p of PAIRINGS) {
    const unitId = unitIds.get(p.unit);
    const regionId = communities.get(p.community);
    if (!unitId || !regionId) continue;
    await createPairing(database, office, {
      unitId,
      regionId,
      building: p.building,
      targetHouseholds: p.target,
    });
    n++;
  }
  const hubin = communities.get('湖滨社区');
  if (unitUser && hubin) {
    for (const [i, v] of VISITS.entries()) {
      await submitVisit(database, unitUser, {
        clientId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
        regionId: hubin,
        building: '3幢',
        household: v.household,
        visitedAt: new Date(Date.now() - v.daysAgo * 86_400_000).toISOString(),
        publicity: v.publicity,
        concern: v.concern ?? null,
      });
    }
  }
  return n;
}
