import { randomInt } from 'node:crypto';
import type {
  TDispatchInput,
  TServiceOrder,
  TServiceOrderDetail,
  TServiceOrderInput,
  TServiceOrdersQuery,
} from '../../../core/contracts/service-orders.js';
import { Permission } from '../../../core/permissions.js';
import {
  availableServiceActions,
  SERVICE_ORDER_ACTION_LABELS,
  SERVICE_ORDER_STATE_LABELS,
  serviceTransition,
  type ServiceOrderMachine,
  type ServiceTransitionInput,
  type ServiceTransitionResult,
  type TServiceOrderAction,
  type TServiceGuard,
  type TServiceOrderState,
  type TServiceParty,
} from '../../../core/service-orders/lifecycle.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { actorHas, officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { outsideJurisdiction } from '../org/jurisdiction.js';
import { findOwnVolunteer, requireTeamWithin } from '../volunteers/volunteers.service.js';
import { presentDetail, presentOrder } from './service-orders.present.js';
import * as repo from './service-orders.repo.js';

// 点单派单: reading orders, a grid worker's order for a resident, and the station's steps —
// dispatch (派单), decline, confirming for a requester who did not answer — each through the
// state machine of core/service-orders, audited, in one transaction with the order's row locked.
// The volunteer's steps are in service-orders-field.service.ts, the public ones in
// service-orders-public.service.ts.

/** The level an office or leader is held at (its stations are those placed in its subtree). */
export const levelOf = officeRegionOf;

// ---------------------------------------------------------------- who is who, for an order

/** What a request knows about its actor once: the stations it manages, its volunteer record. */
export interface ActorContext {
  actor: Actor;
  /** Stations the actor dispatches for: all, some (a level's), or none. */
  stations: 'all' | Set<number> | null;
  /** The actor's volunteer record when they may take orders (active, linked to the account). */
  volunteer: { id: number; teamId: number | null } | null;
}

export async function contextOf(db: DbOrTx, actor: Actor): Promise<ActorContext> {
  let stations: ActorContext['stations'] = null;
  if (actorHas(actor, Permission.ServiceOrderDispatch)) {
    const own = levelOf(actor);
    stations = own === null ? 'all' : await repo.stationIdsWithin(db, own);
  }
  let volunteer: ActorContext['volunteer'] = null;
  if (actorHas(actor, Permission.ServiceOrderTake)) {
    const v = await findOwnVolunteer(db, actor);
    if (v && v.status === 'active') volunteer = { id: v.id, teamId: v.teamId };
  }
  return { actor, stations, volunteer };
}

const managesStation = (ctx: ActorContext, placeId: number) =>
  ctx.stations === 'all' || (ctx.stations?.has(placeId) ?? false);

/** The parties the actor is to this order (core/service-orders/lifecycle.ts). */
export function partiesOf(
  ctx: ActorContext,
  o: { placeId: number; teamId: number | null },
  takers: { volunteerId: number; checkInAt: Date | null }[],
): TServiceParty[] {
  const parties: TServiceParty[] = [];
  if (managesStation(ctx, o.placeId)) parties.push('station');
  const v = ctx.volunteer;
  if (v) {
    if (o.teamId !== null && v.teamId === o.teamId) parties.push('team');
    const seat = takers.find((t) => t.volunteerId === v.id);
    if (seat) parties.push('taker');
    if (seat?.checkInAt) parties.push('present');
  }
  return parties;
}

export const machineOf = (
  o: { state: TServiceOrderState; volunteersNeeded: number; doneAt: Date | null },
  takers: number,
): ServiceOrderMachine => ({
  state: o.state,
  needed: o.volunteersNeeded,
  takers,
  doneAt: o.doneAt?.getTime() ?? null,
});

/** Who may read which orders: a level's stations, one's own orders, one's team's and seats. */
function readReach(ctx: ActorContext): repo.OrderReach {
  const { actor } = ctx;
  if (actorHas(actor, Permission.ServiceOrderRead)) {
    const own = levelOf(actor);
    if (own === null) return { all: true };
    return {
      within: own,
      ...(actorHas(actor, Permission.ServiceOrderRequest) ? { orderedBy: actor.id ?? 0 } : {}),
    };
  }
  const reach: repo.OrderReach = {};
  if (actorHas(actor, Permission.ServiceOrderRequest)) reach.orderedBy = actor.id ?? 0;
  if (ctx.volunteer) reach.volunteer = ctx.volunteer;
  return reach;
}

// ---------------------------------------------------------------- presenting

/** Orders as the actor sees them: takers, photos, and the actions open to the actor now. */
export async function presentOrders(
  db: DbOrTx,
  ctx: ActorContext,
  rows: repo.OrderRow[],
): Promise<TServiceOrder[]> {
  const ids = rows.map((r) => r.id);
  const takers = await repo.takersOf(db, ids);
  const photos = await repo.photosOf(db, ids);
  const now = Date.now();
  return rows.map((o) => {
    const mine = takers.filter((t) => t.orderId === o.id);
    const parties = partiesOf(ctx, o, mine);
    return presentOrder(o, {
      takers: mine,
      photoIds: photos.filter((p) => p.orderId === o.id).map((p) => p.fileId),
      actions: availableServiceActions(machineOf(o, mine.length), parties, now),
      now,
    });
  });
}

async function detailOf(db: DbOrTx, ctx: ActorContext, o: repo.OrderRow) {
  const [order] = await presentOrders(db, ctx, [o]);
  return presentDetail(order!, await repo.eventsOf(db, o.id));
}

// ---------------------------------------------------------------- reading

const readers = [
  Permission.ServiceOrderRead,
  Permission.ServiceOrderRequest,
  Permission.ServiceOrderTake,
];

function requireAny(actor: Actor, perms: Permission[]) {
  if (!perms.some((p) => actorHas(actor, p))) throw errors.forbidden();
}

/**
 * The orders the actor reaches, newest first: an office or leader its level's stations' (the
 * city: all), a grid worker those they placed.
 */
export async function listOrders(database: Database, actor: Actor, q: TServiceOrdersQuery) {
  requireAny(actor, [Permission.ServiceOrderRead, Permission.ServiceOrderRequest]);
  const db = database.db;
  const ctx = await contextOf(db, actor);
  const { rows, total } = await repo.listOrders(
    db,
    readReach({ ...ctx, volunteer: null }),
    {
      states: q.state ? (q.state.split(',') as TServiceOrderState[]) : undefined,
      placeId: q.placeId,
      overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
      now: new Date(),
    },
    { limit: q.limit, before: q.cursor ? Number(q.cursor) : undefined },
  );
  const page = rows.slice(0, q.limit);
  return {
    items: await presentOrders(db, ctx, page),
    nextCursor: rows.length > q.limit ? String(page.at(-1)!.id) : null,
    total,
  };
}

/** The order (404 outside the actor's reach, so ids do not leak), with its steps. */
export async function getOrder(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TServiceOrderDetail> {
  requireAny(actor, readers);
  const db = database.db;
  const ctx = await contextOf(db, actor);
  const o = await repo.orderById(db, id);
  if (!o || !(await repo.orderReachable(db, id, readReach(ctx)))) {
    throw errors.notFound('serviceOrder', id);
  }
  return detailOf(db, ctx, o);
}

// ---------------------------------------------------------------- refusals

/** The state machine's refusal as the person reads it (zh and en), with its HTTP status. */
export function refusal(
  r: Exclude<ServiceTransitionResult, { ok: true }>,
  action: TServiceOrderAction,
  state: TServiceOrderState,
): AppError {
  const label = SERVICE_ORDER_ACTION_LABELS[action];
  const now = SERVICE_ORDER_STATE_LABELS[state];
  switch (r.reason) {
    case 'not_allowed':
      return new AppError('step_not_yours', 403, NOT_YOURS[action]);
    case 'wrong_state':
      return new AppError('illegal_transition', 409, {
        zh: `服务单当前为“${now.zh}”，不能“${label.zh}”`,
        en: `the order is "${now.en}": cannot ${label.en.toLowerCase()}`,
      });
    case 'guard':
      return new AppError('illegal_transition', 409, GUARDS[r.detail]);
    case 'needs_input': {
      const m = MISSING[r.detail];
      return errors.invalid(m, [
        {
          path: `body.${r.detail === 'note' ? NOTE_FIELD[action] : r.detail}`,
          message: `${m.zh} / ${m.en}`,
        },
      ]);
    }
  }
}

const NOTE_FIELD: Partial<Record<TServiceOrderAction, string>> = {
  decline: 'reason',
  confirm_for: 'reason',
  finish: 'note',
};

const NOT_YOURS: Record<TServiceOrderAction, { zh: string; en: string }> = {
  dispatch: {
    zh: '只有服务站点的管理人员可以派单',
    en: "only the station's staff dispatch orders",
  },
  decline: {
    zh: '只有服务站点的管理人员可以不予受理',
    en: "only the station's staff decline orders",
  },
  take: {
    zh: '该服务单已派给其他服务队，只有该队志愿者可以接单',
    en: 'this order went to another team: only its volunteers may take it',
  },
  release: { zh: '您没有接此服务单', en: 'you have not taken this order' },
  check_in: { zh: '请先接单，再到场签到', en: 'take the order before checking in' },
  finish: {
    zh: '只有已到场签到的接单志愿者可以标记服务完成',
    en: 'only a taker who checked in on site may mark the order done',
  },
  confirm: { zh: '只有点单人可以评价确认', en: 'only the requester confirms' },
  confirm_for: {
    zh: '只有服务站点的管理人员可以代为确认',
    en: "only the station's staff confirm on a requester's behalf",
  },
  cancel: {
    zh: '只有点单人可以凭查询码撤销点单',
    en: 'only the requester, with the tracking code, may cancel the order',
  },
};

const GUARDS: Record<TServiceGuard, { zh: string; en: string }> = {
  already_taker: { zh: '您已接过此单', en: 'you have taken this order already' },
  seats_full: { zh: '接单人数已满', en: 'every seat on this order is taken' },
  checked_in: { zh: '您已到场签到', en: 'you have checked in already' },
  confirm_pending: {
    zh: '服务完成未满 72 小时，居民仍可自行评价，暂不能代为确认',
    en: 'the requester has 72 hours after completion to confirm; not yet',
  },
};

const MISSING = {
  note: { zh: '请填写原因或说明', en: 'a reason or note is required' },
  teamId: { zh: '派单需要指定服务队', en: 'dispatch needs a team' },
  deadline: { zh: '完成时限应晚于现在', en: 'the deadline must be in the future' },
  volunteersNeeded: { zh: '所需志愿者为 1 至 10 人', en: 'an order needs 1 to 10 volunteers' },
};

/**
 * One step on a locked order: the machine's answer for these parties, or the refusal thrown.
 * Returns the machine after the step.
 */
export function takeStep(
  o: repo.OrderRow,
  takers: number,
  action: TServiceOrderAction,
  parties: TServiceParty[],
  input: ServiceTransitionInput,
): ServiceOrderMachine {
  const r = serviceTransition(machineOf(o, takers), action, parties, input);
  if (!r.ok) throw refusal(r, action, o.state);
  return r.next;
}

/** The order locked for a step, and its takers; 404 when the actor does not reach it. */
export async function lockedOrder(tx: Tx, ctx: ActorContext, id: number) {
  if (!(await repo.lockOrder(tx, id)) || !(await repo.orderReachable(tx, id, readReach(ctx)))) {
    throw errors.notFound('serviceOrder', id);
  }
  const o = (await repo.orderById(tx, id))!;
  const takers = await repo.takersOf(tx, [id]);
  return { o, takers, parties: partiesOf(ctx, o, takers) };
}

/** After a step: the new row written at the version read, the event, the audit record. */
export async function recordStep(
  tx: Tx,
  actor: Actor,
  o: repo.OrderRow,
  action: TServiceOrderAction,
  w: {
    set: Partial<repo.OrderInsert>;
    note?: string | null;
    data?: Record<string, unknown>;
    volunteerId?: number | null;
    at?: Date;
  },
): Promise<void> {
  if (!(await repo.updateOrder(tx, o.id, o.version, w.set)))
    throw errors.staleVersion('serviceOrder');
  await repo.insertEvent(tx, {
    orderId: o.id,
    action,
    at: w.at ?? new Date(),
    actorId: actor.id,
    volunteerId: w.volunteerId ?? null,
    note: w.note ?? null,
    data: w.data ?? null,
  });
  await writeAudit(tx, actor, {
    action: `serviceorder.${action}`,
    entityType: 'service_order',
    entityId: o.id,
    before: { state: o.state, version: o.version },
    after: { ...w.set, ...(w.note ? { note: w.note } : {}), ...(w.data ?? {}) },
  });
}

// ---------------------------------------------------------------- ordering for a resident

// Tracking codes: FW + 10 characters without look-alikes (0/O, 1/I): 32^10 ≈ 10^15 codes.
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export function newServiceCode(): string {
  let s = 'FW';
  for (let i = 0; i < 10; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** The active menu item ordered, or a 400 naming the field. */
export async function orderableItem(db: DbOrTx, itemId: number) {
  const item = await repo.itemById(db, itemId);
  if (!item || !item.active) {
    throw errors.invalid({ zh: '该服务项目不存在或已停止提供', en: 'no such service is offered' }, [
      { path: 'body.itemId', message: '服务项目不可用 / not offered' },
    ]);
  }
  return item;
}

/**
 * A grid worker (or an office) orders for a resident — from the phone's queue, so the client id
 * makes a repeat the same order. An office below the city orders from its own stations; a grid
 * worker from any (the nearest station may lie in the next community).
 */
export async function createOrder(
  database: Database,
  actor: Actor,
  input: TServiceOrderInput,
): Promise<TServiceOrderDetail> {
  requirePermission(actor, Permission.ServiceOrderRequest);
  const prior = await repo.orderIdByClientId(database.db, input.clientId);
  if (prior) {
    if (prior.orderedBy !== actor.id) {
      throw new AppError('duplicate', 409, {
        zh: '该提交编号已被其他服务单使用',
        en: 'this client id belongs to another order',
      });
    }
    return getOrder(database, actor, prior.id);
  }
  const id = await withTx(database, async (tx) => {
    const item = await orderableItem(tx, input.itemId);
    const own = levelOf(actor);
    if (own !== null && !(await repo.stationIdsWithin(tx, own)).has(item.placeId)) {
      throw outsideJurisdiction({ zh: '该服务站点', en: 'the station' });
    }
    const now = new Date();
    const id = await repo.insertOrder(tx, {
      trackingCode: newServiceCode(),
      clientId: input.clientId,
      channel: 'staff',
      placeId: item.placeId,
      itemId: item.id,
      need: input.need,
      preferredTime: input.preferredTime || null,
      address: input.address,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      orderedBy: actor.id,
      volunteersNeeded: item.volunteersNeeded,
      orderedAt: now,
    });
    await repo.insertEvent(tx, { orderId: id, action: 'order', at: now, actorId: actor.id });
    await writeAudit(tx, actor, {
      action: 'serviceorder.order',
      entityType: 'service_order',
      entityId: id,
      // The contact stays on the row (masked in every answer), not in the audit log.
      after: { channel: 'staff', placeId: item.placeId, itemId: item.id, clientId: input.clientId },
    });
    return id;
  });
  return getOrder(database, actor, id);
}

// ---------------------------------------------------------------- the station's steps

/**
 * 派单: to one of the teams the menu item names (any team of the level when it names none), with a
 * deadline; a position is needed for the volunteers' check-in at the address (the order's own, or
 * given now). Again to another team while nobody has taken it.
 */
export async function dispatch(
  database: Database,
  actor: Actor,
  id: number,
  input: TDispatchInput,
): Promise<TServiceOrderDetail> {
  requirePermission(actor, Permission.ServiceOrderDispatch);
  const ctx = await contextOf(database.db, actor);
  await withTx(database, async (tx) => {
    const { o, takers, parties } = await lockedOrder(tx, ctx, id);
    if (!parties.includes('station')) throw errors.notFound('serviceOrder', id);
    if (o.version !== input.version) throw errors.staleVersion('serviceOrder');
    const now = Date.now();
    const deadline = Date.parse(input.deadline);
    takeStep(o, takers.length, 'dispatch', parties, {
      now,
      teamId: input.teamId,
      deadline,
      needed: input.volunteersNeeded ?? null,
    });
    const itemTeams = (await repo.teamsOfItems(tx, [o.itemId])).get(o.itemId) ?? [];
    if (itemTeams.length && !itemTeams.some((t) => t.id === input.teamId)) {
      throw errors.invalid(
        { zh: '该服务队不在此服务项目的服务队中', en: 'this team does not serve this item' },
        [{ path: 'body.teamId', message: '不可选的服务队 / not a team of this service' }],
      );
    }
    if (!(await repo.existingTeams(tx, [input.teamId])).length) {
      throw errors.notFound('volunteerTeam', input.teamId);
    }
    await requireTeamWithin(tx, actor, input.teamId);
    const lat = input.lat ?? o.lat;
    const lng = input.lng ?? o.lng;
    if (lat === null || lng === null) {
      throw errors.invalid(
        {
          zh: '请先在地图上确定服务地址的位置（志愿者到场签到需要）',
          en: 'place the address on the map first (the volunteers check in there)',
        },
        [{ path: 'body.lat', message: '需要服务地点坐标 / a position is required' }],
      );
    }
    await recordStep(tx, actor, o, 'dispatch', {
      set: {
        state: 'dispatched',
        teamId: input.teamId,
        deadline: new Date(deadline),
        volunteersNeeded: input.volunteersNeeded ?? o.volunteersNeeded,
        lat,
        lng,
        dispatchedAt: new Date(now),
      },
      data: { teamId: input.teamId, deadline: input.deadline, previousTeamId: o.teamId },
    });
  });
  return getOrder(database, actor, id);
}

/**
 * A station's step that closes an order with a reason: 不予受理 (`decline`, the requester reads it on
 * the tracking page) or confirming a done order for a requester who did not answer in time
 * (`confirm_for`).
 */
async function stationCloses(
  database: Database,
  actor: Actor,
  id: number,
  input: { reason: string; version: number },
  action: 'decline' | 'confirm_for',
  set: (at: Date) => Partial<repo.OrderInsert>,
): Promise<TServiceOrderDetail> {
  requirePermission(actor, Permission.ServiceOrderDispatch);
  const ctx = await contextOf(database.db, actor);
  await withTx(database, async (tx) => {
    const { o, takers, parties } = await lockedOrder(tx, ctx, id);
    if (!parties.includes('station')) throw errors.notFound('serviceOrder', id);
    if (o.version !== input.version) throw errors.staleVersion('serviceOrder');
    const now = Date.now();
    takeStep(o, takers.length, action, parties, { now, note: input.reason });
    await recordStep(tx, actor, o, action, { set: set(new Date(now)), note: input.reason });
  });
  return getOrder(database, actor, id);
}

/** 不予受理: with a reason the requester reads on the tracking page. */
export function decline(
  database: Database,
  actor: Actor,
  id: number,
  input: { reason: string; version: number },
): Promise<TServiceOrderDetail> {
  return stationCloses(database, actor, id, input, 'decline', (at) => ({
    state: 'declined',
    declinedAt: at,
    declineReason: input.reason,
  }));
}

/** The station confirms a done order for a requester who did not answer in time, saying why. */
export function confirmFor(
  database: Database,
  actor: Actor,
  id: number,
  input: { reason: string; version: number },
): Promise<TServiceOrderDetail> {
  return stationCloses(database, actor, id, input, 'confirm_for', (at) => ({
    state: 'confirmed',
    confirmedAt: at,
    confirmedBy: 'station',
    confirmReason: input.reason,
  }));
}

/**
 * The requester's name and phone in full, for those serving the order: the station's staff, and
 * its takers while they serve it. Each look is audited.
 */
export async function revealContact(database: Database, actor: Actor, id: number) {
  requireAny(actor, [Permission.ServiceOrderDispatch, Permission.ServiceOrderTake]);
  const db = database.db;
  const ctx = await contextOf(db, actor);
  const o = await repo.orderById(db, id);
  if (!o || !(await repo.orderReachable(db, id, readReach(ctx)))) {
    throw errors.notFound('serviceOrder', id);
  }
  const parties = partiesOf(ctx, o, await repo.takersOf(db, [id]));
  const serving = parties.includes('taker') && (o.state === 'taken' || o.state === 'on_site');
  if (!parties.includes('station') && !serving) {
    throw new AppError('contact_closed', 403, {
      zh: '只有服务站点和正在服务的接单志愿者可以查看联系方式',
      en: "only the station and the volunteers serving the order see the requester's contact",
    });
  }
  await withTx(database, (tx) =>
    writeAudit(tx, actor, {
      action: 'serviceorder.contact',
      entityType: 'service_order',
      entityId: id,
    }),
  );
  return { contactName: o.contactName, contactPhone: o.contactPhone };
}
