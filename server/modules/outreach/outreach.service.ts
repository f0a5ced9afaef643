import type {
  TCoverageRow,
  TOutreachPairing,
  TVisit,
  TVisitInput,
} from '../../../core/contracts/outreach.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { requireCityLevel } from '../org/jurisdiction.js';
import { ensureCodeSequences, intakeProblem } from '../problems/problems.service.js';
import { presentPairing, presentVisit } from './outreach.present.js';
import {
  activePairings,
  findRegion,
  findVisit,
  insertPairing,
  insertVisit,
  listPairingRows,
  listVisitIds,
  type VisitScope,
} from './outreach.repo.js';

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

export async function listPairings(database: Database, actor: Actor): Promise<TOutreachPairing[]> {
  const unitId = unitFilter(actor);
  return pairingsOf(database.db, unitId);
}

async function pairingsOf(db: DbOrTx, unitId: number | null): Promise<TOutreachPairing[]> {
  return (await listPairingRows(db, unitId)).map(presentPairing);
}

export async function createPairing(
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
  // 包联 pairings are the city office's until they are confined to a district's subtree.
  requireCityLevel(actor, { zh: '包联安排', en: 'Outreach pairings' });
  return withTx(database, async (tx) => {
    const region = await findRegion(tx, input.regionId);
    if (!region) throw errors.notFound('region', input.regionId);
    if (region.level !== 'community') {
      throw errors.invalid({
        zh: '包联对象应为社区（或社区内的楼栋）',
        en: 'a pairing is with a community (or a building in one)',
      });
    }
    const row = await insertPairing(tx, {
      ...input,
      building: input.building.trim(),
      leaderId: input.leaderId ?? null,
    });
    await writeAudit(tx, actor, {
      action: 'outreach.pair',
      entityType: 'outreach_pairing',
      entityId: row.id,
      after: row,
    });
    return row;
  });
}

/** The pairing a visit counts for: the visitor's unit's building pairing, else its community one. */
async function pairingFor(
  db: DbOrTx,
  unitId: number | null,
  regionId: number,
  building: string,
): Promise<number | null> {
  if (unitId === null) return null;
  const rows = await activePairings(db, unitId, regionId);
  const b = householdKey(building);
  return (
    rows.find((r) => r.building && householdKey(r.building) === b)?.id ??
    rows.find((r) => r.building === '')?.id ??
    null
  );
}

async function visitBy(
  db: DbOrTx,
  key: { id: number } | { clientId: string },
): Promise<TVisit | undefined> {
  const r = await findVisit(db, key);
  return r ? presentVisit(r) : undefined;
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
  const existing = await visitBy(database.db, { clientId: input.clientId });
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
      const region = await findRegion(tx, input.regionId);
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
      const visitId = await insertVisit(tx, {
        clientId: input.clientId,
        pairingId: await pairingFor(tx, actor.unitId, input.regionId, input.building),
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
      });
      await writeAudit(tx, actor, {
        action: 'outreach.visit',
        entityType: 'household_visit',
        entityId: visitId,
        after: { ...input, problemId },
      });
      return visitId;
    });
    return { visit: (await visitBy(database.db, { id }))!, created: true };
  } catch (err) {
    // The same visit sent twice at once: the second finds the first.
    const again = await visitBy(database.db, { clientId: input.clientId });
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
  const visits: VisitScope =
    scope.kind === 'all'
      ? null
      : actor.unitId !== null
        ? { visitorUnitId: actor.unitId }
        : { visitorId: actor.id ?? -1 };
  const ids = await listVisitIds(database.db, visits, q);
  const out: TVisit[] = [];
  for (const id of ids) out.push((await visitBy(database.db, { id }))!);
  return out;
}

/**
 * Coverage (覆盖率) against the households owed: per pairing, per unit or per community; rows short of
 * `below` are laggards, listed first (lowest coverage first).
 */
export async function coverage(
  database: Database,
  actor: Actor,
  q: { groupBy: 'pairing' | 'unit' | 'community'; below: number },
): Promise<TCoverageRow[]> {
  const unitId = unitFilter(actor);
  const pairings = (await pairingsOf(database.db, unitId)).filter((a) => a.active);
  const groups = new Map<string, { label: string; target: number; visited: number }>();
  for (const a of pairings) {
    const [key, label] =
      q.groupBy === 'unit'
        ? [`unit:${a.unitId}`, a.unitName]
        : q.groupBy === 'community'
          ? [`community:${a.regionId}`, a.regionName]
          : [`pairing:${a.id}`, `${a.regionName}${a.building} · ${a.unitName}`];
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
