import { shanghaiDate } from '../../../core/calendar/working-days.js';
import {
  AT_RISK_HONOUR_STATUSES,
  CELL_TYPES,
  defaultHonourTitle,
  HONOUR_HISTORY_LIMIT,
  HONOUR_LEVELS,
  HONOUR_STATUS_LABELS,
  HONOURS_MAP_LIMIT,
  type TCellsDashboard,
  type TCellsDashboardQuery,
  type THonourHistory,
  type THonourLevel,
  type THonourParsed,
  type THonourPatch,
  type THonoursMap,
  type THonoursMapQuery,
  type TListHonoursQuery,
} from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { pageOf } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import {
  outsideJurisdiction,
  requireRegionWithin,
  requireUnitWithin,
} from '../org/jurisdiction.js';
import { regionWithin } from '../org/regions.repo.js';
import { entityAuditRows } from '../audit/audit.repo.js';
import { presentCellsItem, presentHistoryEntry, presentHonour } from './honours.present.js';
import * as repo from './honours.repo.js';

// 文明细胞 (issue #22, item 1): the registry of civilized-title holders. Read with unit.read and
// written with unit.write, like the other registries of the campaign's organisations (门前三包, 包联).
// By level (#20): a district or street office reads the holders placed in its subtree and writes
// those it manages (managing office in its subtree); another district's holder is not there for it
// (404), one in its subtree managed by the city is refused (403); the city sees and writes all.

export const HONOUR_KEY = 'honours_holder_title_year_uq';

/** A holder a district or street office may see: one placed in its subtree (the city: every one). */
export async function honourOfLevel(db: DbOrTx, actor: Actor, h: { regionId: number | null }) {
  const own = officeRegionOf(actor);
  return own === null || (h.regionId !== null && (await regionWithin(db, h.regionId, own)));
}

/**
 * 辖区: a district or street office places holders in its own subtree, names only its own units and
 * a managing 文明办 of its subtree (never the city's); the city passes. On an update only the
 * fields it changes are checked (the holder itself was found in the subtree).
 */
async function requireHonourPlace(
  db: DbOrTx,
  actor: Actor,
  v: {
    regionId?: number | null | undefined;
    unitId?: number | null | undefined;
    officeRegionId?: number | null | undefined;
  },
  onUpdate = false,
) {
  if (!onUpdate || v.regionId !== undefined)
    await requireRegionWithin(db, actor, v.regionId ?? null);
  if (v.unitId !== undefined && v.unitId !== null) await requireUnitWithin(db, actor, v.unitId);
  const own = officeRegionOf(actor);
  if (own !== null && v.officeRegionId !== undefined) {
    if (v.officeRegionId === null || !(await regionWithin(db, v.officeRegionId, own))) {
      throw outsideJurisdiction({ zh: '负责管理的文明办', en: 'The managing office' });
    }
  }
}

const coordinatesPaired = () =>
  errors.invalid({ zh: '经纬度须同时填写', en: 'give latitude and longitude together' }, [
    { path: 'lat', message: '经纬度须同时填写 / give latitude and longitude together' },
  ]);

const reasonRequired = () =>
  errors.invalid({ zh: '变更称号状态须说明原因', en: 'a change of status needs a reason' }, [
    { path: 'reason', message: '变更称号状态须说明原因 / a change of status needs a reason' },
  ]);

/** 409: the holder already holds this title of this year. */
export function duplicateHonour(h: { holderName: string; title: string; yearConferred: number }) {
  return new AppError('duplicate', 409, {
    zh: `“${h.holderName}”已登记 ${h.yearConferred} 年度的“${h.title}”`,
    en: `"${h.holderName}" already holds "${h.title}" of ${h.yearConferred}`,
  });
}

export async function listHonours(database: Database, actor: Actor, q: TListHonoursQuery) {
  requirePermission(actor, Permission.UnitRead);
  const { total, rows } = await repo.honourPage(database.db, {
    ...q,
    within: officeRegionOf(actor),
  });
  const page = pageOf(rows, q.limit, (h) => h.yearConferred);
  return { items: page.items.map(presentHonour), nextCursor: page.nextCursor, total };
}

export async function getHonour(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.UnitRead);
  const h = await repo.findHonour(database.db, id);
  if (!h || !(await honourOfLevel(database.db, actor, h))) throw errors.notFound('honour', id);
  return presentHonour(h);
}

/** The stored columns of a full input (a create or an import row). */
export function honourValues(input: THonourParsed): repo.HonourInsert {
  return {
    cellType: input.cellType,
    holderName: input.holderName,
    unitId: input.unitId ?? null,
    regionId: input.regionId ?? null,
    title: input.title || defaultHonourTitle(input.cellType, input.level),
    level: input.level,
    yearConferred: input.yearConferred,
    termYears: input.termYears,
    status: input.status,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    remarks: input.remarks || null,
    officeRegionId: input.officeRegionId ?? null,
  };
}

type TitleKey = { holderName: string; title: string; yearConferred: number };

/** Runs a write, turning a second registration of a holder's title of a year into a 409. */
async function unique<T>(key: () => TitleKey | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const k = key();
    if (k && isUniqueViolation(err, HONOUR_KEY)) throw duplicateHonour(k);
    throw err;
  }
}

export async function createHonour(database: Database, actor: Actor, input: THonourParsed) {
  requirePermission(actor, Permission.UnitWrite);
  if ((input.lat == null) !== (input.lng == null)) throw coordinatesPaired();
  // A district office's holder is managed by that office unless it names one below it.
  const values = honourValues({
    ...input,
    officeRegionId:
      input.officeRegionId === undefined ? officeRegionOf(actor) : input.officeRegionId,
  });
  // A unit's title without a place is placed where the unit is.
  if (values.regionId === null && values.unitId) {
    values.regionId =
      (await repo.unitRegions(database.db, [values.unitId])).get(values.unitId) ?? null;
  }
  const id = await unique(
    () => values as TitleKey,
    () => withTx(database, (tx) => insertHonourIn(tx, actor, values)),
  );
  return getHonour(database, actor, id);
}

/**
 * Registers a holder inside the caller's transaction (another module's write that confers a title,
 * e.g. a 十星级文明户 made a 文明家庭): the same jurisdiction check and audit as a create. A second
 * registration of a title of a year fails with a unique violation: see `isDuplicateHonour`.
 */
export async function insertHonourIn(
  tx: Tx,
  actor: Actor,
  values: repo.HonourInsert,
): Promise<number> {
  await requireHonourPlace(tx, actor, values);
  const honourId = await repo.insertHonour(tx, values);
  await writeAudit(tx, actor, {
    action: 'honour.create',
    entityType: 'honour',
    entityId: honourId,
    after: values,
  });
  return honourId;
}

/** True when `err` is the registry's "this holder already holds this title of this year". */
export const isDuplicateHonour = (err: unknown) => isUniqueViolation(err, HONOUR_KEY);

export async function updateHonour(
  database: Database,
  actor: Actor,
  id: number,
  input: THonourPatch,
) {
  requirePermission(actor, Permission.UnitWrite);
  const { version, reason, ...patch } = input;
  let merged: TitleKey | undefined;
  await unique(
    () => merged,
    async () => {
      await withTx(database, async (tx) => {
        const before = await repo.findHonour(tx, id);
        // Another district's holder is not there for a district office, for writes as for reads.
        if (!before || !(await honourOfLevel(tx, actor, before)))
          throw errors.notFound('honour', id);
        // A holder managed by the office above (the city's, or another level's) is read, not
        // written, by a district or street office: its status is the managing office's decision.
        const own = officeRegionOf(actor);
        if (
          own !== null &&
          (before.officeRegionId === null || !(await regionWithin(tx, before.officeRegionId, own)))
        ) {
          throw outsideJurisdiction({
            zh: '该称号的管理文明办',
            en: "The title's managing office",
          });
        }
        const statusChanged = patch.status !== undefined && patch.status !== before.status;
        if (statusChanged && !reason) throw reasonRequired();
        await requireHonourPlace(tx, actor, patch, true);
        const next = honourValues({
          ...before,
          ...(Object.fromEntries(
            Object.entries(patch).filter(([, v]) => v !== undefined),
          ) as Partial<THonourParsed>),
          // A cleared title is the usual one of the (new) type and level.
          title: patch.title === undefined ? before.title : patch.title,
        });
        if ((next.lat == null) !== (next.lng == null)) throw coordinatesPaired();
        merged = next;
        const updated = await repo.updateHonourRow(tx, id, version, next);
        if (!updated) throw errors.staleVersion('honour');
        await writeAudit(tx, actor, {
          action: 'honour.update',
          entityType: 'honour',
          entityId: id,
          before,
          after: patch,
        });
        if (statusChanged) {
          await writeAudit(tx, actor, {
            action: 'honour.status',
            entityType: 'honour',
            entityId: id,
            before: { status: before.status },
            after: {
              status: next.status,
              label: HONOUR_STATUS_LABELS[next.status!].zh,
              reason,
            },
          });
        }
      });
    },
  );
  return getHonour(database, actor, id);
}

/**
 * A holder's history from the audit log, newest first: its registration, edits, changes of status
 * with their reasons, and the imports that changed its status. Read like the holder itself (404
 * outside a district office's subtree).
 */
export async function honourHistory(
  database: Database,
  actor: Actor,
  id: number,
): Promise<THonourHistory> {
  await getHonour(database, actor, id);
  const rows = await entityAuditRows(
    database.db,
    { type: 'honour', id },
    {
      limit: HONOUR_HISTORY_LIMIT,
      listedIn: { action: 'honour.import', key: 'statusChanges' },
    },
  );
  return { items: rows.flatMap((r) => presentHistoryEntry(r, id) ?? []) };
}

/** The holders with a position, for the map (a district office: its subtree's). */
export async function honoursMap(
  database: Database,
  actor: Actor,
  q: THonoursMapQuery,
): Promise<THonoursMap> {
  requirePermission(actor, Permission.UnitRead);
  const rows = await repo.honourMarkers(
    database.db,
    { ...q, within: officeRegionOf(actor) },
    HONOURS_MAP_LIMIT,
  );
  return {
    items: rows.slice(0, HONOURS_MAP_LIMIT).map((r) => ({ ...r, lat: r.lat!, lng: r.lng! })),
    truncated: rows.length > HONOURS_MAP_LIMIT,
  };
}

/** How many titles the dashboard names in each of its lists. */
const DASHBOARD_ITEMS = 8;

/**
 * 文明细胞 on the dashboard of a level: titles held by type and level, those whose 复审 is due (the
 * term ends this year or next) and those at risk (整改, 暂停). A district or street office reads
 * its subtree and may drill down inside it; a region outside it is refused (403), as the other
 * dashboard parts do.
 */
export async function cellsDashboard(
  database: Database,
  actor: Actor,
  q: TCellsDashboardQuery,
  now = new Date(),
): Promise<TCellsDashboard> {
  requirePermission(actor, Permission.UnitRead);
  const db = database.db;
  const own = officeRegionOf(actor);
  if (q.regionId !== undefined && own !== null && !(await regionWithin(db, q.regionId, own))) {
    throw errors.forbidden();
  }
  const f = { regionId: q.regionId, within: own };
  const year = Number(shanghaiDate(now).slice(0, 4));
  const [held, ends, statuses, due, risky] = await Promise.all([
    repo.heldCounts(db, f),
    repo.termEndCounts(db, f, year, year + 1),
    repo.statusCounts(db, f),
    repo.reviewsDueRows(db, f, year, year + 1, DASHBOARD_ITEMS),
    repo.statusRows(db, f, [...AT_RISK_HONOUR_STATUSES], DASHBOARD_ITEMS),
  ]);
  const zeroLevels = () =>
    Object.fromEntries(HONOUR_LEVELS.map((l) => [l, 0])) as Record<THonourLevel, number>;
  const byType = CELL_TYPES.map((cellType) => {
    const byLevel = zeroLevels();
    for (const h of held) if (h.cellType === cellType) byLevel[h.level] += h.n;
    return { cellType, total: Object.values(byLevel).reduce((a, b) => a + b, 0), byLevel };
  });
  const endingIn = (y: number) => ends.find((e) => e.year === y)?.n ?? 0;
  const inStatus = (s: string) => statuses.find((x) => x.status === s)?.n ?? 0;
  return {
    year,
    byType,
    held: byType.reduce((a, t) => a + t.total, 0),
    reviewsDue: {
      thisYear: endingIn(year),
      nextYear: endingIn(year + 1),
      items: due.map(presentCellsItem),
    },
    atRisk: {
      rectifying: inStatus('rectifying'),
      suspended: inStatus('suspended'),
      items: risky.map(presentCellsItem),
    },
  };
}
