import { eq } from 'drizzle-orm';
import type { TRole } from '../../../core/permissions.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import type { Database } from '../client.js';
import { users } from '../schema/index.js';

/**
 * A demo user as the services see them when signed in, so seeded work is recorded under the
 * person who would have done it (the audit log names them). Null when the user is missing.
 */
export async function demoActor(database: Database, username: string): Promise<Actor | null> {
  const [u] = await database.db.select().from(users).where(eq(users.username, username));
  if (!u) return null;
  return {
    ...SYSTEM_ACTOR,
    id: u.id,
    username: u.username,
    name: u.name,
    roles: u.roles as TRole[],
    unitId: u.unitId,
    regionId: u.regionId,
  };
}
