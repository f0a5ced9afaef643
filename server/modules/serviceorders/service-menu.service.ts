import type {
  TServiceItem,
  TServiceItemInput,
  TServiceItemPatch,
} from '../../../core/contracts/service-orders.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { actorHas, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { requireTeamWithin } from '../volunteers/volunteers.service.js';
import { presentItem, presentPublicMenu } from './service-orders.present.js';
import * as repo from './service-orders.repo.js';
import { levelOf } from './service-orders.service.js';

// 服务菜单: what each practice station offers and which teams serve it. The office manages the
// menus of the stations placed in its subtree (the city: all); another level's station or item is
// 404. Readers: those who read the orders, and those who dispatch or order (to pick a service).

async function present(db: DbOrTx, rows: repo.ItemRow[]): Promise<TServiceItem[]> {
  const teams = await repo.teamsOfItems(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentItem(r, teams.get(r.id) ?? []));
}

export async function listItems(database: Database, actor: Actor, placeId?: number) {
  const readers = [
    Permission.ServiceOrderRead,
    Permission.ServiceMenuWrite,
    Permission.ServiceOrderRequest,
  ];
  if (!readers.some((p) => actorHas(actor, p))) throw errors.forbidden();
  // A grid worker orders from any station: the whole menu, what is offered now.
  const managing =
    actorHas(actor, Permission.ServiceOrderRead) || actorHas(actor, Permission.ServiceMenuWrite);
  const rows = await repo.listItems(database.db, {
    placeId,
    within: managing ? levelOf(actor) : null,
    activeOnly: !managing,
  });
  return { items: await present(database.db, rows) };
}

/** The item (404 when it is not of a station in the actor's subtree). */
async function itemWithin(db: DbOrTx, actor: Actor, id: number) {
  const item = await repo.itemById(db, id);
  const own = levelOf(actor);
  if (!item || (own !== null && !(await repo.stationIdsWithin(db, own)).has(item.placeId))) {
    throw errors.notFound('serviceItem', id);
  }
  return item;
}

async function checkTeams(db: DbOrTx, actor: Actor, teamIds: number[]) {
  const found = await repo.existingTeams(db, teamIds);
  const missing = teamIds.find((t) => !found.includes(t));
  if (missing !== undefined) throw errors.notFound('volunteerTeam', missing);
  for (const t of teamIds) await requireTeamWithin(db, actor, t);
}

export async function createItem(
  database: Database,
  actor: Actor,
  input: TServiceItemInput,
): Promise<TServiceItem> {
  requirePermission(actor, Permission.ServiceMenuWrite);
  const id = await withTx(database, async (tx) => {
    const station = await repo.stationById(tx, input.placeId);
    const own = levelOf(actor);
    if (!station || (own !== null && !(await repo.stationIdsWithin(tx, own)).has(station.id))) {
      throw errors.notFound('practicePlace', input.placeId);
    }
    const teamIds = [...new Set(input.teamIds)];
    await checkTeams(tx, actor, teamIds);
    if ((await repo.itemIdByName(tx, input.placeId, input.name)) !== undefined) {
      throw errors.duplicate('serviceItem', '名称 / name', input.name);
    }
    const id = await repo.insertItem(tx, {
      placeId: input.placeId,
      name: input.name,
      category: input.category,
      description: input.description ?? null,
      volunteersNeeded: input.volunteersNeeded,
      active: input.active,
    });
    await repo.setItemTeams(tx, id, teamIds);
    await writeAudit(tx, actor, {
      action: 'servicemenu.create',
      entityType: 'service_item',
      entityId: id,
      after: { ...input, teamIds },
    });
    return id;
  });
  return (await present(database.db, [(await repo.itemById(database.db, id))!]))[0]!;
}

/** Edits an item at the version read (withdrawn with `active: false`; orders keep naming it). */
export async function updateItem(
  database: Database,
  actor: Actor,
  id: number,
  input: TServiceItemPatch,
): Promise<TServiceItem> {
  requirePermission(actor, Permission.ServiceMenuWrite);
  await withTx(database, async (tx) => {
    const before = await itemWithin(tx, actor, id);
    if (input.name !== undefined && input.name !== before.name) {
      if ((await repo.itemIdByName(tx, before.placeId, input.name)) !== undefined) {
        throw errors.duplicate('serviceItem', '名称 / name', input.name);
      }
    }
    const { teamIds, version, ...fields } = input;
    const values: repo.ItemValues = {};
    if (fields.name !== undefined) values.name = fields.name;
    if (fields.category !== undefined) values.category = fields.category;
    if (fields.description !== undefined) values.description = fields.description;
    if (fields.volunteersNeeded !== undefined) values.volunteersNeeded = fields.volunteersNeeded;
    if (fields.active !== undefined) values.active = fields.active;
    if (!(await repo.updateItem(tx, id, version, values))) throw errors.staleVersion('serviceItem');
    if (teamIds !== undefined) {
      const unique = [...new Set(teamIds)];
      await checkTeams(tx, actor, unique);
      await repo.setItemTeams(tx, id, unique);
    }
    await writeAudit(tx, actor, {
      action: 'servicemenu.update',
      entityType: 'service_item',
      entityId: id,
      before,
      after: input,
    });
  });
  return (await present(database.db, [(await repo.itemById(database.db, id))!]))[0]!;
}

/** The public page's menu: stations with what they offer now (no teams, no staff). */
export async function publicMenu(database: Database) {
  return presentPublicMenu(await repo.publicMenuRows(database.db));
}
