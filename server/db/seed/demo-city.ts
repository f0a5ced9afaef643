import { sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth/password.js';
import { withTx } from '../../platform/tx.js';
import { insertRegion } from '../../modules/org/regions.repo.js';
import { insertUnit } from '../../modules/org/units.repo.js';
import { insertUser } from '../../modules/org/users.repo.js';
import { regions, users } from '../schema/index.js';
import { seedDemoProblems } from './demo-problems.js';
import {
  DEMO_CITY,
  DEMO_DISTRICTS,
  DEMO_PASSWORD,
  DEMO_UNITS,
  DEMO_USERS,
} from './demo-city.data.js';
import { demoActor } from './demo-actors.js';

const SURNAMES = [
  '张',
  '王',
  '李',
  '赵',
  '刘',
  '陈',
  '杨',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
];
const GIVEN = [
  '伟',
  '芳',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '建华',
  '海燕',
];

export interface SeedResult {
  seeded: boolean;
  regions: number;
  units: number;
  users: number;
  problems: number;
}

/**
 * Seeds 示范市 into an empty database: regions, units and one user per role. Idempotent: it does
 * nothing when any region or user exists, and it is one transaction, so a crash leaves no half city.
 */
export async function seedDemoCity(database: Database): Promise<SeedResult> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const result = await withTx(database, async (tx): Promise<SeedResult> => {
    // Two app servers starting at once must not both seed.
    await tx.execute(sql`select pg_advisory_xact_lock(727003)`);
    const [r] = await tx.select({ n: sql<number>`count(*)::int` }).from(regions);
    const [u] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if (r!.n > 0 || u!.n > 0) return { seeded: false, regions: 0, units: 0, users: 0, problems: 0 };

    let regionCount = 0;
    const city = await insertRegion(tx, { ...DEMO_CITY, level: 'city', parentId: null }, '/');
    regionCount++;
    const districtIds = new Map<string, number>();
    let firstCommunity: number | null = null;
    let firstStreet: number | null = null;
    const streetOffices: { code: string; name: string; regionId: number; district: string }[] = [];
    for (const d of DEMO_DISTRICTS) {
      const district = await insertRegion(
        tx,
        { code: d.code, name: d.name, level: 'district', parentId: city.id },
        city.path,
      );
      districtIds.set(d.name, district.id);
      regionCount++;
      for (const [si, s] of d.streets.entries()) {
        const streetCode = `${d.code}${String(si + 1).padStart(3, '0')}`;
        const street = await insertRegion(
          tx,
          { code: streetCode, name: s.name, level: 'street', parentId: district.id },
          district.path,
        );
        regionCount++;
        firstStreet ??= street.id;
        streetOffices.push({
          code: `JD-${streetCode}`,
          name: `${d.name}${s.name.endsWith('镇') ? s.name + '人民政府' : s.name + '办事处'}`,
          regionId: street.id,
          district: d.name,
        });
        for (const [ci, c] of s.communities.entries()) {
          const community = await insertRegion(
            tx,
            {
              code: `${streetCode}${String(ci + 1).padStart(3, '0')}`,
              name: c,
              level: 'community',
              parentId: street.id,
            },
            street.path,
          );
          firstCommunity ??= community.id;
          regionCount++;
        }
      }
    }

    const unitIds = new Map<string, number>();
    // Each unit gets a 联络员 with a made-up but well-formed phone number.
    const liaison = (i: number) => ({
      contactName: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`,
      contactPhone: `1380000${String(1000 + i).slice(-4)}`,
    });
    for (const u of DEMO_UNITS) {
      const id = await insertUnit(tx, {
        code: u.code,
        name: u.name,
        shortName: u.short ?? null,
        type: u.type,
        regionId: u.district ? districtIds.get(u.district)! : city.id,
        parentId: u.parent ? unitIds.get(u.parent)! : null,
        ...liaison(unitIds.size),
      });
      unitIds.set(u.code, id);
    }
    for (const d of DEMO_DISTRICTS) {
      const id = await insertUnit(tx, {
        code: `QX-${d.code}`,
        name: `${d.name}人民政府`,
        type: 'district_government',
        regionId: districtIds.get(d.name)!,
        ...liaison(unitIds.size),
      });
      unitIds.set(`QX-${d.code}`, id);
    }
    for (const s of streetOffices) {
      const id = await insertUnit(tx, {
        code: s.code,
        name: s.name,
        type: 'street_office',
        regionId: s.regionId,
        parentId: unitIds.get(`QX-${DEMO_DISTRICTS.find((d) => d.name === s.district)!.code}`)!,
        ...liaison(unitIds.size),
      });
      unitIds.set(s.code, id);
    }

    const firstDistrict = districtIds.get(DEMO_DISTRICTS[0]!.name)!;
    for (const u of DEMO_USERS) {
      await insertUser(tx, {
        username: u.username,
        name: u.name,
        phone: u.phone,
        roles: u.roles,
        unitId: u.unit ? unitIds.get(u.unit)! : null,
        regionId:
          u.region === 'city'
            ? city.id
            : u.region === 'district'
              ? firstDistrict
              : u.region === 'street'
                ? firstStreet
                : u.region === 'community'
                  ? firstCommunity
                  : null,
        passwordHash,
        mustChangePassword: false,
      });
    }
    const out: SeedResult = {
      seeded: true,
      regions: regionCount,
      units: unitIds.size,
      users: DEMO_USERS.length,
      problems: 0,
    };
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_city',
      entityType: 'system',
      after: out,
    });
    return out;
  });
  if (!result.seeded) return result;
  // The campaign office's demo account does the office's part of the demo problems.
  const officeActor = (await demoActor(database, 'office'))!;
  return { ...result, problems: await seedDemoProblems(database, officeActor) };
}
