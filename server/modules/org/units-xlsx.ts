import type { Readable } from 'node:stream';
import type { TImportResult } from '../../../core/contracts/common.js';
import {
  UNIT_TYPE_LABELS,
  ZCreateUnitRequestSchema,
  type TCreateUnitRequest,
  type TListUnitsQuery,
} from '../../../core/contracts/org.js';
import {
  mergeUnitNames,
  ownAliases,
  splitUnitNames,
  unitNameClashMessage,
  unitNameIndex,
  unitNameKey,
} from '../../../core/org/unit-names.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor, officeRegionOf } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { importCheck } from '../../platform/import-check.js';
import { commitImport, readImportRows, type ImportFile } from '../../platform/xlsx-import.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { presentUnit } from './org.present.js';
import { outsideMessage } from './jurisdiction.js';
import { regionIdsByCodeOrName, regionIdsWithin } from './regions.repo.js';
import * as repo from './units.repo.js';

type Key =
  | 'code'
  | 'name'
  | 'shortName'
  | 'aliases'
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
  // 简称 may list several names (城管局、城管): the first is the short name, the rest are aliases.
  { key: 'shortName', header: '简称', aliases: ['short name', 'short names'], width: 14 },
  { key: 'aliases', header: '别名', aliases: ['aliases', 'alias', '其他名称'], width: 24 },
  { key: 'type', header: '单位类型', aliases: ['type', '类型'], required: true, width: 18 },
  { key: 'region', header: '所属区划', aliases: ['region', '区划'], width: 16 },
  { key: 'parent', header: '上级单位', aliases: ['parent', 'parent unit'], width: 20 },
  { key: 'contactName', header: '联系人', aliases: ['contact', 'contact name'] },
  { key: 'contactPhone', header: '联系电话', aliases: ['phone', 'contact phone'], width: 16 },
  { key: 'address', header: '地址', aliases: ['address'], width: 30 },
  { key: 'active', header: '状态', aliases: ['status', 'active'] },
];

/** What an export writes between names in the 别名 cell; the import splits on it (and on ，,；;/). */
const NAME_JOIN = '、';

/**
 * Imports units from XLSX: all rows are checked first; one bad row and nothing is written. A known
 * code updates its unit, a new one adds it; parents are resolved by code or name, within the file
 * too. Each unit gets its audit record (before/after), the import one more (file and counts).
 *
 * Names are merged, never dropped: the first name of 简称 becomes the short name (a blank cell keeps
 * the one stored), a short name it replaces and every further name — in 简称 or 别名 — join the
 * aliases the unit already has. An alias that names another unit, in the directory or in the file,
 * is a problem on its row.
 */
export async function importUnits(
  database: Database,
  actor: Actor,
  file: ImportFile,
  opts: { dryRun?: boolean } = {},
): Promise<TImportResult> {
  requirePermission(actor, Permission.UnitImport);
  const rows = await readImportRows(file, UNIT_COLUMNS);
  const check = importCheck(UNIT_COLUMNS);
  check.unique(rows, 'code');
  check.unique(rows, 'name');
  const regionByKey = await regionIdsByCodeOrName(database.db);
  const existing = await repo.findUnitsByCodeOrName(
    database.db,
    [...rows.map((r) => r.values.code), ...rows.map((r) => r.values.parent)].filter(Boolean),
    [...rows.map((r) => r.values.name), ...rows.map((r) => r.values.parent)].filter(Boolean),
  );
  const fileCodes = new Set(rows.map((r) => r.values.code));
  const fileNames = new Set(rows.map((r) => r.values.name));
  const priorByCode = new Map(existing.map((e) => [e.code, e]));
  // 分级管理: a district or street office imports units of its own subtree only — a row placed
  // outside it (or nowhere: a unit with no region is the city's), updating a unit outside it or
  // naming a parent outside it is a problem on its row.
  const own = officeRegionOf(actor);
  const inside = own === null ? null : await regionIdsWithin(database.db, own);
  const isInside = (regionId: number | null) => regionId !== null && inside!.has(regionId);

  /** The short name and aliases a row leaves its unit with, merged with the stored ones. */
  const namesOf = (v: (typeof rows)[number]['values']) => {
    const prior = priorByCode.get(v.code);
    const [first, ...more] = splitUnitNames(v.shortName);
    const shortName = first ?? prior?.shortName ?? null;
    const replaced =
      prior?.shortName && first && unitNameKey(prior.shortName) !== unitNameKey(first)
        ? [prior.shortName]
        : [];
    const aliases = ownAliases(
      mergeUnitNames(prior?.aliases ?? [], replaced, more, splitUnitNames(v.aliases)),
      v.name,
      shortName,
    );
    return { shortName, aliases, had: new Set((prior?.aliases ?? []).map(unitNameKey)) };
  };
  // Every unit's names as they will be after the import: the file's rows over the directory's.
  const clashOf = unitNameIndex([
    ...(await repo.unitNames(database.db))
      .filter((u) => !fileCodes.has(u.code))
      .map((u) => ({ ...u, key: u.code })),
    ...rows.map((r) => ({ key: r.values.code, name: r.values.name, ...namesOf(r.values) })),
  ]);

  const parsed = check.rows(rows, (r): { unit: TCreateUnitRequest; parent: string } | undefined => {
    const v = r.values;
    const type = r.option('type', UNIT_TYPE_LABELS, { zh: '单位类型', en: 'unit type' });
    const regionId = r.lookup('region', regionByKey, { zh: '区划', en: 'region' });
    if (inside && !r.failed('region') && !isInside(regionId)) {
      r.fail('region', outsideMessage({ zh: '该单位的所属区划', en: "The unit's region" }));
    }
    const prior = priorByCode.get(v.code);
    if (inside && prior && !isInside(prior.regionId)) {
      r.fail('code', outsideMessage({ zh: `单位 ${v.code}`, en: `Unit ${v.code}` }));
    }
    const active = r.active('active');
    const names = namesOf(v);
    const clash = clashOf(
      v.code,
      names.aliases.filter((a) => !names.had.has(unitNameKey(a))),
    );
    if (clash) {
      const msg = unitNameClashMessage(clash);
      const inAliases = splitUnitNames(v.aliases).some(
        (a) => unitNameKey(a) === unitNameKey(clash.alias),
      );
      r.fail(inAliases ? 'aliases' : 'shortName', `${msg.zh} / ${msg.en}`);
    }
    const result = ZCreateUnitRequestSchema.safeParse({
      code: v.code,
      name: v.name,
      shortName: names.shortName,
      aliases: names.aliases,
      type: type ?? 'other',
      regionId,
      contactName: v.contactName || null,
      contactPhone: v.contactPhone || null,
      address: v.address || null,
      active,
    });
    if (!result.success) {
      r.failZod(result.error);
      return undefined;
    }
    const sameName = existing.find((e) => e.name === v.name && e.code !== v.code);
    if (sameName) {
      r.fail(
        'name',
        `名称已被单位 ${sameName.code} 使用 / name already used by unit ${sameName.code}`,
      );
    }
    if (v.parent) {
      const known =
        fileCodes.has(v.parent) ||
        fileNames.has(v.parent) ||
        existing.some((e) => e.code === v.parent || e.name === v.parent);
      const stored = existing.find((e) => e.code === v.parent || e.name === v.parent);
      const inFile = fileCodes.has(v.parent) || fileNames.has(v.parent);
      if (!known) {
        r.fail('parent', `上级单位“${v.parent}”不存在 / parent unit not found`);
      } else if (inside && !inFile && stored && !isInside(stored.regionId)) {
        r.fail('parent', outsideMessage({ zh: '上级单位', en: 'The parent unit' }));
      } else if (v.parent === v.code || v.parent === v.name) {
        r.fail('parent', '上级单位不能是本单位 / a unit cannot be its own parent');
      }
    }
    return { unit: result.data, parent: v.parent };
  });

  const audit = { action: 'unit.import', entityType: 'unit' };
  return commitImport(database, actor, { file, check, audit, ...opts }, async (tx) => {
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
    for (const { row, data: p } of parsed) {
      const prior = existing.find((e) => e.code === p.unit.code);
      const values = {
        code: p.unit.code,
        name: p.unit.name,
        shortName: p.unit.shortName ?? null,
        aliases: p.unit.aliases ?? [],
        type: p.unit.type,
        regionId: p.unit.regionId ?? null,
        contactName: p.unit.contactName ?? null,
        contactPhone: p.unit.contactPhone ?? null,
        address: p.unit.address ?? null,
        active: p.unit.active ?? true,
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
      idByKey.set(p.unit.code, id);
      idByKey.set(p.unit.name, id);
      touched.push({ id, row, before: prior ? presentUnit(prior) : null, parent: p.parent });
    }
    for (const t of touched) {
      const parentId = t.parent ? (idByKey.get(t.parent) ?? null) : null;
      const now = await repo.findUnit(tx, t.id);
      if (parentId !== null && now && now.parentId !== parentId) {
        if (await repo.isAncestorOrSelf(tx, t.id, parentId)) {
          throw errors.badImport([
            {
              row: t.row,
              column: check.header('parent'),
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
    for await (const rows of repo.iterateUnits(database.db, {
      ...q,
      within: officeRegionOf(actor),
    })) {
      yield rows.map((u) => ({
        code: u.code,
        name: u.name,
        shortName: u.shortName,
        aliases: u.aliases.join(NAME_JOIN),
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
