import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  grantableRoles,
  hasPermission,
  Permission,
  permissionsOf,
  ROLES,
  scopeOf,
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
  const user = (roles: TRole[], unitId: number | null, regionId: number | null) => ({
    id: 7,
    roles,
    unitId,
    regionId,
  });

  it('gives the whole campaign to the office, admins and leaders', () => {
    fc.assert(
      fc.property(roleSet, fc.option(fc.nat()), fc.option(fc.nat()), (roles, unitId, regionId) => {
        const s = scopeOf(user(roles, unitId, regionId));
        const wide = roles.some((r) => r === 'admin' || r === 'office' || r === 'leader');
        expect(s.kind === 'all').toBe(wide);
      }),
    );
  });

  it('limits a unit user to its unit and field staff to their region', () => {
    // userId: what they reported themselves stays visible to them
    expect(scopeOf(user(['unit'], 3, 9))).toEqual({ kind: 'unit', unitId: 3, userId: 7 });
    expect(scopeOf(user(['grid_worker'], null, 9))).toEqual({
      kind: 'region',
      regionId: 9,
      userId: 7,
    });
    expect(scopeOf(user(['inspector'], 4, null))).toEqual({ kind: 'unit', unitId: 4, userId: 7 });
    expect(scopeOf(user(['surveyor'], null, null))).toEqual({ kind: 'self', userId: 7 });
  });
});
