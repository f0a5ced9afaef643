import type {
  TCoverageRow,
  TOutreachPairing,
  TPairingPatch,
  TVisit,
  TVisitInput,
} from '../../../core/contracts/outreach.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { regionWithin } from '../org/regions.repo.js';
import {
  outsideJurisdiction,
  requireCityLevel,
  requireRegionWithin,
  requireUnitWithin,
  requireUsersWithin,
} from '../org/jurisdiction.js';
import { ensureCodeSequences, intakeProblem } from '../problems/problems.service.js';
import { presentPairing, presentVisit } from './outreach.present.js';
import {
  activePairings,
  findPairingRow,
  findRegion,
  findVisit,
  findUnitLevel,
  insertPairing,
  insertVisit,
  listPairingRows,
  listVisitIds,
  type PairingScope,
  updatePairingAtVersion,
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

/**
 * Units see their own pairings; the city's office and leaders see all; a district or street
 * office or leader those with a community of its subtree (and its own unit's, if it heads one).
 */
function pairingScope(actor: Actor): PairingScope {
  if (requirePermission(actor, Permission.UnitRead).kind === 'all') return null;
  const own = officeRegionOf(actor);
  if (own !== null) return { within: own, unitId: actor.unitId };
  return { unitId: actor.unitId ?? -1 };
}

export async function listPairings(database: Database, actor: Actor): Promise<TOutreachPairing[]> {
  return pairingsOf(database.db, pairingScope(actor));
}

async function pairingsOf(db: DbOrTx, scope: PairingScope): Promise<TOutreachPairing[]> {
  return (await listPairingRows(db, scope)).map(presentPairing);
}

/**
 * 辖区: a district or street office pairs its own units with communities of its subtree, led by
 * its own people. A city-level unit's pairing (a unit placed at the city, or nowhere) is the city
 * office's — 403 `city_level`; another district's unit, community or person is 403
 * `outside_jurisdiction`. The city office passes.
 */
async function requirePairingWithin(
  db: DbOrTx,
  actor: Actor,
  input: { unitId: number; regionId: number; leaderId?: number | null | undefined },
) {
  const own = officeRegionOf(actor);
  if (own === null) return;
  await requireRegionWithin(db, actor, input.regionId);
  const unit = await findUnitLevel(db, input.unitId);
  if (!unit) throw errors.notFound('unit', input.unitId);
  if (unit.regionLevel === null || unit.regionLevel === 'city') {
    requireCityLevel(actor, { zh: '市级单位的包联安排', en: "A city-level unit's pairing" });
  }
  await requireUnitWithin(db, actor, input.unitId);
  await requireUsersWithin(db, actor, input.leaderId ? [input.leaderId] : []);
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
  return withTx(database, async (tx) => {
    const region = await findRegion(tx, input.regionId);
    if (!region) throw errors.notFound('region', input.regionId);
    await requirePairingWithin(tx, actor, input);
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

/**
 * Edits a pairing at the version read: its target, its leader, or ends (and resumes) it. A
 * pairing the office does not see is 404, as in its list; a district office edits its own
 * subtree's, and a city-level unit's stays the city office's (requirePairingWithin). Ended, it no
 * longer counts new visits (they need an active pairing) but keeps the ones it had.
 */
export async function updatePairing(
  database: Database,
  actor: Actor,
  id: number,
  patch: TPairingPatch,
): Promise<TOutreachPairing> {
  requirePermission(actor, Permission.UnitWrite);
  return withTx(database, async (tx) => {
    const scope = pairingScope(actor);
    const before = await findPairingRow(tx, scope, id);
    if (!before) throw errors.notFound('outreach_pairing', id);
    await requirePairingWithin(tx, actor, {
      unitId: before.unit_id,
      regionId: before.region_id,
      leaderId: patch.leaderId,
    });
    const { version, ...change } = patch;
    const row = await updatePairingAtVersion(tx, id, version, change);
    if (!row) throw errors.staleVersion('outreach_pairing');
    const after = (await findPairingRow(tx, scope, id))!;
    await writeAudit(tx, actor, {
      action: change.active === false ? 'outreach.end' : 'outreach.update',
      entityType: 'outreach_pairing',
      entityId: id,
      before: presentPairing(before),
      after: presentPairing(after),
    });
    return presentPairing(after);
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

/**
 * Where the actor may log a household visit: in a community (400 otherwise), and one that is
 * theirs — a unit's people in the communities their unit is paired with (403 `not_paired`), an
 * office, leader or field worker held at a region within its subtree (403
 * `outside_jurisdiction`; one who also heads a unit, its pairings too); the city's office
 * anywhere. Someone with neither a unit nor a place has no households to visit (403).
 */
async function requireVisitPlace(
  db: DbOrTx,
  actor: Actor,
  region: { id: number; level: string },
): Promise<void> {
  if (region.level !== 'community') {
    throw errors.invalid(
      { zh: '入户走访应选择所在社区', en: 'a household visit is logged in a community' },
      [{ path: 'body.regionId', message: '应为社区（村） / not a community' }],
    );
  }
  const scope = requirePermission(actor, Permission.ProblemReport);
  if (scope.kind === 'all') return;
  const unitId = scope.kind === 'self' ? undefined : scope.unitId;
  if (unitId !== undefined && (await activePairings(db, unitId, region.id)).length > 0) return;
  if (scope.kind === 'region') {
    if (await regionWithin(db, region.id, scope.regionId)) return;
    throw outsideJurisdiction({ zh: '该社区', en: 'the community' });
  }
  throw new AppError('not_paired', 403, {
    zh: '该社区不在本单位的包联范围内，不能记录入户走访',
    en: 'this community is not one your unit is paired with: no visit can be logged there',
  });
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
      await requireVisitPlace(tx, actor, region);
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

/**
 * Visits: the visitor's own, a unit's all of its people's, a district or street office those in
 * its subtree, the city's office everything.
 */
export async function listVisits(
  database: Database,
  actor: Actor,
  q: { regionId?: number | undefined; limit: number },
): Promise<TVisit[]> {
  requirePermission(actor, Permission.ProblemReport);
  const scope = requirePermission(actor, Permission.UnitRead);
  const own = officeRegionOf(actor);
  const visits: VisitScope =
    scope.kind === 'all'
      ? null
      : own !== null
        ? { within: own }
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
  const pairings = (await pairingsOf(database.db, pairingScope(actor))).filter((a) => a.active);
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
