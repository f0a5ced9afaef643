import type { Readable } from 'node:stream';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../../../core/calendar/working-days.js';
import type {
  TNationalExportQuery,
  TNationalLayoutInput,
} from '../../../core/contracts/volunteers-national.js';
import { Permission } from '../../../core/permissions.js';
import { maskIdNumber, normalizeIdNumber } from '../../../core/volunteers/id-number.js';
import {
  serviceItemProjectId,
  serviceItemProjectTitle,
} from '../../../core/volunteers/national-hours.js';
import {
  DEFAULT_NATIONAL_LAYOUT,
  layoutProblems,
  NATIONAL_SHEET_LABELS,
  nationalCell,
  type TNationalLayout,
  type TNationalRaw,
  type TNationalSheet,
} from '../../../core/volunteers/national-layout.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { EXPORT_BATCH, keysetPages } from '../../platform/xlsx-import.js';
import { streamSheet, type ColumnSpec } from '../../platform/xlsx.js';
import { minutesOfVolunteers } from './hours.repo.js';
import * as repo from './national.repo.js';
import { idNumberFacts, openIdNumber } from './realname.js';
import { sealedIdNumber, settingValue, upsertSetting, volunteerView } from './volunteers.repo.js';
import { levelOf, withIdSearch } from './volunteers.service.js';

// The national record (全国志愿服务信息系统): the office's layout of the export, the export itself
// (the one place ID numbers leave decrypted), and revealing one volunteer's ID number. Everything
// here needs volunteer.realname, and every use is audited. The import of hours recorded there is
// national-xlsx.ts. docs/volunteers-national-export.md.

const LAYOUT_KEY = 'volunteer_national_layout';

/** The layout in use: the office's saved one, or the default (assumed; see the doc). */
export async function loadLayout(
  db: DbOrTx,
): Promise<{ layout: TNationalLayout; isDefault: boolean }> {
  const saved = (await settingValue(db, LAYOUT_KEY)) as TNationalLayout | undefined;
  // A saved layout that no longer validates (a field dropped by an upgrade) falls back whole.
  if (saved && layoutProblems(saved).length === 0) return { layout: saved, isDefault: false };
  return { layout: DEFAULT_NATIONAL_LAYOUT, isDefault: true };
}

export async function getLayout(database: Database, actor: Actor) {
  requirePermission(actor, Permission.VolunteerRealname);
  return loadLayout(database.db);
}

/** Saves the office's layout (validated by its contract), audited with the one it replaces. */
export async function saveLayout(database: Database, actor: Actor, input: TNationalLayoutInput) {
  requirePermission(actor, Permission.VolunteerRealname);
  await withTx(database, async (tx) => {
    const before = await loadLayout(tx);
    await upsertSetting(tx, LAYOUT_KEY, input, actor.id);
    await writeAudit(tx, actor, {
      action: 'volunteer.national_layout',
      entityType: 'settings',
      entityId: LAYOUT_KEY,
      before: before.layout,
      after: input,
    });
  });
  return loadLayout(database.db);
}

/** A volunteer's ID number in full, for a holder of volunteer.realname; audited each time. */
export async function revealIdNumber(database: Database, actor: Actor, id: number) {
  const scope = requirePermission(actor, Permission.VolunteerRealname);
  return withTx(database, async (tx) => {
    if (!(await volunteerView(tx, id, scope))) throw errors.notFound('volunteer', id);
    const sealed = await sealedIdNumber(tx, id);
    if (!sealed) {
      throw new AppError('not_real_name', 404, {
        zh: '该志愿者未实名登记（没有身份证号）',
        en: 'this volunteer has no ID number on file (未实名)',
      });
    }
    const idNumber = openIdNumber(sealed);
    await writeAudit(tx, actor, {
      action: 'volunteer.id_number_reveal',
      entityType: 'volunteer',
      entityId: id,
      after: { idNumberMasked: maskIdNumber(idNumber) },
    });
    return { idNumber };
  });
}

/** [first instant of `from`, first instant after `to`) in Asia/Shanghai; open ends as null. */
function dayRange(q: { from?: string | undefined; to?: string | undefined }) {
  return [
    q.from ? startOfShanghaiDay(q.from) : null,
    q.to ? startOfShanghaiDay(addDays(q.to, 1)) : null,
  ] as const;
}

const asDate = (v: Date | string | null) => (v === null ? null : new Date(v));

/**
 * One sheet of the national export as XLSX, streamed, in the office's layout. The audit record
 * (what was exported, with which filters, how many rows — volunteers and hours carry decrypted ID
 * numbers) is written before the first byte leaves.
 */
export async function exportNational(
  database: Database,
  actor: Actor,
  q: TNationalExportQuery,
): Promise<{ name: string; stream: Readable }> {
  const scope = requirePermission(actor, Permission.VolunteerRealname);
  const db = database.db;
  const { layout } = await loadLayout(db);
  const sheet: TNationalSheet = q.kind;
  const columns = layout[sheet];
  const [from, to] = dayRange(q);
  const { kind: _kind, from: _from, to: _to, ...filters } = q;
  const registry = withIdSearch(filters);
  const within = levelOf(actor);
  const rows =
    sheet === 'volunteers'
      ? await repo.countNationalVolunteers(db, scope, registry)
      : sheet === 'activities'
        ? (await repo.countNationalActivities(db, from, to, within)) +
          (await repo.countNationalServiceItems(db, from, to, within))
        : await repo.countNationalHours(db, scope, from, to);
  await withTx(database, (tx) =>
    writeAudit(tx, actor, {
      action: 'volunteer.national_export',
      entityType: 'volunteer',
      entityId: null,
      after: {
        sheet,
        // A search by ID number is kept masked, as every record of it.
        filters: {
          ...filters,
          ...(registry.idHash && filters.q
            ? { q: maskIdNumber(normalizeIdNumber(filters.q)) }
            : {}),
          from: q.from ?? null,
          to: q.to ?? null,
        },
        rows,
        decryptedIdNumbers: sheet === 'activities' ? 0 : rows,
      },
    }),
  );

  const cells = (raw: Record<string, TNationalRaw>) =>
    Object.fromEntries(columns.map((c, i) => [`c${i}`, nationalCell(sheet, c, raw[c.field])]));

  async function* volunteerBatches() {
    const pages = keysetPages((after) =>
      repo.nationalVolunteersAfter(db, scope, registry, after, EXPORT_BATCH),
    );
    for await (const page of pages) {
      const minutes = await minutesOfVolunteers(
        db,
        page.map((v) => v.id),
      );
      yield page.map((v) => {
        const idNumber = openIdNumber(v.idNumberEnc!);
        return cells({
          name: v.name,
          idNumber,
          ...idNumberFacts(idNumber),
          phone: v.phone,
          region: v.regionName,
          regionCode: v.regionCode,
          team: v.teamName,
          organisation: v.organisation,
          skills: v.skills.join('、'),
          hours: minutes.get(v.id) ?? 0,
          registeredAt: v.createdAt,
          platformId: String(v.id),
        });
      });
    }
  }
  async function* activityBatches() {
    const pages = keysetPages((after) =>
      repo.nationalActivitiesAfter(db, from, to, within, after, EXPORT_BATCH),
    );
    for await (const page of pages) {
      yield page.map((a) =>
        cells({
          title: a.title,
          description: a.description,
          startsAt: asDate(a.starts_at),
          endsAt: asDate(a.ends_at),
          place: a.place,
          region: a.region_name,
          regionCode: a.region_code,
          organiser: a.organiser,
          team: a.team,
          capacity: a.capacity,
          attended: Number(a.attended),
          hours: Number(a.minutes),
          platformId: String(a.id),
        }),
      );
    }
    // Then 点单派单: each menu item served in the range as one project, after the activities.
    const items = keysetPages((after) =>
      repo.nationalServiceItemsAfter(db, from, to, within, after, EXPORT_BATCH),
    );
    for await (const page of items) {
      yield page.map((i) =>
        cells({
          title: serviceItemProjectTitle(i.name),
          description: i.description,
          startsAt: asDate(i.starts_at),
          endsAt: asDate(i.ends_at),
          place: i.place,
          region: i.region_name,
          regionCode: i.region_code,
          organiser: i.place,
          team: i.team,
          capacity: Number(i.capacity),
          attended: Number(i.attended),
          hours: Number(i.minutes),
          platformId: serviceItemProjectId(i.id),
        }),
      );
    }
  }
  async function* hourBatches() {
    const pages = keysetPages((after) =>
      repo.nationalHoursAfter(db, scope, from, to, after, EXPORT_BATCH),
    );
    for await (const page of pages) {
      yield page.map((h) => {
        const checkIn = new Date(h.check_in_at);
        return cells({
          name: h.name,
          idNumber: openIdNumber(h.id_number_enc),
          phone: h.phone,
          activity: h.item_id === null ? h.title : serviceItemProjectTitle(h.title),
          activityId: h.item_id === null ? String(h.activity_id) : serviceItemProjectId(h.item_id),
          date: checkIn,
          startsAt: checkIn,
          // No check-out: credited to the scheduled end (the ledger's rule), so that is the end
          // (for an order, when it was marked done).
          endsAt: asDate(h.check_out_at) ?? asDate(h.ends_at),
          hours: Number(h.minutes),
          recordId: `CC-A${h.id}`,
        });
      });
    }
  }

  const specs: ColumnSpec<string>[] = columns.map((c, i) => ({
    key: `c${i}`,
    header: c.header,
    width: c.field === 'idNumber' ? 22 : Math.max(10, Math.min(30, c.header.length * 2 + 4)),
  }));
  const batches =
    sheet === 'volunteers'
      ? volunteerBatches()
      : sheet === 'activities'
        ? activityBatches()
        : hourBatches();
  const label = NATIONAL_SHEET_LABELS[sheet].zh;
  return {
    name: `全国志愿服务信息系统-${label}-${shanghaiDate(new Date())}.xlsx`,
    stream: streamSheet(label, specs, batches),
  };
}
