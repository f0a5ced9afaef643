import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database, Db } from '../db/client.js';
import { cachePlans } from '../db/pglite-plans.js';
import * as schema from '../db/schema/index.js';

/**
 * One PGlite per test worker, handed from file to file. Starting PGlite from the run's snapshot
 * costs ~1.5–2 s of WASM start-up and data-directory load per file (on 94 files the largest fixed
 * cost of the integration tier); putting the same instance back to the snapshot's rows takes a
 * fraction of that.
 *
 * When a file lets go of its database, its handle is revoked (a late query from that file throws
 * instead of landing in the next file's data) and the instance waits for the next file. The next
 * file gets it back in the snapshot's state: every table of `public` emptied and refilled from a
 * copy of its snapshot rows (schema `cc_baseline`, made when the instance started), every
 * sequence set back (one the app made since, like a year's problem codes, dropped), session state
 * discarded. An instance whose schema a file changed (a table,
 * column, trigger or function added, dropped or disabled) is closed instead, and a fresh one made.
 */

/** What the baseline needs of a client: PGlite, or node-postgres through pg-reuse.ts. */
export interface SqlClient {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

export interface Baseline {
  /** Statements that put the tables and sequences back, in one string. */
  restore: string;
  /** The schema's fingerprint when the instance started. */
  fingerprint: string;
}

interface Instance {
  client: PGlite;
  baseline: Baseline;
}

/** Instances put back by files, at most two (a file may hold a second database for a while). */
const spare: Instance[] = [];

const FINGERPRINT = `
  select md5(coalesce(string_agg(x, '|' order by x), '')) as f from (
    select c.relname || ':' || c.relkind::text || ':' || coalesce((
      select string_agg(a.attname || ' ' || a.atttypid::text || ' ' || a.attnotnull::text || ' ' || a.attgenerated::text,
                        ',' order by a.attnum)
      from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '') as x
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    -- Sequences are not schema a test changes: the app makes one per year for problem codes
    -- (problem_code_2026) on first use, and the restore drops what the baseline did not have.
    where n.nspname = 'public' and c.relkind <> 'S'
    union all
    select c.relname || ' trigger ' || t.tgname || ' ' || t.tgenabled::text
    from pg_trigger t join pg_class c on c.oid = t.tgrelid
    join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public'
    union all
    select p.proname || ' ' || md5(p.prosrc)
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'
  ) s`;

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function fingerprintOf(client: SqlClient): Promise<string> {
  const res = await client.query<{ f: string }>(FINGERPRINT);
  return res.rows[0]!.f;
}

/** Copies the rows of every non-empty table and notes every sequence: what restore puts back. */
export async function captureBaseline(
  client: SqlClient,
  empty: 'truncate' | 'delete' = 'truncate',
): Promise<Baseline> {
  const fingerprint = await fingerprintOf(client);
  const tables = (
    await client.query<{ t: string }>(
      `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
    )
  ).rows.map((r) => r.t);
  const statements: string[] = [
    // Triggers and foreign-key checks off while the rows go back (any order, no side effects).
    'set session_replication_role = replica',
    // PGlite truncates in memory; PostgreSQL would make and fsync new files for every table and
    // index (seconds), where deleting a test's few rows takes milliseconds.
    empty === 'truncate'
      ? `truncate table ${tables.map((t) => `public.${ident(t)}`).join(', ')} restart identity cascade`
      : `do $$ declare t text; begin foreach t in array array[${tables
          .map((t) => `'public.${ident(t).replaceAll("'", "''")}'`)
          .join(', ')}] loop execute 'delete from ' || t; end loop; end $$`,
  ];
  await client.exec('create schema cc_baseline');
  for (const t of tables) {
    const n = await client.query<{ n: number }>(
      `select count(*)::int as n from public.${ident(t)}`,
    );
    if (n.rows[0]!.n === 0) continue;
    const cols = (
      await client.query<{ c: string }>(
        `select a.attname as c from pg_attribute a
         where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped
           and a.attgenerated = '' order by a.attnum`,
        [`public.${ident(t)}`],
      )
    ).rows.map((r) => ident(r.c));
    const list = cols.join(', ');
    await client.exec(
      `create table cc_baseline.${ident(t)} as select ${list} from public.${ident(t)}`,
    );
    statements.push(
      `insert into public.${ident(t)} (${list}) overriding system value select ${list} from cc_baseline.${ident(t)}`,
    );
  }
  const sequences = await client.query<{ s: string; v: string | null }>(
    `select sequencename as s, last_value::text as v from pg_sequences where schemaname = 'public'`,
  );
  for (const { s, v } of sequences.rows) {
    statements.push(
      v === null
        ? `alter sequence public.${ident(s)} restart`
        : `select setval('public.${ident(s).replaceAll("'", "''")}', ${v}, true)`,
    );
  }
  // Sequences made since (a year's problem codes): gone, as they were not there.
  const known = sequences.rows.map((r) => `'${r.s.replaceAll("'", "''")}'`);
  statements.push(
    `do $$ declare s text; begin for s in select format('%I.%I', schemaname, sequencename) from pg_sequences
     where schemaname = 'public' and sequencename <> all (array[${known.join(', ')}]::text[])
     loop execute 'drop sequence ' || s; end loop; end $$`,
  );
  statements.push('set session_replication_role = origin');
  return { restore: statements.join(';\n'), fingerprint };
}

/** A spare instance put back to the snapshot's state, or null when there is none fit to use. */
async function takeSpare(): Promise<Instance | null> {
  for (let inst = spare.pop(); inst; inst = spare.pop()) {
    try {
      // A file that stopped inside a transaction, session settings, advisory locks: gone.
      await inst.client.exec('rollback');
      if ((await fingerprintOf(inst.client)) !== inst.baseline.fingerprint) {
        await inst.client.close();
        continue;
      }
      await inst.client.exec(
        `reset all; select pg_advisory_unlock_all(); ${inst.baseline.restore}`,
      );
      return inst;
    } catch {
      await inst.client.close().catch(() => undefined);
    }
  }
  return null;
}

/**
 * A PGlite database in the state of the snapshot `load` gives (the same for every call in a
 * run): a spare instance put back, or a new one.
 */
export async function reusablePglite(load: () => Blob): Promise<Database> {
  let inst = await takeSpare();
  if (!inst) {
    const client = await PGlite.create({ loadDataDir: load() });
    cachePlans(client);
    inst = { client, baseline: await captureBaseline(client) };
  }
  const { client } = inst;
  const handle = Proxy.revocable(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  const db = drizzle(handle.proxy, { schema }) as unknown as Db;
  let closed: Promise<void> | null = null;
  const owned = inst;
  return {
    db,
    driver: 'pglite',
    afterCommit: () => Promise.resolve(),
    close: () =>
      (closed ??= (async () => {
        handle.revoke();
        if (spare.length < 2) spare.push(owned);
        else await client.close();
      })()),
  };
}
