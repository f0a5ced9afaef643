import {
  aliasedTable,
  and,
  asc,
  desc,
  eq,
  getTableColumns,
  inArray,
  lt,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { TServiceOrderState } from '../../../core/service-orders/labels.js';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { execRows, type DbOrTx } from '../../db/client.js';
import {
  activityAttendance,
  files,
  practicePlaces,
  regions,
  serviceItems,
  serviceItemTeams,
  serviceOrderEvents,
  serviceOrderPhotos,
  serviceOrders,
  serviceOrderTakers,
  users,
  volunteers,
  volunteerTeams,
} from '../../db/schema/index.js';
import { regionSubtree } from '../org/regions.repo.js';

// Tables of 点单派单: the stations' menus, the orders, their takers, steps and photos, and the
// attendances (activity_attendance) that carry a volunteer's time on an order.

// ---------------------------------------------------------------- stations

export interface StationRow {
  id: number;
  name: string;
  kind: string;
  regionId: number | null;
  lat: number | null;
  lng: number | null;
}

/** A practice station (place), with its region. */
export async function stationById(db: DbOrTx, id: number): Promise<StationRow | undefined> {
  const [p] = await db
    .select({
      id: practicePlaces.id,
      name: practicePlaces.name,
      kind: practicePlaces.kind,
      regionId: practicePlaces.regionId,
      lat: practicePlaces.lat,
      lng: practicePlaces.lng,
    })
    .from(practicePlaces)
    .where(eq(practicePlaces.id, id));
  return p;
}

/** A station placed in the subtree of `within` (its region: a place with none is the city's). */
const placeWithin = (placeId: SQL | AnyPgColumn, within: number) =>
  sql`${placeId} in (select p.id from practice_places p where p.region_id in ${regionSubtree(within)})`;

/** The stations placed in the subtree of `within`. */
export async function stationIdsWithin(db: DbOrTx, within: number): Promise<Set<number>> {
  const rows = await execRows<{ id: number }>(
    db,
    sql`select p.id from practice_places p where p.region_id in ${regionSubtree(within)}`,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

// ---------------------------------------------------------------- the menu

export type ItemRow = typeof serviceItems.$inferSelect & {
  placeName: string;
  placeRegionId: number | null;
};

function selectItems(db: DbOrTx) {
  return db
    .select({
      ...getTableColumns(serviceItems),
      placeName: practicePlaces.name,
      placeRegionId: practicePlaces.regionId,
    })
    .from(serviceItems)
    .innerJoin(practicePlaces, eq(practicePlaces.id, serviceItems.placeId));
}

/** Menu items (of one station; of the stations in the subtree of `within`; active only). */
export async function listItems(
  db: DbOrTx,
  f: { placeId?: number | undefined; within: number | null; activeOnly?: boolean },
): Promise<ItemRow[]> {
  return selectItems(db)
    .where(
      and(
        f.placeId === undefined ? undefined : eq(serviceItems.placeId, f.placeId),
        f.within === null ? undefined : placeWithin(serviceItems.placeId, f.within),
        f.activeOnly ? eq(serviceItems.active, true) : undefined,
      ),
    )
    .orderBy(asc(practicePlaces.name), asc(serviceItems.category), asc(serviceItems.name));
}

export async function itemById(db: DbOrTx, id: number): Promise<ItemRow | undefined> {
  const [row] = await selectItems(db).where(eq(serviceItems.id, id));
  return row;
}

export async function itemIdByName(
  db: DbOrTx,
  placeId: number,
  name: string,
): Promise<number | undefined> {
  const [row] = await db
    .select({ id: serviceItems.id })
    .from(serviceItems)
    .where(and(eq(serviceItems.placeId, placeId), eq(serviceItems.name, name)));
  return row?.id;
}

export type ItemValues = Partial<
  Pick<
    typeof serviceItems.$inferInsert,
    'name' | 'category' | 'description' | 'volunteersNeeded' | 'active'
  >
>;

export async function insertItem(
  db: DbOrTx,
  values: ItemValues & { placeId: number; name: string; category: ItemRow['category'] },
): Promise<number> {
  const [row] = await db.insert(serviceItems).values(values).returning({ id: serviceItems.id });
  return row!.id;
}

/** Updates at the expected version; false when the row has moved on (or is gone). */
export async function updateItem(
  db: DbOrTx,
  id: number,
  version: number,
  values: ItemValues,
): Promise<boolean> {
  const rows = await db
    .update(serviceItems)
    .set({ ...values, version: sql`${serviceItems.version} + 1` })
    .where(and(eq(serviceItems.id, id), eq(serviceItems.version, version)))
    .returning({ id: serviceItems.id });
  return rows.length > 0;
}

/** Replaces the teams able to serve an item. */
export async function setItemTeams(db: DbOrTx, itemId: number, teamIds: number[]): Promise<void> {
  await db.delete(serviceItemTeams).where(eq(serviceItemTeams.itemId, itemId));
  if (teamIds.length) {
    await db.insert(serviceItemTeams).values(teamIds.map((teamId) => ({ itemId, teamId })));
  }
}

/** The teams of each item, by name. */
export async function teamsOfItems(
  db: DbOrTx,
  itemIds: number[],
): Promise<Map<number, { id: number; name: string }[]>> {
  const out = new Map<number, { id: number; name: string }[]>();
  if (!itemIds.length) return out;
  const rows = await db
    .select({ itemId: serviceItemTeams.itemId, id: volunteerTeams.id, name: volunteerTeams.name })
    .from(serviceItemTeams)
    .innerJoin(volunteerTeams, eq(volunteerTeams.id, serviceItemTeams.teamId))
    .where(inArray(serviceItemTeams.itemId, itemIds))
    .orderBy(asc(volunteerTeams.name));
  for (const r of rows)
    out.set(r.itemId, [...(out.get(r.itemId) ?? []), { id: r.id, name: r.name }]);
  return out;
}

export async function teamName(db: DbOrTx, id: number): Promise<string | null> {
  const [row] = await db
    .select({ name: volunteerTeams.name })
    .from(volunteerTeams)
    .where(eq(volunteerTeams.id, id));
  return row?.name ?? null;
}

/** The ids among these that are teams. */
export async function existingTeams(db: DbOrTx, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ id: volunteerTeams.id })
    .from(volunteerTeams)
    .where(inArray(volunteerTeams.id, ids));
  return rows.map((r) => r.id);
}

/** Stations with at least one active menu item, and those items (the public page). */
export async function publicMenuRows(db: DbOrTx) {
  return db
    .select({
      placeId: practicePlaces.id,
      kind: practicePlaces.kind,
      placeName: practicePlaces.name,
      address: practicePlaces.address,
      lat: practicePlaces.lat,
      lng: practicePlaces.lng,
      openingHours: practicePlaces.openingHours,
      regionName: regions.name,
      itemId: serviceItems.id,
      itemName: serviceItems.name,
      category: serviceItems.category,
      description: serviceItems.description,
    })
    .from(serviceItems)
    .innerJoin(practicePlaces, eq(practicePlaces.id, serviceItems.placeId))
    .leftJoin(regions, eq(regions.id, practicePlaces.regionId))
    .where(eq(serviceItems.active, true))
    .orderBy(asc(practicePlaces.kind), asc(practicePlaces.name), asc(serviceItems.name));
}

// ---------------------------------------------------------------- orders

const orderer = aliasedTable(users, 'orderer');

const orderColumns = {
  ...getTableColumns(serviceOrders),
  placeName: practicePlaces.name,
  placeRegionId: practicePlaces.regionId,
  itemName: serviceItems.name,
  category: serviceItems.category,
  teamName: volunteerTeams.name,
  orderedByName: orderer.name,
};
export type OrderRow = typeof serviceOrders.$inferSelect & {
  placeName: string;
  placeRegionId: number | null;
  itemName: string;
  category: ItemRow['category'];
  teamName: string | null;
  orderedByName: string | null;
};

function selectOrders(db: DbOrTx) {
  return db
    .select(orderColumns)
    .from(serviceOrders)
    .innerJoin(practicePlaces, eq(practicePlaces.id, serviceOrders.placeId))
    .innerJoin(serviceItems, eq(serviceItems.id, serviceOrders.itemId))
    .leftJoin(volunteerTeams, eq(volunteerTeams.id, serviceOrders.teamId))
    .leftJoin(orderer, eq(orderer.id, serviceOrders.orderedBy));
}

export async function orderById(db: DbOrTx, id: number): Promise<OrderRow | undefined> {
  const [row] = await selectOrders(db).where(eq(serviceOrders.id, id));
  return row;
}

export async function orderByCode(db: DbOrTx, code: string): Promise<OrderRow | undefined> {
  const [row] = await selectOrders(db).where(eq(serviceOrders.trackingCode, code));
  return row;
}

export async function orderIdByClientId(db: DbOrTx, clientId: string) {
  const [row] = await db
    .select({ id: serviceOrders.id, orderedBy: serviceOrders.orderedBy })
    .from(serviceOrders)
    .where(eq(serviceOrders.clientId, clientId));
  return row;
}

/** Locks the order's row for the rest of the transaction (steps on one order queue up). */
export async function lockOrder(db: DbOrTx, id: number): Promise<boolean> {
  const [row] = await db
    .select({ id: serviceOrders.id })
    .from(serviceOrders)
    .where(eq(serviceOrders.id, id))
    .for('update');
  return !!row;
}

/** Who sees which orders: a level's stations, one's own orders, one's team's or taken ones. */
export interface OrderReach {
  /** All orders (the city's office and leaders). */
  all?: boolean;
  /** The orders of the stations placed in this region's subtree. */
  within?: number;
  /** The orders this user placed for residents. */
  orderedBy?: number;
  /** The orders dispatched to this team while open to take, and those this volunteer took. */
  volunteer?: { id: number; teamId: number | null };
}

function reachCondition(r: OrderReach): SQL | undefined {
  if (r.all) return undefined;
  const parts: SQL[] = [];
  if (r.within !== undefined) parts.push(placeWithin(serviceOrders.placeId, r.within));
  if (r.orderedBy !== undefined) parts.push(eq(serviceOrders.orderedBy, r.orderedBy));
  if (r.volunteer) {
    parts.push(
      sql`${serviceOrders.id} in (select t.order_id from service_order_takers t
            where t.volunteer_id = ${r.volunteer.id})`,
    );
    if (r.volunteer.teamId !== null) {
      parts.push(
        sql`(${serviceOrders.teamId} = ${r.volunteer.teamId}
              and ${serviceOrders.state} in ('dispatched', 'taken'))`,
      );
    }
  }
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}

/** True when the order is within the reach. */
export async function orderReachable(db: DbOrTx, id: number, reach: OrderReach): Promise<boolean> {
  const [row] = await db
    .select({ id: serviceOrders.id })
    .from(serviceOrders)
    .where(and(eq(serviceOrders.id, id), reachCondition(reach)));
  return !!row;
}

export interface OrderFilter {
  states?: TServiceOrderState[];
  placeId?: number;
  overdue?: boolean;
  now: Date;
}

const overdueSql = (now: Date) =>
  sql`(${serviceOrders.deadline} is not null
        and ${serviceOrders.state} not in ('ordered', 'declined', 'cancelled')
        and coalesce(${serviceOrders.doneAt}, ${now}) > ${serviceOrders.deadline})`;

function filterConditions(f: OrderFilter): SQL[] {
  const conds: SQL[] = [];
  if (f.states?.length) conds.push(inArray(serviceOrders.state, f.states));
  if (f.placeId !== undefined) conds.push(eq(serviceOrders.placeId, f.placeId));
  if (f.overdue !== undefined)
    conds.push(f.overdue ? overdueSql(f.now) : sql`not ${overdueSql(f.now)}`);
  return conds;
}

/** A page of orders within the reach, newest first (one more than asked: "is there a next?"). */
export async function listOrders(
  db: DbOrTx,
  reach: OrderReach,
  f: OrderFilter,
  page: { limit: number; before?: number },
): Promise<{ rows: OrderRow[]; total: number }> {
  const where = [...filterConditions(f)];
  const inReach = reachCondition(reach);
  if (inReach) where.push(inReach);
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(serviceOrders)
    .where(where.length ? and(...where) : undefined);
  if (page.before !== undefined) where.push(lt(serviceOrders.id, page.before));
  const rows = await selectOrders(db)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(serviceOrders.id))
    .limit(page.limit + 1);
  return { rows, total: count!.n };
}

/** The volunteer's: open orders of their team (dispatched or part-taken) and those they took. */
export async function volunteerOrders(db: DbOrTx, volunteerId: number, teamId: number | null) {
  return selectOrders(db)
    .where(reachCondition({ volunteer: { id: volunteerId, teamId } }))
    .orderBy(desc(serviceOrders.id))
    .limit(100);
}

export type OrderInsert = typeof serviceOrders.$inferInsert;

export async function insertOrder(db: DbOrTx, values: OrderInsert): Promise<number> {
  const [row] = await db.insert(serviceOrders).values(values).returning({ id: serviceOrders.id });
  return row!.id;
}

/** Writes a step's changes at the version read; false when the order has moved on. */
export async function updateOrder(
  db: DbOrTx,
  id: number,
  version: number,
  set: Partial<OrderInsert>,
): Promise<boolean> {
  const rows = await db
    .update(serviceOrders)
    .set({ ...set, version: sql`${serviceOrders.version} + 1` })
    .where(and(eq(serviceOrders.id, id), eq(serviceOrders.version, version)))
    .returning({ id: serviceOrders.id });
  return rows.length > 0;
}

export async function insertEvent(db: DbOrTx, values: typeof serviceOrderEvents.$inferInsert) {
  await db.insert(serviceOrderEvents).values(values);
}

/** An order's steps in order, with who took them (a volunteer's name, else the user's). */
export async function eventsOf(db: DbOrTx, orderId: number) {
  return db
    .select({
      at: serviceOrderEvents.at,
      action: serviceOrderEvents.action,
      note: serviceOrderEvents.note,
      data: serviceOrderEvents.data,
      userName: users.name,
      volunteerName: volunteers.name,
    })
    .from(serviceOrderEvents)
    .leftJoin(users, eq(users.id, serviceOrderEvents.actorId))
    .leftJoin(volunteers, eq(volunteers.id, serviceOrderEvents.volunteerId))
    .where(eq(serviceOrderEvents.orderId, orderId))
    .orderBy(asc(serviceOrderEvents.id));
}

/** A step by this volunteer carrying this client id (a queued step sent twice). */
export async function eventByClientId(db: DbOrTx, orderId: number, clientId: string) {
  const [row] = await db
    .select({ action: serviceOrderEvents.action, volunteerId: serviceOrderEvents.volunteerId })
    .from(serviceOrderEvents)
    .where(
      and(
        eq(serviceOrderEvents.orderId, orderId),
        sql`${serviceOrderEvents.data}->>'clientId' = ${clientId}`,
      ),
    );
  return row;
}

// ---------------------------------------------------------------- takers and their time

export type TakerRow = Awaited<ReturnType<typeof takersOf>>[number];

/** The takers of the orders, with their check-in and credited time on each. */
export async function takersOf(db: DbOrTx, orderIds: number[]) {
  if (!orderIds.length) return [];
  return db
    .select({
      orderId: serviceOrderTakers.orderId,
      volunteerId: serviceOrderTakers.volunteerId,
      name: volunteers.name,
      takenAt: serviceOrderTakers.takenAt,
      checkInAt: activityAttendance.checkInAt,
      creditedMinutes: activityAttendance.creditedMinutes,
    })
    .from(serviceOrderTakers)
    .innerJoin(volunteers, eq(volunteers.id, serviceOrderTakers.volunteerId))
    .leftJoin(
      activityAttendance,
      and(
        eq(activityAttendance.serviceOrderId, serviceOrderTakers.orderId),
        eq(activityAttendance.volunteerId, serviceOrderTakers.volunteerId),
      ),
    )
    .where(inArray(serviceOrderTakers.orderId, orderIds))
    .orderBy(asc(serviceOrderTakers.takenAt));
}

/** Adds a seat; false when the volunteer holds one already. */
export async function insertTaker(
  db: DbOrTx,
  values: { orderId: number; volunteerId: number; takenAt: Date },
): Promise<boolean> {
  const rows = await db
    .insert(serviceOrderTakers)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: serviceOrderTakers.orderId });
  return rows.length > 0;
}

export async function deleteTaker(db: DbOrTx, orderId: number, volunteerId: number) {
  await db
    .delete(serviceOrderTakers)
    .where(
      and(eq(serviceOrderTakers.orderId, orderId), eq(serviceOrderTakers.volunteerId, volunteerId)),
    );
}

/** The volunteer's attendance (check-in) at the order, if any. */
export async function orderAttendance(db: DbOrTx, orderId: number, volunteerId: number) {
  const [row] = await db
    .select()
    .from(activityAttendance)
    .where(
      and(
        eq(activityAttendance.serviceOrderId, orderId),
        eq(activityAttendance.volunteerId, volunteerId),
      ),
    );
  return row;
}

/** Records a check-in at the order; false when the person or the client id has one already. */
export async function insertOrderAttendance(
  db: DbOrTx,
  values: {
    orderId: number;
    volunteerId: number;
    clientId: string;
    at: Date;
    lat: number;
    lng: number;
  },
): Promise<boolean> {
  const rows = await db
    .insert(activityAttendance)
    .values({
      serviceOrderId: values.orderId,
      volunteerId: values.volunteerId,
      clientId: values.clientId,
      checkInAt: values.at,
      checkInMethod: 'gps',
      checkInLat: values.lat,
      checkInLng: values.lng,
    })
    .onConflictDoNothing()
    .returning({ id: activityAttendance.id });
  return rows.length > 0;
}

/**
 * Ends every check-in at the order at its completion (never before the check-in itself); returns
 * the attendances (and their volunteers) whose time is now to be credited.
 */
export async function closeOrderAttendances(
  db: DbOrTx,
  orderId: number,
  doneAt: Date,
): Promise<{ id: number; volunteerId: number }[]> {
  return db
    .update(activityAttendance)
    .set({
      checkOutAt: sql`greatest(${activityAttendance.checkInAt}, ${doneAt})`,
      checkOutMethod: 'gps',
    })
    .where(
      and(
        eq(activityAttendance.serviceOrderId, orderId),
        sql`${activityAttendance.checkOutAt} is null`,
      ),
    )
    .returning({ id: activityAttendance.id, volunteerId: activityAttendance.volunteerId });
}

// ---------------------------------------------------------------- photos

export async function photosOf(db: DbOrTx, orderIds: number[]) {
  if (!orderIds.length) return [];
  return db
    .select({ orderId: serviceOrderPhotos.orderId, fileId: serviceOrderPhotos.fileId })
    .from(serviceOrderPhotos)
    .where(inArray(serviceOrderPhotos.orderId, orderIds))
    .orderBy(asc(serviceOrderPhotos.createdAt));
}

/** Files the user uploaded, among these, that belong to no problem, activity or order yet. */
export async function attachablePhotos(
  db: DbOrTx,
  userId: number,
  ids: string[],
): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await execRows<{ id: string }>(
    db,
    sql`select f.id from files f
        where f.id in (${sql.join(
          ids.map((i) => sql`${i}::uuid`),
          sql`, `,
        )}) and f.uploaded_by = ${userId}
          and not exists (select 1 from problem_photos pp where pp.file_id = f.id)
          and not exists (select 1 from activity_photos ap where ap.file_id = f.id)
          and not exists (select 1 from service_order_photos sp where sp.file_id = f.id)`,
  );
  return rows.map((r) => r.id);
}

export async function insertPhotos(db: DbOrTx, orderId: number, fileIds: string[]) {
  if (!fileIds.length) return;
  await db.insert(serviceOrderPhotos).values(fileIds.map((fileId) => ({ orderId, fileId })));
}

/** The orders a file is a photo of (for who may download it). */
export async function ordersWithPhoto(db: DbOrTx, fileId: string): Promise<number[]> {
  const rows = await db
    .select({ orderId: serviceOrderPhotos.orderId })
    .from(serviceOrderPhotos)
    .innerJoin(files, eq(files.id, serviceOrderPhotos.fileId))
    .where(eq(serviceOrderPhotos.fileId, fileId));
  return rows.map((r) => r.orderId);
}
