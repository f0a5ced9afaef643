import { sql } from 'drizzle-orm';
import { ZPasswordSchema, ZUsernameSchema } from '../../../core/contracts/org.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth/password.js';
import { withTx } from '../../platform/tx.js';
import { insertUser } from '../../modules/org/users.repo.js';
import type { Database } from '../client.js';
import { users } from '../schema/index.js';

/**
 * A real city starts with `SEED=none`: the first administrator comes from ADMIN_USERNAME and
 * ADMIN_PASSWORD, created only while the database has no user at all, and must change the password
 * at first sign-in. Returns the username when it created one.
 */
export async function bootstrapAdmin(
  database: Database,
  username: string | undefined,
  password: string | undefined,
): Promise<string | null> {
  if (!username || !password) return null;
  const name = ZUsernameSchema.parse(username);
  const pw = ZPasswordSchema.safeParse(password);
  if (!pw.success) throw new Error(`ADMIN_PASSWORD is too weak: ${pw.error.issues[0]?.message}`);
  const passwordHash = await hashPassword(password);
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727003)`);
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(users);
    if (count!.n > 0) return null;
    const id = await insertUser(tx, {
      username: name,
      name: '系统管理员',
      roles: ['admin'],
      passwordHash,
      mustChangePassword: true,
    });
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'user.bootstrap_admin',
      entityType: 'user',
      entityId: id,
    });
    return name;
  });
}
