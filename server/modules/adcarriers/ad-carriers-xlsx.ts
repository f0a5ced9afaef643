import type { Readable } from 'node:stream';
import type { TImportResult } from '../../../core/contracts/common.js';
import { unitNotFoundReason } from '../../../core/frameworks/unit-match.js';
import {
  CARRIER_KIND_LABELS,
  CARRIER_STATE_LABELS,
  CARRIER_THEME_LABELS,
  ZCarrierInputSchema,
  type TCarrierKind,
  type TCarrierParsed,
  type TCarriersFilters,
  type TCarrierTheme,
} from '../../../core/contracts/ad-carriers.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { importCheck } from '../../platform/import-check.js';
import {
  commitImport,
  EXPORT_BATCH,
  keysetPages,
  readImportRows,
  type ImportFile,
} from '../../platform/xlsx-import.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { directoryMatcher } from '../frameworks/assignments.repo.js';
import * as repo from './ad-carriers.repo.js';
import { carrierValues, insertCarrierTx } from './ad-carriers.service.js';
import { resolvePlace } from '../org/region-routing.js';
import { requireRegionWithin } from '../org/jurisdiction.js';

type Key =
  | 'code'
  | 'kind'
  | 'size'
  | 'widthCm'
  | 'heightCm'
  | 'lat'
  | 'lng'
  | 'address'
  | 'point'
  | 'unit'
  | 'theme'
  | 'designTitle'
  | 'state'
  | 'fixed'
  | 'cluster'
  | 'remarks';

export const CARRIER_COLUMNS: ColumnSpec<Key>[] = [
  { key: 'code', header: '编号', aliases: ['阵地编号', 'code'], width: 12 },
  { key: 'kind', header: '类型', aliases: ['载体类型', '形式', 'kind'], required: true, width: 12 },
  { key: 'size', header: '规格', aliases: ['尺寸', '规格(cm)', 'size'], width: 12 },
  { key: 'widthCm', header: '宽(cm)', aliases: ['宽度', '宽', 'width'], width: 8 },
  { key: 'heightCm', header: '高(cm)', aliases: ['高度', '高', 'height'], width: 8 },
  { key: 'lat', header: '纬度', aliases: ['lat', 'latitude'], required: true, width: 11 },
  { key: 'lng', header: '经度', aliases: ['lng', 'lon', 'longitude'], required: true, width: 11 },
  { key: 'address', header: '位置', aliases: ['地址', '设置位置', 'address'], width: 24 },
  { key: 'point', header: '所属点位', aliases: ['点位', '点位名称', 'point'], width: 18 },
  { key: 'unit', header: '维护单位', aliases: ['责任单位', '管理单位', 'unit'], width: 18 },
  {
    key: 'theme',
    header: '主题',
    aliases: ['内容主题', '宣传主题', 'theme'],
    required: true,
    width: 16,
  },
  { key: 'designTitle', header: '画面', aliases: ['画面标题', '内容', 'design'], width: 20 },
  { key: 'state', header: '状态', aliases: ['现状', 'state'], width: 8 },
  { key: 'fixed', header: '固定式', aliases: ['是否固定式', 'fixed'], width: 8 },
  { key: 'cluster', header: '集中设置组', aliases: ['集中设置', '组', 'cluster'], width: 12 },
  { key: 'remarks', header: '备注', aliases: ['说明', 'remarks'], width: 24 },
];

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

function words<C extends string>(
  labels: Record<C, { zh: string; en: string }>,
  extra: [string, C][],
): Map<string, C> {
  const out = new Map<string, C>();
  for (const [code, l] of Object.entries(labels) as [C, { zh: string; en: string }][]) {
    out.set(norm(code), code);
    out.set(norm(l.zh), code);
    out.set(norm(l.en), code);
  }
  for (const [w, c] of extra) out.set(norm(w), c);
  return out;
}

const KIND_WORDS = words<TCarrierKind>(CARRIER_KIND_LABELS, [
  ['展板', 'board'],
  ['固定展板', 'board'],
  ['公益广告牌', 'board'],
  ['led', 'led'],
  ['电子屏', 'led'],
  ['led显示屏', 'led'],
  ['工地围挡', 'hoarding'],
  ['道旗', 'pole_flag'],
  ['灯杆道旗', 'pole_flag'],
  ['宣传橱窗', 'window'],
  ['楼体广告', 'facade'],
  ['公交站', 'bus_shelter'],
  ['候车亭', 'bus_shelter'],
]);
const THEME_WORDS = words<TCarrierTheme>(CARRIER_THEME_LABELS, [
  ['核心价值观', 'core_values'],
  ['社会主义核心价值观', 'core_values'],
  ['文明健康', 'civil_health'],
  ['文明健康有你有我', 'civil_health'],
  ['诚信', 'integrity'],
  ['未成年人', 'minors'],
  ['节日', 'festival'],
]);
const YES = new Set(['是', 'y', 'yes', '1', 'true', '√', '固定', '固定式']);
const NO = new Set(['否', 'n', 'no', '0', 'false', '×', '非固定', '临时']);

/** "120×80", "120*80cm", "1.2m×0.8m", "1.2米x0.8米" → [120, 80] in cm; null when unreadable. */
export function parseSize(text: string): [number, number] | null {
  const m = /^(\d+(?:\.\d+)?)(cm|厘米|m|米)?[x×*]\s*(\d+(?:\.\d+)?)(cm|厘米|m|米)?$/.exec(
    norm(text),
  );
  if (!m) return null;
  const unit = m[4] ?? m[2] ?? 'cm';
  const f = unit === 'm' || unit === '米' ? 100 : 1;
  return [Math.round(Number(m[1]) * f), Math.round(Number(m[3]) * f)];
}

/** "120", "120cm", "1.2米" → centimetres; NaN when unreadable, null when blank. */
function parseCm(text: string): number | null {
  if (!text) return null;
  const m = /^(\d+(?:\.\d+)?)(cm|厘米|m|米)?$/.exec(norm(text));
  if (!m) return Number.NaN;
  return Math.round(Number(m[1]) * (m[2] === 'm' || m[2] === '米' ? 100 : 1));
}

/**
 * Imports carriers from XLSX as offices keep them: a title row, 序号, subtotal rows and notes are
 * passed over; kind and theme read as offices write them (展板, 核心价值观…); the size as one 规格
 * cell ("120×80", "1.2m×0.8m") or width and height; a point by name, a maintainer by name, short
 * name or alias. Every row is checked first (422, nothing written, on any bad row); a known code is
 * updated, a row without a code or with a new one is registered.
 */
export async function importCarriers(
  database: Database,
  actor: Actor,
  file: ImportFile,
  opts: { dryRun?: boolean } = {},
): Promise<TImportResult> {
  requirePermission(actor, Permission.AdCarrierWrite);
  const all = await readImportRows(file, CARRIER_COLUMNS);
  const rows = all.filter((r) =>
    CARRIER_COLUMNS.some((c) => c.key !== 'remarks' && r.values[c.key] !== ''),
  );
  const check = importCheck(CARRIER_COLUMNS);
  check.unique(rows, 'code');
  const pointByName = await repo.pointIdsByName(database.db);
  const match = await directoryMatcher(database.db);
  const parsed = check.rows(rows, (r): TCarrierParsed | undefined => {
    const v = r.values;
    const kind = KIND_WORDS.get(norm(v.kind));
    if (v.kind && !kind) {
      r.fail(
        'kind',
        `未知的类型“${v.kind}”，可填：${Object.values(CARRIER_KIND_LABELS)
          .map((l) => l.zh)
          .join('、')} / unknown kind "${v.kind}"`,
      );
    }
    const theme = THEME_WORDS.get(norm(v.theme));
    if (v.theme && !theme) {
      r.fail('theme', `未知的主题“${v.theme}” / unknown theme "${v.theme}"`);
    }
    const state = r.option(
      'state',
      CARRIER_STATE_LABELS,
      { zh: '状态', en: 'state' },
      { blank: 'intact' },
    );
    let width = parseCm(v.widthCm);
    let height = parseCm(v.heightCm);
    if (v.size) {
      const size = parseSize(v.size);
      if (!size)
        r.fail(
          'size',
          `无法识别的规格“${v.size}”（如 120×80） / "${v.size}" is not a size (like 120×80)`,
        );
      else [width, height] = size;
    }
    if (Number.isNaN(width))
      r.fail('widthCm', `无法识别的宽度“${v.widthCm}” / "${v.widthCm}" is not a width`);
    if (Number.isNaN(height))
      r.fail('heightCm', `无法识别的高度“${v.heightCm}” / "${v.heightCm}" is not a height`);
    if (!v.size && (width === null || height === null)) {
      r.fail('size', '请填写规格或宽、高 / give the size, or width and height');
    }
    let fixed = true;
    if (v.fixed) {
      const f = norm(v.fixed);
      if (YES.has(f)) fixed = true;
      else if (NO.has(f)) fixed = false;
      else r.fail('fixed', `“${v.fixed}”应填是或否 / "${v.fixed}": write 是 or 否`);
    }
    let pointId: number | null = null;
    if (v.point) {
      pointId = pointByName.get(v.point.trim()) ?? null;
      if (pointId === null) r.fail('point', `点位“${v.point}”不存在 / no point named "${v.point}"`);
    }
    let unitId: number | null = null;
    if (v.unit) {
      const m = match(v.unit);
      if (m.ok) unitId = m.unit.id;
      else if (m.reason === 'ambiguous') {
        r.fail(
          'unit',
          `单位“${v.unit}”可指多个单位：${m.candidates.join('、')}，请写全称 / "${v.unit}" names several units: write the full name`,
        );
      } else {
        const reason = unitNotFoundReason(v.unit, m.suggestions);
        r.fail('unit', `${reason.zh} / ${reason.en}`);
      }
    }
    if (r.failed()) return undefined;
    const result = ZCarrierInputSchema.safeParse({
      code: v.code || undefined,
      kind,
      widthCm: width,
      heightCm: height,
      lat: Number(norm(v.lat)),
      lng: Number(norm(v.lng)),
      address: v.address || null,
      pointId,
      unitId,
      theme,
      designTitle: v.designTitle || null,
      state,
      fixed,
      cluster: v.cluster || null,
      remarks: v.remarks || null,
    });
    if (!result.success) {
      r.failZod(result.error);
      return undefined;
    }
    return result.data;
  });

  const stored = await repo.carriersByCode(
    database.db,
    parsed.flatMap((p) => (p.data.code ? [p.data.code] : [])),
  );
  const own = officeRegionOf(actor);
  const stateChanges: { id: number; code: string; from: string; to: string }[] = [];
  return commitImport(
    database,
    actor,
    { file, check, audit: { action: 'adcarrier.import', entityType: 'adCarrier' }, ...opts },
    async (tx) => {
      let created = 0;
      let updated = 0;
      for (const p of parsed) {
        const prior = p.data.code ? stored.get(p.data.code) : undefined;
        if (!prior) {
          await insertCarrierTx(tx, actor, p.data);
          created++;
          continue;
        }
        if (own !== null) await requireRegionWithin(tx, actor, prior.regionId);
        const values = carrierValues(p.data);
        const place = await resolvePlace(tx, { lat: values.lat, lng: values.lng }, false);
        const point = values.pointId === null ? null : await repo.findPoint(tx, values.pointId);
        const regionId = place.regionId ?? point?.regionId ?? prior.regionId;
        await requireRegionWithin(tx, actor, regionId);
        await repo.updateCarrier(tx, prior.id, null, { ...values, gridId: place.gridId, regionId });
        if (prior.state !== values.state) {
          stateChanges.push({
            id: prior.id,
            code: p.data.code!,
            from: prior.state,
            to: values.state,
          });
        }
        updated++;
      }
      return { imported: parsed.length, created, updated, audit: { stateChanges } };
    },
  );
}

/** The filtered carriers as XLSX, streamed in batches (the columns the import reads). */
export function exportCarriers(database: Database, actor: Actor, q: TCarriersFilters): Readable {
  requirePermission(actor, Permission.AdCarrierRead);
  async function* batches() {
    const pages = keysetPages((after) =>
      repo.carriersAfter(database.db, { ...q, within: officeRegionOf(actor) }, after, EXPORT_BATCH),
    );
    for await (const rows of pages) {
      yield rows.map((c) => ({
        code: c.code,
        kind: CARRIER_KIND_LABELS[c.kind].zh,
        size: `${c.widthCm}×${c.heightCm}`,
        widthCm: c.widthCm,
        heightCm: c.heightCm,
        lat: c.lat,
        lng: c.lng,
        address: c.address,
        point: c.pointName,
        unit: c.unitName,
        theme: CARRIER_THEME_LABELS[c.theme].zh,
        designTitle: c.designTitle,
        state: CARRIER_STATE_LABELS[c.state].zh,
        fixed: c.fixed ? '是' : '否',
        cluster: c.cluster,
        remarks: c.remarks,
      }));
    }
  }
  return streamSheet('公益广告阵地', CARRIER_COLUMNS, batches());
}
