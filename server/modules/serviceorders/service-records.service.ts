import type { TServiceRecord } from '../../../core/contracts/service-orders.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { monthBounds } from '../volunteers/volunteers.service.js';
import { presentRecord } from './service-orders.present.js';
import * as repo from './service-records.repo.js';
import { levelOf } from './service-orders.service.js';

/**
 * The stations' record of 点单派单 (the orders placed in a Shanghai month, or all): orders by
 * state, the median time of each step over the orders that took it, overdue orders, the
 * requesters' satisfaction and the volunteer time credited — per station of the reader's level
 * (the city: every station), stations without orders included, and in total.
 */
export async function serviceRecord(
  database: Database,
  actor: Actor,
  q: { month?: string | undefined; placeId?: number | undefined },
): Promise<TServiceRecord> {
  requirePermission(actor, Permission.ServiceOrderRead);
  const [from, to] = q.month ? monthBounds(q.month) : [undefined, undefined];
  const scope = {
    within: levelOf(actor),
    placeId: q.placeId,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    now: new Date(),
  };
  const stations = await repo.recordStations(database.db, scope);
  if (q.placeId !== undefined && !stations.length)
    throw errors.notFound('practicePlace', q.placeId);
  const rows = await repo.recordRows(database.db, scope);
  return presentRecord(q.month ?? null, stations, rows);
}
