import type { Readable } from 'node:stream';
import type { TImportResult, TRowError } from '../../../core/contracts/common.js';
import {
  HOLDER_TYPE_LABELS,
  PLAQUE_LABELS,
  ZFrontageDutyInputSchema,
  type TListFrontageQuery,
} from '../../../core/contracts/frontage.js';
import { formatZoneText, type TZoneGeometry } from '../../../core/geo/zones.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { regionCodesById } from '../org/regions.repo.js';
import * as repo from './frontage.repo.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import {
  duplicateErrors,
  matchLabel,
  readImportRows,
  regionLookup,
  zodRowErrors,
} from '../org/xlsx-helpers.js';
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
const col = (k: Key) => FRONTAGE_COLUMNS.find((c) => c.key === k)!.header;

/** Excel writes dates as 2026/3/1, 2026-03-01 or 2026年3月1日; all mean the same day. */
function normaliseDate(text: string): string | null {
  const m = /^(\d{4})\D(\d{1,2})\D(\d{1,2})\D?$/.exec(text.trim());
  if (!m) return null;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/**
 * Imports duty holders from XLSX (cities sign tens of thousands): every row is checked first and
 * one bad row means nothing is written; a known code updates the holder, a new one adds it.
 */
export async function importDuties(
  database: Database,
  actor: Actor,
  file: Buffer,
): Promise<TImportResult> {
  requirePermission(actor, Permission.UnitWrite);
  const rows = await readImportRows(file, FRONTAGE_COLUMNS);
  const errs: TRowError[] = [...duplicateErrors(rows, 'code', col('code'))];
  const regionByKey = await regionLookup(database.db);
  const parsed: { row: number; data: ReturnType<typeof ZFrontageDutyInputSchema.parse> }[] = [];
  for (const r of rows) {
    const v = r.values;
    const holderType = v.holderType ? matchLabel(HOLDER_TYPE_LABELS, v.holderType) : 'shop';
    if (!holderType) {
      errs.push({
        row: r.row,
        column: col('holderType'),
        reason: `未知的类型“${v.holderType}” / unknown type`,
      });
    }
    const plaque = v.plaqueStatus ? matchLabel(PLAQUE_LABELS, v.plaqueStatus) : 'none';
    if (!plaque) {
      errs.push({
        row: r.row,
        column: col('plaqueStatus'),
        reason: `公示牌状态应为 未设置/已公示/破损/缺失 / unknown plaque status “${v.plaqueStatus}”`,
      });
    }
    let regionId: number | null = null;
    if (v.region) {
      regionId = regionByKey.get(v.region.trim()) ?? null;
      if (regionId === null) {
        errs.push({
          row: r.row,
          column: col('region'),
          reason: `区划“${v.region}”不存在 / region not found`,
        });
      }
    }
    let signedOn: string | null = null;
    if (v.agreementSignedOn) {
      signedOn = normaliseDate(v.agreementSignedOn);
      if (!signedOn) {
        errs.push({
          row: r.row,
          column: col('agreementSignedOn'),
          reason: `无法识别的日期“${v.agreementSignedOn}” / not a date`,
        });
      }
    }
    const bufferM = v.bufferM ? Number(v.bufferM.replace(/[米m\s]/gi, '')) : 10;
    const result = ZFrontageDutyInputSchema.safeParse({
      code: v.code,
      holderName: v.holderName,
      holderType: holderType ?? 'other',
      address: v.address || null,
      contactName: v.contactName || null,
      contactPhone: v.contactPhone || null,
      regionId,
      duties: v.duties ? v.duties.split(/[、,，;；\s]+/).filter(Boolean) : undefined,
      zone: v.zone,
      bufferM,
      agreementSignedOn: signedOn,
      plaqueStatus: plaque ?? 'none',
    });
    if (!result.success) {
      errs.push(...zodRowErrors(r.row, result.error, FRONTAGE_COLUMNS));
      continue;
    }
    parsed.push({ row: r.row, data: result.data });
  }
  if (errs.length) throw errors.badImport(errs.sort((a, b) => a.row - b.row));

  return withTx(database, async (tx) => {
    const existing = await repo.dutyIdsByCode(
      tx,
      parsed.map((p) => p.data.code),
    );
    let updated = 0;
    const fresh = [];
    for (const p of parsed) {
      const values = {
        ...dutyValues(p.data),
        code: p.data.code,
        holderName: p.data.holderName,
        holderType: p.data.holderType,
        ...zoneColumns(p.data.zone, p.data.bufferM),
      };
      const prior = existing.get(p.data.code);
      if (prior !== undefined) {
        await repo.overwriteDuty(tx, prior, values);
        updated++;
      } else fresh.push(values);
    }
    await repo.insertDuties(tx, fresh);
    const result = { imported: parsed.length, created: fresh.length, updated };
    await writeAudit(tx, actor, {
      action: 'frontage.import',
      entityType: 'frontage_duty',
      entityId: null,
      after: result,
    });
    return result;
  });
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
    let after = 0;
    for (;;) {
      const rows = await repo.dutiesAfter(database.db, q, after, 2000);
      if (!rows.length) return;
      after = rows[rows.length - 1]!.id;
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
