import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { VISIT_RESULTS, visitResult } from '../../../core/inspection/score.js';
import { Permission } from '../../../core/permissions.js';
import type { TImportResult, TRowError } from '../../../core/contracts/common.js';
import { execRows, type Database } from '../../db/client.js';
import { points, pointTypes, units } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { streamSheet } from '../../platform/xlsx.js';
import { regionSubtree } from '../org/regions.repo.js';
import { duplicateErrors, readImportRows, regionLookup } from '../org/xlsx-helpers.js';

export const ZPointsOverviewQuerySchema = z.object({
  type: z.string().max(10).optional(),
  regionId: z.coerce.number().int().positive().optional(),
  /** Latest result of the point: pass / fail / serious, or `none` (never visited). */
  result: z.enum([...VISIT_RESULTS, 'none']).optional(),
  active: z.enum(['true', 'false']).optional(),
});
export type TPointsOverviewQuery = z.infer<typeof ZPointsOverviewQuerySchema>;

export const ZPointOverviewSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: z.string(),
  typeName: z.string(),
  regionId: z.number().int().nullable(),
  regionName: z.string().nullable(),
  unitId: z.number().int().nullable(),
  unitName: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  leader: z.string().nullable(),
  contact: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  lastVisitId: z.number().int().nullable(),
  lastVisitAt: z.string().nullable(),
  lastRoundName: z.string().nullable(),
  lastScore: z.number().nullable(),
  lastResult: z.enum(VISIT_RESULTS).nullable(),
});
export type TPointOverview = z.infer<typeof ZPointOverviewSchema>;

interface Row {
  id: number;
  name: string;
  type: string;
  type_name: string;
  region_id: number | null;
  region_name: string | null;
  unit_id: number | null;
  unit_name: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  leader: string | null;
  contact: string | null;
  active: boolean;
  version: number;
  visit_id: number | null;
  visited_at: Date | string | null;
  round_name: string | null;
  score: number | null;
  failed: number | null;
  serious_failed: number | null;
}

function where(q: TPointsOverviewQuery): SQL {
  const c: SQL[] = [sql`true`];
  if (q.type) c.push(sql`t.code = ${q.type}`);
  if (q.regionId) c.push(sql`p.region_id in ${regionSubtree(q.regionId)}`);
  if (q.active) c.push(sql`p.active = ${q.active === 'true'}`);
  if (q.result === 'none') c.push(sql`lv.id is null`);
  else if (q.result === 'pass') c.push(sql`lv.failed = 0`);
  else if (q.result === 'fail') c.push(sql`lv.failed > 0 and lv.serious_failed = 0`);
  else if (q.result === 'serious') c.push(sql`lv.serious_failed > 0`);
  return sql.join(c, sql` and `);
}

/**
 * Points with their latest inspection result (the latest version of the most recent visit in any
 * round): the map and list of points and the 申报表. The office sees every point (it declares
 * them); this is an office screen.
 */
async function overviewRows(database: Database, q: TPointsOverviewQuery): Promise<Row[]> {
  return execRows<Row>(
    database.db,
    sql`select p.id, p.name, t.code as type, t.name as type_name, p.region_id,
          rg.name as region_name, p.unit_id, u.name as unit_name, p.address, p.lat, p.lng,
          p.leader, p.contact, p.active, p.version, lv.id as visit_id, lv.visited_at,
          lv.round_name, lv.score, lv.failed, lv.serious_failed
        from points p
        join point_types t on t.id = p.type_id
        left join regions rg on rg.id = p.region_id
        left join units u on u.id = p.unit_id
        left join lateral (
          select v.id, v.visited_at, r.name as round_name, v.score, v.failed, v.serious_failed
          from inspection_visits v join rounds r on r.id = v.round_id
          where v.point_id = p.id
            and not exists (select 1 from inspection_visits c where c.previous_id = v.id)
          order by v.visited_at desc, v.id desc limit 1) lv on true
        where ${where(q)}
        order by t.code, p.id
        limit 20000`,
  );
}

/** Every point with its latest result: a whole-campaign view for the office and leaders. */
export async function pointsOverview(
  database: Database,
  actor: Actor,
  q: TPointsOverviewQuery,
): Promise<{ items: TPointOverview[] }> {
  requirePermission(actor, Permission.ScoreRead);
  const rows = await overviewRows(database, q);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      typeName: r.type_name,
      regionId: r.region_id,
      regionName: r.region_name,
      unitId: r.unit_id,
      unitName: r.unit_name,
      address: r.address,
      lat: r.lat,
      lng: r.lng,
      leader: r.leader,
      contact: r.contact,
      active: r.active,
      version: r.version,
      lastVisitId: r.visit_id === null ? null : Number(r.visit_id),
      lastVisitAt: r.visited_at === null ? null : new Date(r.visited_at).toISOString(),
      lastRoundName: r.round_name,
      lastScore: r.score,
      lastResult:
        r.visit_id === null
          ? null
          : visitResult({ failed: r.failed ?? 0, seriousFailed: r.serious_failed ?? 0 }),
    })),
  };
}

export const DECLARATION_COLUMNS = [
  { key: 'no', header: '序号', width: 6 },
  { key: 'name', header: '点位名称', width: 28, required: true },
  { key: 'type', header: '点位类型', width: 14, required: true },
  { key: 'region', header: '所属区域', width: 16 },
  { key: 'address', header: '详细地址', width: 28 },
  { key: 'lng', header: '经度', width: 12 },
  { key: 'lat', header: '纬度', width: 12 },
  { key: 'unit', header: '包保单位', width: 20 },
  { key: 'leader', header: '负责人', width: 10 },
  { key: 'contact', header: '联系电话', width: 14 },
  { key: 'state', header: '状态', width: 8 },
] as const;
type DeclKey = (typeof DECLARATION_COLUMNS)[number]['key'];

/** 实地考察地点申报表: the declared points as XLSX, in the manual's column order. */
export async function exportDeclaration(
  database: Database,
  actor: Actor,
  q: TPointsOverviewQuery,
): Promise<Readable> {
  requirePermission(actor, Permission.ProblemManage);
  const rows = await overviewRows(database, q);
  async function* batches(): AsyncIterable<Record<DeclKey, string | number | null>[]> {
    await Promise.resolve();
    yield rows.map((r, i) => ({
      no: i + 1,
      name: r.name,
      type: r.type_name,
      region: r.region_name,
      address: r.address,
      lng: r.lng,
      lat: r.lat,
      unit: r.unit_name,
      leader: r.leader,
      contact: r.contact,
      state: r.active ? '在用' : '停用',
    }));
  }
  return streamSheet('实地考察地点申报表', [...DECLARATION_COLUMNS], batches());
}

const declCol = (k: DeclKey) => DECLARATION_COLUMNS.find((c) => c.key === k)!.header;

/**
 * Reads a 申报表 back (the export's columns; the type by name or code, the region by name or code,
 * the unit by name or short name). A point is known by its name and type: known points are updated
 * (version + 1), others created. All or nothing: any bad row refuses the file with every row's
 * reason; one transaction and one audit record listing what changed.
 */
export async function importDeclaration(
  database: Database,
  actor: Actor,
  file: Buffer,
): Promise<TImportResult> {
  requirePermission(actor, Permission.ProblemManage);
  const rows = await readImportRows(file, [...DECLARATION_COLUMNS]);
  const errs: TRowError[] = [
    ...duplicateErrors(
      rows.map((r) => ({ row: r.row, values: { key: `${r.values.type}|${r.values.name}` } })),
      'key',
      declCol('name'),
    ),
  ];
  const db = database.db;
  const typeBy = new Map<string, number>();
  for (const t of await db.select().from(pointTypes)) {
    typeBy.set(t.code, t.id);
    typeBy.set(t.name, t.id);
  }
  const unitBy = new Map<string, number>();
  for (const u of await db.select().from(units)) {
    if (u.shortName && !unitBy.has(u.shortName)) unitBy.set(u.shortName, u.id);
    unitBy.set(u.name, u.id);
  }
  const regionBy = await regionLookup(db);
  const parsed: { name: string; typeId: number; values: Partial<typeof points.$inferInsert> }[] =
    [];
  for (const r of rows) {
    const v = r.values;
    const err = (k: DeclKey, reason: string) =>
      errs.push({ row: r.row, column: declCol(k), reason });
    const name = v.name.trim();
    if (name.length < 2 || name.length > 80) err('name', '名称应为 2–80 个字 / 2–80 characters');
    const typeId = typeBy.get(v.type.trim());
    if (!typeId) err('type', `点位类型“${v.type}”不存在 / unknown point type`);
    const regionId = v.region ? regionBy.get(v.region.trim()) : null;
    if (regionId === undefined) err('region', `区域“${v.region}”不存在 / region not found`);
    const unitId = v.unit ? unitBy.get(v.unit.trim()) : null;
    if (unitId === undefined) err('unit', `单位“${v.unit}”不存在 / unit not found`);
    const num = (k: 'lat' | 'lng', min: number, max: number) => {
      if (!v[k]) return null;
      const x = Number(v[k]);
      if (!Number.isFinite(x) || x < min || x > max) {
        err(k, `坐标“${v[k]}”超出范围 / out of range`);
        return null;
      }
      return x;
    };
    const lat = num('lat', 3, 54);
    const lng = num('lng', 73, 136);
    if ((lat === null) !== (lng === null)) err('lat', '经纬度需同时填写 / give both');
    if (v.state && v.state !== '在用' && v.state !== '停用') {
      err('state', '状态应为 在用/停用 / state must be 在用 or 停用');
    }
    if (!typeId) continue;
    parsed.push({
      name,
      typeId,
      values: {
        regionId: regionId ?? null,
        unitId: unitId ?? null,
        address: v.address || null,
        lat,
        lng,
        leader: v.leader || null,
        contact: v.contact || null,
        active: v.state !== '停用',
      },
    });
  }
  if (errs.length) throw errors.badImport(errs.sort((a, b) => a.row - b.row));
  return withTx(database, async (tx) => {
    let created = 0;
    let updated = 0;
    const changed: number[] = [];
    for (const p of parsed) {
      const [hit] = await tx
        .select({ id: points.id })
        .from(points)
        .where(and(eq(points.name, p.name), eq(points.typeId, p.typeId)))
        .limit(1);
      if (hit) {
        await tx
          .update(points)
          .set({ ...p.values, version: sql`${points.version} + 1` })
          .where(eq(points.id, hit.id));
        changed.push(hit.id);
        updated++;
      } else {
        const [row] = await tx
          .insert(points)
          .values({ ...p.values, name: p.name, typeId: p.typeId })
          .returning({ id: points.id });
        changed.push(row!.id);
        created++;
      }
    }
    await writeAudit(tx, actor, {
      action: 'point.import',
      entityType: 'point',
      entityId: null,
      after: { created, updated, pointIds: changed },
    });
    return { imported: parsed.length, created, updated };
  });
}
