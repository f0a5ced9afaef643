import pg from 'pg';
import { dropDatabaseWhenFree } from '../db/client.js';
import { captureBaseline, fingerprintOf, type Baseline, type SqlClient } from './pglite-reuse.js';

/**
 * One PostgreSQL database per test worker, handed from file to file — the twin of
 * pglite-reuse.ts. Cloning the template for every file and dropping the clone after it cost
 * ~1–3 s a file on the 2-core machine (CREATE DATABASE writes the template's 14 MB through the
 * WAL, DROP DATABASE waits for a checkpoint): about a third of the PostgreSQL tier. Putting the
 * same database back to the template's rows takes a fraction of that.
 *
 * When a file lets go, its pool is closed (a late query from it throws) and the database waits
 * for the next file, which gets it back in the template's state: any connection the file left
 * (a server process it started) terminated, every table of `public` emptied and refilled from a
 * copy of its template rows (schema `cc_baseline`), every sequence set back. A database whose
 * schema a file changed is dropped instead, and a fresh clone made.
 */

interface Spare {
  name: string;
  /** The worker's own connection to it, for the restore. */
  client: pg.Client;
  baseline: Baseline;
}

/** Databases put back by files, at most two (a file may hold a second one for a while). */
const spare: Spare[] = [];

function sqlClient(client: pg.Client): SqlClient {
  return {
    query: async <T>(text: string, params?: unknown[]) => ({
      rows: (await client.query(text, params)).rows as T[],
    }),
    exec: (text: string) => client.query(text),
  };
}

const urlOf = (base: string, name: string) => {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
};

async function discard(base: string, inst: Spare): Promise<void> {
  await inst.client.end().catch(() => undefined);
  await dropDatabaseWhenFree(base, inst.name);
}

/** A spare database put back to the template's state, or null when there is none fit to use. */
async function takeSpare(base: string): Promise<Spare | null> {
  for (let inst = spare.pop(); inst; inst = spare.pop()) {
    try {
      // What the file left connected (a server it started, a pool it forgot): gone, with its
      // transactions, locks and session settings.
      await inst.client.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid()`,
      );
      const client = sqlClient(inst.client);
      if ((await fingerprintOf(client)) !== inst.baseline.fingerprint) {
        await discard(base, inst);
        continue;
      }
      await inst.client.query(inst.baseline.restore);
      return inst;
    } catch {
      await discard(base, inst).catch(() => undefined);
    }
  }
  return null;
}

/**
 * The name of a database in the template's state for this file: a spare one put back, or a new
 * clone of the template made by `create(name)`. `release` hands it on (or drops it).
 */
export async function reusablePostgres(
  base: string,
  newName: () => string,
  create: (name: string) => Promise<void>,
): Promise<{ name: string; url: string; release: () => Promise<void> }> {
  let inst = await takeSpare(base);
  if (!inst) {
    const name = newName();
    await create(name);
    const client = new pg.Client({ connectionString: urlOf(base, name) });
    await client.connect();
    // A dead connection (the server restarted) must not crash the worker; the next restore
    // fails instead and the database is discarded.
    client.on('error', () => undefined);
    inst = { name, client, baseline: await captureBaseline(sqlClient(client), 'delete') };
  }
  const owned = inst;
  let released: Promise<void> | null = null;
  return {
    name: owned.name,
    url: urlOf(base, owned.name),
    release: () =>
      (released ??= (async () => {
        if (spare.length < 2) spare.push(owned);
        else await discard(base, owned);
      })()),
  };
}
