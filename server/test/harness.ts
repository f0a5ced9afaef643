import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, storageFromConfig, type App, type AppDeps } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import type { FileStorage } from '../platform/storage.js';
import { reusablePglite } from './pglite-reuse.js';
import { reusablePostgres } from './pg-reuse.js';

export interface TestDb {
  database: Database;
  /** Connection string of this file's own PostgreSQL database (undefined on PGlite). */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file: a PGlite copy of the snapshot, or a PostgreSQL clone of the template. */
export async function createTestDb(): Promise<TestDb> {
  if (process.env.TEST_DB === 'postgres') {
    const base = process.env.TEST_DATABASE_URL!;
    // One database per worker, put back to the template between files (server/test/pg-reuse.ts).
    const held = await reusablePostgres(
      base,
      () => `cc_t_${process.ppid}_${randomBytes(4).toString('hex')}`,
      async (name) => {
        const admin = new pg.Client({ connectionString: base });
        await admin.connect();
        try {
          for (let attempt = 0; ; attempt++) {
            try {
              await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
              break;
            } catch (err) {
              // Another file cloning the template at the same moment: try again shortly.
              if (attempt > 20) throw err;
              await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
            }
          }
        } finally {
          await admin.end();
        }
      },
    );
    const database = await openDatabase({ databaseUrl: held.url, poolSize: 5 });
    return {
      database,
      url: held.url,
      drop: async () => {
        await database.close();
        await held.release();
      },
    };
  }
  // One PGlite per worker, put back to the snapshot between files (server/test/pglite-reuse.ts).
  const database = await reusablePglite(
    () => new Blob([fs.readFileSync(inject('pgliteSnapshot'))]),
  );
  return { database, url: undefined, drop: () => database.close() };
}

export interface Agent {
  csrf: string;
  cookie: string;
  get(url: string): Promise<Res>;
  post(url: string, body?: unknown): Promise<Res>;
  patch(url: string, body: unknown): Promise<Res>;
  put(url: string, body: unknown): Promise<Res>;
  delete(url: string): Promise<Res>;
  upload(url: string, file: Buffer, filename?: string): Promise<Res>;
}

export interface Res {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  rawPayload: Buffer;
  json<T = any>(): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface TestApp {
  app: App;
  database: Database;
  config: Config;
  /** The app's file store (local disk under the test's DATA_DIR, or S3 as the env says). */
  storage: FileStorage;
  login(username: string, password?: string): Promise<Agent>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'Test@2026pw';

function multipart(file: Buffer, filename: string): { body: Buffer; contentType: string } {
  const boundary = `----cc${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    body: Buffer.concat([head, file, tail]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/**
 * The real app on this file's own database, or with `sharing` on another test app's database (an
 * app with other settings where the data does not matter; closing it leaves the database open).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  opts: { sharing?: TestApp; kickJob?: AppDeps['kickJob'] } = {},
): Promise<TestApp> {
  const db: TestDb = opts.sharing
    ? { database: opts.sharing.database, url: undefined, drop: () => Promise.resolve() }
    : await createTestDb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-test-data-'));
  const config = loadConfig(
    // Tests change sessions in SQL and expect the next request to see it; the session cache has
    // its own tests (auth/session-cache.int.test.ts).
    { SEED: 'none', WEB_DIR: '/nonexistent', DATA_DIR: dataDir, SESSION_CACHE_MS: '0', ...env },
    'test',
  );
  // As the app would make it (local disk under DATA_DIR, or S3 when the env says so).
  const storage = await storageFromConfig(config);
  const app = await buildApp({
    database: db.database,
    config,
    logger: false,
    storage,
    ...(opts.kickJob ? { kickJob: opts.kickJob } : {}),
  });
  await app.ready();

  async function login(username: string, password = TEST_PASSWORD): Promise<Agent> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
    });
    if (res.statusCode !== 200)
      throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    const setCookie = res.headers['set-cookie'];
    const first = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
    const cookie = first.split(';')[0]!;
    const csrf = res.json<{ csrfToken: string }>().csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf };
    const send = (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
      url: string,
      payload?: unknown,
    ) =>
      app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    return {
      csrf,
      cookie,
      get: (url) => send('GET', url),
      post: (url, body) => send('POST', url, body ?? {}),
      patch: (url, body) => send('PATCH', url, body),
      put: (url, body) => send('PUT', url, body),
      delete: (url) => send('DELETE', url),
      upload: (url, file, filename = 'upload.xlsx') => {
        const mp = multipart(file, filename);
        return app.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': mp.contentType },
          payload: mp.body,
        });
      },
    };
  }

  return {
    app,
    database: db.database,
    config,
    storage,
    login,
    close: async () => {
      await app.close();
      storage.close?.();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
