import { formatShanghai, shanghaiDate } from '../calendar/working-days.js';

/**
 * The layout of the sheets exported for the 全国志愿服务信息系统 (chinavolunteer.mca.gov.cn): which
 * columns, under which header, from which of our fields, in which format. The national system's own
 * import templates could not be sourced (docs/volunteers-national-export.md says what is sourced and
 * what is assumed), so the layout is data the city office edits: a column is `{header, field,
 * format?, value?}`, per sheet. Pure: the server formats and validates with it, the web shows it.
 */

type L = { zh: string; en: string };

export const NATIONAL_SHEETS = ['volunteers', 'activities', 'hours'] as const;
export type TNationalSheet = (typeof NATIONAL_SHEETS)[number];

export const NATIONAL_SHEET_LABELS: Record<TNationalSheet, L> = {
  volunteers: { zh: '志愿者', en: 'Volunteers' },
  activities: { zh: '志愿服务项目', en: 'Activities' },
  hours: { zh: '服务时长', en: 'Service hours' },
};

/** How a field's values are written: the formats a field of the kind accepts (the first is the default). */
export const NATIONAL_KINDS = {
  text: ['text'],
  number: ['number'],
  date: ['date', 'date8', 'dateSlash'],
  datetime: ['datetime', 'datetimeSec', 'date', 'date8', 'dateSlash'],
  hours: ['hours1', 'hours2', 'minutes'],
} as const;
export type TNationalKind = keyof typeof NATIONAL_KINDS;
export type TNationalFormat = (typeof NATIONAL_KINDS)[TNationalKind][number];

export const NATIONAL_FORMAT_LABELS: Record<TNationalFormat, L> = {
  text: { zh: '文本', en: 'text' },
  number: { zh: '数字', en: 'number' },
  date: { zh: '2026-03-01', en: '2026-03-01' },
  date8: { zh: '20260301', en: '20260301' },
  dateSlash: { zh: '2026/03/01', en: '2026/03/01' },
  datetime: { zh: '2026-03-01 09:00', en: '2026-03-01 09:00' },
  datetimeSec: { zh: '2026-03-01 09:00:00', en: '2026-03-01 09:00:00' },
  hours1: { zh: '小时（1 位小数）', en: 'hours, 1 decimal' },
  hours2: { zh: '小时（2 位小数）', en: 'hours, 2 decimals' },
  minutes: { zh: '分钟', en: 'minutes' },
};

interface FieldDef {
  label: L;
  kind: TNationalKind;
}

/** The fields each sheet can draw on (`const` = the column's `value` on every row). */
export const NATIONAL_FIELDS = {
  volunteers: {
    name: { label: { zh: '姓名', en: 'Name' }, kind: 'text' },
    idNumber: { label: { zh: '身份证号（解密）', en: 'ID number (decrypted)' }, kind: 'text' },
    gender: {
      label: { zh: '性别（男/女，由身份证号）', en: 'Gender (男/女, from the ID)' },
      kind: 'text',
    },
    genderCode: { label: { zh: '性别代码（1 男 2 女）', en: 'Gender code (1/2)' }, kind: 'text' },
    birthDate: {
      label: { zh: '出生日期（由身份证号）', en: 'Birth date (from the ID)' },
      kind: 'date',
    },
    phone: { label: { zh: '手机号码', en: 'Mobile phone' }, kind: 'text' },
    region: { label: { zh: '所属区划名称', en: 'Region name' }, kind: 'text' },
    regionCode: { label: { zh: '所属区划代码', en: 'Region code' }, kind: 'text' },
    team: { label: { zh: '志愿服务队', en: 'Team' }, kind: 'text' },
    organisation: { label: { zh: '所在单位', en: 'Organisation' }, kind: 'text' },
    skills: { label: { zh: '特长（顿号分隔）', en: 'Skills' }, kind: 'text' },
    hours: { label: { zh: '累计服务时长', en: 'Total hours' }, kind: 'hours' },
    registeredAt: { label: { zh: '登记日期', en: 'Registered on' }, kind: 'date' },
    platformId: { label: { zh: '本平台编号', en: 'Platform id' }, kind: 'text' },
    const: { label: { zh: '固定值', en: 'Fixed value' }, kind: 'text' },
  },
  activities: {
    title: { label: { zh: '活动名称', en: 'Title' }, kind: 'text' },
    description: { label: { zh: '活动简介', en: 'Description' }, kind: 'text' },
    startsAt: { label: { zh: '开始时间', en: 'Starts' }, kind: 'datetime' },
    endsAt: { label: { zh: '结束时间', en: 'Ends' }, kind: 'datetime' },
    place: {
      label: { zh: '服务地点（阵地名或地址）', en: 'Place (station or address)' },
      kind: 'text',
    },
    region: { label: { zh: '所属区划名称', en: 'Region name' }, kind: 'text' },
    regionCode: { label: { zh: '所属区划代码', en: 'Region code' }, kind: 'text' },
    organiser: {
      label: { zh: '组织单位（或服务队）', en: 'Organiser (unit or team)' },
      kind: 'text',
    },
    team: { label: { zh: '志愿服务队', en: 'Team' }, kind: 'text' },
    capacity: { label: { zh: '招募人数', en: 'Seats' }, kind: 'number' },
    attended: { label: { zh: '参与人数', en: 'Attended' }, kind: 'number' },
    hours: { label: { zh: '服务时长合计', en: 'Hours in total' }, kind: 'hours' },
    platformId: { label: { zh: '本平台活动编号', en: 'Platform activity id' }, kind: 'text' },
    const: { label: { zh: '固定值', en: 'Fixed value' }, kind: 'text' },
  },
  hours: {
    name: { label: { zh: '姓名', en: 'Name' }, kind: 'text' },
    idNumber: { label: { zh: '身份证号（解密）', en: 'ID number (decrypted)' }, kind: 'text' },
    phone: { label: { zh: '手机号码', en: 'Mobile phone' }, kind: 'text' },
    activity: { label: { zh: '活动名称', en: 'Activity' }, kind: 'text' },
    activityId: { label: { zh: '本平台活动编号', en: 'Platform activity id' }, kind: 'text' },
    date: { label: { zh: '服务日期', en: 'Date served' }, kind: 'date' },
    startsAt: { label: { zh: '签到时间', en: 'Checked in' }, kind: 'datetime' },
    endsAt: { label: { zh: '签退时间（未签退：计划结束）', en: 'Checked out' }, kind: 'datetime' },
    hours: { label: { zh: '服务时长', en: 'Hours' }, kind: 'hours' },
    recordId: { label: { zh: '本平台记录号', en: 'Platform record id' }, kind: 'text' },
    const: { label: { zh: '固定值', en: 'Fixed value' }, kind: 'text' },
  },
} as const satisfies Record<TNationalSheet, Record<string, FieldDef>>;

export type TNationalField<S extends TNationalSheet> = keyof (typeof NATIONAL_FIELDS)[S];

export interface TNationalColumn {
  header: string;
  field: string;
  format?: string | undefined;
  /** The text of a `const` column. */
  value?: string | undefined;
}
export type TNationalLayout = Record<TNationalSheet, TNationalColumn[]>;

const ID_TYPE = { header: '证件类型', field: 'const', value: '居民身份证' };

/**
 * The layout used until the office saves its own — ASSUMED, not the national system's template
 * (which could not be sourced): the fields the 志愿服务记录与证明出具办法 asks a record to hold
 * (identity: name, 证件类型 and 号码; service: time in hours and what was done), under the headers
 * such systems commonly use. docs/volunteers-national-export.md.
 */
export const DEFAULT_NATIONAL_LAYOUT: TNationalLayout = {
  volunteers: [
    { header: '姓名', field: 'name' },
    ID_TYPE,
    { header: '证件号码', field: 'idNumber' },
    { header: '性别', field: 'gender' },
    { header: '出生日期', field: 'birthDate', format: 'date' },
    { header: '手机号码', field: 'phone' },
    { header: '所属区域', field: 'region' },
    { header: '所属队伍', field: 'team' },
    { header: '工作单位', field: 'organisation' },
    { header: '志愿服务技能', field: 'skills' },
  ],
  activities: [
    { header: '项目名称', field: 'title' },
    { header: '项目简介', field: 'description' },
    { header: '开始时间', field: 'startsAt', format: 'datetime' },
    { header: '结束时间', field: 'endsAt', format: 'datetime' },
    { header: '服务地点', field: 'place' },
    { header: '所属区域', field: 'region' },
    { header: '发布组织', field: 'organiser' },
    { header: '招募人数', field: 'capacity' },
    { header: '参与人数', field: 'attended' },
    { header: '服务时长合计(小时)', field: 'hours', format: 'hours1' },
    { header: '项目编号', field: 'platformId' },
  ],
  hours: [
    { header: '姓名', field: 'name' },
    ID_TYPE,
    { header: '证件号码', field: 'idNumber' },
    { header: '手机号码', field: 'phone' },
    { header: '项目名称', field: 'activity' },
    { header: '服务日期', field: 'date', format: 'date' },
    { header: '开始时间', field: 'startsAt', format: 'datetime' },
    { header: '结束时间', field: 'endsAt', format: 'datetime' },
    { header: '服务时长(小时)', field: 'hours', format: 'hours1' },
    { header: '记录编号', field: 'recordId' },
  ],
};

/** The definition of a sheet's field, or undefined for a name the sheet does not have. */
export function nationalField(sheet: TNationalSheet, field: string): FieldDef | undefined {
  const fields = NATIONAL_FIELDS[sheet] as Record<string, FieldDef>;
  return Object.hasOwn(fields, field) ? fields[field] : undefined;
}

/**
 * What is wrong with a layout, as `{path, zh, en}` (path like `hours.3.format`): unknown fields,
 * formats the field's kind does not take, a fixed column without its value, a header used twice.
 */
export function layoutProblems(
  layout: TNationalLayout,
): { path: (string | number)[]; zh: string; en: string }[] {
  const out: { path: (string | number)[]; zh: string; en: string }[] = [];
  for (const sheet of NATIONAL_SHEETS) {
    const seen = new Set<string>();
    layout[sheet].forEach((c, i) => {
      const def = nationalField(sheet, c.field);
      if (!def) {
        out.push({
          path: [sheet, i, 'field'],
          zh: `未知的字段“${c.field}”`,
          en: `unknown field "${c.field}"`,
        });
      } else if (
        c.format !== undefined &&
        !(NATIONAL_KINDS[def.kind] as readonly string[]).includes(c.format)
      ) {
        out.push({
          path: [sheet, i, 'format'],
          zh: `字段“${c.field}”不支持格式“${c.format}”，可用：${NATIONAL_KINDS[def.kind].join('、')}`,
          en: `field "${c.field}" has no format "${c.format}"; use ${NATIONAL_KINDS[def.kind].join(', ')}`,
        });
      }
      if (c.field === 'const' && !c.value) {
        out.push({
          path: [sheet, i, 'value'],
          zh: '固定值列须填写内容（value）',
          en: 'a fixed column needs its value',
        });
      }
      if (seen.has(c.header)) {
        out.push({
          path: [sheet, i, 'header'],
          zh: `表头“${c.header}”重复`,
          en: `header "${c.header}" is used twice`,
        });
      }
      seen.add(c.header);
    });
  }
  return out;
}

/** A raw value of a field: text, a number (minutes for `hours`), an instant (dates), or none. */
export type TNationalRaw = string | number | Date | null | undefined;

/** A cell as the column's format writes it (dates and times in Asia/Shanghai). */
export function nationalCell(
  sheet: TNationalSheet,
  column: TNationalColumn,
  raw: TNationalRaw,
): string | number | null {
  if (column.field === 'const') return column.value ?? '';
  const def = nationalField(sheet, column.field);
  if (!def || raw === null || raw === undefined || raw === '') return null;
  const format = column.format ?? NATIONAL_KINDS[def.kind][0];
  switch (def.kind) {
    case 'text':
      return String(raw);
    case 'number':
      return typeof raw === 'number' ? raw : Number(raw);
    case 'hours': {
      const minutes = Number(raw);
      if (format === 'minutes') return minutes;
      const places = format === 'hours2' ? 100 : 10;
      return Math.round((minutes / 60) * places) / places;
    }
    case 'date':
    case 'datetime': {
      const day = raw instanceof Date ? shanghaiDate(raw) : String(raw).slice(0, 10);
      switch (format) {
        case 'date8':
          return day.replaceAll('-', '');
        case 'dateSlash':
          return day.replaceAll('-', '/');
        case 'datetime':
          return raw instanceof Date ? formatShanghai(raw) : String(raw);
        case 'datetimeSec':
          return raw instanceof Date ? `${formatShanghai(raw)}:${secondsOf(raw)}` : String(raw);
        default:
          return day;
      }
    }
  }
}

const secondsOf = (d: Date) => String(d.getUTCSeconds()).padStart(2, '0');
