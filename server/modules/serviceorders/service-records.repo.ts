import { sql, type SQL } from 'drizzle-orm';
import { execRows, type DbOrTx } from '../../db/client.js';
import { regionSubtree } from '../org/regions.repo.js';

// The stations' record of 点单派单: one aggregate over the orders placed in a period, per station
// and in total (grouping sets), read straight from the step times on the orders.

export interface RecordRow {
  place_id: number | null;
  orders: number;
  ordered: number;
  dispatched: number;
  taken: number;
  on_site: number;
  done: number;
  confirmed: number;
  declined: number;
  cancelled: number;
  m_dispatch: number | null;
  m_take: number | null;
  m_arrive: number | null;
  m_serve: number | null;
  m_confirm: number | null;
  overdue: number;
  rated: number;
  satisfied: number;
  minutes: number;
}

export interface RecordScope {
  /** The stations placed in this region's subtree (null: all). */
  within: number | null;
  placeId?: number | undefined;
  /** Orders placed in [from, to). */
  from?: Date;
  to?: Date;
  now: Date;
}

function conditions(s: RecordScope, place: SQL): SQL {
  const parts: SQL[] = [sql`true`];
  if (s.within !== null) {
    parts.push(sql`${place} in (select p.id from practice_places p
      where p.region_id in ${regionSubtree(s.within)})`);
  }
  if (s.placeId !== undefined) parts.push(sql`${place} = ${s.placeId}`);
  return sql.join(parts, sql` and `);
}

const minutes = (from: string, to: string) =>
  sql.raw(
    `percentile_cont(0.5) within group (order by extract(epoch from (o.${to} - o.${from})) / 60)`,
  );

/** Per station (place_id set) and the total (place_id null) over the scope's orders. */
export async function recordRows(db: DbOrTx, s: RecordScope): Promise<RecordRow[]> {
  const period = [
    s.from ? sql`and o.ordered_at >= ${s.from}` : sql``,
    s.to ? sql`and o.ordered_at < ${s.to}` : sql``,
  ];
  return execRows<RecordRow>(
    db,
    sql`select o.place_id,
          count(*)::int as orders,
          count(*) filter (where o.state = 'ordered')::int as ordered,
          count(*) filter (where o.state = 'dispatched')::int as dispatched,
          count(*) filter (where o.state = 'taken')::int as taken,
          count(*) filter (where o.state = 'on_site')::int as on_site,
          count(*) filter (where o.state = 'done')::int as done,
          count(*) filter (where o.state = 'confirmed')::int as confirmed,
          count(*) filter (where o.state = 'declined')::int as declined,
          count(*) filter (where o.state = 'cancelled')::int as cancelled,
          ${minutes('ordered_at', 'dispatched_at')} as m_dispatch,
          ${minutes('dispatched_at', 'taken_at')} as m_take,
          ${minutes('taken_at', 'on_site_at')} as m_arrive,
          ${minutes('on_site_at', 'done_at')} as m_serve,
          ${minutes('done_at', 'confirmed_at')} as m_confirm,
          count(*) filter (where o.deadline is not null
            and o.state not in ('ordered', 'declined', 'cancelled')
            and coalesce(o.done_at, ${s.now}) > o.deadline)::int as overdue,
          count(*) filter (where o.confirmed_by = 'requester' and o.satisfied is not null)::int as rated,
          count(*) filter (where o.confirmed_by = 'requester' and o.satisfied)::int as satisfied,
          coalesce(sum(am.minutes), 0)::int as minutes
        from service_orders o
        left join (select service_order_id, sum(credited_minutes) as minutes
                   from activity_attendance where service_order_id is not null
                   group by service_order_id) am on am.service_order_id = o.id
        where ${conditions(s, sql`o.place_id`)} ${period[0]} ${period[1]}
        group by grouping sets ((o.place_id), ())`,
  );
}

/** The stations in the scope (those with no orders are in the record too). */
export async function recordStations(db: DbOrTx, s: RecordScope) {
  return execRows<{ id: number; name: string; kind: string; region_name: string | null }>(
    db,
    sql`select p.id, p.name, p.kind, r.name as region_name
        from practice_places p left join regions r on r.id = p.region_id
        where ${conditions(s, sql`p.id`)}
        order by p.kind, p.name`,
  );
}
