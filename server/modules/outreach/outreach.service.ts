import { and, desc, eq, sql } from 'drizzle-orm';
import type {
  TCoverageRow,
  TOutreachAssignment,
  TVisit,
  TVisitInput,
} from '../../../core/contracts/outreach.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import {
  householdVisits,
  outreachAssignments,
  problems,
  regions,
  units,
  users,
} from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { ensureCodeSequences, intakeProblem } from '../problems/problems.service.js';

/**
 * How a household is written varies (" 2单元 301", "２单元301"): count them after folding full-width
 * characters, dropping spaces and unifying dashes, so one flat is one household.
 */
export function householdKey(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .replace(/[－—–]/g, '-')
    .toUpperCase();
}

/** Units see their own pairings and visits; the office and leaders see all. */
function unitFilter(actor: Actor): number | null {
  if (requirePermission(actor, Permission.UnitRead).kind === 'all') return null;
  return actor.unitId ?? -1;
}

export async function listAssignments(
  database: Database,
  actor: Actor,
): Promise<TOutreachAssignment[]> {
  const unitId = unitFilter(actor);
  const rows = await execRows<{
    id: number;
    unit_id: number;
    unit_name: string;
    region_id: number;
    region_name: string;
    building: string;
    leader_id: number | null;
    target_households: number;
    active: boolean;
    visited: number;
  }>(
    database.db,
    sql`select a.id, a.unit_id, u.name as unit_name, a.region_id, r.name as region_name, a.building,
          a.leader_id, a.target_households, a.active,
          (select count(distinct (v.building, v.household))::int from household_visits v
            where v.assignment_id = a.id) as visited
        from outreach_assignments a
        join units u on u.id = a.unit_id
        join regions r on r.id = a.region_id
        ${unitId === null ? sql`` : sql`where a.unit_id = ${unitId}`}
        order by r.name, a.building, u.name`,
  );
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    unitName: r.unit_name,
    regionId: r.region_id,
    regionName: r.region_name,
    building: r.building,
    leaderId: r.leader_id,
    targetHouseholds: r.target_households,
    visitedHouseholds: r.visited,
    coverage: Math.min(1, r.visited / r.target_households),
    active: r.active,
  }));
}

export async function createAssignment(
  database: Database,
  actor: Actor,
  input: {
    unitId: number;
    regionId: number;
    building: string;
    leaderId?: number | null | undefined;
    targetHouseholds: number;
  },
) {
  requirePermission(actor, Permission.UnitWrite);
  return withTx(database, async (tx) => {
    const [region] = await tx.select().from(regions).where(eq(regions.id, input.regionId));
    if (!region) throw errors.notFound('region', input.regionId);
    if (region.level !== 'community') {
      throw errors.invalid({
        zh: '包联对象应为社区（或社区内的楼栋）',
        en: 'a pairing is with a community (or a building in one)',
      });
    }
    const [row] = await tx
      .insert(outreachAssignments)
      .values({ ...input, building: input.building.trim(), leaderId: input.leaderId ?? null })
      .returning();
    await writeAudit(tx, actor, {
      action: 'outreach.assign',
      entityType: 'outreach_assignment',
      entityId: row!.id,
      after: row,
    });
    return row!;
  });
}

/** The pairing a visit counts for: the visitor's unit's building pairing, else its community one. */
async function assignmentFor(
  db: DbOrTx,
  unitId: number | null,
  regionId: number,
  building: string,
): Promise<number | null> {
  if (unitId === null) return null;
  const rows = await db
    .select({ id: outreachAssignments.id, building: outreachAssignments.building })
    .from(outreachAssignments)
    .where(
      and(
        eq(outreachAssignments.unitId, unitId),
        eq(outreachAssignments.regionId, regionId),
        eq(outreachAssignments.active, true),
      ),
    );
  const b = householdKey(building);
  return (
    rows.find((r) => r.building && householdKey(r.building) === b)?.id ??
    rows.find((r) => r.building === '')?.id ??
    null
  );
}

async function findVisit(db: DbOrTx, where: ReturnType<typeof eq>): Promise<TVisit | undefined> {
  const [r] = await db
    .select({
      v: householdVisits,
      visitorName: users.name,
      unitName: units.name,
      problemCode: problems.code,
    })
    .from(householdVisits)
    .innerJoin(users, eq(users.id, householdVisits.visitorId))
    .leftJoin(units, eq(units.id, householdVisits.visitorUnitId))
    .leftJoin(problems, eq(problems.id, householdVisits.problemId))
    .where(where);
  if (!r) return undefined;
  return {
    id: r.v.id,
    clientId: r.v.clientId,
    assignmentId: r.v.assignmentId,
    visitorId: r.v.visitorId,
    visitorName: r.visitorName,
    visitorUnitName: r.unitName,
    regionId: r.v.regionId,
    building: r.v.building,
    household: r.v.household,
    visitedAt: r.v.visitedAt.toISOString(),
    publicity: r.v.publicity,
    concern: r.v.concern,
    problemId: r.v.problemId,
    problemCode: r.problemCode,
  };
}

/**
 * Logs a household visit (入户宣传). A concern the resident raised can become a problem in the same
 * transaction. The phone's client id makes a retry return the visit already stored.
 */
export async function submitVisit(
  database: Database,
  actor: Actor,
  input: TVisitInput,
): Promise<{ visit: TVisit; created: boolean }> {
  requirePermission(actor, Permission.ProblemReport);
  if (actor.id === null) throw errors.unauthenticated();
  const existing = await findVisit(database.db, eq(householdVisits.clientId, input.clientId));
  if (existing) return { visit: sameVisitor(existing, actor), created: false };
  if (input.concernCategoryId && !input.concern) {
    throw errors.invalid({
      zh: '转为问题时请填写群众反映的内容',
      en: "give the resident's concern to turn it into a problem",
    });
  }
  await ensureCodeSequences(database);
  try {
    const id = await withTx(database, async (tx) => {
      const [region] = await tx.select().from(regions).where(eq(regions.id, input.regionId));
      if (!region) throw errors.notFound('region', input.regionId);
      let problemId: number | null = null;
      if (input.concern && input.concernCategoryId) {
        const { detail } = await intakeProblem(tx, actor, {
          title: `入户反映：${input.concern.slice(0, 24)}`,
          description: input.concern,
          categoryId: input.concernCategoryId,
          severity: 'normal',
          regionId: input.regionId,
          address: `${region.name}${input.building}${input.household}`,
          lat: input.lat ?? null,
          lng: input.lng ?? null,
        });
        problemId = detail.problem.id;
      }
      const [row] = await tx
        .insert(householdVisits)
        .values({
          clientId: input.clientId,
          assignmentId: await assignmentFor(tx, actor.unitId, input.regionId, input.building),
          visitorId: actor.id!,
          visitorUnitId: actor.unitId,
          regionId: input.regionId,
          building: input.building,
          household: householdKey(input.household),
          visitedAt: input.visitedAt ? new Date(input.visitedAt) : new Date(),
          publicity: input.publicity,
          concern: input.concern ?? null,
          problemId,
          lat: input.lat ?? null,
          lng: input.lng ?? null,
        })
        .returning({ id: householdVisits.id });
      await writeAudit(tx, actor, {
        action: 'outreach.visit',
        entityType: 'household_visit',
        entityId: row!.id,
        after: { ...input, problemId },
      });
      return row!.id;
    });
    return { visit: (await findVisit(database.db, eq(householdVisits.id, id)))!, created: true };
  } catch (err) {
    // The same visit sent twice at once: the second finds the first.
    const again = await findVisit(database.db, eq(householdVisits.clientId, input.clientId));
    if (again) return { visit: sameVisitor(again, actor), created: false };
    throw err;
  }
}

function sameVisitor(v: TVisit, actor: Actor): TVisit {
  if (v.visitorId !== actor.id) {
    throw new AppError('duplicate', 409, {
      zh: '该记录编号已被他人使用',
      en: 'this record id was used by someone else',
    });
  }
  return v;
}

/** Visits: the visitor's own, a unit's all of its people's, the office everything. */
export async function listVisits(
  database: Database,
  actor: Actor,
  q: { regionId?: number | undefined; limit: number },
): Promise<TVisit[]> {
  requirePermission(actor, Permission.ProblemReport);
  const scope = requirePermission(actor, Permission.UnitRead);
  const conds = [];
  if (scope.kind !== 'all') {
    conds.push(
      actor.unitId !== null
        ? eq(householdVisits.visitorUnitId, actor.unitId)
        : eq(householdVisits.visitorId, actor.id ?? -1),
    );
  }
  if (q.regionId) conds.push(eq(householdVisits.regionId, q.regionId));
  const ids = await database.db
    .select({ id: householdVisits.id })
    .from(householdVisits)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(householdVisits.visitedAt), desc(householdVisits.id))
    .limit(q.limit);
  const out: TVisit[] = [];
  for (const { id } of ids) out.push((await findVisit(database.db, eq(householdVisits.id, id)))!);
  return out;
}

/**
 * Coverage (覆盖率) against the households owed: per pairing, per unit or per community; rows short of
 * `below` are laggards, listed first (lowest coverage first).
 */
export async function coverage(
  database: Database,
  actor: Actor,
  q: { groupBy: 'assignment' | 'unit' | 'community'; below: number },
): Promise<TCoverageRow[]> {
  const pairings = (await listAssignments(database, actor)).filter((a) => a.active);
  const groups = new Map<string, { label: string; target: number; visited: number }>();
  for (const a of pairings) {
    const [key, label] =
      q.groupBy === 'unit'
        ? [`unit:${a.unitId}`, a.unitName]
        : q.groupBy === 'community'
          ? [`community:${a.regionId}`, a.regionName]
          : [`assignment:${a.id}`, `${a.regionName}${a.building} · ${a.unitName}`];
    const g = groups.get(key) ?? { label, target: 0, visited: 0 };
    g.target += a.targetHouseholds;
    g.visited += Math.min(a.visitedHouseholds, a.targetHouseholds);
    groups.set(key, g);
  }
  return [...groups.entries()]
    .map(([key, g]) => {
      const rate = g.target ? g.visited / g.target : 1;
      return {
        key,
        label: g.label,
        target: g.target,
        visited: g.visited,
        coverage: rate,
        laggard: rate < q.below,
      };
    })
    .sort((a, b) => a.coverage - b.coverage || a.label.localeCompare(b.label, 'zh'));
}
