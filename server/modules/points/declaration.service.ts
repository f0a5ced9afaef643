import type { Readable } from 'node:stream';
import type { TImportResult } from '../../../core/contracts/common.js';
import type { TPointOverview, TPointsOverviewQuery } from '../../../core/contracts/points.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { importCheck } from '../../platform/import-check.js';
import { commitImport, readImportRows, type ImportFile } from '../../platform/xlsx-import.js';
import { streamSheet } from '../../platform/xlsx.js';
import { resolvePlace } from '../org/region-routing.js';
import { regionIdsByCodeOrName } from '../org/regions.repo.js';
import { allTypes } from './point-types.repo.js';
import { presentOverview } from './points.present.js';
import * as repo from './points.repo.js';
import { requireCityLevel } from '../org/jurisdiction.js';

/**
 * Every point with its latest inspection result (the latest version of the most recent visit in
 * any round): the map and list of points. A whole-campaign view for the office and leaders.
 */
export async function pointsOverview(
  database: Database,
  actor: Actor,
  q: TPointsOverviewQuery,
): Promise<{ items: TPointOverview[] }> {
  requirePermission(actor, Permission.ScoreRead);
  const rows = await repo.overviewRows(database.db, q);
  return { items: rows.map(presentOverview) };
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
  requirePermission(actor, Permission.InspectionManage);
  requireCityLevel(actor);
  // Places added during rounds and not adopted are not declared (随机查看).
  const rows = await repo.overviewRows(database.db, { ...q, origin: 'declared' });
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

/**
 * Reads a 申报表 back (the export's columns; the type by name or code, the region by name or code,
 * the unit by name or short name). A point is known by its name and type: known points are updated
 * (version + 1) — a place added during a round is thereby adopted into the declared points —
 * others created. A row naming no region is placed by its position (the grid there, else the
 * deepest boundary — org/region-routing, as a point created by hand). All or nothing: any bad row
 * refuses the file with every row's reason; one transaction and one audit record listing what
 * changed.
 */
export async function importDeclaration(
  database: Database,
  actor: Actor,
  file: ImportFile,
): Promise<TImportResult> {
  requirePermission(actor, Permission.InspectionManage);
  requireCityLevel(actor);
  const columns = [...DECLARATION_COLUMNS];
  const rows = await readImportRows(file, columns);
  const check = importCheck(columns);
  check.unique(rows, 'name', (v) => `${v.type}|${v.name}`);
  const db = database.db;
  const typeBy = new Map<string, number>();
  for (const t of await allTypes(db)) {
    typeBy.set(t.code, t.id);
    typeBy.set(t.name, t.id);
  }
  const unitBy = new Map<string, number>();
  for (const u of await repo.allUnits(db)) {
    if (u.shortName && !unitBy.has(u.shortName)) unitBy.set(u.shortName, u.id);
    unitBy.set(u.name, u.id);
  }
  const regionBy = await regionIdsByCodeOrName(db);
  const parsed = check.rows(rows, (r) => {
    const v = r.values;
    const name = v.name.trim();
    if (name.length < 2 || name.length > 80) r.fail('name', '名称应为 2–80 个字 / 2–80 characters');
    const typeId = typeBy.get(v.type);
    if (!typeId) r.fail('type', `点位类型“${v.type}”不存在 / unknown point type`);
    const regionId = r.lookup('region', regionBy, { zh: '区域', en: 'region' });
    const unitId = r.lookup('unit', unitBy, { zh: '单位', en: 'unit' });
    const num = (k: 'lat' | 'lng', min: number, max: number) => {
      if (!v[k]) return null;
      const x = Number(v[k]);
      if (!Number.isFinite(x) || x < min || x > max) {
        r.fail(k, `坐标“${v[k]}”超出范围 / out of range`);
        return null;
      }
      return x;
    };
    const lat = num('lat', 3, 54);
    const lng = num('lng', 73, 136);
    if ((lat === null) !== (lng === null)) r.fail('lat', '经纬度需同时填写 / give both');
    if (v.state && v.state !== '在用' && v.state !== '停用') {
      r.fail('state', '状态应为 在用/停用 / state must be 在用 or 停用');
    }
    if (!typeId) return undefined;
    const values: Partial<repo.PointInsert> = {
      regionId,
      unitId,
      address: v.address || null,
      lat,
      lng,
      leader: v.leader || null,
      contact: v.contact || null,
      active: v.state !== '停用',
    };
    return { name, typeId, values };
  });
  const audit = { action: 'point.import', entityType: 'point' };
  return commitImport(database, actor, { file, check, audit }, async (tx) => {
    let created = 0;
    let updated = 0;
    const changed: number[] = [];
    for (const { data: p } of parsed) {
      const place = await resolvePlace(tx, p.values, false);
      p.values.regionId = place.regionId;
      p.values.regionSource = place.regionSource;
      const hit = await repo.pointIdByNameType(tx, p.name, p.typeId);
      if (hit !== undefined) {
        await repo.overwritePoint(tx, hit, p.values);
        changed.push(hit);
        updated++;
      } else {
        changed.push(await repo.insertPointId(tx, { ...p.values, name: p.name, typeId: p.typeId }));
        created++;
      }
    }
    return { imported: parsed.length, created, updated, audit: { pointIds: changed } };
  });
}
