import type { TRegion, TUnit, TUnitType, TUser } from '../../../core/contracts/org.js';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import type { TRole } from '../../../core/permissions.js';
import type { regions, units, users } from '../../db/schema/index.js';

type RegionRow = Omit<typeof regions.$inferSelect, 'geometry'>;
type UnitRow = typeof units.$inferSelect & { regionName: string | null; parentName: string | null };
type UserRow = typeof users.$inferSelect & { unitName: string | null; regionName: string | null };

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function presentRegion(r: RegionRow): TRegion {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    level: r.level,
    parentId: r.parentId,
    hasBoundary: r.minLat !== null,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function presentUnit(u: UnitRow): TUnit {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    shortName: u.shortName,
    aliases: u.aliases,
    type: u.type as TUnitType,
    regionId: u.regionId,
    regionName: u.regionName,
    parentId: u.parentId,
    parentName: u.parentName,
    contactName: u.contactName,
    contactPhone: u.contactPhone,
    address: u.address,
    active: u.active,
    version: u.version,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

/** Never exposes the password hash or the failed-login counter. */
export function presentUser(u: UserRow): TUser {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    phone: u.phone,
    unitId: u.unitId,
    unitName: u.unitName,
    regionId: u.regionId,
    regionName: u.regionName,
    roles: u.roles as TRole[],
    active: u.active,
    mustChangePassword: u.mustChangePassword,
    lockedUntil: u.lockedUntil && u.lockedUntil > new Date() ? u.lockedUntil.toISOString() : null,
    lastLoginAt: iso(u.lastLoginAt),
    version: u.version,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

/** Region boundaries as a GeoJSON FeatureCollection: code, name, level and parent's code. */
export function presentBoundariesGeoJson(
  rows: {
    code: string;
    name: string;
    level: string;
    parentCode: string | null;
    boundaryRev: number;
    geometry: TAreaGeometry;
  }[],
) {
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      properties: {
        code: r.code,
        name: r.name,
        level: r.level,
        parentCode: r.parentCode,
        boundaryRev: r.boundaryRev,
      },
      geometry: r.geometry,
    })),
  };
}
