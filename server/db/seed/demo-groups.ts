import { sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { execRows, type Database } from '../client.js';
import { workingGroups, workingGroupStandards, workingGroupUnits } from '../schema/index.js';

/** Demo 攻坚组: name, leader (username), member units (codes), owned standards (code prefixes). */
const DEMO_GROUPS = [
  {
    name: '城市管理组',
    leader: 'leader',
    units: ['SZF-CGJ', 'SZF-ZJJ', 'SZF-JJZD'],
    prefixes: ['I4.', 'I6.1.'],
  },
  { name: '志愿服务组', leader: 'leader', units: ['SW-WMB'], prefixes: ['I2.2.'] },
];

/** Seeds the demo working groups once, on the demo campaign's framework in force. */
export async function seedDemoGroups(database: Database): Promise<number> {
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727006)`);
    const [any] = await execRows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from working_groups`,
    );
    const [v] = await execRows<{ id: number; framework_id: number; campaign_id: number }>(
      tx,
      sql`select v.id, v.framework_id, f.campaign_id from framework_versions v
          join frameworks f on f.id = v.framework_id where v.status = 'published' order by v.id limit 1`,
    );
    if (any!.n > 0 || !v) return 0;
    for (const g of DEMO_GROUPS) {
      const [leader] = await execRows<{ id: number }>(
        tx,
        sql`select id from users where username = ${g.leader}`,
      );
      const [row] = await tx
        .insert(workingGroups)
        .values({
          campaignId: Number(v.campaign_id),
          name: g.name,
          leaderUserId: leader?.id ?? null,
        })
        .returning();
      const unitRows = await execRows<{ id: number }>(
        tx,
        sql`select id from units where code in ${g.units}`,
      );
      if (unitRows.length) {
        await tx
          .insert(workingGroupUnits)
          .values(unitRows.map((u) => ({ groupId: row!.id, unitId: Number(u.id) })));
      }
      const keys = await execRows<{ key: string }>(
        tx,
        sql`select key from framework_nodes where version_id = ${v.id} and kind = 'standard'
            and (${sql.join(
              g.prefixes.map((p) => sql`code like ${`${p}%`}`),
              sql` or `,
            )})`,
      );
      if (keys.length) {
        await tx.insert(workingGroupStandards).values(
          keys.map((k) => ({
            groupId: row!.id,
            frameworkId: Number(v.framework_id),
            standardKey: k.key,
          })),
        );
      }
    }
    await writeAudit(tx, SYSTEM_ACTOR, {
      action: 'seed.demo_groups',
      entityType: 'working_group',
      entityId: 0,
      after: { groups: DEMO_GROUPS.length },
    });
    return DEMO_GROUPS.length;
  });
}
