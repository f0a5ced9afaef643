import { createHash, randomBytes } from 'node:crypto';
import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import {
  OPEN311_CHANNELS,
  type TOpen311Attribute,
  type TOpen311Client,
  type TOpen311Post,
  type TOpen311Query,
  type TOpen311Request,
  type TOpen311Service,
} from '../../../core/contracts/open311.js';
import { pointInArea } from '../../../core/geo/polygon.js';
import { Permission } from '../../../core/permissions.js';
import { PROBLEM_STATE_LABELS, type TProblemState } from '../../../core/problems/lifecycle.js';
import { execRows, type Database, type DbOrTx } from '../../db/client.js';
import { citizenReports, open311Clients, problemCategories } from '../../db/schema/index.js';
import { requirePermission, SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import { withTx } from '../../platform/tx.js';
import { findByExternalRef } from '../problems/problems.repo.js';
import {
  ensureCodeSequences,
  intakeProblem,
  isUniqueViolation,
} from '../problems/problems.service.js';
import { getJurisdiction, newTrackingCode } from './citizen.service.js';

const MAX_ORDER_NO = 40;

type Channel = (typeof OPEN311_CHANNELS)[number];
type ClientRow = typeof open311Clients.$inferSelect;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function open311Error(status: number, zh: string, en: string): AppError {
  return new AppError('open311', status, { zh, en });
}

// ----- Services: the active subcategories of the problem taxonomy ------------------------------

async function serviceRows(db: DbOrTx) {
  const all = await db
    .select()
    .from(problemCategories)
    .orderBy(problemCategories.sortOrder, problemCategories.id);
  const names = new Map(all.map((c) => [c.id, c.name]));
  return all
    .filter((c) => c.active && c.parentId !== null)
    .map((c) => ({ id: c.id, code: c.code, name: c.name, group: names.get(c.parentId!) ?? '' }));
}

export async function listServices(database: Database): Promise<TOpen311Service[]> {
  return (await serviceRows(database.db)).map((c) => ({
    service_code: c.code,
    service_name: c.name,
    description: `${c.group} / ${c.name}`,
    metadata: true,
    type: 'realtime',
    keywords: c.group,
    group: c.group,
  }));
}

/** The attributes every service takes: the client's order number and the urgency. */
const ATTRIBUTES: TOpen311Attribute[] = [
  {
    variable: true,
    code: 'order_no',
    datatype: 'string',
    required: false,
    datatype_description: `至多 ${MAX_ORDER_NO} 个字符 / at most ${MAX_ORDER_NO} characters`,
    order: 1,
    description:
      '来源工单编号：同一编号重复提交不会重复立案 / the client’s own order number: sending it again does not file a second problem',
  },
  {
    variable: true,
    code: 'urgency',
    datatype: 'singlevaluelist',
    required: false,
    datatype_description: '',
    order: 2,
    description: '紧急程度 / urgency',
    values: [
      { key: 'normal', name: '一般 / normal' },
      { key: 'urgent', name: '紧急 / urgent' },
    ],
  },
];

export async function serviceDefinition(database: Database, code: string) {
  const service = (await serviceRows(database.db)).find((c) => c.code === code);
  if (!service) throw open311Error(404, `没有服务 ${code}`, `no service ${code}`);
  return { service_code: service.code, attributes: ATTRIBUTES };
}

// ----- POST requests ---------------------------------------------------------------------------

async function authenticate(database: Database, apiKey: string | undefined): Promise<ClientRow> {
  if (!apiKey) throw open311Error(403, '缺少 api_key', 'api_key is required');
  const [client] = await database.db
    .select()
    .from(open311Clients)
    .where(eq(open311Clients.keyHash, hashKey(apiKey)));
  if (!client?.active) throw open311Error(403, 'api_key 无效或已停用', 'invalid api_key');
  return client;
}

function attributeValues(input: TOpen311Post) {
  const known = new Set(ATTRIBUTES.map((a) => a.code));
  const unknown = Object.keys(input.attribute).filter((k) => !known.has(k));
  if (unknown.length) {
    throw open311Error(
      400,
      `未知的属性：${unknown.join(', ')}`,
      `unknown attribute: ${unknown.join(', ')}`,
    );
  }
  const orderNo = input.attribute.order_no?.trim() || null;
  if (orderNo && orderNo.length > MAX_ORDER_NO) {
    throw open311Error(
      400,
      `order_no 不能超过 ${MAX_ORDER_NO} 个字符`,
      `order_no is longer than ${MAX_ORDER_NO} characters`,
    );
  }
  const urgency = input.attribute.urgency ?? 'normal';
  if (urgency !== 'normal' && urgency !== 'urgent') {
    throw open311Error(400, 'urgency 只能是 normal 或 urgent', 'urgency must be normal or urgent');
  }
  const severity: 'normal' | 'urgent' = urgency === 'urgent' ? 'urgent' : 'normal';
  return { orderNo, severity };
}

function descriptionOf(input: TOpen311Post): string | null {
  const parts = [input.description?.trim()].filter(Boolean) as string[];
  // Photos hosted elsewhere are linked, never fetched (no requests to addresses a client names).
  if (input.media_url) parts.push(`图片链接 / media: ${input.media_url}`);
  const text = parts.join('\n');
  return text ? text.slice(0, 2000) : null;
}

export interface Open311Created {
  created: boolean;
  serviceRequestId: string;
}

/** A request from a trusted client, filed through the one intake like every other channel. */
export async function submitRequest(
  database: Database,
  input: TOpen311Post,
  ip: string | null,
  perMinute: number,
): Promise<Open311Created> {
  const client = await authenticate(database, input.api_key);
  await takeRateLimits(database, [
    { key: `open311:${client.id}`, limit: perMinute, windowMs: 60_000 },
  ]);
  const service = (await serviceRows(database.db)).find((c) => c.code === input.service_code);
  if (!service) {
    throw open311Error(
      400,
      `service_code 不存在：${input.service_code}`,
      `no service has the code ${input.service_code}`,
    );
  }
  const { orderNo, severity } = attributeValues(input);
  if (input.lat !== undefined && input.long !== undefined) {
    const jurisdiction = await getJurisdiction(database.db);
    if (jurisdiction && !pointInArea(input.long, input.lat, jurisdiction.geometry)) {
      throw open311Error(
        400,
        `位置不在${jurisdiction.name}范围内`,
        `the location is outside ${jurisdiction.name}`,
      );
    }
  }
  const actor: Actor = {
    ...SYSTEM_ACTOR,
    username: `open311:${client.id}`,
    name: client.name,
    roles: ['office'],
    ip,
  };
  const channel = client.channel as Channel;
  const externalRef = orderNo ? `O311-${client.id}-${orderNo}` : null;
  const reporterName =
    [input.last_name, input.first_name].filter(Boolean).join('') || client.name.slice(0, 50);
  await ensureCodeSequences(database);
  try {
    return await withTx(database, async (tx) => {
      const { detail, created } = await intakeProblem(tx, actor, {
        title: `${client.name}：${service.name}`.slice(0, 100),
        description: descriptionOf(input),
        categoryId: service.id,
        severity,
        channel,
        lat: input.lat ?? null,
        lng: input.long ?? null,
        address: input.address_string ?? input.address_id ?? null,
        reporterName,
        reporterPhone: input.phone ?? null,
        externalRef,
      });
      if (!created) return { created, serviceRequestId: await codeOf(tx, detail.problem.id) };
      const trackingCode = newTrackingCode();
      await tx.insert(citizenReports).values({
        problemId: detail.problem.id,
        trackingCode,
        ip,
        open311ClientId: client.id,
      });
      return { created, serviceRequestId: trackingCode };
    });
  } catch (err) {
    // The same order sent twice at once: the second gets the first one's request id.
    if (!externalRef || !isUniqueViolation(err)) throw err;
    const existing = await findByExternalRef(database.db, channel, externalRef);
    if (!existing) throw err;
    return { created: false, serviceRequestId: await codeOf(database.db, existing.id) };
  }
}

async function codeOf(db: DbOrTx, problemId: number): Promise<string> {
  const [row] = await db
    .select({ code: citizenReports.trackingCode })
    .from(citizenReports)
    .where(eq(citizenReports.problemId, problemId));
  if (!row) throw new Error(`open311 problem ${problemId} has no tracking code`);
  return row.code;
}

// ----- GET requests ----------------------------------------------------------------------------

/**
 * Who reads (docs/api.md, "Who sees what"): anyone without a key sees only what the office
 * published on the 曝光台, in its public form; a client's key sees in full the requests it filed,
 * and the published ones in their public form.
 */
export type Open311Reader = { kind: 'public' } | { kind: 'client'; clientId: number };

/** The reader a GET names: no key (or an empty one) is the public; a wrong or revoked key is 403. */
export async function readerOf(
  database: Database,
  apiKey: string | undefined,
): Promise<Open311Reader> {
  if (!apiKey) return { kind: 'public' };
  const client = await authenticate(database, apiKey);
  return { kind: 'client', clientId: client.id };
}

interface RequestRow {
  problem_id: number | string;
  tracking_code: string;
  client_id: number | null;
  pub_title: string | null;
  pub_note: string | null;
  requested: Date;
  updated: Date;
  description: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  state: TProblemState;
  deadline: Date | null;
  service_code: string;
  service_name: string;
  unit_name: string | null;
  reject_note: string | null;
  photo: string | null;
}

const CLOSED_STATES = sql`('closed', 'rejected')`;
const DAY = 86_400_000;
/** Public positions are rounded to 3 decimals: about 100 m, a block rather than a doorstep. */
const PUBLIC_DECIMALS = 3;

/** The rows this reader may see at all: the published ones, and a client's own. */
function visibleTo(reader: Open311Reader): SQL {
  return reader.kind === 'client'
    ? sql`(ex.problem_id is not null or cr.open311_client_id = ${reader.clientId})`
    : sql`ex.problem_id is not null`;
}

/**
 * Ids a reader may look requests up by: a published request's public id (the problem's number, as
 * on the 曝光台) by anyone, a tracking code only by the client that filed it — tracking codes stay
 * between the citizen, the office and that client.
 */
function idsMatch(ids: string[], reader: Open311Reader): SQL {
  const numbers = ids.filter((s) => /^\d{1,15}$/.test(s)).map(Number);
  const codes = ids.filter((s) => !/^\d+$/.test(s)).map((s) => s.toUpperCase());
  const conds: SQL[] = [];
  if (numbers.length) conds.push(sql`p.id in ${numbers}`);
  if (codes.length && reader.kind === 'client') {
    conds.push(sql`(cr.tracking_code in ${codes} and cr.open311_client_id = ${reader.clientId})`);
  }
  return conds.length ? sql`(${sql.join(conds, sql` or `)})` : sql`false`;
}

function requestQuery(where: SQL, limit: number, offset: number): SQL {
  return sql`
    select cr.problem_id, cr.tracking_code, cr.open311_client_id as client_id,
           ex.title as pub_title, ex.note as pub_note,
           cr.created_at as requested,
           greatest(p.updated_at, h.updated_at) as updated,
           p.description, p.address, p.lat, p.lng,
           coalesce(h.state, p.state) as state, coalesce(h.deadline, p.deadline) as deadline,
           c.code as service_code, c.name as service_name, u.name as unit_name,
           (select e.note from problem_events e
             where e.problem_id = coalesce(h.id, p.id) and e.action = 'reject'
             order by e.at desc limit 1) as reject_note,
           (select ph.file_id from problem_photos ph
             where ph.problem_id = p.id and ph.stage = 'before'
             order by ph.id limit 1) as photo
      from citizen_reports cr
      join problems p on p.id = cr.problem_id
      left join problems h on h.id = p.merged_into_id
      left join exposures ex on ex.problem_id = p.id
      join problem_categories c on c.id = p.category_id
      left join units u on u.id = coalesce(h.unit_id, p.unit_id)
     where ${where}
     order by cr.created_at desc, cr.problem_id desc
     limit ${limit} offset ${offset}`;
}

function statusLabel(state: TProblemState, lang: 'zh' | 'en'): string {
  const label = PROBLEM_STATE_LABELS[state];
  return lang === 'en' ? label.en : label.zh;
}

function roundCoord(v: number | null): number | null {
  if (v === null) return null;
  const f = 10 ** PUBLIC_DECIMALS;
  return Math.round(Number(v) * f) / f;
}

/** The client's own request, in full: what its tracking page shows, with the exact place. */
function presentFull(r: RequestRow, baseUrl: string, lang: 'zh' | 'en'): TOpen311Request {
  const closed = r.state === 'closed' || r.state === 'rejected';
  const label = statusLabel(r.state, lang);
  return {
    service_request_id: r.tracking_code,
    status: closed ? 'closed' : 'open',
    status_notes: r.state === 'rejected' && r.reject_note ? `${label}: ${r.reject_note}` : label,
    service_name: r.service_name,
    service_code: r.service_code,
    description: r.description,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: new Date(r.requested).toISOString(),
    updated_datetime: new Date(r.updated).toISOString(),
    expected_datetime: r.deadline ? new Date(r.deadline).toISOString() : null,
    address: r.address,
    address_id: null,
    zipcode: null,
    lat: r.lat,
    long: r.lng,
    media_url: r.photo ? `${baseUrl}/api/public/track/${r.tracking_code}/photos/${r.photo}` : null,
  };
}

/**
 * A published request as the 曝光台 shows it: the office's wording instead of the citizen's text,
 * no address, the position rounded, the photo through the board's own photo route (which serves
 * only photos of published problems), and no tracking code: the public id is the problem's number.
 */
function presentPublic(r: RequestRow, baseUrl: string, lang: 'zh' | 'en'): TOpen311Request {
  const id = String(r.problem_id);
  const closed = r.state === 'closed' || r.state === 'rejected';
  return {
    service_request_id: id,
    status: closed ? 'closed' : 'open',
    status_notes: statusLabel(r.state, lang),
    service_name: r.service_name,
    service_code: r.service_code,
    description: r.pub_note ? `${r.pub_title}\n${r.pub_note}` : r.pub_title,
    agency_responsible: r.unit_name,
    service_notice: null,
    requested_datetime: new Date(r.requested).toISOString(),
    updated_datetime: new Date(r.updated).toISOString(),
    expected_datetime: r.deadline ? new Date(r.deadline).toISOString() : null,
    address: null,
    address_id: null,
    zipcode: null,
    lat: roundCoord(r.lat),
    long: roundCoord(r.lng),
    media_url: r.photo ? `${baseUrl}/api/public/exposure/${id}/photos/${r.photo}` : null,
  };
}

function present(
  r: RequestRow,
  reader: Open311Reader,
  baseUrl: string,
  lang: 'zh' | 'en',
): TOpen311Request {
  const own = reader.kind === 'client' && r.client_id !== null && r.client_id === reader.clientId;
  return own ? presentFull(r, baseUrl, lang) : presentPublic(r, baseUrl, lang);
}

/**
 * The requests citizens and clients filed (随手拍 and Open311 — never the office's own or the
 * inspectors' problems) that this reader may see (`visibleTo`), each in the form it may see.
 */
export async function listRequests(
  database: Database,
  q: TOpen311Query,
  reader: Open311Reader,
  baseUrl: string,
  lang: 'zh' | 'en',
): Promise<TOpen311Request[]> {
  const conds: SQL[] = [visibleTo(reader)];
  if (q.service_request_id?.length) {
    // The spec: with ids given, the other filters are ignored.
    conds.push(idsMatch(q.service_request_id, reader));
  } else {
    const end = q.end_date ? new Date(q.end_date) : new Date();
    const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - 90 * DAY);
    if (start > end) {
      throw open311Error(400, 'start_date 晚于 end_date', 'start_date is after end_date');
    }
    conds.push(sql`cr.created_at >= ${start} and cr.created_at <= ${end}`);
    if (q.service_code?.length) conds.push(sql`c.code in ${q.service_code}`);
    if (q.status?.length === 1) {
      conds.push(
        q.status[0] === 'closed'
          ? sql`coalesce(h.state, p.state) in ${CLOSED_STATES}`
          : sql`coalesce(h.state, p.state) not in ${CLOSED_STATES}`,
      );
    }
  }
  const rows = await execRows<RequestRow>(
    database.db,
    requestQuery(and(...conds)!, q.page_size, (q.page - 1) * q.page_size),
  );
  return rows.map((r) => present(r, reader, baseUrl, lang));
}

/** One request by its id; 404 (the same answer as for an unknown id) when this reader may not see it. */
export async function getRequest(
  database: Database,
  id: string,
  reader: Open311Reader,
  baseUrl: string,
  lang: 'zh' | 'en',
): Promise<TOpen311Request[]> {
  const rows = await execRows<RequestRow>(
    database.db,
    requestQuery(and(visibleTo(reader), idsMatch([id], reader))!, 1, 0),
  );
  if (!rows.length) throw open311Error(404, `没有请求 ${id}`, `no service request ${id}`);
  return rows.map((r) => present(r, reader, baseUrl, lang));
}

// ----- The office's clients and keys -----------------------------------------------------------

async function presentClients(db: DbOrTx, where?: SQL): Promise<TOpen311Client[]> {
  const rows = await db
    .select({ c: open311Clients, requests: count(citizenReports.problemId) })
    .from(open311Clients)
    .leftJoin(citizenReports, eq(citizenReports.open311ClientId, open311Clients.id))
    .where(where)
    .groupBy(open311Clients.id)
    .orderBy(desc(open311Clients.id));
  return rows.map(({ c, requests }) => ({
    id: c.id,
    name: c.name,
    channel: c.channel as Channel,
    keyHint: c.keyHint,
    active: c.active,
    createdAt: c.createdAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
    requests: Number(requests),
  }));
}

export async function listClients(database: Database, actor: Actor): Promise<TOpen311Client[]> {
  requirePermission(actor, Permission.ProblemManage);
  return presentClients(database.db);
}

/** A new client and its key; the key is shown this once (only its hash is kept). */
export async function createClient(
  database: Database,
  actor: Actor,
  input: { name: string; channel: Channel },
): Promise<{ client: TOpen311Client; apiKey: string }> {
  requirePermission(actor, Permission.ProblemManage);
  const apiKey = `o311_${randomBytes(24).toString('base64url')}`;
  return withTx(database, async (tx) => {
    const [row] = await tx
      .insert(open311Clients)
      .values({
        name: input.name,
        channel: input.channel,
        keyHash: hashKey(apiKey),
        keyHint: apiKey.slice(-4),
        createdBy: actor.id,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'open311.client.create',
      entityType: 'open311_client',
      entityId: String(row!.id),
      after: { name: row!.name, channel: row!.channel, keyHint: row!.keyHint },
    });
    const [client] = await presentClients(tx, eq(open311Clients.id, row!.id));
    return { client: client!, apiKey };
  });
}

/** Stops a key at once; the requests it filed stay. */
export async function revokeClient(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TOpen311Client> {
  requirePermission(actor, Permission.ProblemManage);
  return withTx(database, async (tx) => {
    const [row] = await tx
      .update(open311Clients)
      .set({ active: false, revokedAt: sql`coalesce(${open311Clients.revokedAt}, now())` })
      .where(eq(open311Clients.id, id))
      .returning();
    if (!row) throw errors.notFound('open311_client', id);
    await writeAudit(tx, actor, {
      action: 'open311.client.revoke',
      entityType: 'open311_client',
      entityId: String(id),
      after: { active: false },
    });
    const [client] = await presentClients(tx, eq(open311Clients.id, id));
    return client!;
  });
}
