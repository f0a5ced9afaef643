import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { TCarrierState, TCarrierTheme } from '../../../core/contracts/ad-carriers.js';
import { createCampaign, markDone } from '../../modules/adcarriers/ad-campaigns.service.js';
import {
  createCarrier,
  putPointMeasure,
  putRule,
} from '../../modules/adcarriers/ad-carriers.service.js';
import { uploadImage } from '../../modules/files/files.service.js';
import type { FileStorage } from '../../platform/storage.js';
import { execRows, type Database } from '../client.js';
import { demoActor } from './demo-actors.js';

/**
 * Demo rules per point type, from the checklists quoted in BRIEF §2.2 (illustrative values: a city
 * sets its own). 农贸市场: ≥5 with ≥2 核心价值观 and ≥2 诚信; 公园广场: ≥5 with ≥2 核心价值观;
 * 中小学校: ≥5, 70×40 cm or larger, a cluster counting once; 主次干道: walk 300 m, 5 fixed ones.
 */
const RULES = [
  {
    type: 'P03',
    minCount: 5,
    themeMins: [
      { theme: 'core_values', min: 2 },
      { theme: 'integrity', min: 2 },
    ],
    basis: '点位测评细则 农贸市场：≥5处，其中核心价值观≥2、诚信≥2（南宁清单，演示值）',
  },
  {
    type: 'P05',
    minCount: 5,
    themeMins: [{ theme: 'core_values', min: 2 }],
    basis: '点位测评细则 公园广场：≥5处，其中核心价值观≥2（演示值）',
  },
  {
    type: 'P08',
    minCount: 5,
    minWidthCm: 70,
    minHeightCm: 40,
    basis: '点位测评细则 学校：≥5处，集中设置的算一处，70×40cm以上（演示值）',
  },
  {
    type: 'P01',
    perLengthCount: 5,
    perLengthM: 300,
    fixedOnly: true,
    basis: '点位测评细则 主干道：步行300米，固定式公益广告不少于5处（演示值）',
  },
] as const;

const THEMES: TCarrierTheme[] = [
  'core_values',
  'civil_health',
  'integrity',
  'minors',
  'core_values',
];
const KINDS = ['board', 'showcase', 'led', 'pole_flag', 'bus_shelter'] as const;

/** A plain photo of a board (a coloured panel on a grey street), different per key. */
async function boardPhoto(hue: number): Promise<Buffer> {
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
      <rect width="640" height="480" fill="#9e9e9e"/>
      <rect x="120" y="90" width="400" height="240" fill="hsl(${hue},70%,45%)"/>
      <rect x="300" y="330" width="40" height="150" fill="#555"/>
    </svg>`,
  );
  return sharp(svg).jpeg({ quality: 70 }).toBuffer();
}

/**
 * 公益广告阵地 around the demo points: ~30 carriers at 农贸市场, 公园, 学校 and 主次干道 points
 * (their 包保单位 the maintainers), a few 破损/缺失/过期, the rules above, one road's length, and a
 * 春节主题换版 half done with before and after photos. Idempotent: nothing is added once any
 * carrier exists (the rules are set again, unchanged).
 */
export async function seedDemoAdCarriers(database: Database, storage: FileStorage) {
  const db = database.db;
  const office = await demoActor(database, 'office');
  if (!office) return 0;
  const types = new Map(
    (await execRows<{ id: number; code: string }>(db, sql`select id, code from point_types`)).map(
      (t) => [t.code, Number(t.id)],
    ),
  );
  for (const r of RULES) {
    const pointTypeId = types.get(r.type);
    if (pointTypeId === undefined) continue;
    const { type: _t, ...rest } = r;
    await putRule(database, office, {
      pointTypeId,
      fixedOnly: false,
      ...rest,
      themeMins: 'themeMins' in rest ? [...rest.themeMins] : [],
    });
  }
  const [existing] = await execRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from ad_carriers`,
  );
  if (Number(existing!.n) > 0) return 0;
  const points = await execRows<{
    id: number;
    name: string;
    code: string;
    lat: number;
    lng: number;
    unit_id: number | null;
  }>(
    db,
    sql`select p.id, p.name, t.code, p.lat, p.lng, p.unit_id from points p
          join point_types t on t.id = p.type_id
         where t.code in ('P01', 'P03', 'P05', 'P08') and p.lat is not null and p.active
         order by t.code, p.id`,
  );
  // Two points of each type.
  const chosen = ['P01', 'P03', 'P05', 'P08'].flatMap((c) =>
    points.filter((p) => p.code === c).slice(0, 2),
  );
  const broken: Record<number, TCarrierState> = {
    2: 'damaged',
    7: 'damaged',
    12: 'missing',
    17: 'outdated',
    22: 'damaged',
  };
  const ids: number[] = [];
  let n = 0;
  for (const p of chosen) {
    const count = p.code === 'P01' ? 3 : 4;
    for (let i = 0; i < count; i++, n++) {
      const small = p.code === 'P08' && i === 3;
      const c = await createCarrier(database, office, {
        kind: p.code === 'P01' ? 'pole_flag' : KINDS[n % KINDS.length]!,
        widthCm: small ? 60 : 120 + (n % 3) * 40,
        heightCm: small ? 30 : 80 + (n % 2) * 40,
        lat: Number(p.lat) + (i - 1.5) * 0.00025,
        lng: Number(p.lng) + ((n % 3) - 1) * 0.00025,
        address: `${p.name}${['东侧', '西侧', '南门', '北门'][i]}`,
        pointId: Number(p.id),
        unitId: p.unit_id === null ? null : Number(p.unit_id),
        theme: THEMES[n % THEMES.length]!,
        designTitle: [
          '讲文明 树新风',
          '文明健康 有你有我',
          '诚信经营 童叟无欺',
          '关爱未成年人',
          '富强 民主 文明 和谐',
        ][n % 5]!,
        state: broken[n] ?? 'intact',
        fixed: true,
        cluster: p.code === 'P05' && i >= 2 ? '入口宣传栏组' : null,
      });
      ids.push(c.carrier.id);
    }
  }
  const road = chosen.find((p) => p.code === 'P01');
  if (road)
    await putPointMeasure(database, office, Number(road.id), { lengthM: 600, hoardingPct: null });
  // 春节主题换版 over six carriers, three done.
  const scope = ids.filter((_, i) => !broken[i]).slice(0, 6);
  if (scope.length) {
    const campaign = await createCampaign(database, office, {
      name: '春节主题换版',
      theme: 'festival',
      designTitle: '欢欢喜喜过大年 文明新风进万家',
      deadline: `${new Date().getUTCFullYear() + 1}-02-10`,
      carrierIds: scope,
    });
    for (const [k, carrierId] of scope.slice(0, 3).entries()) {
      const before = await uploadImage(database, storage, office, {
        data: await boardPhoto(200 + k * 20),
        filename: `换版前_${carrierId}.jpg`,
      });
      const after = await uploadImage(database, storage, office, {
        data: await boardPhoto(k * 10),
        filename: `换版后_${carrierId}.jpg`,
      });
      await markDone(database, office, campaign.campaign.id, carrierId, {
        beforePhotoId: before.id,
        afterPhotoId: after.id,
      });
    }
  }
  return ids.length;
}
