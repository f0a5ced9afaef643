import type { TParty, TPartyInput, TPartyUpdate } from '../../../core/contracts/org.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { requireCityLevel } from '../org/jurisdiction.js';
import * as repo from './parties.repo.js';

// 集体责任方: defined once by the city office, read by every 任务分解 import (core/org/parties.ts).
// They name the city's groups (各区县政府, 各街道) for the city's task decomposition, so writing
// them takes AssignmentWrite, which is the city's (a district office is refused, 403).
const PARTIES = { zh: '集体责任方', en: 'Collective parties' };

const notFound = (id: number) =>
  new AppError('not_found', 404, {
    zh: `集体责任方不存在（${id}）`,
    en: `party not found (${id})`,
  });
const stale = () =>
  new AppError('stale_version', 409, {
    zh: '该集体责任方已被他人修改，请刷新后重试',
    en: 'this party was changed by someone else; reload and try again',
  });

async function present(db: DbOrTx, rows: repo.PartyRow[]): Promise<TParty[]> {
  const listed = await repo.listedMembers(
    db,
    rows.map((r) => r.id),
  );
  const resolved = new Map((await repo.partyDirectory(db)).map((p) => [p.id, p.memberIds.length]));
  const contacts = await repo.unitNames(
    db,
    rows.flatMap((r) => (r.contactUnitId ? [r.contactUnitId] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    aliases: r.aliases,
    kind: r.kind,
    memberTypes: r.memberTypes as TParty['memberTypes'],
    members: listed.filter((m) => m.partyId === r.id).map(({ id, name }) => ({ id, name })),
    memberCount: resolved.get(r.id) ?? 0,
    contactUnit: r.contactUnitId
      ? { id: r.contactUnitId, name: contacts.get(r.contactUnitId) ?? '' }
      : null,
    notes: r.notes,
    version: r.version,
  }));
}

async function one(db: DbOrTx, id: number): Promise<TParty> {
  const row = await repo.findParty(db, id);
  if (!row) throw notFound(id);
  return (await present(db, [row]))[0]!;
}

export async function listParties(database: Database, actor: Actor): Promise<TParty[]> {
  requirePermission(actor, Permission.UnitRead);
  return present(database.db, await repo.listParties(database.db));
}

/** Names must be new: no other party and no unit answers to them. */
async function checkNames(db: DbOrTx, input: TPartyInput, exceptId: number | null) {
  const taken = await repo.namesTaken(db, [input.name, ...input.aliases], exceptId);
  if (taken.length) {
    const t = taken[0]!;
    throw new AppError(
      'name_taken',
      409,
      {
        zh: `名称“${t.name}”已被“${t.owner}”使用`,
        en: `the name "${t.name}" is already used by "${t.owner}"`,
      },
      { fields: [{ path: 'name', message: `名称“${t.name}”已被“${t.owner}”使用` }] },
    );
  }
  const ids = [...input.memberIds, ...(input.contactUnitId ? [input.contactUnitId] : [])];
  const known = await repo.unitNames(db, ids);
  const missing = ids.find((id) => !known.has(id));
  if (missing !== undefined) {
    throw new AppError('invalid', 400, {
      zh: `单位不存在（${missing}）`,
      en: `unit not found (${missing})`,
    });
  }
}

const values = (input: TPartyInput) => ({
  name: input.name,
  aliases: input.aliases.filter((a) => a !== input.name),
  kind: input.kind,
  memberTypes: input.kind === 'group' ? input.memberTypes : [],
  contactUnitId: input.contactUnitId,
  notes: input.notes,
});

export async function createParty(
  database: Database,
  actor: Actor,
  input: TPartyInput,
): Promise<TParty> {
  requirePermission(actor, Permission.AssignmentWrite);
  requireCityLevel(actor, PARTIES);
  return withTx(database, async (tx) => {
    await checkNames(tx, input, null);
    const id = await repo.insertParty(tx, values(input));
    await repo.setMembers(tx, id, input.kind === 'group' ? [...new Set(input.memberIds)] : []);
    const out = await one(tx, id);
    await writeAudit(tx, actor, {
      action: 'party.create',
      entityType: 'party',
      entityId: id,
      after: out,
    });
    return out;
  });
}

export async function updateParty(
  database: Database,
  actor: Actor,
  id: number,
  input: TPartyUpdate,
): Promise<TParty> {
  requirePermission(actor, Permission.AssignmentWrite);
  requireCityLevel(actor, PARTIES);
  return withTx(database, async (tx) => {
    const before = await one(tx, id);
    await checkNames(tx, input, id);
    if (!(await repo.updateParty(tx, id, input.version, values(input)))) throw stale();
    await repo.setMembers(tx, id, input.kind === 'group' ? [...new Set(input.memberIds)] : []);
    const out = await one(tx, id);
    await writeAudit(tx, actor, {
      action: 'party.update',
      entityType: 'party',
      entityId: id,
      before,
      after: out,
    });
    return out;
  });
}

export async function deleteParty(
  database: Database,
  actor: Actor,
  id: number,
  version: number,
): Promise<void> {
  requirePermission(actor, Permission.AssignmentWrite);
  requireCityLevel(actor, PARTIES);
  await withTx(database, async (tx) => {
    const before = await one(tx, id);
    if (!(await repo.deleteParty(tx, id, version))) throw stale();
    await writeAudit(tx, actor, {
      action: 'party.delete',
      entityType: 'party',
      entityId: id,
      before,
    });
  });
}
