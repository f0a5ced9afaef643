import type { Readable } from 'node:stream';
import { formatShanghai } from '../../../core/calendar/working-days.js';
import type { TImportResult } from '../../../core/contracts/common.js';
import {
  VOLUNTEER_STATUS_LABELS,
  ZVolunteerInputSchema,
  type TListVolunteersQuery,
  type TVolunteerInput,
} from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
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
import { minutesOfVolunteers } from './hours.repo.js';
import { monthlyRecord } from './hours.service.js';
import * as repo from './volunteers.repo.js';
import { volunteerValues } from './volunteers.repo.js';
import { levelOf, volunteerPhone, withIdSearch } from './volunteers.service.js';
import { duplicateIdNumber, idNumberColumns, idNumberHash } from './realname.js';
import {
  checkIdNumber,
  isMaskedIdNumber,
  maskIdNumber,
  normalizeIdNumber,
} from '../../../core/volunteers/id-number.js';

type Key =
  | 'name'
  | 'phone'
  | 'idNumber'
  | 'organisation'
  | 'team'
  | 'skills'
  | 'region'
  | 'status'
  | 'hours';

export const VOLUNTEER_COLUMNS: ColumnSpec<Key>[] = [
  { key: 'name', header: '姓名', aliases: ['name', '志愿者姓名'], required: true, width: 12 },
  {
    key: 'phone',
    header: '手机号',
    aliases: ['电话', '联系电话', 'phone'],
    required: true,
    width: 14,
  },
  {
    key: 'idNumber',
    header: '身份证号',
    aliases: ['身份证号码', '证件号码', '公民身份号码', 'idNumber'],
    width: 22,
  },
  { key: 'organisation', header: '所在单位', aliases: ['单位', 'organisation'], width: 22 },
  { key: 'team', header: '志愿服务队', aliases: ['服务队', '队伍', 'team'], width: 20 },
  { key: 'skills', header: '特长', aliases: ['技能', 'skills'], width: 20 },
  { key: 'region', header: '所属社区', aliases: ['社区', '区划', 'region'], width: 16 },
  { key: 'status', header: '状态', aliases: ['status'], width: 8 },
  { key: 'hours', header: '服务时长(小时)', aliases: ['服务时长', 'hours'], width: 12 },
];
/** 2026-12-05 09:00 in Asia/Shanghai. */
const formatTime = (iso: string) => formatShanghai(new Date(iso));
const normPhone = (s: string) => s.replace(/[\s-]/g, '');

/**
 * Imports volunteers (all or nothing: every row is checked first, one bad row rejects the file);
 * a known phone updates that volunteer, a new one adds them. Teams must exist; regions by code or name.
 * The hours column of an export is ignored: hours come only from attendance and corrections.
 * 身份证号: a full, valid one is set (sealed; refused when it is another volunteer's); a blank or
 * masked one (an export read back) leaves the volunteer's as it is.
 * An office below the city imports its own volunteers: a blank region is its own, a region, a
 * team or a known phone outside its subtree is a problem on its row.
 */
export async function importVolunteers(
  database: Database,
  actor: Actor,
  file: ImportFile,
  opts: { dryRun?: boolean } = {},
): Promise<TImportResult> {
  requirePermission(actor, Permission.VolunteerWrite);
  const rows = await readImportRows(file, VOLUNTEER_COLUMNS);
  const check = importCheck(VOLUNTEER_COLUMNS);
  check.unique(rows, 'phone', (v) => normPhone(v.phone));
  const fullId = (text: string) => (text && !isMaskedIdNumber(text) ? normalizeIdNumber(text) : '');
  check.unique(rows, 'idNumber', (v) => fullId(v.idNumber));
  // Who holds the sheet's ID numbers already (by hash): a row may only set its own volunteer's.
  const holders = await repo.phonesByIdHash(
    database.db,
    [...new Set(rows.map((r) => fullId(r.values.idNumber)).filter((t) => checkIdNumber(t).ok))].map(
      idNumberHash,
    ),
  );
  const regionByKey = await regionIdsByCodeOrName(database.db);
  const own = levelOf(actor);
  const teams = new Map(
    (own === null ? await repo.teamNames(database.db) : await repo.listTeams(database.db, own)).map(
      (t) => [t.name, t.id],
    ),
  );
  const inside = own === null ? null : await regionIdsWithin(database.db, own);
  const knownRegions =
    own === null
      ? null
      : await repo.volunteerRegionsByPhone(
          database.db,
          rows.map((r) => normPhone(r.values.phone)).filter(Boolean),
        );
  const parsed = check.rows(rows, (r): TVolunteerInput | undefined => {
    const v = r.values;
    const regionId = r.lookup('region', regionByKey, { zh: '区划', en: 'region' }) ?? own;
    if (inside && !r.failed('region') && (regionId === null || !inside.has(regionId))) {
      r.fail('region', outsideMessage({ zh: '该志愿者的所属区划', en: "The volunteer's region" }));
    }
    const known = knownRegions?.get(normPhone(v.phone));
    if (inside && known !== undefined && (known === null || !inside.has(known))) {
      r.fail(
        'phone',
        outsideMessage({ zh: '该手机号的志愿者', en: 'The volunteer of this phone' }),
      );
    }
    const teamId = r.lookup('team', teams, { zh: '服务队', en: 'team' });
    const status = r.option(
      'status',
      VOLUNTEER_STATUS_LABELS,
      { zh: '状态', en: 'status' },
      {
        blank: 'active',
      },
    );
    const idNumber = fullId(v.idNumber);
    if (idNumber && checkIdNumber(idNumber).ok) {
      const holder = holders.get(idNumberHash(idNumber));
      if (holder !== undefined && holder !== normPhone(v.phone)) {
        r.fail('idNumber', duplicateIdNumber(maskIdNumber(idNumber)).extra.fields![0]!.message);
      }
    }
    const result = ZVolunteerInputSchema.safeParse({
      name: v.name,
      phone: v.phone,
      ...(idNumber ? { idNumber } : {}),
      organisation: v.organisation || null,
      teamId,
      skills: splitList(v.skills),
      regionId,
      status: status ?? 'active',
    });
    if (!result.success) r.failZod(result.error);
    return result.data;
  });

  const audit = { action: 'volunteer.import', entityType: 'volunteer' };
  return commitImport(database, actor, { file, check, audit, ...opts }, (tx) =>
    upsertByKey(
      parsed.map((p) => p.data),
      {
        key: (d) => d.phone,
        known: (phones) => repo.volunteerIdsByPhone(tx, phones),
        values: (d) => ({
          ...volunteerValues(d),
          ...(d.idNumber ? idNumberColumns(d.idNumber) : {}),
          name: d.name,
          phone: d.phone,
        }),
        update: (id, values) => repo.overwriteVolunteer(tx, id, values),
        insert: (values) => repo.insertVolunteers(tx, values),
      },
    ),
  );
}

/**
 * The filtered registry as XLSX, streamed (the same columns the import reads; phones as the reader
 * may see them, ID numbers masked).
 */
export function exportVolunteers(
  database: Database,
  actor: Actor,
  q: Omit<TListVolunteersQuery, 'limit' | 'cursor'>,
): Readable {
  const scope = requirePermission(actor, Permission.VolunteerRead);
  async function* batches() {
    const codes = await regionCodesById(database.db);
    const teams = new Map((await repo.teamNames(database.db)).map((t) => [t.id, t.name]));
    const filters = withIdSearch(q);
    const pages = keysetPages((after) =>
      repo.volunteersAfter(database.db, scope, filters, after, EXPORT_BATCH),
    );
    for await (const rows of pages) {
      const minutes = await minutesOfVolunteers(
        database.db,
        rows.map((r) => r.id),
      );
      yield rows.map((v) => ({
        name: v.name,
        phone: volunteerPhone(actor, v.phone),
        // Masked for everyone: ID numbers leave in full only through the national export.
        idNumber: v.idNumberMasked,
        organisation: v.organisation,
        team: v.teamId === null ? null : (teams.get(v.teamId) ?? null),
        skills: v.skills.join('、'),
        region: v.regionId === null ? null : (codes.get(v.regionId) ?? null),
        status: VOLUNTEER_STATUS_LABELS[v.status].zh,
        hours: Math.round(((minutes.get(v.id) ?? 0) / 60) * 10) / 10,
      }));
    }
  }
  return streamSheet('志愿者', VOLUNTEER_COLUMNS, batches());
}

type MKey = 'title' | 'startsAt' | 'endsAt' | 'signedUp' | 'attended' | 'hours';
const MONTHLY_COLUMNS: ColumnSpec<MKey>[] = [
  { key: 'title', header: '活动名称', width: 30 },
  { key: 'startsAt', header: '开始时间', width: 18 },
  { key: 'endsAt', header: '结束时间', width: 18 },
  { key: 'signedUp', header: '报名人数', width: 10 },
  { key: 'attended', header: '签到人数', width: 10 },
  { key: 'hours', header: '服务时长(小时)', width: 14 },
];

/** A station's monthly activity record as XLSX (the evidence file for the standards). */
export async function exportMonthlyRecord(
  database: Database,
  actor: Actor,
  placeId: number,
  month: string,
): Promise<{ name: string; stream: Readable }> {
  const rec = await monthlyRecord(database, actor, placeId, month);
  async function* batches() {
    await Promise.resolve();
    yield [
      ...rec.activities.map((a) => ({
        title: a.title,
        startsAt: formatTime(a.startsAt),
        endsAt: formatTime(a.endsAt),
        signedUp: a.signedUp,
        attended: a.attended,
        hours: Math.round((a.minutes / 60) * 10) / 10,
      })),
      {
        title: `合计 ${rec.totals.activities} 场`,
        startsAt: null,
        endsAt: null,
        signedUp: null,
        attended: rec.totals.attended,
        hours: Math.round((rec.totals.minutes / 60) * 10) / 10,
      },
    ];
  }
  return {
    name: `${rec.place.name}-${month}-活动记录.xlsx`,
    stream: streamSheet(`${month} 活动记录`, MONTHLY_COLUMNS, batches()),
  };
}
