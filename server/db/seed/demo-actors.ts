import { eq } from 'drizzle-orm';
import type { TRole } from '../../../core/permissions.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import type { Database } from '../client.js';
import { regions, users } from '../schema/index.js';

/**
 * A demo user as the services see them when signed in, so seeded work is recorded under the
 * person who would have done it (the audit log names them). Null when the user is missing.
 */
export async function demoActor(database: Database, username: string): Promise<Actor | null> {
  const [row] = await database.db
    .select({ u: users, level: regions.level })
    .from(users)
    .leftJoin(regions, eq(regions.id, users.regionId))
    .where(eq(users.username, username));
  if (!row) return null;
  const u = row.u;
  return {
    ...SYSTEM_ACTOR,
    id: u.id,
    username: u.username,
    name: u.name,
    roles: u.roles as TRole[],
    unitId: u.unitId,
    regionId: u.regionId,
    // The level decides the reach of office and leader roles (a city office: the whole campaign).
    regionLevel: row.level,
  };
}
