import { describe, expect, it } from 'vitest';
import { administersBelowCity, grantableRolesOf } from './grants.js';

describe('roles an office may grant, by level', () => {
  it('gives the city office every role but admin, and the admin every role', () => {
    const city = grantableRolesOf({ roles: ['office'], regionId: 1, regionLevel: 'city' });
    expect(city).toContain('volunteer');
    expect(city).not.toContain('admin');
    expect(grantableRolesOf({ roles: ['office'], regionId: null })).toContain('volunteer');
    expect(grantableRolesOf({ roles: ['admin'], regionId: 5, regionLevel: 'district' })).toContain(
      'admin',
    );
  });

  it('limits a district or street office to the people of its subtree', () => {
    for (const regionLevel of ['district', 'street', undefined] as const) {
      const roles = grantableRolesOf({ roles: ['office'], regionId: 5, regionLevel });
      expect(roles).toEqual(['office', 'leader', 'unit', 'inspector', 'grid_worker', 'surveyor']);
    }
    expect(administersBelowCity({ roles: ['office'], regionId: 5, regionLevel: 'street' })).toBe(
      true,
    );
    // Field staff tied to a region are not "an office at a level".
    expect(administersBelowCity({ roles: ['inspector'], regionId: 5, regionLevel: 'street' })).toBe(
      false,
    );
  });
});
