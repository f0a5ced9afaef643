import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { points, pointTypes } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';

export const ZPointInputSchema = z.object({
  name: z.string().trim().min(2).max(80),
  type: z.string().trim().min(1).max(10),
  regionId: z.number().int().positive().nullable().optional(),
  lat: z.number().min(3).max(54).nullable().optional(),
  lng: z.number().min(73).max(136).nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  unitId: z.number().int().positive().nullable().optional(),
  active: z.boolean().optional(),
});
export const ZPointPatchSchema = ZPointInputSchema.partial().extend({
  version: z.number().int().positive(),
});

async function typeId(db: Database['db'], code: string): Promise<number> {
  const [t] = await db
    .select({ id: pointTypes.id })
    .from(pointTypes)
    .where(eq(pointTypes.code, code));
  if (!t) {
    throw errors.invalid({ zh: `点位类型“${code}”不存在`, en: `unknown point type "${code}"` });
  }
  return t.id;
}

/** Registers a point (the office); the history of changes is the audit log's. */
export async function createPoint(
  database: Database,
  actor: Actor,
  input: z.infer<typeof ZPointInputSchema>,
) {
  requirePermission(actor, Permission.ProblemManage);
  const tid = await typeId(database.db, input.type);
  return withTx(database, async (tx) => {
    const { type: _type, ...rest } = input;
    const [row] = await tx
      .insert(points)
      .values({ ...rest, typeId: tid })
      .returning();
    await writeAudit(tx, actor, {
      action: 'point.create',
      entityType: 'point',
      entityId: row!.id,
      after: row,
    });
    return row!;
  });
}

/** Edits a point at the version the client read (409 when someone else changed it). */
export async function updatePoint(
  database: Database,
  actor: Actor,
  id: number,
  input: z.infer<typeof ZPointPatchSchema>,
) {
  requirePermission(actor, Permission.ProblemManage);
  const { version, type, ...rest } = input;
  const tid = type ? await typeId(database.db, type) : undefined;
  return withTx(database, async (tx) => {
    const [before] = await tx.select().from(points).where(eq(points.id, id));
    if (!before) throw errors.notFound('point', id);
    const [row] = await tx
      .update(points)
      .set({ ...rest, ...(tid ? { typeId: tid } : {}), version: sql`${points.version} + 1` })
      .where(and(eq(points.id, id), eq(points.version, version)))
      .returning();
    if (!row) throw errors.staleVersion('point');
    await writeAudit(tx, actor, {
      action: 'point.update',
      entityType: 'point',
      entityId: id,
      before,
      after: row,
    });
    return row;
  });
}
