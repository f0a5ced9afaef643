import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { PartyRef, TPartyKind } from '../../../core/org/parties.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { parties, partyMembers, units } from '../../db/schema/index.js';

export type PartyRow = typeof parties.$inferSelect;
type PartyValues = {
  name: string;
  aliases: string[];
  kind: TPartyKind;
  memberTypes: string[];
  contactUnitId: number | null;
  notes: string | null;
};

export async function listParties(db: DbOrTx): Promise<PartyRow[]> {
  return db.select().from(parties).orderBy(asc(parties.name));
}

export async function findParty(db: DbOrTx, id: number): Promise<PartyRow | undefined> {
  const [row] = await db.select().from(parties).where(eq(parties.id, id));
  return row;
}

export async function insertParty(db: DbOrTx, v: PartyValues): Promise<number> {
  const [row] = await db.insert(parties).values(v).returning({ id: parties.id });
  return row!.id;
}

export async function updateParty(
  db: DbOrTx,
  id: number,
  version: number,
  v: PartyValues,
): Promise<boolean> {
  const rows = await db
    .update(parties)
    .set({ ...v, version: sql`${parties.version} + 1`, updatedAt: new Date() })
    .where(and(eq(parties.id, id), eq(parties.version, version)))
    .returning({ id: parties.id });
  return rows.length === 1;
}

export async function deleteParty(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const rows = await db
    .delete(parties)
    .where(and(eq(parties.id, id), eq(parties.version, version)))
    .returning({ id: parties.id });
  return rows.length === 1;
}

export async function setMembers(db: DbOrTx, partyId: number, unitIds: number[]): Promise<void> {
  await db.delete(partyMembers).where(eq(partyMembers.partyId, partyId));
  if (unitIds.length) {
    await db.insert(partyMembers).values(unitIds.map((unitId) => ({ partyId, unitId })));
  }
}

/** Listed members of the parties, with names. */
export async function listedMembers(
  db: DbOrTx,
  partyIds: number[],
): Promise<{ partyId: number; id: number; name: string }[]> {
  if (!partyIds.length) return [];
  return db
    .select({ partyId: partyMembers.partyId, id: units.id, name: units.name })
    .from(partyMembers)
    .innerJoin(units, eq(units.id, partyMembers.unitId))
    .where(inArray(partyMembers.partyId, partyIds))
    .orderBy(asc(units.name));
}

/** Each party with the units it resolves to now: listed members and active units of its types. */
export async function partyDirectory(db: DbOrTx): Promise<PartyRef[]> {
  const rows = await execRows<{
    id: number;
    name: string;
    aliases: string[];
    kind: TPartyKind;
    contact_unit_id: number | null;
    member_ids: number[] | null;
  }>(
    db,
    sql`select p.id, p.name, p.aliases, p.kind, p.contact_unit_id,
          (select array_agg(distinct u.id order by u.id) from units u
            where u.active and (u.type = any(p.member_types)
              or exists (select 1 from party_members m where m.party_id = p.id and m.unit_id = u.id))
          ) as member_ids
        from parties p order by p.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    aliases: r.aliases,
    kind: r.kind,
    contactUnitId: r.contact_unit_id === null ? null : Number(r.contact_unit_id),
    memberIds: (r.member_ids ?? []).map(Number),
  }));
}

/** Names of the units among `ids` that exist. */
export async function unitNames(db: DbOrTx, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(inArray(units.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Parties and units whose name or alias is one of `keys` (compared lower-case, no spaces). */
export async function namesTaken(
  db: DbOrTx,
  names: string[],
  exceptPartyId: number | null,
): Promise<{ name: string; owner: string }[]> {
  if (!names.length) return [];
  const keys = names.map((n) => n.normalize('NFKC').replace(/\s/g, '').toLowerCase());
  return execRows<{ name: string; owner: string }>(
    db,
    sql`select n as name, owner from (
          select p.name as owner, unnest(array_append(p.aliases, p.name)) as n from parties p
            where p.id is distinct from ${exceptPartyId}
          union all
          select u.name, unnest(array_cat(u.aliases, array[u.name, u.short_name])) from units u
        ) x
        where lower(regexp_replace(normalize(n, NFKC), '\\s', '', 'g')) in (${sql.join(
          keys.map((k) => sql`${k}`),
          sql`, `,
        )})`,
  );
}
