import type { TFrontageDutyInput, TListFrontageQuery } from '../../../core/contracts/frontage.js';
import { distanceToLineM, inZone, zoneBox, type TZoneGeometry } from '../../../core/geo/zones.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor, officeRegionOf } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { getProblem, phoneFor } from '../problems/problems.service.js';
import { presentDuty, presentHolder, presentZoneProblem } from './frontage.present.js';
import * as repo from './frontage.repo.js';
import { requireRegionWithin, requireUnitWithin } from '../org/jurisdiction.js';
import { regionWithin } from '../org/regions.repo.js';

// 门前三包: duty holders and their zones. The index box finds candidates in SQL (frontage.repo.ts);
// the exact zone test and the distances are computed here (core/geo/zones.ts).

export type { DutyRow } from './frontage.repo.js';
const RECENT_DAYS = 90;
const since = () => new Date(Date.now() - RECENT_DAYS * 86_400_000);

/** Metres from a point to a zone's line or outline (0 inside an area). */
function zoneDistance(lat: number, lng: number, zone: TZoneGeometry): number {
  if (zone.type === 'LineString') return distanceToLineM(lat, lng, zone.coordinates);
  if (inZone(lat, lng, zone, 0)) return 0;
  return distanceToLineM(lat, lng, zone.coordinates[0]!);
}

/** The columns a zone decides: the zone itself and its index box. */
export function zoneColumns(zone: TZoneGeometry, bufferM: number) {
  return { zone, bufferM, ...zoneBox(zone, bufferM) };
}

/** How many problems lie in each holder's zone (last 90 days): index box in SQL, exact test here. */
async function recentCounts(db: DbOrTx, duties: repo.DutyTableRow[]): Promise<Map<number, number>> {
  const counts = new Map(duties.map((d) => [d.id, 0]));
  if (!duties.length) return counts;
  const rows = await repo.problemsInDutyBoxes(
    db,
    duties.map((d) => d.id),
    since(),
  );
  const byId = new Map(duties.map((d) => [d.id, d]));
  for (const r of rows) {
    const d = byId.get(Number(r.duty_id))!;
    if (inZone(r.lat, r.lng, d.zone as TZoneGeometry, d.bufferM)) {
      counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
    }
  }
  return counts;
}

/** A holder a district or street office may see: one in its subtree (the city's: every one). */
async function dutyOfLevel(db: DbOrTx, actor: Actor, d: { regionId: number | null }) {
  const own = officeRegionOf(actor);
  return own === null || (d.regionId !== null && (await regionWithin(db, d.regionId, own)));
}

/**
 * 辖区: a district or street office places holders in its own subtree (never nowhere: a holder
 * with no place is the city's) and names only its own units; the city passes. On an update only
 * the place and unit it changes are checked (the holder itself was found in its subtree).
 */
async function requireDutyPlace(
  db: DbOrTx,
  actor: Actor,
  v: { regionId?: number | null | undefined; unitId?: number | null | undefined },
  onUpdate = false,
) {
  if (!onUpdate || v.regionId !== undefined) {
    await requireRegionWithin(db, actor, v.regionId ?? null);
  }
  if (v.unitId !== undefined && v.unitId !== null) await requireUnitWithin(db, actor, v.unitId);
}

export async function listDuties(database: Database, actor: Actor, q: TListFrontageQuery) {
  requirePermission(actor, Permission.UnitRead);
  const { total, rows } = await repo.dutyPage(database.db, { ...q, within: officeRegionOf(actor) });
  const page = rows.slice(0, q.limit);
  const counts = await recentCounts(database.db, page);
  return {
    items: page.map((d) => presentDuty(d, counts.get(d.id) ?? 0, phoneFor(actor, d.contactPhone))),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null,
    total,
  };
}

export async function getDuty(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.UnitRead);
  const d = await repo.findDuty(database.db, id);
  if (!d || !(await dutyOfLevel(database.db, actor, d))) throw errors.notFound('frontageDuty', id);
  const counts = await recentCounts(database.db, [d]);
  return presentDuty(d, counts.get(d.id) ?? 0, phoneFor(actor, d.contactPhone));
}

/** The stored columns of an input (fields left out stay as they are on update). */
export function dutyValues(input: Partial<TFrontageDutyInput>) {
  const v: Partial<repo.DutyInsert> = {};
  if (input.code !== undefined) v.code = input.code;
  if (input.holderName !== undefined) v.holderName = input.holderName;
  if (input.holderType !== undefined) v.holderType = input.holderType;
  if (input.unitId !== undefined) v.unitId = input.unitId;
  if (input.regionId !== undefined) v.regionId = input.regionId;
  if (input.address !== undefined) v.address = input.address;
  if (input.contactName !== undefined) v.contactName = input.contactName;
  if (input.contactPhone !== undefined) v.contactPhone = input.contactPhone || null;
  if (input.duties !== undefined) v.duties = input.duties;
  if (input.agreementFileId !== undefined) v.agreementFileId = input.agreementFileId;
  if (input.agreementSignedOn !== undefined) v.agreementSignedOn = input.agreementSignedOn;
  if (input.plaqueStatus !== undefined) v.plaqueStatus = input.plaqueStatus;
  if (input.active !== undefined) v.active = input.active;
  return v;
}

export async function createDuty(database: Database, actor: Actor, input: TFrontageDutyInput) {
  requirePermission(actor, Permission.UnitWrite);
  const id = await withTx(database, async (tx) => {
    await requireDutyPlace(tx, actor, input);
    const dutyId = await repo.insertDuty(tx, {
      ...dutyValues(input),
      code: input.code,
      holderName: input.holderName,
      holderType: input.holderType,
      ...zoneColumns(input.zone, input.bufferM),
    });
    await writeAudit(tx, actor, {
      action: 'frontage.create',
      entityType: 'frontage_duty',
      entityId: dutyId,
      after: input,
    });
    return dutyId;
  });
  return getDuty(database, actor, id);
}

export async function updateDuty(
  database: Database,
  actor: Actor,
  id: number,
  input: Partial<TFrontageDutyInput> & { version: number },
) {
  requirePermission(actor, Permission.UnitWrite);
  await withTx(database, async (tx) => {
    const before = await repo.findDuty(tx, id);
    // Another district's holder is not there for a district office, for writes as for reads.
    if (!before || !(await dutyOfLevel(tx, actor, before))) {
      throw errors.notFound('frontageDuty', id);
    }
    await requireDutyPlace(tx, actor, input, true);
    const zone = input.zone ?? (before.zone as TZoneGeometry);
    const bufferM = input.bufferM ?? before.bufferM;
    const updated = await repo.updateDutyRow(tx, id, input.version, {
      ...dutyValues(input),
      ...zoneColumns(zone, bufferM),
    });
    if (!updated) throw errors.staleVersion('frontageDuty');
    await writeAudit(tx, actor, {
      action: 'frontage.update',
      entityType: 'frontage_duty',
      entityId: id,
      before,
      after: input,
    });
  });
  return getDuty(database, actor, id);
}

/** The holders whose zone contains a point, nearest first (the problem page names them). */
async function holdersAt(database: Database, actor: Actor, lat: number, lng: number) {
  const rows = await repo.activeDutiesAt(database.db, lat, lng);
  const hits = rows
    .filter((d) => inZone(lat, lng, d.zone as TZoneGeometry, d.bufferM))
    .map((d) => ({ d, distanceM: zoneDistance(lat, lng, d.zone as TZoneGeometry) }))
    .sort((a, b) => a.distanceM - b.distanceM);
  const counts = await recentCounts(
    database.db,
    hits.map((h) => h.d),
  );
  return hits.map((h) =>
    presentHolder(h.d, h.distanceM, counts.get(h.d.id) ?? 0, phoneFor(actor, h.d.contactPhone)),
  );
}

/** The duty holders named for a problem by where it is; 404 outside the actor's problem scope. */
export async function holdersForProblem(database: Database, actor: Actor, problemId: number) {
  const d = await getProblem(database, actor, problemId);
  const { lat, lng } = d.problem;
  if (lat === null || lng === null) return [];
  return holdersAt(database, actor, lat, lng);
}

/**
 * The holder's record: problems in its zone in the last 90 days, newest first — those the reader
 * may see (ProblemRead and its scope: leaders and the office all, a unit its own, field staff
 * their region's).
 */
export async function zoneProblems(database: Database, actor: Actor, id: number) {
  const scope = requirePermission(actor, Permission.ProblemRead);
  const d = await repo.findDuty(database.db, id);
  if (!d || !(await dutyOfLevel(database.db, actor, d))) throw errors.notFound('frontageDuty', id);
  const rows = await repo.problemsInBox(database.db, d, since(), scope);
  const zone = d.zone as TZoneGeometry;
  return rows
    .filter((p) => inZone(p.lat!, p.lng!, zone, d.bufferM))
    .map((p) => presentZoneProblem(p, zoneDistance(p.lat!, p.lng!, zone)));
}
