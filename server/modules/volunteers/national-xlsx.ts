import { shanghaiDate } from '../../../core/calendar/working-days.js';
import type {
  TNationalHoursImportResult,
  TNationalHoursPreview,
  TNationalRowStatus,
} from '../../../core/contracts/volunteers-national.js';
import { Permission } from '../../../core/permissions.js';
import type { TScope } from '../../../core/permissions.js';
import {
  checkIdNumber,
  isMaskedIdNumber,
  maskIdNumber,
} from '../../../core/volunteers/id-number.js';
import {
  nationalRecordKey,
  parseServiceDate,
  parseServiceMinutes,
  PLATFORM_RECORD_ID,
  serviceItemProjectTitle,
  titleKey,
} from '../../../core/volunteers/national-hours.js';
import type { TNationalLayout } from '../../../core/volunteers/national-layout.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { errors } from '../../platform/errors.js';
import { importCheck, type ImportCheck } from '../../platform/import-check.js';
import { commitImport, isSummaryRow, type ImportFile } from '../../platform/xlsx-import.js';
import { readSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { loadLayout } from './national.service.js';
import * as repo from './national.repo.js';
import { idNumberHash } from './realname.js';

// Hours recorded in the 全国志愿服务信息系统, imported (source 全国系统): read from the sheet that
// system exports — title rows, 合计/小计 rows, 备注 columns and all — matched to volunteers by ID
// number (its keyed hash) or by name and phone, previewed row by row, then committed in one
// transaction. Re-importing the same file adds nothing: each record is kept under a key (the
// national record id, else volunteer, activity, day and minutes). Hours this platform exported
// there and that come back are recognised and left out, so nothing counts twice.

type HKey = 'name' | 'idNumber' | 'phone' | 'activity' | 'date' | 'hours' | 'recordId';

/** The columns as the national system and offices head them (aliases), before the layout's own. */
const BASE_COLUMNS: ColumnSpec<HKey>[] = [
  { key: 'name', header: '姓名', aliases: ['志愿者姓名', '志愿者', 'name'], required: true },
  {
    key: 'idNumber',
    header: '证件号码',
    aliases: ['身份证号', '身份证号码', '公民身份号码', '证件号', '身份证', 'idNumber'],
  },
  {
    key: 'phone',
    header: '手机号码',
    aliases: ['手机号', '手机', '联系电话', '电话', '联系方式', 'phone'],
  },
  {
    key: 'activity',
    header: '项目名称',
    aliases: ['活动名称', '志愿服务项目', '服务项目', '项目', '活动', 'activity'],
    required: true,
  },
  {
    key: 'date',
    header: '服务日期',
    aliases: ['日期', '活动日期', '服务时间', '开始时间', '服务开始时间', 'date'],
    required: true,
  },
  {
    key: 'hours',
    header: '服务时长',
    aliases: [
      '服务时长(小时)',
      '服务时长（小时）',
      '志愿服务时长',
      '时长',
      '时长(小时)',
      '服务小时数',
      '小时数',
      'hours',
    ],
    required: true,
  },
  {
    key: 'recordId',
    header: '记录编号',
    aliases: ['记录ID', '记录号', '时长记录编号', '服务记录编号', '流水号', 'recordId'],
  },
];

/** Which import column a layout field fills (the export's own headers read back). */
const FROM_LAYOUT: Record<string, HKey> = {
  name: 'name',
  idNumber: 'idNumber',
  phone: 'phone',
  activity: 'activity',
  date: 'date',
  startsAt: 'date',
  hours: 'hours',
  recordId: 'recordId',
};

/** The import's columns: the common headers, and the ones the office's hours layout writes. */
export function hoursImportColumns(layout: TNationalLayout): ColumnSpec<HKey>[] {
  return BASE_COLUMNS.map((c) => ({
    ...c,
    aliases: [
      ...(c.aliases ?? []),
      ...layout.hours.filter((l) => FROM_LAYOUT[l.field] === c.key).map((l) => l.header),
    ],
  }));
}

const normPhone = (s: string) => s.normalize('NFKC').replace(/[\s-]/g, '');
const normName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

interface Analysed {
  row: number;
  status: TNationalRowStatus;
  name: string;
  idNumberMasked: string | null;
  activity: string;
  date: string | null;
  minutes: number | null;
  recordId: string | null;
  volunteerId: number | null;
  volunteerName: string | null;
  key: string | null;
}

interface Analysis {
  sheetName: string;
  headerRow: number;
  rows: Analysed[];
  check: ImportCheck<HKey>;
}

/**
 * Reads the sheet and decides every row: `new` (would be imported), `duplicate` (imported before,
 * or repeated in the file), `platform` (our own hours come back), `error` (its problems are in
 * `check`). Reads only.
 */
async function analyse(db: DbOrTx, scope: TScope, file: ImportFile): Promise<Analysis> {
  const { layout } = await loadLayout(db);
  const columns = hoursImportColumns(layout);
  const read = await readSheet(file.data, columns, 20000, {
    sheet: 'best',
    headerSearchRows: 5,
    skipRow: isSummaryRow,
  });
  if (read.headerErrors.length) throw errors.badImport(read.headerErrors);
  if (read.rows.length === 0) {
    throw errors.badImport([
      {
        row: read.headerRow + 1,
        column: '-',
        reason: '文件没有数据行 / the file has no data rows',
      },
    ]);
  }
  const check = importCheck(columns);

  // Who the rows name: by ID number (hash), else by phone.
  const ids = new Map<number, string>();
  for (const r of read.rows) {
    const t = r.values.idNumber;
    if (t && !isMaskedIdNumber(t)) {
      const c = checkIdNumber(t);
      if (c.ok) ids.set(r.row, c.value);
    }
  }
  const byHash = await repo.volunteersByIdHash(
    db,
    scope,
    [...new Set(ids.values())].map(idNumberHash),
  );
  const byPhone = await repo.volunteersByPhone(db, scope, [
    ...new Set(read.rows.map((r) => normPhone(r.values.phone)).filter(Boolean)),
  ]);
  const today = shanghaiDate(new Date());

  const parsed = check.rows(read.rows, (r) => {
    const v = r.values;
    const id = ids.get(r.row);
    if (v.idNumber && !isMaskedIdNumber(v.idNumber) && !id) {
      const c = checkIdNumber(v.idNumber);
      if (!c.ok) r.fail('idNumber', `${c.message.zh} / ${c.message.en}`);
    }
    const phone = normPhone(v.phone);
    let who = id ? byHash.get(idNumberHash(id)) : undefined;
    if (!who && phone) {
      const p = byPhone.get(phone);
      // By phone only when the names agree and the phone's volunteer has no other ID number.
      if (p && normName(p.name) === normName(v.name)) {
        if (id && p.idNumberHash !== null && p.idNumberHash !== idNumberHash(id)) {
          r.fail(
            'idNumber',
            '证件号码与该手机号志愿者登记的不符 / the ID number differs from the one on file for this phone',
          );
        } else who = p;
      }
    }
    if (!r.failed('idNumber')) {
      if (!id && !phone) {
        r.fail(
          'idNumber',
          '需要证件号码或手机号才能对应到志愿者 / an ID number or a phone is needed to find the volunteer',
        );
      } else if (!who) {
        r.fail(
          id ? 'idNumber' : 'phone',
          '登记中没有与之对应的志愿者（按证件号码，或姓名加手机号） / no volunteer in the registry matches (by ID number, or by name and phone)',
        );
      } else if (normName(who.name) !== normName(v.name)) {
        r.fail(
          'name',
          `姓名与登记的“${who.name}”不符 / the name differs from the registry's "${who.name}"`,
        );
      }
    }
    if (!v.activity) r.fail('activity', '必须填写项目名称 / the activity is required');
    const date = v.date ? parseServiceDate(v.date) : null;
    if (!v.date) r.fail('date', '必须填写服务日期 / the date is required');
    else if (!date) r.fail('date', `无法识别的日期“${v.date}” / not a date`);
    else if (date > today)
      r.fail('date', `服务日期 ${date} 在今天之后 / the date is in the future`);
    const minutes = v.hours ? parseServiceMinutes(v.hours) : null;
    if (minutes === null) {
      r.fail(
        'hours',
        `无法识别的服务时长“${v.hours}”（应为 0–24 小时，如 2、2.5、1小时30分） / hours "${v.hours}" not understood (0–24 h, e.g. 2, 2.5, 1小时30分)`,
      );
    }
    const recordId = v.recordId ? v.recordId.normalize('NFKC').trim().slice(0, 100) : null;
    if (!who || !date || minutes === null || !v.activity) return undefined;
    return { volunteer: who, date, minutes, recordId };
  });
  const ok = new Map(parsed.map((p) => [p.row, p.data]));

  const valuesOf = new Map(read.rows.map((r) => [r.row, r.values]));
  const keys = new Map<number, string>();
  for (const [row, d] of ok) {
    keys.set(
      row,
      nationalRecordKey({
        recordId: d.recordId,
        volunteerId: d.volunteer.id,
        activity: valuesOf.get(row)!.activity,
        date: d.date,
        minutes: d.minutes,
      }),
    );
  }
  const known = await repo.knownRecordKeys(db, [...new Set(keys.values())]);
  // Our own attendances of these volunteers, by (volunteer, activity, Shanghai day).
  const ours = new Set(
    (await repo.attendancesOf(db, [...new Set([...ok.values()].map((d) => d.volunteer.id))])).map(
      (a) =>
        `${a.volunteerId}|${titleKey(a.item ? serviceItemProjectTitle(a.title) : a.title)}|${shanghaiDate(a.checkInAt)}`,
    ),
  );

  const seen = new Set<string>();
  const failedRows = new Set(check.errors.map((e) => e.row));
  const rows: Analysed[] = read.rows.map((r) => {
    const v = r.values;
    const d = ok.get(r.row);
    const key = keys.get(r.row) ?? null;
    let status: TNationalRowStatus = 'error';
    if (d && key && !failedRows.has(r.row)) {
      if (known.has(key) || seen.has(key)) status = 'duplicate';
      else if (
        (d.recordId !== null && PLATFORM_RECORD_ID.test(d.recordId)) ||
        ours.has(`${d.volunteer.id}|${titleKey(v.activity)}|${d.date}`)
      ) {
        status = 'platform';
      } else status = 'new';
      seen.add(key);
    }
    const id = v.idNumber ? checkIdNumber(v.idNumber) : null;
    return {
      row: r.row,
      status,
      name: v.name,
      idNumberMasked: id?.ok
        ? maskIdNumber(id.value)
        : v.idNumber
          ? v.idNumber.slice(0, 6) + '…'
          : null,
      activity: v.activity,
      date: d?.date ?? null,
      minutes: d?.minutes ?? null,
      recordId: d?.recordId ?? null,
      volunteerId: d?.volunteer.id ?? null,
      volunteerName: d?.volunteer.name ?? null,
      key,
    };
  });
  return { sheetName: read.sheetName, headerRow: read.headerRow, rows, check };
}

const PREVIEW_ROWS = 500;

/** What importing the sheet would do, row by row; nothing is written. */
export async function previewNationalHours(
  database: Database,
  actor: Actor,
  file: ImportFile,
): Promise<TNationalHoursPreview> {
  const scope = requirePermission(actor, Permission.VolunteerRealname);
  const a = await analyse(database.db, scope, file);
  const counts = { new: 0, duplicate: 0, platform: 0, error: 0 };
  for (const r of a.rows) counts[r.status]++;
  return {
    sheetName: a.sheetName,
    headerRow: a.headerRow,
    counts,
    newMinutes: a.rows.filter((r) => r.status === 'new').reduce((n, r) => n + r.minutes!, 0),
    errors: [...a.check.errors].sort((x, y) => x.row - y.row),
    rows: a.rows.slice(0, PREVIEW_ROWS).map(({ key: _key, ...r }) => r),
    truncated: a.rows.length > PREVIEW_ROWS,
  };
}

/**
 * Imports the new rows in one transaction with one audit record. A file with bad rows is refused
 * whole (422, every problem listed) unless `skipBadRows`: then the good rows go in and the bad
 * ones are counted as skipped. Rows imported before (the same key) add nothing.
 */
export async function importNationalHours(
  database: Database,
  actor: Actor,
  file: ImportFile,
  opts: { skipBadRows?: boolean } = {},
): Promise<TNationalHoursImportResult> {
  const scope = requirePermission(actor, Permission.VolunteerRealname);
  const a = await analyse(database.db, scope, file);
  const count = (s: TNationalRowStatus) => a.rows.filter((r) => r.status === s).length;
  const fresh = a.rows.filter((r) => r.status === 'new');
  let stored = { inserted: 0, minutes: 0 };
  await commitImport(
    database,
    actor,
    {
      file,
      // With skipBadRows the bad rows are left out rather than refusing the file.
      check: opts.skipBadRows ? importCheck(a.check.columns) : a.check,
      audit: { action: 'volunteer.national_hours_import', entityType: 'volunteer' },
    },
    async (tx) => {
      stored = await repo.insertNationalHours(
        tx,
        fresh.map((r) => ({
          volunteerId: r.volunteerId!,
          recordKey: r.key!,
          nationalRecordId: r.recordId,
          activityTitle: r.activity.slice(0, 200),
          serviceDate: r.date!,
          minutes: r.minutes!,
          importFile: file.filename,
          importedBy: actor.id,
        })),
      );
      return {
        imported: stored.inserted,
        created: stored.inserted,
        updated: 0,
        audit: {
          minutes: stored.minutes,
          duplicates: count('duplicate') + fresh.length - stored.inserted,
          platform: count('platform'),
          skipped: count('error'),
        },
      };
    },
  );
  return {
    imported: stored.inserted,
    // A record another import stored meanwhile is a duplicate too.
    duplicates: count('duplicate') + fresh.length - stored.inserted,
    platform: count('platform'),
    skipped: count('error'),
    minutes: stored.minutes,
  };
}
