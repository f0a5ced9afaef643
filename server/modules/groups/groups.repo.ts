import { and, eq, inArray, sql } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  campaigns,
  files,
  pledges,
  units,
  users,
  workingGroups,
  workingGroupStandards,
  workingGroupUnits,
} from '../../db/schema/index.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type UnitRow = typeof units.$inferSelect;
export type PledgeRow = typeof pledges.$inferSelect;
export type PledgeAssignmentRow = Awaited<ReturnType<typeof pledgeAssignments>>[number];
export type PledgeIndicatorRow = Awaited<ReturnType<typeof pledgeIndicators>>[number];

export async function findCampaign(db: DbOrTx, id: number): Promise<CampaignRow | undefined> {
  const [c] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return c;
}

export async function findUnit(db: DbOrTx, id: number): Promise<UnitRow | undefined> {
  const [u] = await db.select().from(units).where(eq(units.id, id));
  return u;
}

export async function userExists(db: DbOrTx, id: number): Promise<boolean> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return !!u;
}

export async function unitExists(db: DbOrTx, id: number): Promise<boolean> {
  const [u] = await db.select({ id: units.id }).from(units).where(eq(units.id, id));
  return !!u;
}

/** Who uploaded a file (undefined: no such file). */
export async function findFile(db: DbOrTx, id: string) {
  const [f] = await db.select().from(files).where(eq(files.id, id));
  return f;
}

export async function groupNameTaken(
  db: DbOrTx,
  campaignId: number,
  name: string,
): Promise<boolean> {
  const [dup] = await db
    .select({ id: workingGroups.id })
    .from(workingGroups)
    .where(and(eq(workingGroups.campaignId, campaignId), eq(workingGroups.name, name)));
  return !!dup;
}

export async function insertGroup(
  db: DbOrTx,
  values: { campaignId: number; name: string; leaderUserId: number | null },
): Promise<number> {
  const [row] = await db.insert(workingGroups).values(values).returning();
  return row!.id;
}

/** Updates a group at `version` (to version + 1); false when the version is stale or it is gone. */
export async function updateGroupRow(
  db: DbOrTx,
  id: number,
  version: number,
  set: { name?: string; leaderUserId?: number | null },
): Promise<boolean> {
  const updated = await db
    .update(workingGroups)
    .set({ ...set, version: version + 1, updatedAt: new Date() })
    .where(and(eq(workingGroups.id, id), eq(workingGroups.version, version)))
    .returning({ id: workingGroups.id });
  return updated.length > 0;
}

/** Deletes a group at `version`; false when the version is stale or it is gone. */
export async function deleteGroupRow(db: DbOrTx, id: number, version: number): Promise<boolean> {
  const gone = await db
    .delete(workingGroups)
    .where(and(eq(workingGroups.id, id), eq(workingGroups.version, version)))
    .returning({ id: workingGroups.id });
  return gone.length > 0;
}

/** Working groups of a campaign (or one group), with leader, member units and owned standards. */
export async function listGroups(db: DbOrTx, f: { campaignId?: number; id?: number }) {
  const where = f.id
    ? eq(workingGroups.id, f.id)
    : f.campaignId
      ? eq(workingGroups.campaignId, f.campaignId)
      : undefined;
  const rows = await db
    .select({ g: workingGroups, leaderName: users.name })
    .from(workingGroups)
    .leftJoin(users, eq(users.id, workingGroups.leaderUserId))
    .where(where)
    .orderBy(workingGroups.campaignId, workingGroups.id);
  const ids = rows.map((r) => r.g.id);
  if (!ids.length) return [];
  const members = await execRows<{ group_id: number; id: number; name: string }>(
    db,
    sql`select m.group_id, u.id, u.name from working_group_units m join units u on u.id = m.unit_id
        where m.group_id in ${ids} order by u.name`,
  );
  const standards = await db
    .select()
    .from(workingGroupStandards)
    .where(inArray(workingGroupStandards.groupId, ids));
  return rows.map(({ g, leaderName }) => ({
    id: g.id,
    campaignId: g.campaignId,
    name: g.name,
    leaderUserId: g.leaderUserId,
    leaderName: leaderName ?? null,
    units: members
      .filter((m) => Number(m.group_id) === g.id)
      .map((m) => ({ id: Number(m.id), name: m.name })),
    standards: standards
      .filter((s) => s.groupId === g.id)
      .map((s) => ({ frameworkId: s.frameworkId, standardKey: s.standardKey })),
    version: g.version,
  }));
}

/** The standards a group owns, as "frameworkId:standardKey"; null when there is no such group. */
export async function ownedStandards(db: DbOrTx, groupId: number): Promise<Set<string> | null> {
  const [g] = await db
    .select({ id: workingGroups.id })
    .from(workingGroups)
    .where(eq(workingGroups.id, groupId));
  if (!g) return null;
  const rows = await db
    .select()
    .from(workingGroupStandards)
    .where(eq(workingGroupStandards.groupId, groupId));
  return new Set(rows.map((r) => `${r.frameworkId}:${r.standardKey}`));
}

export async function replaceMembers(
  db: DbOrTx,
  groupId: number,
  unitIds: number[] | undefined,
  standards: { frameworkId: number; standardKey: string }[] | undefined,
) {
  if (unitIds) {
    await db.delete(workingGroupUnits).where(eq(workingGroupUnits.groupId, groupId));
    const distinct = [...new Set(unitIds)];
    if (distinct.length) {
      await db.insert(workingGroupUnits).values(distinct.map((unitId) => ({ groupId, unitId })));
    }
  }
  if (standards) {
    await db.delete(workingGroupStandards).where(eq(workingGroupStandards.groupId, groupId));
    if (standards.length) {
      await db
        .insert(workingGroupStandards)
        .values(standards.map((s) => ({ groupId, ...s })))
        .onConflictDoNothing();
    }
  }
}

/** The unit's assignments on the campaign's frameworks in force (lead or shared), in tree order. */
export async function pledgeAssignments(db: DbOrTx, campaignId: number, unitId: number) {
  return execRows<{
    framework_name: string;
    standard_code: string;
    standard_text: string;
    max_score: number;
    lead: boolean;
    leader_name: string | null;
    due_date: string | null;
    due_text: string | null;
  }>(
    db,
    sql`select f.name as framework_name, s.code as standard_code, s.text as standard_text,
          s.max_score, (a.lead_unit_id = ${unitId}) as lead, a.leader_name,
          a.due_date::text as due_date, a.due_text
        from assignments a
        join framework_versions v on v.id = a.version_id and v.status = 'published'
        join frameworks f on f.id = v.framework_id and f.campaign_id = ${campaignId}
        join framework_nodes s on s.id = a.standard_id
        join framework_nodes c on c.id = s.parent_id
        join framework_nodes i on i.id = c.parent_id
        where a.lead_unit_id = ${unitId} or exists (
          select 1 from assignment_units au where au.assignment_id = a.id and au.unit_id = ${unitId})
        order by f.position, f.id, i.position, c.position, s.position, a.id`,
  );
}

export async function pledgeIndicators(db: DbOrTx, campaignId: number, unitId: number) {
  return execRows<{
    name: string;
    target: number;
    direction: 'gte' | 'lte';
    measure: string;
    code: string | null;
  }>(
    db,
    sql`select i.name, i.target, i.direction, i.measure, (
          select n.code from framework_nodes n join framework_versions v on v.id = n.version_id
          where v.framework_id = i.framework_id and n.key = i.standard_key
          order by (v.status = 'published') desc, v.number desc limit 1) as code
        from indicators i join frameworks f on f.id = i.framework_id
        where f.campaign_id = ${campaignId} and i.responsible_unit_id = ${unitId}
        order by code, i.id`,
  );
}

export async function findPledge(db: DbOrTx, campaignId: number, unitId: number) {
  const [row] = await db
    .select({ a: pledges, by: users.name })
    .from(pledges)
    .leftJoin(users, eq(users.id, pledges.signedBy))
    .where(sql`${pledges.campaignId} = ${campaignId} and ${pledges.unitId} = ${unitId}`);
  return row;
}

/** Creates the unit's pledge (unsigned) unless it exists. */
export async function ensurePledge(db: DbOrTx, campaignId: number, unitId: number) {
  await db.insert(pledges).values({ campaignId, unitId }).onConflictDoNothing();
}

/** Marks the pledge signed with the scan, by the user, now; undefined when the version is stale. */
export async function markPledgeSigned(
  db: DbOrTx,
  id: number,
  version: number,
  signed: { fileId: string; by: number | null },
): Promise<PledgeRow | undefined> {
  const [after] = await db
    .update(pledges)
    .set({
      status: 'signed',
      signedFileId: signed.fileId,
      signedBy: signed.by,
      signedAt: new Date(),
      version: sql`${pledges.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(pledges.id, id), eq(pledges.version, version)))
    .returning();
  return after;
}
