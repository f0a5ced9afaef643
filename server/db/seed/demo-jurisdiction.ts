import { asc, eq, sql } from 'drizzle-orm';
import type { TJurisdiction } from '../../../core/contracts/citizen.js';
import { zoneBox } from '../../../core/geo/zones.js';
import type { Database } from '../client.js';
import { problems } from '../schema/index.js';

/** 示范市's outline (invented, around the demo problems): citizen reports must fall inside it. */
export const DEMO_JURISDICTION: TJurisdiction = {
  name: '示范市',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [120.05, 30.18],
        [120.3, 30.17],
        [120.33, 30.3],
        [120.22, 30.38],
        [120.08, 30.36],
        [120.03, 30.26],
        [120.05, 30.18],
      ],
    ],
  },
};

/**
 * A few 门前三包 holders along the demo problems' streets (invented), so the problem page and the
 * register show something. Each frontage passes a few metres from one demo problem (its position
 * is read from the problem, which sits inside its community's boundary: demo-boundaries.ts);
 * `at` is where it goes when that problem is not there.
 */
const DEMO_FRONTAGES = [
  {
    code: 'MQ-DEMO-01',
    name: '湖滨便利店',
    near: '解放路菜市场门口垃圾堆积',
    at: [120.1501, 30.2621],
    plaque: 'installed',
  },
  {
    code: 'MQ-DEMO-02',
    name: '老街面馆',
    near: '湖滨路人行道电动车乱停放',
    at: [120.1501, 30.2664],
    plaque: 'damaged',
  },
  {
    code: 'MQ-DEMO-03',
    name: '市供电公司营业厅',
    near: '西关社区宣传栏内容过期',
    at: [120.1551, 30.2639],
    plaque: 'missing',
  },
] as const;

/** Sets the demo jurisdiction unless one is set, and the demo duty holders (idempotent). */
export async function seedDemoJurisdiction(database: Database): Promise<void> {
  await database.db.execute(
    sql`insert into settings (key, value) values ('jurisdiction', ${JSON.stringify(DEMO_JURISDICTION)}::jsonb)
        on conflict (key) do nothing`,
  );
  for (const f of DEMO_FRONTAGES) {
    const [p] = await database.db
      .select({ lat: problems.lat, lng: problems.lng })
      .from(problems)
      .where(eq(problems.title, f.near))
      .orderBy(asc(problems.id))
      .limit(1);
    const [lng, lat] = p?.lat != null && p.lng != null ? [p.lng, p.lat] : f.at;
    // A 60 m frontage running east–west 3 m north of the point, 15 m wide.
    const zone = {
      type: 'LineString' as const,
      coordinates: [
        [lng - 0.0003, lat + 0.00003],
        [lng + 0.0003, lat + 0.00003],
      ] as [number, number][],
    };
    const box = zoneBox(zone, 15);
    await database.db.execute(
      sql`insert into frontage_duties (code, holder_name, holder_type, contact_name, contact_phone,
            duties, zone, buffer_m, min_lat, min_lng, max_lat, max_lng, agreement_signed_on, plaque_status)
          values (${f.code}, ${f.name}, 'shop', '店主', '13800009999', '{市容,环境卫生,秩序}',
            ${JSON.stringify(zone)}::jsonb, 15, ${box.minLat}, ${box.minLng}, ${box.maxLat}, ${box.maxLng},
            '2026-03-01', ${f.plaque})
          on conflict (code) do nothing`,
    );
  }
  await database.afterCommit();
}
