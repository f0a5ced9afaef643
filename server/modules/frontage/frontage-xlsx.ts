import type { Readable } from 'node:stream';
import type { TImportResult } from '../../../core/contracts/common.js';
import {
  HOLDER_TYPE_LABELS,
  PLAQUE_LABELS,
  ZFrontageDutyInputSchema,
  type TFrontageDutyInput,
  type TListFrontageQuery,
} from '../../../core/contracts/frontage.js';
import { formatZoneText, type TZoneGeometry } from '../../../core/geo/zones.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor, officeRegionOf } from '../../platform/actor.js';
import { importCheck, splitList } from '../../platform/import-check.js';
import {
  commitImport,
  EXPORT_BATCH,
  keysetPages,
  readImportRows,
  upsertByKey,
  type ImportFile,
} from '../../platform/xlsx-import.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { outsideMessage } from '../org/jurisdiction.js';
import { regionCodesById, regionIdsByCodeOrName, regionIdsWithin } from '../org/regions.repo.js';
import * as repo from './frontage.repo.js';
import { dutyValues, zoneColumns } from './frontage.service.js';

type Key =
  | 'code'
  | 'holderName'
  | 'holderType'
  | 'address'
  | 'contactName'
  | 'contactPhone'
  | 'region'
  | 'duties'
  | 'zone'
  | 'bufferM'
  | 'agreementSignedOn'
  | 'plaqueStatus';

export const FRONTAGE_COLUMNS: ColumnSpec<Key>[] = [
  { key: 'code', header: '编号', aliases: ['code', '责任书编号'], required: true, width: 14 },
  {
    key: 'holderName',
    header: '责任户名称',
    aliases: ['名称', '商户名称', 'name'],
    required: true,
    width: 24,
  },
  { key: 'holderType', header: '类型', aliases: ['type'], width: 12 },
  { key: 'address', header: '地址', aliases: ['address'], width: 28 },
  { key: 'contactName', header: '负责人', aliases: ['联系人', 'contact'], width: 10 },
  { key: 'contactPhone', header: '联系电话', aliases: ['电话', 'phone'], width: 16 },
  { key: 'region', header: '所属社区', aliases: ['社区', '区划', 'region'], width: 16 },
  { key: 'duties', header: '责任内容', aliases: ['三包内容', 'duties'], width: 20 },
  {
    key: 'zone',
    header: '责任区坐标',
    aliases: ['坐标', '责任区', 'zone'],
    required: true,
    width: 40,
  },
  { key: 'bufferM', header: '责任区宽度(米)', aliases: ['宽度', '缓冲距离', 'buffer'], width: 12 },
  { key: 'agreementSignedOn', header: '签订日期', aliases: ['签约日期', 'signed on'], width: 12 },
  { key: 'plaqueStatus', header: '公示牌', aliases: ['公示牌状态', 'plaque'], width: 10 },
];
/**
 * Imports duty holders from XLSX (cities sign tens of thousands): every row is checked first and
 * one bad row means nothing is written; a known code updates the holder, a new one adds it. A
 * district or street office imports holders of its own subtree only: a row placed outside it (or
 * nowhere) or updating another level's holder is a problem on its row.
 */
export async function importDuties(
  database: Database,
  actor: Actor,
  file: ImportFile,
  opts: { dryRun?: boolean } = {},
): Promise<TImportResult> {
  requirePermission(actor, Permission.UnitWrite);
  const rows = await readImportRows(file, FRONTAGE_COLUMNS);
  const check = importCheck(FRONTAGE_COLUMNS);
  check.unique(rows, 'code');
  const regionByKey = await regionIdsByCodeOrName(database.db);
  const own = officeRegionOf(actor);
  const inside = own === null ? null : await regionIdsWithin(database.db, own);
  const isInside = (regionId: number | null) => regionId !== null && inside!.has(regionId);
  const stored = inside
    ? await repo.dutyRegionsByCode(database.db, rows.map((r) => r.values.code).filter(Boolean))
    : new Map<string, number | null>();
  const parsed = check.rows(rows, (r): TFrontageDutyInput | undefined => {
    const v = r.values;
    const holderType = r.option(
      'holderType',
      HOLDER_TYPE_LABELS,
      { zh: '类型', en: 'type' },
      {
        blank: 'shop',
      },
    );
    const plaque = r.option(
      'plaqueStatus',
      PLAQUE_LABELS,
      { zh: '公示牌状态', en: 'plaque status' },
      { blank: 'none' },
    );
    const regionId = r.lookup('region', regionByKey, { zh: '区划', en: 'region' });
    if (inside && !r.failed('region') && !isInside(regionId)) {
      r.fail('region', outsideMessage({ zh: '该责任户的所属社区', en: "The holder's community" }));
    }
    if (inside && stored.has(v.code) && !isInside(stored.get(v.code)!)) {
      r.fail('code', outsideMessage({ zh: `责任户 ${v.code}`, en: `Holder ${v.code}` }));
    }
    const signedOn = r.date('agreementSignedOn');
    const result = ZFrontageDutyInputSchema.safeParse({
      code: v.code,
      holderName: v.holderName,
      holderType: holderType ?? 'other',
      address: v.address || null,
      contactName: v.contactName || null,
      contactPhone: v.contactPhone || null,
      regionId,
      duties: v.duties ? splitList(v.duties) : undefined,
      zone: v.zone,
      bufferM: v.bufferM ? Number(v.bufferM.replace(/[米m\s]/gi, '')) : 10,
      agreementSignedOn: signedOn,
      plaqueStatus: plaque ?? 'none',
    });
    if (!result.success) r.failZod(result.error);
    return result.data;
  });

  const audit = { action: 'frontage.import', entityType: 'frontage_duty' };
  return commitImport(database, actor, { file, check, audit, ...opts }, (tx) =>
    upsertByKey(
      parsed.map((p) => p.data),
      {
        key: (d) => d.code,
        known: (codes) => repo.dutyIdsByCode(tx, codes),
        values: (d) => ({
          ...dutyValues(d),
          code: d.code,
          holderName: d.holderName,
          holderType: d.holderType,
          ...zoneColumns(d.zone, d.bufferM),
        }),
        update: (id, values) => repo.overwriteDuty(tx, id, values),
        insert: (values) => repo.insertDuties(tx, values),
      },
    ),
  );
}

/** The filtered list as XLSX, streamed in batches (the same columns the import reads). */
export function exportDuties(
  database: Database,
  actor: Actor,
  q: Omit<TListFrontageQuery, 'limit' | 'cursor'>,
): Readable {
  requirePermission(actor, Permission.UnitRead);
  async function* batches() {
    // Regions by code, so an exported file imports back unchanged.
    const codes = await regionCodesById(database.db);
    const pages = keysetPages((after) =>
      repo.dutiesAfter(database.db, { ...q, within: officeRegionOf(actor) }, after, EXPORT_BATCH),
    );
    for await (const rows of pages) {
      yield rows.map((d) => ({
        code: d.code,
        holderName: d.holderName,
        holderType: HOLDER_TYPE_LABELS[d.holderType].zh,
        address: d.address,
        contactName: d.contactName,
        contactPhone: d.contactPhone,
        region: d.regionId === null ? null : (codes.get(d.regionId) ?? null),
        duties: d.duties.join('、'),
        zone: formatZoneText(d.zone as TZoneGeometry),
        bufferM: d.bufferM,
        agreementSignedOn: d.agreementSignedOn,
        plaqueStatus: PLAQUE_LABELS[d.plaqueStatus].zh,
      }));
    }
  }
  return streamSheet('门前三包', FRONTAGE_COLUMNS, batches());
}
