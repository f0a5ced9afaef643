import type { Readable } from 'node:stream';
import type { TImportResult, TRowError } from '../../../core/contracts/common.js';
import {
  UNIT_TYPE_LABELS,
  ZCreateUnitRequestSchema,
  type TListUnitsQuery,
} from '../../../core/contracts/org.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { presentUnit } from './org.present.js';
import * as repo from './units.repo.js';
import {
  ACTIVE_WORDS,
  duplicateErrors,
  matchLabel,
  readImportRows,
  regionLookup,
  zodRowErrors,
} from './xlsx-helpers.js';

type Key =
  | 'code'
  | 'name'
  | 'shortName'
  | 'type'
  | 'region'
  | 'parent'
  | 'contactName'
  | 'contactPhone'
  | 'address'
  | 'active';

export const UNIT_COLUMNS: ColumnSpec<Key>[] = [
  { key: 'code', header: '单位代码', aliases: ['code', '代码'], required: true, width: 14 },
  { key: 'name', header: '单位名称', aliases: ['name', '名称'], required: true, width: 28 },
  { key: 'shortName', header: '简称', aliases: ['short name'] },
  { key: 'type', header: '单位类型', aliases: ['type', '类型'], required: true, width: 18 },
  { key: 'region', header: '所属区划', aliases: ['region', '区划'], width: 16 },
  { key: 'parent', header: '上级单位', aliases: ['parent', 'parent unit'], width: 20 },
  { key: 'contactName', header: '联系人', aliases: ['contact', 'contact name'] },
  { key: 'contactPhone', header: '联系电话', aliases: ['phone', 'contact phone'], width: 16 },
  { key: 'address', header: '地址', aliases: ['address'], width: 30 },
  { key: 'active', header: '状态', aliases: ['status', 'active'] },
];

const col = (k: Key) => UNIT_COLUMNS.find((c) => c.key === k)!.header;

/** Imports units from XLSX: all rows are checked first; one bad row and nothing is written. */
export async function importUnits(
  database: Database,
  actor: Actor,
  file: Buffer,
): Promise<TImportResult> {
  requirePermission(actor, Permission.UnitImport);
  const rows = await readImportRows(file, UNIT_COLUMNS);
  const errs: TRowError[] = [
    ...duplicateErrors(rows, 'code', col('code')),
    ...duplicateErrors(rows, 'name', col('name')),
  ];
  const regionByKey = await regionLookup(database.db);
  const existing = await repo.findUnitsByCodeOrName(
    database.db,
    [...rows.map((r) => r.values.code), ...rows.map((r) => r.values.parent)].filter(Boolean),
    [...rows.map((r) => r.values.name), ...rows.map((r) => r.values.parent)].filter(Boolean),
  );
  const fileCodes = new Set(rows.map((r) => r.values.code));
  const fileNames = new Set(rows.map((r) => r.values.name));

  const parsed: {
    row: number;
    data: ReturnType<typeof ZCreateUnitRequestSchema.parse>;
    parent: string;
  }[] = [];
  for (const r of rows) {
    const v = r.values;
    const type = matchLabel(UNIT_TYPE_LABELS, v.type);
    if (!v.type) {
      errs.push({
        row: r.row,
        column: col('type'),
        reason: '必须填写单位类型 / the unit type is required',
      });
    } else if (!type) {
      errs.push({
        row: r.row,
        column: col('type'),
        reason: `未知的单位类型“${v.type}” / unknown unit type`,
      });
    }
    let regionId: number | null = null;
    if (v.region) {
      regionId = regionByKey.get(v.region) ?? null;
      if (regionId === null) {
        errs.push({
          row: r.row,
          column: col('region'),
          reason: `区划“${v.region}”不存在 / region not found`,
        });
      }
    }
    const active = v.active ? ACTIVE_WORDS[v.active.toLowerCase()] : true;
    if (active === undefined) {
      errs.push({
        row: r.row,
        column: col('active'),
        reason: '状态应为“启用”或“停用” / use 启用 or 停用',
      });
    }
    const result = ZCreateUnitRequestSchema.safeParse({
      code: v.code,
      name: v.name,
      shortName: v.shortName || null,
      type: type ?? 'other',
      regionId,
      contactName: v.contactName || null,
      contactPhone: v.contactPhone || null,
      address: v.address || null,
      active: active ?? true,
    });
    if (!result.success) {
      errs.push(...zodRowErrors(r.row, result.error, UNIT_COLUMNS));
      continue;
    }
    const sameName = existing.find((e) => e.name === v.name && e.code !== v.code);
    if (sameName) {
      errs.push({
        row: r.row,
        column: col('name'),
        reason: `名称已被单位 ${sameName.code} 使用 / name already used by unit ${sameName.code}`,
      });
    }
    if (v.parent) {
      const known =
        fileCodes.has(v.parent) ||
        fileNames.has(v.parent) ||
        existing.some((e) => e.code === v.parent || e.name === v.parent);
      if (!known) {
        errs.push({
          row: r.row,
          column: col('parent'),
          reason: `上级单位“${v.parent}”不存在 / parent unit not found`,
        });
      } else if (v.parent === v.code || v.parent === v.name) {
        errs.push({
          row: r.row,
          column: col('parent'),
          reason: '上级单位不能是本单位 / a unit cannot be its own parent',
        });
      }
    }
    parsed.push({ row: r.row, data: result.data, parent: v.parent });
  }
  if (errs.length) throw errors.badImport(errs.sort((a, b) => a.row - b.row));

  return withTx(database, async (tx) => {
    let created = 0;
    let updated = 0;
    const idByKey = new Map<string, number>();
    for (const e of existing) {
      idByKey.set(e.code, e.id);
      idByKey.set(e.name, e.id);
    }
    const touched: {
      id: number;
      row: number;
      before: ReturnType<typeof presentUnit> | null;
      parent: string;
    }[] = [];
    for (const p of parsed) {
      const prior = existing.find((e) => e.code === p.data.code);
      const values = {
        code: p.data.code,
        name: p.data.name,
        shortName: p.data.shortName ?? null,
        type: p.data.type,
        regionId: p.data.regionId ?? null,
        contactName: p.data.contactName ?? null,
        contactPhone: p.data.contactPhone ?? null,
        address: p.data.address ?? null,
        active: p.data.active ?? true,
      };
      let id: number;
      if (prior) {
        id = prior.id;
        await repo.updateUnit(tx, id, prior.version, values);
        updated++;
      } else {
        id = await repo.insertUnit(tx, values);
        created++;
      }
      idByKey.set(p.data.code, id);
      idByKey.set(p.data.name, id);
      touched.push({ id, row: p.row, before: prior ? presentUnit(prior) : null, parent: p.parent });
    }
    for (const t of touched) {
      const parentId = t.parent ? (idByKey.get(t.parent) ?? null) : null;
      const now = await repo.findUnit(tx, t.id);
      if (parentId !== null && now && now.parentId !== parentId) {
        if (await repo.isAncestorOrSelf(tx, t.id, parentId)) {
          throw errors.badImport([
            {
              row: t.row,
              column: col('parent'),
              reason: '上级单位形成循环 / parent units form a cycle',
            },
          ]);
        }
        await repo.updateUnit(tx, t.id, now.version, { parentId });
      }
      const after = presentUnit((await repo.findUnit(tx, t.id))!);
      await writeAudit(tx, actor, {
        action: t.before ? 'unit.import_update' : 'unit.import_create',
        entityType: 'unit',
        entityId: t.id,
        before: t.before,
        after,
      });
    }
    return { imported: parsed.length, created, updated };
  });
}

/** Streams the filtered unit list as XLSX, in the same columns the import reads. */
export function exportUnits(
  database: Database,
  actor: Actor,
  q: Omit<TListUnitsQuery, 'limit' | 'cursor' | 'order' | 'sort'>,
): Readable {
  requirePermission(actor, Permission.UnitRead);
  async function* batches() {
    for await (const rows of repo.iterateUnits(database.db, q)) {
      yield rows.map((u) => ({
        code: u.code,
        name: u.name,
        shortName: u.shortName,
        type: UNIT_TYPE_LABELS[u.type as keyof typeof UNIT_TYPE_LABELS]?.zh ?? u.type,
        region: u.regionName,
        parent: u.parentName,
        contactName: u.contactName,
        contactPhone: u.contactPhone,
        address: u.address,
        active: u.active ? '启用' : '停用',
      }));
    }
  }
  return streamSheet('单位', UNIT_COLUMNS, batches());
}
