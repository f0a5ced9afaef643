import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TRowError } from '../../../core/contracts/common.js';
import {
  HOTLINE_DEFAULT_HEADERS,
  HOTLINE_FIELDS,
  ZCreateProblemRequestSchema,
  type TCreateProblemRequest,
  type THotlineField,
  type THotlineOrder,
} from '../../../core/contracts/problems.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { readTable, type ColumnSpec } from '../../platform/xlsx.js';
import { regionIdsByCodeOrName } from '../org/regions.repo.js';
import { createProblem, intakeProblem, type IntakeOptions } from './problems.service.js';
import * as repo from './problems.repo.js';

/** The hotline acts as the office's intake desk: its orders arrive reported, on channel `hotline`. */
export const HOTLINE_ACTOR: Actor = {
  ...SYSTEM_ACTOR,
  username: 'hotline',
  name: '12345热线',
  roles: ['office'],
};

/** Category id by code or name (小类 first); undefined when unknown. */
async function categoryLookup(db: DbOrTx): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  const cats = await repo.listCategories(db);
  for (const c of [...cats].sort(
    (a, b) => (a.parentId === null ? 1 : 0) - (b.parentId === null ? 1 : 0),
  )) {
    if (!c.active) continue;
    if (!map.has(c.code)) map.set(c.code, c.id);
    if (!map.has(c.name)) map.set(c.name, c.id);
  }
  return map;
}

function toRequest(
  o: { orderNo: string; title?: string; content: string; lat?: number; lng?: number } & Partial<
    Record<'address' | 'reporterName' | 'reporterPhone', string>
  >,
  categoryId: number,
  regionId: number | null,
): TCreateProblemRequest {
  const title = o.title || o.content.replace(/\s+/g, ' ').slice(0, 40);
  return {
    title: title.length >= 2 ? title : `12345工单${o.orderNo}`,
    description: o.content,
    categoryId,
    severity: 'normal',
    channel: 'hotline',
    externalRef: o.orderNo,
    regionId,
    address: o.address || null,
    lat: o.lat ?? null,
    lng: o.lng ?? null,
    reporterName: o.reporterName || null,
    reporterPhone: o.reporterPhone || null,
  };
}

/**
 * Imports a 12345 export (XLSX or CSV, UTF-8 or GB18030) with a column mapping. Every row is checked
 * first; one bad row and nothing is imported. Orders already in the ledger are skipped, so the same
 * file can be imported twice.
 */
export async function importHotline(
  database: Database,
  actor: Actor,
  file: { data: Buffer; filename: string },
  mapping: Partial<Record<THotlineField, string>>,
  defaultCategoryId: number | null,
  opts: IntakeOptions,
): Promise<{ imported: number; created: number; skipped: number }> {
  requirePermission(actor, Permission.IntegrationManage);
  const columns: ColumnSpec<THotlineField>[] = HOTLINE_FIELDS.map((f) => ({
    key: f,
    header: mapping[f] ?? HOTLINE_DEFAULT_HEADERS[f],
    required: f === 'orderNo' || f === 'content',
  }));
  const { rows, headerErrors } = await readTable(file.data, file.filename, columns);
  if (headerErrors.length) throw errors.badImport(headerErrors);
  if (!rows.length)
    throw errors.badImport([
      { row: 2, column: '-', reason: '文件没有数据行 / the file has no data rows' },
    ]);
  const col = (f: THotlineField) => columns.find((c) => c.key === f)!.header;
  const categories = await categoryLookup(database.db);
  const regions = await regionIdsByCodeOrName(database.db);
  if (defaultCategoryId !== null && ![...categories.values()].includes(defaultCategoryId)) {
    throw errors.notFound('category', defaultCategoryId);
  }
  const errs: TRowError[] = [];
  const seen = new Map<string, number>();
  const requests: { row: number; req: TCreateProblemRequest }[] = [];
  for (const r of rows) {
    const v = r.values;
    const before = errs.length;
    const first = seen.get(v.orderNo);
    if (first)
      errs.push({
        row: r.row,
        column: col('orderNo'),
        reason: `与第 ${first} 行工单编号重复 / duplicates row ${first}`,
      });
    else seen.set(v.orderNo, r.row);
    const categoryId = v.category ? categories.get(v.category) : (defaultCategoryId ?? undefined);
    if (categoryId === undefined) {
      errs.push({
        row: r.row,
        column: col('category'),
        reason: v.category
          ? `未知的问题类别“${v.category}” / unknown category`
          : '缺少问题类别且未指定默认类别 / no category and no default',
      });
    }
    const regionId = v.region ? (regions.get(v.region) ?? null) : null;
    if (v.region && regionId === null) {
      errs.push({
        row: r.row,
        column: col('region'),
        reason: `区域“${v.region}”不存在 / region not found`,
      });
    }
    const num = (f: 'lat' | 'lng') => {
      if (!v[f]) return undefined;
      const n = Number(v[f]);
      if (!Number.isFinite(n))
        errs.push({ row: r.row, column: col(f), reason: '应为数字 / must be a number' });
      return n;
    };
    const lat = num('lat');
    const lng = num('lng');
    if (errs.length > before || categoryId === undefined) continue;
    const req = toRequest({ ...v, lat, lng }, categoryId, regionId);
    const parsed = ZCreateProblemRequestSchema.safeParse(req);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const header =
          field === 'externalRef'
            ? col('orderNo')
            : field === 'description'
              ? col('content')
              : (columns.find((c) => c.key === field)?.header ?? field);
        errs.push({ row: r.row, column: header, reason: issue.message });
      }
      continue;
    }
    requests.push({ row: r.row, req: parsed.data });
  }
  if (errs.length) throw errors.badImport(errs.sort((a, b) => a.row - b.row));

  // This year's sequence, and next year's when the year is about to turn.
  for (const at of [Date.now(), Date.now() + 60_000]) {
    await repo.ensureCodeSequence(database, Number(shanghaiDate(new Date(at)).slice(0, 4)));
  }
  return withTx(database, async (tx) => {
    let created = 0;
    for (const { req } of requests) {
      const res = await intakeProblem(tx, HOTLINE_ACTOR, req, opts);
      if (res.created) created++;
    }
    const result = { imported: requests.length, created, skipped: requests.length - created };
    await writeAudit(tx, actor, {
      action: 'problem.import_hotline',
      entityType: 'problem',
      after: { file: file.filename, ...result },
    });
    return result;
  });
}

/** Checks `x-signature: sha256=<hex>` (HMAC-SHA256 of `<x-timestamp>.<raw body>`) within 5 minutes. */
export function verifyHotlineSignature(
  secret: string,
  raw: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  now = Date.now(),
): void {
  const bad = (en: string, zh: string) => new AppError('bad_signature', 401, { zh, en });
  if (!timestamp || !signature)
    throw bad('missing x-timestamp or x-signature header', '缺少签名头');
  const ts = Number(timestamp);
  if (!Number.isFinite(ts) || Math.abs(now - ts * 1000) > 5 * 60_000) {
    throw bad('the timestamp is more than 5 minutes off', '签名时间戳已过期');
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest();
  const given = Buffer.from(signature.replace(/^sha256=/, ''), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw bad('the signature does not match', '签名不正确');
  }
}

/** One pushed order: idempotent on the order number. */
export async function receiveHotlineOrder(
  database: Database,
  order: THotlineOrder,
  opts: IntakeOptions,
): Promise<{ id: number; code: string; created: boolean }> {
  const categories = await categoryLookup(database.db);
  const regions = await regionIdsByCodeOrName(database.db);
  // An order whose category we do not know lands in 待分类 for the office to sort out.
  const categoryId =
    (order.category ? categories.get(order.category) : undefined) ?? categories.get('QT01');
  if (categoryId === undefined) throw errors.notFound('category', order.category ?? '-');
  const regionId = order.region ? (regions.get(order.region) ?? null) : null;
  const { detail, created } = await createProblem(
    database,
    HOTLINE_ACTOR,
    toRequest(order, categoryId, regionId),
    opts,
  );
  return { id: detail.problem.id, code: detail.problem.code, created };
}
