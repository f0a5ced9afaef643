import { eq, sql } from 'drizzle-orm';
import {
  ZChecklistItemSchema,
  type TChecklistItem,
  type TPointType,
  type TPointTypeCreate,
  type TPointTypePatch,
} from '../../../core/contracts/inspections.js';
import {
  checklistEditProblem,
  linkedStandardCodes,
} from '../../../core/inspection/checklist-edit.js';
import type { ChecklistItem } from '../../../core/inspection/score.js';
import { Permission } from '../../../core/permissions.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { pointTypes } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';

interface TypeRow {
  id: number;
  code: string;
  name: string;
  sampling: 'mandatory' | 'random';
  default_draw_count: number;
  route: string | null;
  checklist: ChecklistItem[];
  version: number;
  points: number;
  visits: number;
  awaiting: number;
}

/**
 * Point types with how they are used: points, visits (every version) and drawn points still
 * awaiting a visit in a round that has not ended (Asia/Shanghai date).
 */
const SELECT = sql`select t.id, t.code, t.name, t.sampling, t.default_draw_count, t.route,
    t.checklist, t.version,
    (select count(*)::int from points p where p.type_id = t.id) as points,
    (select count(*)::int from inspection_visits v join points p on p.id = v.point_id
      where p.type_id = t.id) as visits,
    (select count(*)::int from rounds r cross join lateral unnest(r.drawn_ids) d(pid)
      join points p on p.id = d.pid
      where p.type_id = t.id and r.state in ('drawn', 'revealed')
        and (r.ends_on is null
          or r.ends_on >= to_char(now() at time zone 'Asia/Shanghai', 'YYYY-MM-DD'))
        and not exists (select 1 from inspection_visits v
          where v.round_id = r.id and v.point_id = d.pid)) as awaiting
  from point_types t`;

/** Fills the optional fields of stored items (the seed and older rows omit some). */
function normalItem(i: ChecklistItem): TPointType['checklist'][number] {
  return {
    text: i.text,
    guidance: i.guidance ?? null,
    countRule: i.countRule ?? null,
    serious: i.serious ?? false,
    standards: [...(i.standards ?? [])],
  };
}

function present(r: TypeRow): TPointType {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    sampling: r.sampling,
    defaultDrawCount: r.default_draw_count,
    route: r.route,
    checklist: r.checklist.map(normalItem),
    version: r.version,
    points: r.points,
    visits: r.visits,
    awaiting: r.awaiting,
  };
}

async function findType(db: DbOrTx, id: number): Promise<TypeRow | undefined> {
  return (await execRows<TypeRow>(db, sql`${SELECT} where t.id = ${id}`))[0];
}

/** Point types with their checklists and use, by code. */
export async function listPointTypes(database: Database, actor: Actor): Promise<TPointType[]> {
  requirePermission(actor, Permission.ProblemRead);
  return (await execRows<TypeRow>(database.db, sql`${SELECT} order by t.code`)).map(present);
}

export async function getPointType(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TPointType> {
  requirePermission(actor, Permission.ProblemRead);
  const row = await findType(database.db, id);
  if (!row) throw errors.notFound('point_type', id);
  return present(row);
}

/** Every linked standard code must be a standard of some framework version (400 otherwise). */
async function checkStandards(db: DbOrTx, checklist: TChecklistItem[]) {
  const codes = linkedStandardCodes(checklist);
  if (!codes.length) return;
  const known = new Set(
    (
      await execRows<{ code: string }>(
        db,
        sql`select distinct code from framework_nodes
            where kind = 'standard' and code in (${sql.join(
              codes.map((c) => sql`${c}`),
              sql`, `,
            )})`,
      )
    ).map((r) => r.code),
  );
  const unknown = codes.filter((c) => !known.has(c));
  if (!unknown.length) return;
  const fields = checklist.flatMap((item, i) =>
    (item.standards ?? [])
      .filter((c) => !known.has(c))
      .map((c) => ({ path: `body.checklist.${i}.standards`, message: `unknown standard ${c}` })),
  );
  throw errors.invalid(
    {
      zh: `测评体系中没有编号为 ${unknown.join('、')} 的测评标准`,
      en: `no framework has a standard with code ${unknown.join(', ')}`,
    },
    fields,
  );
}

const stored = (checklist: TChecklistItem[]) => checklist.map((i) => ZChecklistItemSchema.parse(i));

/** Creates a point type (the office). */
export async function createPointType(
  database: Database,
  actor: Actor,
  input: TPointTypeCreate,
): Promise<TPointType> {
  requirePermission(actor, Permission.ProblemManage);
  await checkStandards(database.db, input.checklist);
  const id = await withTx(database, async (tx) => {
    const [dup] = await tx
      .select({ id: pointTypes.id })
      .from(pointTypes)
      .where(eq(pointTypes.code, input.code));
    if (dup) throw errors.duplicate('point_type', '编号 code', input.code);
    const [row] = await tx
      .insert(pointTypes)
      .values({ ...input, checklist: stored(input.checklist) })
      .returning();
    await writeAudit(tx, actor, {
      action: 'point_type.create',
      entityType: 'point_type',
      entityId: row!.id,
      after: row,
    });
    return row!.id;
  });
  return present((await findType(database.db, id))!);
}

/**
 * Edits a point type at the version read (409 when stale). A checklist of a type with visits can
 * be reworded, re-linked and re-flagged, and appended to when no drawn point awaits its visit;
 * items are never removed (core/inspection/checklist-edit.ts; docs/decisions.md).
 */
export async function updatePointType(
  database: Database,
  actor: Actor,
  id: number,
  input: TPointTypePatch,
): Promise<TPointType> {
  requirePermission(actor, Permission.ProblemManage);
  const { version, ...rest } = input;
  if (rest.checklist) await checkStandards(database.db, rest.checklist);
  await withTx(database, async (tx) => {
    // Lock the row so a concurrent edit waits and then sees the new version.
    const locked = await execRows<{ id: number }>(
      tx,
      sql`select id from point_types where id = ${id} for update`,
    );
    const before = locked.length ? await findType(tx, id) : undefined;
    if (!before) throw errors.notFound('point_type', id);
    if (before.version !== version) throw errors.staleVersion('point_type');
    if (rest.checklist) {
      const refusal = checklistEditProblem(before.checklist, rest.checklist, {
        visited: before.visits > 0,
        inField: before.awaiting > 0,
      });
      if (refusal) throw new AppError(refusal.code, refusal.status, refusal.message);
    }
    const [row] = await tx
      .update(pointTypes)
      .set({
        ...rest,
        ...(rest.checklist ? { checklist: stored(rest.checklist) } : {}),
        version: sql`${pointTypes.version} + 1`,
      })
      .where(eq(pointTypes.id, id))
      .returning();
    const { points: _p, visits: _v, awaiting: _a, ...beforeRow } = before;
    await writeAudit(tx, actor, {
      action: 'point_type.update',
      entityType: 'point_type',
      entityId: id,
      before: beforeRow,
      after: row,
    });
  });
  return present((await findType(database.db, id))!);
}
