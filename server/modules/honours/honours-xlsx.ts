import type { Readable } from 'node:stream';
import type { TImportResult } from '../../../core/contracts/common.js';
import { unitNotFoundReason } from '../../../core/frameworks/unit-match.js';
import {
  CELL_TYPE_LABELS,
  HONOUR_LEVEL_LABELS,
  HONOUR_STATUS_LABELS,
  ZHonourInputSchema,
  type TCellType,
  type THonourLevel,
  type THonourParsed,
  type THonoursFilters,
} from '../../../core/contracts/honours.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { importCheck } from '../../platform/import-check.js';
import {
  commitImport,
  EXPORT_BATCH,
  keysetPages,
  readImportRows,
  upsertByKey,
  type ImportFile,
} from '../../platform/xlsx-import.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { directoryMatcher } from '../frameworks/assignments.repo.js';
import { outsideMessage } from '../org/jurisdiction.js';
import { regionCodesById, regionIdsByCodeOrName, regionIdsWithin } from '../org/regions.repo.js';
import * as repo from './honours.repo.js';
import { honourValues } from './honours.service.js';

type Key =
  | 'cellType'
  | 'holderName'
  | 'unit'
  | 'region'
  | 'title'
  | 'level'
  | 'year'
  | 'termYears'
  | 'status'
  | 'officeRegion'
  | 'lat'
  | 'lng'
  | 'remarks';

export const HONOUR_COLUMNS: ColumnSpec<Key>[] = [
  {
    key: 'cellType',
    header: '类型',
    aliases: ['细胞类型', '类别', 'type'],
    required: true,
    width: 10,
  },
  {
    key: 'holderName',
    header: '名称',
    aliases: [
      '单位名称',
      '学校名称',
      '村镇名称',
      '社区名称',
      '家庭名称',
      '单位（村镇、校园、社区）名称',
      '家庭',
      '户主',
      '名称（户主）',
      'holder',
      'name',
    ],
    required: true,
    width: 26,
  },
  { key: 'unit', header: '对应单位', aliases: ['所属单位', '单位', 'unit'], width: 20 },
  {
    key: 'region',
    header: '所在区划',
    aliases: ['所在地', '所属社区', '区划', 'region'],
    width: 14,
  },
  { key: 'title', header: '称号', aliases: ['荣誉称号', '称号名称', 'title'], width: 18 },
  {
    key: 'level',
    header: '级别',
    aliases: ['称号级别', '层级', 'level'],
    required: true,
    width: 8,
  },
  {
    key: 'year',
    header: '授予年度',
    aliases: ['年度', '命名年度', '授予年份', '命名年份', 'year'],
    required: true,
    width: 10,
  },
  { key: 'termYears', header: '有效期(年)', aliases: ['有效期', '期限', 'term'], width: 10 },
  { key: 'status', header: '状态', aliases: ['管理状态', 'status'], width: 8 },
  {
    key: 'officeRegion',
    header: '管理文明办',
    aliases: ['主管文明办', '负责文明办', '管理单位', 'office'],
    width: 14,
  },
  { key: 'lat', header: '纬度', aliases: ['lat', 'latitude'], width: 10 },
  { key: 'lng', header: '经度', aliases: ['lng', 'lon', 'longitude'], width: 10 },
  { key: 'remarks', header: '备注', aliases: ['说明', 'remarks'], width: 30 },
];

/** The words offices write for a cell type, besides its code and labels. */
const TYPE_WORDS = new Map<string, TCellType>([
  ...(Object.entries(CELL_TYPE_LABELS) as [TCellType, { zh: string; en: string }][]).flatMap(
    ([code, l]) => [
      [code, code] as const,
      [l.zh, code] as const,
      [l.en.toLowerCase(), code] as const,
    ],
  ),
  ['单位', 'unit'],
  ['文明单位标兵', 'unit'],
  ['村镇', 'village'],
  ['文明村', 'village'],
  ['文明镇', 'village'],
  ['文明乡镇', 'village'],
  ['校园', 'campus'],
  ['学校', 'campus'],
  ['社区', 'community'],
  ['家庭', 'family'],
  ['文明户', 'family'],
  ['十星级文明户', 'family'],
]);

/** The words offices write for a level: 全国/国家级, 省/省级, 市/市级, 县/县级/区级. */
const LEVEL_WORDS = new Map<string, THonourLevel>([
  ...(Object.entries(HONOUR_LEVEL_LABELS) as [THonourLevel, { zh: string; en: string }][]).flatMap(
    ([code, l]) => [
      [code, code] as const,
      [l.zh, code] as const,
      [l.en.toLowerCase(), code] as const,
    ],
  ),
  ['国家级', 'national'],
  ['全国级', 'national'],
  ['省', 'provincial'],
  ['市', 'city'],
  ['县', 'county'],
  ['区', 'county'],
  ['区级', 'county'],
  ['区县级', 'county'],
  ['县区级', 'county'],
]);

const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** "2024", "2024年", "2024年度", an Excel number → 2024; NaN otherwise. */
function parseYear(text: string): number {
  const m = /^(\d{4})(?:年度?)?$/.exec(norm(text));
  return m ? Number(m[1]) : Number.NaN;
}

/** "3", "3年" → 3; a blank cell: 3. */
function parseTerm(text: string): number {
  if (!text) return 3;
  const m = /^(\d{1,2})年?$/.exec(norm(text));
  return m ? Number(m[1]) : Number.NaN;
}

function parseCoordinate(text: string): number | null {
  if (!text) return null;
  const n = Number(norm(text));
  return Number.isFinite(n) ? n : Number.NaN;
}

/**
 * Imports title holders from XLSX as offices keep them: title rows above the header, a 序号
 * column, 小计/合计 rows, blank lines and notes are passed over; type and level read as offices
 * write them (单位/文明单位, 省/省级); a unit named by its short name or alias is the unit; a remarks
 * column is kept. Every row is checked first and one bad row means nothing is written; a known
 * title (type, holder, title, year) is updated, a new one added. A district or street office
 * imports holders of its own subtree only.
 */
export async function importHonours(
  database: Database,
  actor: Actor,
  file: ImportFile,
  opts: { dryRun?: boolean } = {},
): Promise<TImportResult> {
  requirePermission(actor, Permission.UnitWrite);
  const all = await readImportRows(file, HONOUR_COLUMNS);
  // A row with nothing but a remark is a note between the rows, not a holder.
  const rows = all.filter((r) =>
    HONOUR_COLUMNS.some((c) => c.key !== 'remarks' && r.values[c.key] !== ''),
  );
  const check = importCheck(HONOUR_COLUMNS);
  const regionByKey = await regionIdsByCodeOrName(database.db);
  const match = await directoryMatcher(database.db);
  const own = officeRegionOf(actor);
  const inside = own === null ? null : await regionIdsWithin(database.db, own);
  const isInside = (regionId: number | null) => regionId !== null && inside!.has(regionId);

  // On an update a blank 状态 or 管理文明办 cell keeps what is stored (a list without them does
  // not reset every title to 在册 and the city's).
  const blanks = new Map<number, { status: boolean; office: boolean }>();
  const parsed = check.rows(rows, (r): THonourParsed | undefined => {
    const v = r.values;
    blanks.set(r.row, { status: !v.status, office: !v.officeRegion });
    const cellType = TYPE_WORDS.get(norm(v.cellType));
    if (v.cellType && !cellType) {
      r.fail(
        'cellType',
        `未知的类型“${v.cellType}”，可填：${Object.values(CELL_TYPE_LABELS)
          .map((l) => l.zh)
          .join(
            '、',
          )} / unknown type "${v.cellType}"; use one of: unit, village, campus, community, family`,
      );
    }
    const level = LEVEL_WORDS.get(norm(v.level));
    if (v.level && !level) {
      r.fail(
        'level',
        `未知的级别“${v.level}”，可填：全国、省级、市级、县级 / unknown level "${v.level}"; use national, provincial, city or county`,
      );
    }
    const status = r.option(
      'status',
      HONOUR_STATUS_LABELS,
      { zh: '状态', en: 'status' },
      { blank: 'listed' },
    );
    const regionId = r.lookup('region', regionByKey, { zh: '区划', en: 'region' });

    // The unit: the 对应单位 column, or for a unit or campus its name, by full name, short name
    // or alias. A name no unit has is a holder outside the directory (a company, a school).
    let unitId: number | null = null;
    let holderName = v.holderName;
    if (v.unit) {
      const m = match(v.unit);
      if (m.ok) unitId = m.unit.id;
      else if (m.reason === 'ambiguous') {
        r.fail(
          'unit',
          `单位“${v.unit}”可指多个单位：${m.candidates.join('、')}，请写全称 / "${v.unit}" names several units (${m.candidates.join(', ')}): write the full name`,
        );
      } else {
        const reason = unitNotFoundReason(v.unit, m.suggestions);
        r.fail('unit', `${reason.zh} / ${reason.en}`);
      }
    } else if (holderName && (cellType === 'unit' || cellType === 'campus')) {
      const m = match(holderName);
      if (m.ok) {
        unitId = m.unit.id;
        holderName = m.unit.name;
      } else if (m.reason === 'ambiguous') {
        r.fail(
          'holderName',
          `“${holderName}”可指多个单位：${m.candidates.join('、')}，请写全称 / "${holderName}" names several units (${m.candidates.join(', ')}): write the full name`,
        );
      }
    }
    const officeText = v.officeRegion.replace(/文明办$/, '');
    const officeRegionId = v.officeRegion
      ? (regionByKey.get(officeText) ?? regionByKey.get(v.officeRegion) ?? null)
      : own;
    if (v.officeRegion && officeRegionId === null) {
      r.fail(
        'officeRegion',
        `管理文明办“${v.officeRegion}”不存在（写其区划的名称或代码）/ office "${v.officeRegion}" not found (write its region's name or code)`,
      );
    }

    const year = parseYear(v.year);
    if (v.year && Number.isNaN(year)) {
      r.fail('year', `无法识别的年度“${v.year}” / "${v.year}" is not a year`);
    }
    const termYears = parseTerm(v.termYears);
    if (Number.isNaN(termYears)) {
      r.fail(
        'termYears',
        `无法识别的有效期“${v.termYears}” / "${v.termYears}" is not a number of years`,
      );
    }
    const lat = parseCoordinate(v.lat);
    const lng = parseCoordinate(v.lng);
    if ((lat === null) !== (lng === null)) {
      r.fail(
        lat === null ? 'lat' : 'lng',
        '经纬度须同时填写 / give latitude and longitude together',
      );
    }
    if (r.failed()) return undefined;
    const result = ZHonourInputSchema.safeParse({
      cellType,
      holderName,
      unitId,
      regionId,
      title: v.title || undefined,
      level,
      yearConferred: year,
      termYears,
      status,
      lat,
      lng,
      remarks: v.remarks || null,
      officeRegionId,
    });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = String(issue.path[0] ?? '');
        const column: Key =
          path === 'yearConferred'
            ? 'year'
            : path === 'officeRegionId'
              ? 'officeRegion'
              : path === 'regionId'
                ? 'region'
                : (path as Key);
        r.fail(column, issue.message);
      }
      return undefined;
    }
    return result.data;
  });

  // A unit's title without a place is placed where the unit is.
  const unitRegion = await repo.unitRegions(
    database.db,
    parsed.flatMap((p) => (p.data.unitId ? [p.data.unitId] : [])),
  );
  for (const p of parsed) {
    if (!p.data.regionId && p.data.unitId) p.data.regionId = unitRegion.get(p.data.unitId) ?? null;
  }
  const keyOf = (d: THonourParsed) => repo.honourKey(honourValues(d));
  const seen = new Map<string, number>();
  for (const p of parsed) {
    const k = keyOf(p.data);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, p.row);
    else check.add(p.row, 'holderName', `与第 ${first} 行重复 / duplicates row ${first}`);
  }
  const stored = await repo.honoursByHolder(
    database.db,
    parsed.map((p) => p.data.holderName),
  );
  const statusChanges: { id: number; holderName: string; from: string; to: string }[] = [];
  for (const p of parsed) {
    const prior = stored.get(keyOf(p.data));
    if (!prior) continue;
    const blank = blanks.get(p.row)!;
    if (blank.status) p.data.status = prior.status;
    if (blank.office) p.data.officeRegionId = prior.officeRegionId;
    if (p.data.status !== prior.status) {
      statusChanges.push({
        id: prior.id,
        holderName: p.data.holderName,
        from: prior.status,
        to: p.data.status,
      });
    }
  }
  if (inside) {
    for (const p of parsed) {
      const d = p.data;
      const prior = stored.get(keyOf(d));
      if (!isInside(d.regionId ?? null)) {
        check.add(
          p.row,
          'region',
          outsideMessage({ zh: '该称号持有者的所在区划', en: "The holder's place" }),
        );
      }
      // A stored title's kept office is judged with the title below.
      const keptOffice = prior !== undefined && blanks.get(p.row)!.office;
      if (
        !keptOffice &&
        (d.officeRegionId === null ||
          (d.officeRegionId !== undefined && !isInside(d.officeRegionId)))
      ) {
        check.add(
          p.row,
          'officeRegion',
          outsideMessage({ zh: '负责管理的文明办', en: 'The managing office' }),
        );
      }
      if (prior && (!isInside(prior.regionId) || !isInside(prior.officeRegionId))) {
        check.add(
          p.row,
          'holderName',
          outsideMessage({ zh: `“${d.holderName}”的称号`, en: `The title of "${d.holderName}"` }),
        );
      }
    }
  }

  const audit = { action: 'honour.import', entityType: 'honour' };
  return commitImport(database, actor, { file, check, audit, ...opts }, async (tx) => ({
    ...(await upsertByKey(
      parsed.map((p) => p.data),
      {
        key: keyOf,
        known: async () => {
          const now = await repo.honoursByHolder(
            tx,
            parsed.map((p) => p.data.holderName),
          );
          return new Map([...now].map(([k, v]) => [k, v.id]));
        },
        values: honourValues,
        update: (id, values) => repo.overwriteHonour(tx, id, values),
        insert: (values) => repo.insertHonours(tx, values),
      },
    )),
    // A change of status by import is named in the import's audit record.
    audit: { statusChanges },
  }));
}

/** The filtered holders as XLSX, streamed in batches (the same columns the import reads). */
export function exportHonours(database: Database, actor: Actor, q: THonoursFilters): Readable {
  requirePermission(actor, Permission.UnitRead);
  async function* batches() {
    // Regions by code, so an exported file imports back unchanged.
    const codes = await regionCodesById(database.db);
    const code = (id: number | null) => (id === null ? null : (codes.get(id) ?? null));
    const pages = keysetPages((after) =>
      repo.honoursAfter(database.db, { ...q, within: officeRegionOf(actor) }, after, EXPORT_BATCH),
    );
    for await (const rows of pages) {
      yield rows.map((h) => ({
        cellType: CELL_TYPE_LABELS[h.cellType].zh,
        holderName: h.holderName,
        unit: h.unitName,
        region: code(h.regionId),
        title: h.title,
        level: HONOUR_LEVEL_LABELS[h.level].zh,
        year: h.yearConferred,
        termYears: h.termYears,
        status: HONOUR_STATUS_LABELS[h.status].zh,
        officeRegion: code(h.officeRegionId),
        lat: h.lat,
        lng: h.lng,
        remarks: h.remarks,
      }));
    }
  }
  return streamSheet('文明细胞', HONOUR_COLUMNS, batches());
}
