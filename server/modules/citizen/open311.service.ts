import { createHash, randomBytes } from 'node:crypto';
import {
  OPEN311_CHANNELS,
  type TOpen311Attribute,
  type TOpen311CallbackInput,
  type TOpen311Client,
  type TOpen311Post,
  type TOpen311Query,
  type TOpen311Request,
  type TOpen311Service,
} from '../../../core/contracts/open311.js';
import { pointInArea } from '../../../core/geo/polygon.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, SYSTEM_ACTOR, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { takeRateLimits } from '../../platform/rate-limit.js';
import { withTx } from '../../platform/tx.js';
import { findByExternalRef } from '../problems/problems.repo.js';
import { ensureCodeSequences, intakeProblem } from '../problems/problems.service.js';
import { insertCitizenReport, listCategories } from './citizen.repo.js';
import { getJurisdiction, newTrackingCode, publicCategories } from './citizen.service.js';
import { presentClient, presentRequest } from './open311.present.js';
import {
  findClient,
  findClientByKeyHash,
  findTrackingCode,
  insertClient,
  listClientsWithCounts,
  listRequestRows,
  revokeClientKey,
  type ClientRow,
  type Open311Reader,
  type RequestFilter,
  updateClientCallback,
} from './open311.repo.js';

export type { Open311Reader } from './open311.repo.js';

const MAX_ORDER_NO = 40;

type Channel = (typeof OPEN311_CHANNELS)[number];

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function open311Error(status: number, zh: string, en: string): AppError {
  return new AppError('open311', status, { zh, en });
}

// ----- Services: the active subcategories of the problem taxonomy ------------------------------

async function serviceRows(db: DbOrTx) {
  return publicCategories(await listCategories(db)).map((c) => ({
    id: c.id,
    code: c.code,
    name: c.name,
    group: c.group ?? '',
  }));
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
  const client = await findClientByKeyHash(database.db, hashKey(apiKey));
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
      await insertCitizenReport(tx, {
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
  const code = await findTrackingCode(db, problemId);
  if (code === undefined) throw new Error(`open311 problem ${problemId} has no tracking code`);
  return code;
}

// ----- GET requests ----------------------------------------------------------------------------

/** The reader a GET names: no key (or an empty one) is the public; a wrong or revoked key is 403. */
export async function readerOf(
  database: Database,
  apiKey: string | undefined,
): Promise<Open311Reader> {
  if (!apiKey) return { kind: 'public' };
  const client = await authenticate(database, apiKey);
  return { kind: 'client', clientId: client.id };
}

const DAY = 86_400_000;

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
  let filter: RequestFilter;
  if (q.service_request_id?.length) {
    // The spec: with ids given, the other filters are ignored.
    filter = { ids: q.service_request_id };
  } else {
    const end = q.end_date ? new Date(q.end_date) : new Date();
    const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - 90 * DAY);
    if (start > end) {
      throw open311Error(400, 'start_date 晚于 end_date', 'start_date is after end_date');
    }
    filter = {
      start,
      end,
      serviceCodes: q.service_code,
      status: q.status?.length === 1 ? q.status[0] : undefined,
    };
  }
  const rows = await listRequestRows(
    database.db,
    reader,
    filter,
    q.page_size,
    (q.page - 1) * q.page_size,
  );
  return rows.map((r) => presentRequest(r, reader, baseUrl, lang));
}

/** One request by its id; 404 (the same answer as for an unknown id) when this reader may not see it. */
export async function getRequest(
  database: Database,
  id: string,
  reader: Open311Reader,
  baseUrl: string,
  lang: 'zh' | 'en',
): Promise<TOpen311Request[]> {
  const rows = await listRequestRows(database.db, reader, { ids: [id] }, 1, 0);
  if (!rows.length) throw open311Error(404, `没有请求 ${id}`, `no service request ${id}`);
  return rows.map((r) => presentRequest(r, reader, baseUrl, lang));
}

// ----- The office's clients and keys -----------------------------------------------------------

async function presentClients(db: DbOrTx, id?: number): Promise<TOpen311Client[]> {
  return (await listClientsWithCounts(db, id)).map(presentClient);
}

export async function listClients(database: Database, actor: Actor): Promise<TOpen311Client[]> {
  requirePermission(actor, Permission.IntegrationManage);
  return presentClients(database.db);
}

/** A new client and its key; the key is shown this once (only its hash is kept). */
export async function createClient(
  database: Database,
  actor: Actor,
  input: { name: string; channel: Channel },
): Promise<{ client: TOpen311Client; apiKey: string }> {
  requirePermission(actor, Permission.IntegrationManage);
  const apiKey = `o311_${randomBytes(24).toString('base64url')}`;
  return withTx(database, async (tx) => {
    const row = await insertClient(tx, {
      name: input.name,
      channel: input.channel,
      keyHash: hashKey(apiKey),
      keyHint: apiKey.slice(-4),
      createdBy: actor.id,
    });
    await writeAudit(tx, actor, {
      action: 'open311.client.create',
      entityType: 'open311_client',
      entityId: String(row.id),
      after: { name: row.name, channel: row.channel, keyHint: row.keyHint },
    });
    const [client] = await presentClients(tx, row.id);
    return { client: client!, apiKey };
  });
}

/**
 * 结果回传 for a client: where status changes of the requests it filed are pushed (null: nowhere).
 * The office sets it — a client never names an address the server will call. The signing secret
 * is generated with the first URL and when `newSecret` asks, and shown in that answer only.
 */
export async function setClientCallback(
  database: Database,
  actor: Actor,
  id: number,
  input: TOpen311CallbackInput,
): Promise<{ client: TOpen311Client; callbackSecret: string | null }> {
  requirePermission(actor, Permission.IntegrationManage);
  return withTx(database, async (tx) => {
    const before = await findClient(tx, id);
    if (!before) throw errors.notFound('open311_client', id);
    const secret =
      input.callbackUrl !== null && (input.newSecret || !before.callbackSecret)
        ? `whsec_${randomBytes(24).toString('base64url')}`
        : null;
    await updateClientCallback(tx, id, {
      callbackUrl: input.callbackUrl,
      ...(secret ? { callbackSecret: secret } : {}),
    });
    await writeAudit(tx, actor, {
      action: 'open311.client.callback',
      entityType: 'open311_client',
      entityId: String(id),
      before: { callbackUrl: before.callbackUrl },
      // The secret itself is not recorded; only that it changed.
      after: { callbackUrl: input.callbackUrl, newSecret: secret !== null },
    });
    const [client] = await presentClients(tx, id);
    return { client: client!, callbackSecret: secret };
  });
}

/** Stops a key at once; the requests it filed stay. */
export async function revokeClient(
  database: Database,
  actor: Actor,
  id: number,
): Promise<TOpen311Client> {
  requirePermission(actor, Permission.IntegrationManage);
  return withTx(database, async (tx) => {
    const row = await revokeClientKey(tx, id);
    if (!row) throw errors.notFound('open311_client', id);
    await writeAudit(tx, actor, {
      action: 'open311.client.revoke',
      entityType: 'open311_client',
      entityId: String(id),
      after: { active: false },
    });
    const [client] = await presentClients(tx, id);
    return client!;
  });
}
