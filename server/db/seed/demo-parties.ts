import { sql } from 'drizzle-orm';
import type { TUnitType } from '../../../core/contracts/org.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import { execRows, type Database } from '../client.js';
import { parties } from '../schema/index.js';

/**
 * Demo 集体责任方: the collective names the demo city's decomposition uses that say plainly who they
 * are. 各街道（乡镇） and 各物业公司 are left for the office to confirm when an import proposes them
 * (the import-preview journey shows it); 社区居委会 waits for the communities' own units (the demo
 * city has community regions, not committee units).
 */
const DEMO_PARTIES: { name: string; aliases: string[]; memberTypes: TUnitType[] }[] = [
  {
    name: '各县（市、区）',
    aliases: ['各区县', '各县区', '各区'],
    memberTypes: ['district_government'],
  },
  {
    name: '市直各部门',
    aliases: ['市直各单位', '市直有关部门'],
    memberTypes: ['government_department', 'party_committee'],
  },
  { name: '各级党委（党组）', aliases: ['各级党组织'], memberTypes: ['party_committee'] },
];

/** Seeds the demo parties once. */
export async function seedDemoParties(database: Database): Promise<number> {
  return withTx(database, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727008)`);
    const [any] = await execRows<{ n: number }>(tx, sql`select count(*)::int as n from parties`);
    if (any!.n > 0) return 0;
    for (const p of DEMO_PARTIES) {
      const [row] = await tx
        .insert(parties)
        .values({ ...p, kind: 'group' })
        .returning({ id: parties.id });
      await writeAudit(tx, SYSTEM_ACTOR, {
        action: 'party.create',
        entityType: 'party',
        entityId: row!.id,
        after: { ...p, kind: 'group' },
      });
    }
    return DEMO_PARTIES.length;
  });
}
