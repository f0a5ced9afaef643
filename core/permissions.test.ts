import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CITY_LEVEL_PERMISSIONS as CITY_LEVEL,
  grantableRoles,
  hasPermission,
  Permission,
  permissionsOf,
  permissionsOfHolder,
  ROLES,
  scopeOf,
  type RegionLevel,
  type TRole,
} from './permissions.js';

const roleSet = fc.uniqueArray(fc.constantFrom(...ROLES), {
  minLength: 1,
  maxLength: ROLES.length,
});
const WRITES = [
  Permission.RegionWrite,
  Permission.UnitWrite,
  Permission.UserWrite,
  Permission.UnitImport,
  Permission.UserImport,
];

describe('permissions', () => {
  it('a user holds a permission exactly when one of their roles does', () => {
    fc.assert(
      fc.property(roleSet, fc.constantFrom(...Object.values(Permission)), (roles, p) => {
        expect(permissionsOf(roles).has(p)).toBe(roles.some((r) => hasPermission([r], p)));
        expect(hasPermission(roles, p)).toBe(permissionsOf(roles).has(p));
      }),
    );
  });

  it('adding a role never takes a permission away', () => {
    fc.assert(
      fc.property(roleSet, fc.constantFrom(...ROLES), (roles, extra) => {
        const before = permissionsOf(roles);
        const after = permissionsOf([...roles, extra]);
        for (const p of before) expect(after.has(p)).toBe(true);
      }),
    );
  });

  it('leaders, units and field roles cannot write the organisation', () => {
    const readers: TRole[] = ['leader', 'unit', 'inspector', 'grid_worker', 'surveyor'];
    for (const p of WRITES) expect(hasPermission(readers, p)).toBe(false);
    expect(hasPermission(['leader'], Permission.UserRead)).toBe(true);
  });

  it('only admins read the audit log and grant admin', () => {
    expect(hasPermission(['admin'], Permission.AuditRead)).toBe(true);
    expect(hasPermission(['office'], Permission.AuditRead)).toBe(false);
    expect(grantableRoles(['office'])).not.toContain('admin');
    expect(grantableRoles(['admin'])).toContain('admin');
    fc.assert(
      fc.property(roleSet, (roles) => {
        expect(grantableRoles(roles).includes('admin')).toBe(roles.includes('admin'));
      }),
    );
  });
});

describe('scopeOf', () => {
  const user = (
    roles: TRole[],
    unitId: number | null,
    regionId: number | null,
    regionLevel: RegionLevel | null = null,
  ) => ({ id: 7, roles, unitId, regionId, regionLevel });
  const level = fc.constantFrom<RegionLevel | null>(null, 'city', 'district', 'street');

  it('gives the whole campaign to admins, and to offices and leaders held at the city', () => {
    fc.assert(
      fc.property(
        roleSet,
        fc.option(fc.nat()),
        fc.option(fc.nat()),
        level,
        (roles, unitId, regionId, lvl) => {
          const s = scopeOf(user(roles, unitId, regionId, lvl));
          const atCity = regionId === null || lvl === 'city';
          const wide =
            roles.includes('admin') ||
            (atCity && roles.some((r) => r === 'office' || r === 'leader'));
          expect(s.kind === 'all').toBe(wide);
        },
      ),
    );
  });

  it('limits an office or leader held at a district or street to that subtree', () => {
    expect(scopeOf(user(['office'], null, 5, 'district'))).toEqual({
      kind: 'region',
      regionId: 5,
      userId: 7,
    });
    // A district leader who heads a unit also sees the unit's records.
    expect(scopeOf(user(['leader', 'unit'], 3, 5, 'street'))).toEqual({
      kind: 'region',
      regionId: 5,
      userId: 7,
      unitId: 3,
    });
    // A region of unknown level counts as below the city (never wider than it should be).
    expect(scopeOf(user(['office'], null, 5))).toMatchObject({ kind: 'region', regionId: 5 });
    expect(scopeOf(user(['office'], null, 1, 'city'))).toEqual({ kind: 'all' });
  });

  it('keeps below the city only what a district office can be confined to', () => {
    fc.assert(
      fc.property(roleSet, (roles) => {
        const below = permissionsOf(roles, true);
        const city = permissionsOf(roles);
        for (const p of below) expect(city.has(p)).toBe(true);
        const placedOnly = roles.every((r) => r === 'office' || r === 'leader');
        if (placedOnly) {
          for (const p of CITY_LEVEL) expect(below.has(p)).toBe(false);
        }
      }),
    );
    const district = permissionsOfHolder({
      roles: ['office'],
      regionId: 5,
      regionLevel: 'district',
    });
    expect(district.has(Permission.ProblemManage)).toBe(true);
    expect(district.has(Permission.InspectionManage)).toBe(true);
    expect(district.has(Permission.GridWrite)).toBe(true);
    // 问卷调查: its subtree's results and its own guides; the design and plan stay the city's.
    expect(district.has(Permission.SurveyAssign)).toBe(true);
    expect(district.has(Permission.SurveyWrite)).toBe(false);
    const leader = permissionsOfHolder({ roles: ['leader'], regionId: 5, regionLevel: 'district' });
    expect(leader.has(Permission.GridWrite)).toBe(false);
    expect(district.has(Permission.ScoreRead)).toBe(false);
    const cityOffice = permissionsOfHolder({ roles: ['office'], regionId: 1, regionLevel: 'city' });
    expect(cityOffice.has(Permission.FrameworkWrite)).toBe(true);
  });

  it('limits a unit user to its unit and field staff to their region', () => {
    // userId: what they reported themselves stays visible to them
    expect(scopeOf(user(['unit'], 3, 9))).toEqual({ kind: 'unit', unitId: 3, userId: 7 });
    expect(scopeOf(user(['grid_worker'], null, 9))).toEqual({
      kind: 'region',
      regionId: 9,
      userId: 7,
    });
    expect(scopeOf(user(['inspector'], null, 9, 'district'))).toMatchObject({ kind: 'region' });
    expect(scopeOf(user(['inspector'], 4, null))).toEqual({ kind: 'unit', unitId: 4, userId: 7 });
    expect(scopeOf(user(['surveyor'], null, null))).toEqual({ kind: 'self', userId: 7 });
  });
});
