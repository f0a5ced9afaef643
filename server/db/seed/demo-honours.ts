import { sql } from 'drizzle-orm';
import type { TCellType, THonourLevel, THonourStatus } from '../../../core/contracts/honours.js';
import { createHonour, updateHonour } from '../../modules/honours/honours.service.js';
import type { Database } from '../client.js';
import { honours, regions, units } from '../schema/index.js';
import { demoActor } from './demo-actors.js';
import { demoPositionIn } from './demo-boundaries.js';

/** The district a title is managed by (its 文明办); none: the city's. */
type Office = '东湖区' | '西城区' | '南山区';

interface DemoHonour {
  type: TCellType;
  /** The holder's name; a unit's or campus's is its unit's (by code). */
  holder: string;
  unit?: string;
  /** The community (or village) where the holder is: its region and its place on the map. */
  at: string;
  level: THonourLevel;
  year: number;
  office?: Office;
  /** A change of status after registering, with its reason (audited as `honour.status`). */
  status?: { to: THonourStatus; reason: string };
  /** Families carry no position: a household's address is not shown on an office's map. */
  noPosition?: true;
}

/**
 * 文明细胞 of the demo city: a few holders of every type and level, most 在册, some in 整改 or
 * 暂停, one 撤销 and one 放弃 — so the registry, its map layer and the dashboard's card show each
 * case. 文明单位 and 文明校园 are the demo city's own units.
 */
export const DEMO_HONOURS: DemoHonour[] = [
  // 文明单位
  { type: 'unit', holder: '', unit: 'SZF-CGJ', at: '解放社区', level: 'national', year: 2023 },
  { type: 'unit', holder: '', unit: 'GQ-GJ', at: '红旗社区', level: 'provincial', year: 2024 },
  {
    type: 'unit',
    holder: '',
    unit: 'YY-RMYY',
    at: '胜利社区',
    level: 'city',
    year: 2024,
    status: {
      to: 'rectifying',
      reason: '第三季度考核：院区周边车辆乱停放反复出现，限期整改一年',
    },
  },
  { type: 'unit', holder: '', unit: 'GQ-GD', at: '西关社区', level: 'city', year: 2024 },
  { type: 'unit', holder: '', unit: 'SY-TSG', at: '书院社区', level: 'city', year: 2025 },
  {
    type: 'unit',
    holder: '',
    unit: 'QY-NMSC',
    at: '东门社区',
    level: 'county',
    year: 2024,
    office: '东湖区',
    status: { to: 'suspended', reason: '市场内发生食品安全事件，调查期间暂停称号' },
  },
  {
    type: 'unit',
    holder: '',
    unit: 'QY-WD',
    at: '创业社区',
    level: 'county',
    year: 2023,
    office: '南山区',
    status: { to: 'revoked', reason: '复审否决：发生重大安全生产事故（一票否决），撤销称号并通报' },
  },
  // 文明村镇
  { type: 'village', holder: '新港村', at: '新港村', level: 'national', year: 2024 },
  { type: 'village', holder: '白杨村', at: '白杨村', level: 'provincial', year: 2025 },
  {
    type: 'village',
    holder: '石桥村',
    at: '石桥村',
    level: 'city',
    year: 2024,
    office: '南山区',
    status: { to: 'rectifying', reason: '季度考核：村容村貌整治未达标（负面清单第 5 项）' },
  },
  {
    type: 'village',
    holder: '码头村',
    at: '码头村',
    level: 'county',
    year: 2026,
    office: '东湖区',
  },
  // 文明校园
  { type: 'campus', holder: '', unit: 'XX-YZ', at: '文昌社区', level: 'national', year: 2024 },
  { type: 'campus', holder: '', unit: 'XX-SYXX', at: '钟楼社区', level: 'provincial', year: 2025 },
  { type: 'campus', holder: '', unit: 'XX-NSXX', at: '翠竹社区', level: 'city', year: 2024 },
  {
    type: 'campus',
    holder: '',
    unit: 'XX-ZYXY',
    at: '科技社区',
    level: 'city',
    year: 2023,
    status: { to: 'relinquished', reason: '未按期提交复审报告，视为自动放弃称号' },
  },
  // 文明社区
  { type: 'community', holder: '湖滨社区', at: '湖滨社区', level: 'national', year: 2024 },
  { type: 'community', holder: '柳岸社区', at: '柳岸社区', level: 'provincial', year: 2025 },
  {
    type: 'community',
    holder: '长安社区',
    at: '长安社区',
    level: 'city',
    year: 2024,
    status: { to: 'rectifying', reason: '第二季度考核：背街小巷环境卫生不达标，限期整改' },
  },
  { type: 'community', holder: '滨江社区', at: '滨江社区', level: 'city', year: 2026 },
  {
    type: 'community',
    holder: '樱花社区',
    at: '樱花社区',
    level: 'county',
    year: 2025,
    office: '东湖区',
  },
  // 文明家庭
  {
    type: 'family',
    holder: '王建国家庭',
    at: '湖滨社区',
    level: 'city',
    year: 2025,
    noPosition: true,
  },
  {
    type: 'family',
    holder: '李秀英家庭',
    at: '望湖社区',
    level: 'county',
    year: 2026,
    office: '东湖区',
    noPosition: true,
  },
  {
    type: 'family',
    holder: '陈志强家庭',
    at: '平安社区',
    level: 'county',
    year: 2025,
    office: '西城区',
    noPosition: true,
  },
  {
    type: 'family',
    holder: '刘桂兰家庭',
    at: '南山社区',
    level: 'city',
    year: 2024,
    noPosition: true,
  },
  {
    type: 'family',
    holder: '张德明家庭',
    at: '杏花村',
    level: 'county',
    year: 2024,
    office: '西城区',
    noPosition: true,
    status: { to: 'suspended', reason: '家庭成员涉嫌违法，称号暂停待查' },
  },
];

/**
 * Registers the demo holders through the registry's service (each audited, the changes of status
 * with their reasons), once: nothing when any holder exists. Returns how many were registered.
 */
export async function seedDemoHonours(database: Database): Promise<number> {
  const db = database.db;
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(honours);
  if (existing!.n > 0) return 0;
  const office = await demoActor(database, 'office');
  if (!office) return 0;
  const places = new Map(
    (await db.select({ id: regions.id, name: regions.name, code: regions.code }).from(regions)).map(
      (r) => [r.name, r],
    ),
  );
  const unitsByCode = new Map(
    (await db.select({ id: units.id, code: units.code, name: units.name }).from(units)).map((u) => [
      u.code,
      u,
    ]),
  );
  let n = 0;
  for (const [k, h] of DEMO_HONOURS.entries()) {
    const place = places.get(h.at);
    const unit = h.unit ? unitsByCode.get(h.unit) : undefined;
    if (!place || (h.unit && !unit)) continue;
    const position = h.noPosition ? null : demoPositionIn(place.code, k + 3);
    const created = await createHonour(database, office, {
      cellType: h.type,
      holderName: unit?.name ?? h.holder,
      unitId: unit?.id ?? null,
      regionId: place.id,
      level: h.level,
      yearConferred: h.year,
      termYears: 3,
      status: 'listed',
      lat: position?.lat ?? null,
      lng: position?.lng ?? null,
      officeRegionId: h.office ? (places.get(h.office)?.id ?? null) : null,
    });
    if (h.status) {
      await updateHonour(database, office, created.id, {
        version: created.version,
        status: h.status.to,
        reason: h.status.reason,
      });
    }
    n++;
  }
  return n;
}
