import type {
  TPublicServiceOrder,
  TPublicServiceTrack,
} from '../../../core/contracts/service-orders.js';
import { serviceTransition } from '../../../core/service-orders/lifecycle.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import { withTx } from '../../platform/tx.js';
import { presentTrack } from './service-orders.present.js';
import * as repo from './service-orders.repo.js';
import {
  machineOf,
  newServiceCode,
  orderableItem,
  recordStep,
  takeStep,
} from './service-orders.service.js';

// The public side of 点单派单 (no sign-in): the menu, a resident's order, its tracking page and the
// requester's confirmation. Abuse control as the other public forms (随手拍, 身边好人): counters per
// address and per device in the database, a honeypot field; the tracking code is the credential
// for the order's page and its confirmation, and lookups are counted per address.

const HOUR = 3_600_000;

/** Who a resident's public order and confirmation are recorded as (in the audit log). */
const RESIDENT_ACTOR: Actor = {
  ...SYSTEM_ACTOR,
  username: 'resident',
  name: '居民点单',
  roles: [],
};

/** Counted before the body is read: a flood costs a counter. */
export async function limitOrders(database: Database, config: Config, ip: string) {
  await takeRateLimits(database, [
    { key: `serviceorder:ip:${ip}`, limit: config.citizenReportsPerIpHour, windowMs: HOUR },
  ]);
}

/** Tracking and confirming: counted per address, as the 随手拍 lookups are. */
export async function limitLookups(database: Database, config: Config, ip: string) {
  await takeRateLimits(database, [
    { key: `serviceorder:track:ip:${ip}`, limit: config.citizenLookupsPerIpHour, windowMs: HOUR },
  ]);
}

/** A resident's order from the public page: a tracking code back. */
export async function publicOrder(
  database: Database,
  config: Config,
  input: TPublicServiceOrder,
  ip: string | null,
): Promise<{ trackingCode: string; orderedAt: string }> {
  if (input.website) {
    throw new AppError('invalid', 400, { zh: '提交无效', en: 'the submission was refused' });
  }
  if (input.deviceId) {
    await takeRateLimits(database, [
      {
        key: `serviceorder:device:${input.deviceId}`,
        limit: config.citizenReportsPerDeviceHour,
        windowMs: HOUR,
      },
    ]);
  }
  const item = await orderableItem(database.db, input.itemId);
  const trackingCode = newServiceCode();
  const now = new Date();
  const actor: Actor = { ...RESIDENT_ACTOR, ip };
  await withTx(database, async (tx) => {
    const id = await repo.insertOrder(tx, {
      trackingCode,
      channel: 'public',
      placeId: item.placeId,
      itemId: item.id,
      need: input.need,
      preferredTime: input.preferredTime || null,
      address: input.address,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      deviceId: input.deviceId ?? null,
      ip,
      volunteersNeeded: item.volunteersNeeded,
      orderedAt: now,
    });
    await repo.insertEvent(tx, { orderId: id, action: 'order', at: now });
    // The audit keeps what was ordered, not who ordered it (the row has that, for the station).
    await writeAudit(tx, actor, {
      action: 'serviceorder.order',
      entityType: 'service_order',
      entityId: id,
      after: { channel: 'public', placeId: item.placeId, itemId: item.id },
    });
  });
  return { trackingCode, orderedAt: now.toISOString() };
}

const notFound = () =>
  new AppError('not_found', 404, {
    zh: '没有找到这个查询码，请核对后再试',
    en: 'no order has this tracking code; check it and try again',
  });

/** The order's page for whoever holds its code. */
export async function track(database: Database, code: string): Promise<TPublicServiceTrack> {
  const db = database.db;
  const o = await repo.orderByCode(db, code);
  if (!o) throw notFound();
  const can = (action: 'confirm' | 'cancel') =>
    serviceTransition(machineOf(o, 0), action, ['requester'], { now: Date.now() }).ok;
  return presentTrack(o, await repo.eventsOf(db, o.id), can('confirm'), can('cancel'));
}

/**
 * 撤销点单: the requester withdraws the order until a volunteer is on site. The station sees it
 * cancelled with the reason; the volunteers who took it find it gone from their list.
 */
export async function cancel(
  database: Database,
  code: string,
  input: { reason?: string | undefined },
  ip: string | null,
): Promise<TPublicServiceTrack> {
  const actor: Actor = { ...RESIDENT_ACTOR, ip };
  await withTx(database, async (tx) => {
    const found = await repo.orderByCode(tx, code);
    if (!found || !(await repo.lockOrder(tx, found.id))) throw notFound();
    const o = (await repo.orderById(tx, found.id))!;
    const now = new Date();
    takeStep(o, 0, 'cancel', ['requester'], { now: now.getTime() });
    await recordStep(tx, actor, o, 'cancel', {
      set: { state: 'cancelled', cancelledAt: now, cancelReason: input.reason || null },
      note: input.reason || null,
    });
  });
  return track(database, code);
}

/** The requester confirms a done order: satisfied or not, with a comment. */
export async function confirm(
  database: Database,
  code: string,
  input: { satisfied: boolean; comment?: string | undefined },
  ip: string | null,
): Promise<TPublicServiceTrack> {
  const actor: Actor = { ...RESIDENT_ACTOR, ip };
  await withTx(database, async (tx) => {
    const found = await repo.orderByCode(tx, code);
    if (!found || !(await repo.lockOrder(tx, found.id))) throw notFound();
    const o = (await repo.orderById(tx, found.id))!;
    takeStep(o, 0, 'confirm', ['requester'], { now: Date.now() });
    await recordStep(tx, actor, o, 'confirm', {
      set: {
        state: 'confirmed',
        confirmedAt: new Date(),
        confirmedBy: 'requester',
        satisfied: input.satisfied,
        comment: input.comment || null,
      },
      note: input.comment || null,
      data: { satisfied: input.satisfied },
    });
  });
  return track(database, code);
}
