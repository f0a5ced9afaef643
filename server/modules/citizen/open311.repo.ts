import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { TProblemState } from '../../../core/problems/lifecycle.js';
import { execRows, type DbOrTx } from '../../db/client.js';
import { citizenReports, open311Clients } from '../../db/schema/index.js';

export type ClientRow = typeof open311Clients.$inferSelect;

/**
 * Who reads (docs/api.md, "Who sees what"): anyone without a key sees only what the office
 * published on the 曝光台, in its public form; a client's key sees in full the requests it filed,
 * and the published ones in their public form.
 */
export type Open311Reader = { kind: 'public' } | { kind: 'client'; clientId: number };

// ----- Clients and keys ------------------------------------------------------------------------

export async function findClientByKeyHash(
  db: DbOrTx,
  keyHash: string,
): Promise<ClientRow | undefined> {
  const [client] = await db
    .select()
    .from(open311Clients)
    .where(eq(open311Clients.keyHash, keyHash));
  return client;
}

/** Clients, newest first, each with the number of requests it filed; or just client `id`. */
export async function listClientsWithCounts(
  db: DbOrTx,
  id?: number,
): Promise<{ c: ClientRow; requests: number }[]> {
  return db
    .select({ c: open311Clients, requests: count(citizenReports.problemId) })
    .from(open311Clients)
    .leftJoin(citizenReports, eq(citizenReports.open311ClientId, open311Clients.id))
    .where(id === undefined ? undefined : eq(open311Clients.id, id))
    .groupBy(open311Clients.id)
    .orderBy(desc(open311Clients.id));
}

export async function insertClient(
  db: DbOrTx,
  v: { name: string; channel: string; keyHash: string; keyHint: string; createdBy: number | null },
): Promise<ClientRow> {
  const [row] = await db.insert(open311Clients).values(v).returning();
  return row!;
}

/** Stops a client's key (keeping the first revocation time); undefined when there is no such client. */
export async function revokeClientKey(db: DbOrTx, id: number): Promise<ClientRow | undefined> {
  const [row] = await db
    .update(open311Clients)
    .set({ active: false, revokedAt: sql`coalesce(${open311Clients.revokedAt}, now())` })
    .where(eq(open311Clients.id, id))
    .returning();
  return row;
}

/** Sets (or clears) a client's callback URL, and its signing secret when one is given. */
export async function updateClientCallback(
  db: DbOrTx,
  id: number,
  v: { callbackUrl: string | null; callbackSecret?: string },
): Promise<ClientRow | undefined> {
  const [row] = await db.update(open311Clients).set(v).where(eq(open311Clients.id, id)).returning();
  return row;
}

export async function findClient(db: DbOrTx, id: number): Promise<ClientRow | undefined> {
  const [row] = await db.select().from(open311Clients).where(eq(open311Clients.id, id));
  return row;
}

/** The tracking code (the Open311 service_request_id) of a problem filed by a citizen or client. */
export async function findTrackingCode(db: DbOrTx, problemId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ code: citizenReports.trackingCode })
    .from(citizenReports)
    .where(eq(citizenReports.problemId, problemId));
  return row?.code;
}

// ----- Requests --------------------------------------------------------------------------------

export interface RequestRow {
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

/** Which requests a GET asks for: by ids (the other filters are then ignored), or by filters. */
export type RequestFilter =
  | { ids: string[] }
  | {
      start: Date;
      end: Date;
      serviceCodes?: string[] | undefined;
      status?: 'open' | 'closed' | undefined;
    };

const CLOSED_STATES = sql`('closed', 'rejected')`;

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

function filterConds(f: RequestFilter, reader: Open311Reader): SQL[] {
  if ('ids' in f) return [idsMatch(f.ids, reader)];
  const conds: SQL[] = [sql`cr.created_at >= ${f.start} and cr.created_at <= ${f.end}`];
  if (f.serviceCodes?.length) conds.push(sql`c.code in ${f.serviceCodes}`);
  if (f.status) {
    conds.push(
      f.status === 'closed'
        ? sql`coalesce(h.state, p.state) in ${CLOSED_STATES}`
        : sql`coalesce(h.state, p.state) not in ${CLOSED_STATES}`,
    );
  }
  return conds;
}

/**
 * The requests citizens and clients filed (随手拍 and Open311 — never the office's own or the
 * inspectors' problems) that this reader may see, newest first, with the handling problem's state
 * after a merge.
 */
export async function listRequestRows(
  db: DbOrTx,
  reader: Open311Reader,
  filter: RequestFilter,
  limit: number,
  offset: number,
): Promise<RequestRow[]> {
  const where = and(visibleTo(reader), ...filterConds(filter, reader))!;
  return execRows<RequestRow>(
    db,
    sql`
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
     limit ${limit} offset ${offset}`,
  );
}
