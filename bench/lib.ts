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
  /** HTTP loads: CPU the load client spent per request, in milliseconds (its thread's busy time). */
  clientMs?: number;
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
  const client = r.clientMs !== undefined ? `  (client ${fmt(r.clientMs, 3)} ms/req)` : '';
  return `${label.padEnd(44)} ${fmt(r.perSecond, 0).padStart(7)} /s  p50 ${fmt(r.p50, 2)} ms  p95 ${fmt(r.p95, 2)} ms  p99 ${fmt(r.p99, 2)} ms${ratio}${client}`;
}

export function memoryMb(): string {
  return `${fmt(process.memoryUsage().rss / 1024 / 1024, 0)} MB rss`;
}

/** Signs the demo office in: the session cookie and the CSRF token for writes. */
async function signInOffice(base: string): Promise<{ cookie: string; csrf: string }> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'office', password: 'Demo@2026' }),
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  return { cookie, csrf };
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
  const { cookie, csrf } = await signInOffice(base);
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

/**
 * The app server in a process of its own on a PostgreSQL database (bench/app-process.ts), with the
 * demo office signed in; `maxRssMb()` is that process's peak resident memory so far.
 */
export async function spawnBenchApp(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{
  base: string;
  cookie: string;
  csrf: string;
  maxRssMb: () => Promise<number>;
  close: () => Promise<void>;
}> {
  const { fork } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const child = fork(fileURLToPath(new URL('./app-process.ts', import.meta.url)), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env, BENCH_APP_DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (msg: Record<string, unknown>) => {
        if (key in msg) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(msg[key] as T);
        }
      };
      const onExit = (code: number | null) => reject(new Error(`bench app exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const port = await next<number>('listening');
  const base = `http://127.0.0.1:${port}`;
  const { cookie, csrf } = await signInOffice(base);
  return {
    base,
    cookie,
    csrf,
    maxRssMb: async () => {
      const kb = next<number>('maxRssKb');
      child.send('rss');
      return (await kb) / 1024;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}

/**
 * An HTTP load run: requests cycle through `urls`; `{i}` in the body is the request number. With
 * `bodies`, request i sends `bodies[i % bodies.length]` (varied, realistic requests) instead.
 */
export interface HttpLoadSpec {
  total: number;
  concurrency: number;
  method?: 'GET' | 'POST';
  urls: string[];
  headers?: Record<string, string>;
  body?: string;
  bodies?: string[];
  expectStatus: number;
}

// The client runs in a worker thread (plain JavaScript, evaluated), so its work does not take turns
// with the server on the server's event loop; it still shares the machine's two cores with the
// server and PostgreSQL, so it has to be cheap. It speaks HTTP/1.1 over keep-alive sockets itself:
// each request's bytes are built as one buffer, each answer is read up to its status, length (or
// chunked end) and body. fetch cost ~1.3 ms of CPU per request here, node:http ~0.2 ms; this client
// a few hundredths of a millisecond, so the figures are the server's and the database's.
const HTTP_LOAD_WORKER = `
const net = require('node:net');
const { parentPort, workerData: s } = require('node:worker_threads');
const CRLF2 = Buffer.from('\\r\\n\\r\\n');

function requestBytes(url, body) {
  const u = new URL(url);
  let head = (s.method || 'GET') + ' ' + u.pathname + u.search + ' HTTP/1.1\\r\\nhost: ' + u.host +
    '\\r\\nconnection: keep-alive\\r\\n';
  for (const [k, v] of Object.entries(s.headers || {})) head += k + ': ' + v + '\\r\\n';
  if (body === undefined) return Buffer.from(head + '\\r\\n');
  const b = Buffer.from(body);
  return Buffer.concat([Buffer.from(head + 'content-length: ' + b.length + '\\r\\n\\r\\n'), b]);
}

// One keep-alive connection: one request at a time; resolves with the status and the body text.
class Connection {
  constructor(url) {
    const u = new URL(url);
    this.socket = net.connect(Number(u.port || 80), u.hostname);
    this.socket.setNoDelay(true);
    this.buf = Buffer.alloc(0);
    this.pending = null;
    this.socket.on('data', (chunk) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
      this.parse();
    });
    const fail = (err) => { if (this.pending) { const p = this.pending; this.pending = null; p.reject(err); } };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }
  send(bytes) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }
  parse() {
    if (!this.pending) return;
    const end = this.buf.indexOf(CRLF2);
    if (end < 0) return;
    const head = this.buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const lower = head.toLowerCase();
    const m = /\\r\\ncontent-length: *(\\d+)/.exec(lower);
    let body;
    let used;
    if (m) {
      const len = Number(m[1]);
      if (this.buf.length < end + 4 + len) return;
      body = this.buf.subarray(end + 4, end + 4 + len);
      used = end + 4 + len;
    } else if (lower.includes('transfer-encoding: chunked')) {
      const parts = [];
      let at = end + 4;
      for (;;) {
        const lineEnd = this.buf.indexOf('\\r\\n', at);
        if (lineEnd < 0) return;
        const size = parseInt(this.buf.toString('latin1', at, lineEnd), 16);
        if (this.buf.length < lineEnd + 2 + size + 2) return;
        if (size === 0) { used = lineEnd + 4; break; }
        parts.push(this.buf.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      body = Buffer.alloc(0);
      used = end + 4;
    }
    this.buf = this.buf.subarray(used);
    const p = this.pending;
    this.pending = null;
    p.resolve({ status, text: status === s.expectStatus ? '' : body.toString() });
  }
}

(async () => {
  const latencies = [];
  let next = 0;
  let failure = null;
  const bodyOf = (i) => s.bodies ? s.bodies[i % s.bodies.length] : s.body;
  const fixed = s.bodies || (s.body && s.body.includes('{i}')) ? null : s.urls.map((u) => requestBytes(u, s.body));
  // Every connection is opened and carries one request before the clock starts, so neither
  // connecting nor this client's own first (unoptimised) runs are counted as the server's time.
  const conns = Array.from({ length: s.concurrency }, () => new Connection(s.urls[0]));
  const runTag = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
  try {
    await Promise.all(conns.map((conn, k) =>
      conn.send(requestBytes(s.urls[k % s.urls.length], bodyOf(k) ? bodyOf(k).replaceAll('{i}', 'w' + runTag + '-' + k) : undefined))
        .then((res) => { if (res.status !== s.expectStatus) failure = res.status + ' ' + res.text.slice(0, 300); })));
  } catch (err) {
    failure = String(err);
  }
  const start = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const worker = async (conn) => {
    try {
      for (;;) {
        const i = next++;
        if (i >= s.total || failure) return;
        const k = i % s.urls.length;
        const bytes = fixed ? fixed[k] : requestBytes(s.urls[k], bodyOf(i).replaceAll('{i}', String(i)));
        const t0 = performance.now();
        const res = await conn.send(bytes);
        if (res.status !== s.expectStatus) failure = res.status + ' ' + res.text.slice(0, 300);
        latencies.push(performance.now() - t0);
      }
    } catch (err) {
      failure = String(err);
    } finally {
      conn.socket.destroy();
    }
  };
  await Promise.all(conns.map(worker));
  const elu = performance.eventLoopUtilization(elu0);
  parentPort.postMessage({ latencies, seconds: (performance.now() - start) / 1000, failure, clientBusyMs: elu.active });
})();
`;

/** Runs an HTTP load from a worker thread; latencies in milliseconds. */
export async function httpLoad(spec: HttpLoadSpec): Promise<LoadResult> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(HTTP_LOAD_WORKER, { eval: true, workerData: spec });
  const out = await new Promise<{
    latencies: number[];
    seconds: number;
    failure: string | null;
    clientBusyMs: number;
  }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
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
    clientMs: out.clientBusyMs / spec.total,
  };
}

/**
 * Runs a bench on a fresh PostgreSQL database (BENCH_DATABASE_URL or TEST_DATABASE_URL; created
 * and dropped here) and then on a fresh PGlite directory (unless BENCH_PGLITE=0).
 */
export async function onBenchDatabases(opts: {
  prefix: string;
  poolSize: number;
  /** `url` reaches the same database from another process (spawnBenchApp). */
  postgres: (database: Database, url: string) => Promise<void>;
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
      await opts.postgres(database, u.toString());
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

/**
 * `n` registered problems (codes `<codePrefix><i>`) spread evenly over the box and 1 % beyond
 * each side (those fall outside whatever tiles it), inserted 100,000 at a time.
 */
export async function insertSpreadProblems(
  database: Database,
  n: number,
  opts: {
    codePrefix: string;
    channel: string;
    south: number;
    west: number;
    height: number;
    width: number;
  },
): Promise<void> {
  const chunk = 100_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    await database.db.execute(sql`
      with c as (select min(id) as id from problem_categories where parent_id is not null)
      insert into problems (code, title, category_id, channel, state, lat, lng, created_at, updated_at)
      select ${opts.codePrefix} || g, '压测问题' || g, c.id, ${opts.channel}, 'registered',
        ${opts.south} + ${opts.height} * (((g::bigint * 7919) % 100003) / 100003.0 * 1.02 - 0.01),
        ${opts.west} + ${opts.width} * (((g::bigint * 104729) % 99991) / 99991.0 * 1.02 - 0.01),
        now(), now()
      from generate_series(${from}::int, ${to}::int) g, c`);
    await database.afterCommit();
  }
}
