import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';

export interface CopyReport {
  tables: { table: string; rows: number }[];
  sequences: number;
}

interface Fk {
  table: string;
  column: string;
  refTable: string;
  nullable: boolean;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const BATCH = 2000;

/**
 * Tables in an order where every table comes after the tables it references. Self-references
 * (a parent in the same table) are handled by copying parents before children; cycles between
 * tables, if any, are broken by copying one nullable column in a second pass.
 */
export function copyOrder(
  tables: string[],
  fks: Fk[],
): { order: string[]; deferred: Map<string, string[]>; selfRefs: Map<string, string[]> } {
  const deferred = new Map<string, string[]>();
  const selfRefs = new Map<string, string[]>();
  const defer = (fk: Fk) => deferred.set(fk.table, [...(deferred.get(fk.table) ?? []), fk.column]);
  let edges = fks.filter((fk) => {
    if (fk.table !== fk.refTable) return true;
    selfRefs.set(fk.table, [...(selfRefs.get(fk.table) ?? []), fk.column]);
    return false;
  });
  const order: string[] = [];
  const left = new Set(tables);
  while (left.size) {
    const ready = [...left].filter(
      (t) => !edges.some((e) => e.table === t && left.has(e.refTable) && e.refTable !== t),
    );
    if (ready.length) {
      for (const t of ready.sort()) {
        order.push(t);
        left.delete(t);
      }
      continue;
    }
    // A cycle between tables: defer one nullable reference inside it.
    const breakable = edges.find((e) => left.has(e.table) && left.has(e.refTable) && e.nullable);
    if (!breakable) throw new Error(`foreign keys form a cycle of NOT NULL columns`);
    defer(breakable);
    edges = edges.filter((e) => e !== breakable);
  }
  return { order, deferred, selfRefs };
}

/**
 * Copies an embedded PGlite database into an empty PostgreSQL database: both are migrated to the
 * current schema, then every table's rows are copied (as JSON, so every column type round-trips)
 * in foreign-key order inside one transaction, the sequences are set to the source's values, and
 * the row counts are compared before the commit. Nothing is written when any step fails.
 */
export async function migrateToPostgres(pgliteDir: string, targetUrl: string): Promise<CopyReport> {
  // Bring both to the current schema (the source as the app would at its next start).
  const source = await openDatabase({ pgliteDir });
  await runMigrations(source);
  await source.close();
  const check = new pg.Client({ connectionString: targetUrl });
  await check.connect();
  try {
    const r = await check.query<{ n: string }>(
      `select count(*) as n from pg_tables where schemaname = 'public'`,
    );
    if (Number(r.rows[0]!.n) > 0)
      throw new Error('the target PostgreSQL database is not empty; create a new one first');
  } finally {
    await check.end();
  }
  const target = await openDatabase({ databaseUrl: targetUrl, poolSize: 1 });
  await runMigrations(target);
  await target.close();

  const src = await PGlite.create({ dataDir: pgliteDir });
  const dst = new pg.Client({ connectionString: targetUrl });
  await dst.connect();
  try {
    const tables = (
      await src.query<{ t: string }>(
        `select tablename as t from pg_tables where schemaname = 'public' order by 1`,
      )
    ).rows.map((r) => r.t);
    const fks = (
      await src.query<{ t: string; c: string; rt: string; nullable: boolean }>(
        `select cl.relname as t, a.attname as c, rcl.relname as rt, not a.attnotnull as nullable
           from pg_constraint con
           join pg_class cl on cl.oid = con.conrelid
           join pg_namespace n on n.oid = cl.relnamespace and n.nspname = 'public'
           join pg_class rcl on rcl.oid = con.confrelid
           join pg_attribute a on a.attrelid = con.conrelid and a.attnum = any (con.conkey)
          where con.contype = 'f'`,
      )
    ).rows.map((r) => ({ table: r.t, column: r.c, refTable: r.rt, nullable: r.nullable }));
    const { order, deferred, selfRefs } = copyOrder(tables, fks);

    await dst.query('begin');
    // A faithful copy: the target's own triggers (e.g. the problem_daily_counts rollup) must not
    // fire on copied rows, or derived tables copied from the source would count them twice.
    for (const table of tables) await dst.query(`alter table ${ident(table)} disable trigger user`);
    const report: CopyReport = { tables: [], sequences: 0 };
    for (const table of order) {
      const cols = (
        await src.query<{ c: string }>(
          `select column_name as c from information_schema.columns
            where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER'
            order by ordinal_position`,
          [table],
        )
      ).rows.map((r) => r.c);
      const pk = (
        await src.query<{ c: string }>(
          `select a.attname as c from pg_index i
             join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
            where i.indrelid = $1::regclass and i.indisprimary`,
          [`public.${ident(table)}`],
        )
      ).rows.map((r) => r.c);
      const later = deferred.get(table) ?? [];
      const list = cols.map(ident).join(', ');
      const select = cols.map((c) => (later.includes(c) ? `null as ${ident(c)}` : ident(c)));
      let orderBy = (pk.length ? pk : cols).map((c) => `t.${ident(c)}`).join(', ');
      let from = `${ident(table)} t`;
      const self = selfRefs.get(table) ?? [];
      if (self.length && pk.length === 1) {
        // Parents first: each row's depth along its references to rows of the same table (a
        // reference is checked at the end of each INSERT, so a batch may hold parent and child).
        const k = ident(pk[0]!);
        const roots = self.map((c) => `(${ident(c)} is null or ${ident(c)} = ${k})`).join(' and ');
        const link = self.map((c) => `t.${ident(c)} = d.k`).join(' or ');
        await src.exec(`drop table if exists cc_copy_depth;
          create temp table cc_copy_depth as
          with recursive d(k, depth) as (
            select ${k}, 0 from ${ident(table)} where ${roots}
            union all
            select t.${k}, d.depth + 1 from ${ident(table)} t join d on (${link})
             where t.${k} <> d.k and d.depth < 1000
          )
          select k, max(depth) as depth from d group by k`);
        from = `${ident(table)} t left join cc_copy_depth cd on cd.k = t.${k}`;
        orderBy = `cd.depth nulls last, ${orderBy}`;
      }
      let copied = 0;
      for (let offset = 0; ; offset += BATCH) {
        const rows = (
          await src.query<{ j: string }>(
            `select coalesce(json_agg(x), '[]')::text as j from (
               select t.* from ${from} order by ${orderBy} limit ${BATCH} offset ${offset}
             ) x`,
          )
        ).rows[0]!.j;
        const batch = JSON.parse(rows) as unknown[];
        if (!batch.length) break;
        await dst.query(
          `insert into ${ident(table)} (${list}) overriding system value
           select ${select.join(', ')} from json_populate_recordset(null::${ident(table)}, $1::json)`,
          [rows],
        );
        copied += batch.length;
        if (batch.length < BATCH) break;
      }
      report.tables.push({ table, rows: copied });
      if (later.length && pk.length) {
        // Second pass for the references deferred above.
        const rows = (
          await src.query<{ j: string }>(
            `select coalesce(json_agg(t), '[]')::text as j from (
               select ${[...pk, ...later].map(ident).join(', ')} from ${ident(table)}
                where ${later.map((c) => `${ident(c)} is not null`).join(' or ')}
             ) t`,
          )
        ).rows[0]!.j;
        await dst.query(
          `update ${ident(table)} d set ${later.map((c) => `${ident(c)} = s.${ident(c)}`).join(', ')}
             from json_populate_recordset(null::${ident(table)}, $1::json) s
            where ${pk.map((c) => `d.${ident(c)} = s.${ident(c)}`).join(' and ')}`,
          [rows],
        );
      }
    }
    // Sequences (identity columns and code counters) continue where the source stopped.
    // Sequences made at run time (the yearly problem-code counters) are created with the same
    // definition first.
    const seqs = await src.query<{
      s: string;
      type: string;
      start: string;
      min: string;
      max: string;
      inc: string;
      cycle: boolean;
      v: string | null;
    }>(
      `select sequencename as s, data_type::text as type, start_value::text as start,
              min_value::text as min, max_value::text as max, increment_by::text as inc,
              cycle, last_value::text as v
         from pg_sequences where schemaname = 'public'`,
    );
    for (const s of seqs.rows) {
      await dst.query(
        `create sequence if not exists public.${ident(s.s)} as ${s.type === 'integer' ? 'integer' : s.type === 'smallint' ? 'smallint' : 'bigint'}
           increment by ${BigInt(s.inc)} minvalue ${BigInt(s.min)} maxvalue ${BigInt(s.max)}
           start with ${BigInt(s.start)} ${s.cycle ? 'cycle' : 'no cycle'}`,
      );
      if (s.v === null) continue;
      await dst.query(`select setval($1::regclass, $2::bigint, true)`, [
        `public.${ident(s.s)}`,
        s.v,
      ]);
      report.sequences++;
    }
    // Every table holds as many rows as the source's.
    for (const { table, rows } of report.tables) {
      const n = Number(
        (await dst.query<{ n: string }>(`select count(*) as n from ${ident(table)}`)).rows[0]!.n,
      );
      const m = Number(
        (await src.query<{ n: string }>(`select count(*)::text as n from ${ident(table)}`)).rows[0]!
          .n,
      );
      if (n !== rows || n !== m)
        throw new Error(`${table}: the source has ${m} rows, copied ${rows}, the target has ${n}`);
    }
    for (const table of tables) await dst.query(`alter table ${ident(table)} enable trigger user`);
    await dst.query('commit');
    return report;
  } catch (err) {
    await dst.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await dst.end();
    await src.close();
  }
}
