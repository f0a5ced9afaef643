/** Small helpers for benchmarks: timing, percentiles, bounded concurrent load. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { dropDatabaseWhenFree, openDatabase, type Database } from '../server/db/client.js';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export interface LoadResult {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Runs `task` `total` times with `concurrency` in flight; latencies in milliseconds. */
export async function load(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const t0 = performance.now();
      await task(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: total,
    seconds,
    perSecond: total / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

export function row(label: string, r: LoadResult, baseline?: LoadResult): string {
  const ratio = baseline ? `  ratio ${fmt(r.perSecond / baseline.perSecond, 2)}× of baseline` : '';
  return `${label.padEnd(44)} ${fmt(r.perSecond, 0).padStart(7)} /s  p50 ${fmt(r.p50, 2)} ms  p95 ${fmt(r.p95, 2)} ms  p99 ${fmt(r.p99, 2)} ms${ratio}`;
}

export function memoryMb(): string {
  return `${fmt(process.memoryUsage().rss / 1024 / 1024, 0)} MB rss`;
}

/** The real app on a free port, with the demo office signed in (cookie and CSRF header ready). */
export async function startBenchApp(
  database: import('../server/db/client.js').Database,
  env: Record<string, string> = {},
): Promise<{ base: string; cookie: string; csrf: string; close: () => Promise<void> }> {
  const { buildApp } = await import('../server/app.js');
  const { loadConfig } = await import('../server/config.js');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-data-'));
  const config = loadConfig(
    { SEED: 'none', WEB_DIR: '/nonexistent', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    'bench',
  );
  const app = await buildApp({ database, config, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'office', password: 'Demo@2026' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  return {
    base,
    cookie,
    csrf,
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An HTTP load run: requests cycle through `urls`; `{i}` in the body is the request number. */
export interface HttpLoadSpec {
  total: number;
  concurrency: number;
  method?: 'GET' | 'POST';
  urls: string[];
  headers?: Record<string, string>;
  body?: string;
  expectStatus: number;
}

// The client runs in a worker thread (plain JavaScript, evaluated), so its work does not take turns
// with the server on the server's event loop; it still shares the machine's cores. It uses node:http
// with keep-alive rather than fetch: fetch cost ~1.3 ms of CPU per request here, more than some of
// the routes it measured.
const HTTP_LOAD_WORKER = `
const http = require('node:http');
const { parentPort, workerData: s } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: s.concurrency });
function send(url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: s.method || 'GET', headers: s.headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) {
      req.setHeader('content-length', Buffer.byteLength(body));
      req.end(body);
    } else req.end();
  });
}
(async () => {
  const latencies = [];
  let next = 0;
  let failure = null;
  const start = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= s.total || failure) return;
      const t0 = performance.now();
      const res = await send(s.urls[i % s.urls.length], s.body ? s.body.replaceAll('{i}', String(i)) : undefined);
      if (res.status !== s.expectStatus) failure = res.status + ' ' + res.text.slice(0, 300);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: s.concurrency }, worker));
  agent.destroy();
  parentPort.postMessage({ latencies, seconds: (performance.now() - start) / 1000, failure });
})();
`;

/** Runs an HTTP load from a worker thread; latencies in milliseconds. */
export async function httpLoad(spec: HttpLoadSpec): Promise<LoadResult> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(HTTP_LOAD_WORKER, { eval: true, workerData: spec });
  const out = await new Promise<{ latencies: number[]; seconds: number; failure: string | null }>(
    (resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    },
  );
  await worker.terminate();
  if (out.failure) throw new Error(`HTTP load failed: ${out.failure}`);
  const latencies = out.latencies.sort((a, b) => a - b);
  return {
    count: spec.total,
    seconds: out.seconds,
    perSecond: spec.total / out.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

/**
 * Runs a bench on a fresh PostgreSQL database (BENCH_DATABASE_URL or TEST_DATABASE_URL; created
 * and dropped here) and then on a fresh PGlite directory (unless BENCH_PGLITE=0).
 */
export async function onBenchDatabases(opts: {
  prefix: string;
  poolSize: number;
  postgres: (database: Database) => Promise<void>;
  pglite: (database: Database) => Promise<void>;
}): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `cc_bench_${opts.prefix}_${Date.now().toString(36)}`;
    const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
    await admin.db.execute(sql.raw(`create database ${name}`));
    await admin.close();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: opts.poolSize });
    try {
      await opts.postgres(database);
    } finally {
      await database.close();
      await dropDatabaseWhenFree(url, name);
    }
  } else {
    console.log('(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  }
  if (process.env.BENCH_PGLITE !== '0') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-pglite-'));
    const database = await openDatabase({ pgliteDir: dir });
    try {
      await opts.pglite(database);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
