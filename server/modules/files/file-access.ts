import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { actorScope, type Actor, actorPermissions } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import { mayReadApplicationFile } from '../cellawards/cell-award-applications.service.js';
import { mayReadEvidenceFile } from '../evidence/evidence.service.js';
import { mayReadAssignmentReportsOf } from '../frameworks/assignment-report-access.js';
import { getDuty } from '../frontage/frontage.service.js';
import { nominationsWithPhoto } from '../goodpeople/good-people.repo.js';
import { getNomination } from '../goodpeople/good-people.service.js';
import { getPledge } from '../groups/groups.service.js';
import { listIndicators } from '../indicators/indicators.repo.js';
import { mayReadChecksOf } from '../simulations/simulations.service.js';
import { getActivity } from '../volunteers/activities.service.js';
import { ordersWithPhoto } from '../serviceorders/service-orders.repo.js';
import { getOrder } from '../serviceorders/service-orders.service.js';
import * as repo from './files.repo.js';
import type { FileRow } from './files.repo.js';

// Who may download a file (issue #16). A file has no rules of its own: it may be read by whoever
// may read one of the records it belongs to — with that record's permission AND scope, decided by
// the owning module's own logic — by its uploader while it belongs to nothing, and by an
// administrator. Everything else is a 404, the same answer as for a file that does not exist.
//
// Each check answers null when the file does not belong to a record of its kind, else whether the
// actor may read one of those records. The cheap, indexed and common kinds come first; the first
// `true` ends the search.

type Check = (database: Database, actor: Actor, f: FileRow) => Promise<boolean | null>;

/** True when reading the record succeeds, false when its module answers 403 or 404. */
async function readable(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (err) {
    if (err instanceof AppError && (err.status === 403 || err.status === 404)) return false;
    throw err;
  }
}

const has = (actor: Actor, p: Permission) => actorPermissions(actor).has(p);

/**
 * Problem photos (before / after / verify; citizen and patrol photos are problem photos too). A
 * photo is attached to one problem; a merge links a duplicate's photos into the problem it joined
 * (and that one's into the next), so the holders are the attaching problem and the problems up its
 * merged-into chain that show the photo. Read: problem.read within the problem scope.
 */
const problemPhoto: Check = async (database, actor, f) => {
  const scope = has(actor, Permission.ProblemRead) ? actorScope(actor) : null;
  const row = await repo.problemPhotoHolders(database.db, f.id, scope);
  return row && Number(row.n) > 0 ? row.ok === true : null;
};

const evidenceFile: Check = (database, actor, f) => mayReadEvidenceFile(database.db, actor, f.id);

/**
 * Photos of an inspection visit's checklist items. Read: problem.read within the visit scope (the
 * round's inspectors; the point's unit or region once the round is open). A photo first appears in
 * a visit of its uploader (visits take only the inspector's own uploads), whose round and point
 * the whole correction chain shares, so the lookup follows the inspector index.
 */
const visitPhoto: Check = async (database, actor, f) => {
  const reader = has(actor, Permission.ProblemRead)
    ? { scope: actorScope(actor), id: actor.id }
    : null;
  const row = await repo.visitPhotoHolders(database.db, f.id, f.uploadedBy, reader);
  return row && Number(row.n) > 0 ? row.ok === true : null;
};

/** Photos of a volunteer activity: read as the activity is (registry readers and volunteers). */
const activityPhoto: Check = async (database, actor, f) => {
  const ids = await repo.activitiesWithPhoto(database.db, f.id);
  if (!ids.length) return null;
  for (const id of ids) {
    if (await readable(() => getActivity(database, actor, id))) return true;
  }
  return false;
};

/** The signed scan of a pledge (目标责任书): read as the pledge is. */
const pledgeScan: Check = async (database, actor, f) => {
  const rows = await repo.pledgesWithScan(database.db, f.id);
  if (!rows.length) return null;
  for (const r of rows) {
    if (await readable(() => getPledge(database, actor, r.campaignId, r.unitId))) return true;
  }
  return false;
};

/** A frontage duty holder's agreement: read as the duty holder is. */
const frontageAgreement: Check = async (database, actor, f) => {
  const ids = await repo.frontageDutiesWithAgreement(database.db, f.id);
  if (!ids.length) return null;
  for (const id of ids) {
    if (await readable(() => getDuty(database, actor, id))) return true;
  }
  return false;
};

/** Attachments of an indicator's values: read as the indicator is (assignment.read, its scope). */
const indicatorAttachment: Check = async (database, actor, f) => {
  const ids = await repo.indicatorsWithAttachment(database.db, f.id);
  if (!ids.length) return null;
  if (!has(actor, Permission.AssignmentRead)) return false;
  const scope = actorScope(actor);
  for (const id of ids) {
    if ((await listIndicators(database.db, scope, { id })).length) return true;
  }
  return false;
};

/** Attachments of an assignment report: read as the unit's assignment reports are. */
const assignmentReportAttachment: Check = async (database, actor, f) => {
  const units = await repo.assignmentReportUnitsWithAttachment(database.db, f.id);
  if (!units.length) return null;
  for (const unitId of units) {
    if (await mayReadAssignmentReportsOf(database.db, actor, unitId)) return true;
  }
  return false;
};

/** Evidence of a simulation check: read as the check is (simulation.read, its target's unit). */
const simulationEvidence: Check = async (database, actor, f) => {
  const units = await repo.simulationUnitsWithEvidence(database.db, f.id);
  if (!units.length) return null;
  return mayReadChecksOf(database.db, actor, units);
};

/** Materials of a 文明细胞 application: read as the application is (the assessing offices). */
const cellAwardMaterial: Check = (database, actor, f) =>
  mayReadApplicationFile(database, actor, f.id);

/** The photo of a 身边好人 nomination: read as the nomination is (its reviewers, its nominator). */
const nominationPhoto: Check = async (database, actor, f) => {
  const ids = await nominationsWithPhoto(database.db, f.id);
  if (!ids.length) return null;
  for (const id of ids) {
    if (await readable(() => getNomination(database, actor, id))) return true;
  }
  return false;
};

/** A service order's photo (点单派单): read as the order is (its station, its team, its takers). */
const serviceOrderPhoto: Check = async (database, actor, f) => {
  const ids = await ordersWithPhoto(database.db, f.id);
  if (!ids.length) return null;
  for (const id of ids) {
    if (await readable(() => getOrder(database, actor, id))) return true;
  }
  return false;
};

/**
 * A video's poster frame: read as the video is (which is read as its own record is). Posters are
 * images and have no poster of their own, so this goes one step deep.
 */
const posterOfMedia: Check = async (database, actor, f) => {
  const videos = await repo.filesWithPoster(database.db, f.id);
  if (!videos.length) return null;
  for (const id of videos) {
    if (await readable(() => readableFile(database, actor, id))) return true;
  }
  return false;
};

/** Every kind of record a file can belong to (every reference to `files` in the schema). */
const OWNERS: readonly Check[] = [
  problemPhoto,
  evidenceFile,
  visitPhoto,
  activityPhoto,
  pledgeScan,
  frontageAgreement,
  indicatorAttachment,
  assignmentReportAttachment,
  simulationEvidence,
  cellAwardMaterial,
  nominationPhoto,
  serviceOrderPhoto,
  posterOfMedia,
];

/** The file, when the actor may read it (see above); else a 404. */
export async function readableFile(database: Database, actor: Actor, id: string): Promise<FileRow> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw errors.notFound('file', id);
  }
  const f = await repo.findFile(database.db, id);
  if (!f) throw errors.notFound('file', id);
  if (actor.id === null || actor.roles.includes('admin')) return f;
  let owned = false;
  for (const check of OWNERS) {
    const verdict = await check(database, actor, f);
    if (verdict) return f;
    if (verdict === false) owned = true;
  }
  if (!owned && f.uploadedBy !== null && f.uploadedBy === actor.id) return f;
  throw errors.notFound('file', id);
}
