import type {
  TFinishInput,
  TServiceCheckinInput,
  TServiceOrderDetail,
  TServiceTasks,
} from '../../../core/contracts/service-orders.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { OFFLINE_CHECKIN, requireNear } from '../volunteers/checkin.service.js';
import { clientIdTaken, grantHours, recomputeHours } from '../volunteers/hours.service.js';
import { attendanceByClientId } from '../volunteers/hours.repo.js';
import { loadSettings, notAVolunteer } from '../volunteers/volunteers.service.js';
import * as repo from './service-orders.repo.js';
import {
  contextOf,
  getOrder,
  lockedOrder,
  presentOrders,
  recordStep,
  takeStep,
  type ActorContext,
} from './service-orders.service.js';

// 接单 and the service on site, on the volunteer's phone: take a seat on an order dispatched to
// one's team (or give it up before arriving), check in by GPS near the address (the activities'
// distance rule), mark it done with a note and photos. Each step may come late from the phone's
// offline queue: a repeat (same client id, or a seat or check-in already held) answers with the
// order as it is, and the phone's time of the step (`at`) is taken, at most a day old.

/** The signed-in volunteer (active, linked to the account), or 403. */
async function volunteerContext(database: Database, actor: Actor) {
  requirePermission(actor, Permission.ServiceOrderTake);
  const ctx = await contextOf(database.db, actor);
  if (!ctx.volunteer) throw notAVolunteer();
  return ctx as ActorContext & { volunteer: NonNullable<ActorContext['volunteer']> };
}

/** When the step happened: the phone's time when earlier than now, at most a day old. */
export function stepTime(at: string | undefined, now = Date.now()): number {
  if (!at) return now;
  const t = Date.parse(at);
  if (t < now - OFFLINE_CHECKIN.maxAgeMs) {
    throw new AppError('step_too_old', 409, {
      zh: '该记录超过 24 小时才同步，已不能自动计入，请联系服务站点处理',
      en: 'this step reached the server more than a day late; ask the station to record it',
    });
  }
  return Math.min(t, now);
}

/** The volunteer's own: open orders of their team with a free seat, and the orders they took. */
export async function tasks(database: Database, actor: Actor): Promise<TServiceTasks> {
  const ctx = await volunteerContext(database, actor);
  const db = database.db;
  const rows = await repo.volunteerOrders(db, ctx.volunteer.id, ctx.volunteer.teamId);
  const orders = await presentOrders(db, ctx, rows);
  const mine = orders.filter((o) => o.takers.some((t) => t.volunteerId === ctx.volunteer.id));
  const open = orders.filter((o) => !mine.includes(o) && o.actions.includes('take'));
  const teamId = ctx.volunteer.teamId;
  return { teamName: teamId === null ? null : await repo.teamName(db, teamId), open, mine };
}

/** 接单: a seat on the order (idempotent: a volunteer already on it gets the order as it is). */
export async function take(
  database: Database,
  actor: Actor,
  id: number,
  input: { clientId: string },
): Promise<TServiceOrderDetail> {
  const ctx = await volunteerContext(database, actor);
  await withTx(database, async (tx) => {
    const { o, takers, parties } = await lockedOrder(tx, ctx, id);
    if (parties.includes('taker')) return;
    takeStep(o, takers.length, 'take', parties, { now: Date.now() });
    const at = new Date();
    await repo.insertTaker(tx, { orderId: id, volunteerId: ctx.volunteer.id, takenAt: at });
    await recordStep(tx, actor, o, 'take', {
      // The first seat taken is the order's 接单 time.
      set: { state: 'taken', takenAt: o.takenAt ?? at },
      volunteerId: ctx.volunteer.id,
      data: { clientId: input.clientId },
      at,
    });
  });
  return getOrder(database, actor, id);
}

/** Gives the seat up before arriving (the last one out: the order waits for a taker again). */
export async function release(
  database: Database,
  actor: Actor,
  id: number,
  input: { clientId: string },
): Promise<TServiceOrderDetail> {
  const ctx = await volunteerContext(database, actor);
  await withTx(database, async (tx) => {
    const { o, takers, parties } = await lockedOrder(tx, ctx, id);
    const repeat = await repo.eventByClientId(tx, id, input.clientId);
    if (repeat?.action === 'release' && repeat.volunteerId === ctx.volunteer.id) return;
    const next = takeStep(o, takers.length, 'release', parties, { now: Date.now() });
    await repo.deleteTaker(tx, id, ctx.volunteer.id);
    await recordStep(tx, actor, o, 'release', {
      set: { state: next.state, ...(next.takers === 0 ? { takenAt: null } : {}) },
      volunteerId: ctx.volunteer.id,
      data: { clientId: input.clientId },
    });
  });
  return getOrder(database, actor, id);
}

/**
 * 到场签到 by GPS within the check-in radius of the address (the volunteer settings' radius, as
 * for activities). Idempotent by person: a second check-in answers with the first.
 */
export async function checkIn(
  database: Database,
  actor: Actor,
  id: number,
  input: TServiceCheckinInput,
): Promise<TServiceOrderDetail> {
  const ctx = await volunteerContext(database, actor);
  const byClient = await attendanceByClientId(database.db, input.clientId);
  if (byClient) {
    if (byClient.serviceOrderId !== id || byClient.volunteerId !== ctx.volunteer.id) {
      throw clientIdTaken();
    }
    return getOrder(database, actor, id);
  }
  const when = stepTime(input.at);
  const settings = await loadSettings(database.db);
  await withTx(database, async (tx) => {
    const { o, takers, parties } = await lockedOrder(tx, ctx, id);
    if (parties.includes('present')) return;
    takeStep(o, takers.length, 'check_in', parties, { now: when });
    if (o.lat === null || o.lng === null) {
      throw new AppError('checkin_no_location', 400, {
        zh: '该服务单没有服务地点坐标，请联系服务站点',
        en: 'this order has no position; ask the station',
      });
    }
    const distance = requireNear(input, { lat: o.lat, lng: o.lng }, settings.checkinRadiusM, {
      zh: '服务地址',
      en: 'the address',
    });
    const at = new Date(when);
    await repo.insertOrderAttendance(tx, {
      orderId: id,
      volunteerId: ctx.volunteer.id,
      clientId: input.clientId,
      at,
      lat: input.lat,
      lng: input.lng,
    });
    await recordStep(tx, actor, o, 'check_in', {
      set: { state: 'on_site', onSiteAt: o.onSiteAt ?? at },
      volunteerId: ctx.volunteer.id,
      data: { clientId: input.clientId, lat: input.lat, lng: input.lng, distance },
      at,
    });
  });
  return getOrder(database, actor, id);
}

/**
 * 服务完成: by a taker who checked in, with a note and up to three photos they uploaded. Every
 * check-in at the order ends at this time, and each volunteer's hours are credited from it — in
 * the same attendance table as activities, under the same rules, so the time counts once.
 */
export async function finish(
  database: Database,
  actor: Actor,
  id: number,
  input: TFinishInput,
): Promise<TServiceOrderDetail> {
  const ctx = await volunteerContext(database, actor);
  const when = stepTime(input.at);
  const settings = await loadSettings(database.db);
  await withTx(database, async (tx) => {
    const { o, takers, parties } = await lockedOrder(tx, ctx, id);
    const repeat = await repo.eventByClientId(tx, id, input.clientId);
    if (repeat) {
      if (repeat.action === 'finish' && repeat.volunteerId === ctx.volunteer.id) return;
      throw clientIdTaken();
    }
    takeStep(o, takers.length, 'finish', parties, { now: when, note: input.note });
    const photoIds = [...new Set(input.photoIds ?? [])];
    const usable = await repo.attachablePhotos(tx, actor.id ?? 0, photoIds);
    const bad = photoIds.find((p) => !usable.includes(p));
    if (bad) {
      throw errors.invalid(
        { zh: '照片不存在或不能使用', en: 'a photo does not exist or cannot be used' },
        [{ path: 'body.photoIds', message: `照片不可用：${bad} / unusable photo ${bad}` }],
      );
    }
    const at = new Date(when);
    await repo.insertPhotos(tx, id, photoIds);
    await recordStep(tx, actor, o, 'finish', {
      set: { state: 'done', doneAt: at, doneNote: input.note },
      note: input.note,
      volunteerId: ctx.volunteer.id,
      data: { clientId: input.clientId, photoIds },
      at,
    });
    const closed = await repo.closeOrderAttendances(tx, id, at);
    for (const v of new Set(closed.map((c) => c.volunteerId))) {
      await recomputeHours(tx, v, settings);
    }
    // 文明积分 for the hours, as a check-out earns them (once per attendance).
    for (const c of closed) await grantHours(tx, actor, c.id);
  });
  return getOrder(database, actor, id);
}
