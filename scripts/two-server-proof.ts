/**
 * The production topology without containers (issue #9 §4): two app servers on different ports,
 * one PostgreSQL database, one S3-compatible store (s3rver in this process). A mixed load — sign-ins,
 * photo uploads, problem intake with photos, dispatch, ledger reads — goes to both servers, each
 * request to the next server in turn, so every session is used on both. Halfway through, one
 * server is killed (SIGKILL). Afterwards every acknowledged problem must be there with its photo,
 * readable through the surviving server, and the sessions made on the dead server must keep working.
 *
 * Periodic jobs: both servers log every job run with its period (JOB_RUN_LOG=1); no job may run
 * twice in one period across the two, and the 1-second audit-sealing job must have run in most
 * of the seconds the proof lasted.
 *
 *   PROOF_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run proof:two-servers
 *   (an admin connection: the script creates and drops its own database; PROOF_SECONDS=30)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import pg from 'pg';
import sharp from 'sharp';
import { startTestS3 } from '../server/test/s3.js';

const adminUrl =
  process.env.PROOF_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const seconds = Number(process.env.PROOF_SECONDS ?? 30);
const ports = [4711, 4712];
const USERS = 8;

function log(msg: string) {
  console.log(`[${new Date().toISOString().slice(11, 23)}] ${msg}`);
}

async function waitHealthy(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server :${port} exited (${child.exitCode})`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server :${port} did not become healthy`);
}

interface Session {
  cookie: string;
  csrf: string;
  bornOn: number;
}

async function call(
  port: number,
  s: Session | null,
  method: string,
  url: string,
  body?: unknown,
  form?: FormData,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (s) {
    headers.cookie = s.cookie;
    headers['x-csrf-token'] = s.csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`http://127.0.0.1:${port}${url}`, {
    method,
    headers,
    body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
    redirect: 'manual',
  });
}

async function main(): Promise<void> {
  const dbName = `cc_proof_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const databaseUrl = u.toString();
  const s3 = await startTestS3('proof');
  if (!s3) throw new Error('s3rver did not start');
  const children: ChildProcess[] = [];
  const jobRuns: { jobRun: string; period: number }[] = [];
  let failures = 0;
  const startedAt = Date.now();
  try {
    // Both servers start together: one migrates and seeds, the other waits on the locks.
    for (const port of ports) {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: {
          ...process.env,
          ...s3.env('proof/'),
          PORT: String(port),
          DATABASE_URL: databaseUrl,
          DATABASE_POOL_SIZE: '5',
          SEED: 'demo',
          LOG_LEVEL: 'error',
          WEB_DIR: '/nonexistent',
          DATA_DIR: `/tmp/${dbName}-${port}`,
          SESSION_CACHE_MS: '5000',
          JOB_RUN_LOG: '1',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let pending = '';
      child.stdout.on('data', (d: Buffer) => {
        pending += d.toString();
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('{"jobRun"')) continue;
          const run = JSON.parse(line) as { jobRun: string; period: number };
          jobRuns.push(run);
        }
      });
      children.push(child);
    }
    await Promise.all(ports.map((p, i) => waitHealthy(p, children[i]!)));
    log(`two servers up on :${ports.join(', :')} (PostgreSQL ${dbName}, s3rver ${s3.endpoint})`);

    const alive = new Set([0, 1]);
    let turn = 0;
    const next = () => {
      for (;;) {
        const i = turn++ % 2;
        if (alive.has(i)) return i;
      }
    };
    const jpeg = (n: number) =>
      sharp({
        create: { width: 160, height: 120, channels: 3, background: { r: n % 256, g: 90, b: 40 } },
      })
        .jpeg()
        .toBuffer();

    // Office users sign in, half on each server.
    const sessions: Session[] = [];
    for (let i = 0; i < USERS; i++) {
      const port = ports[i % 2]!;
      const r = await call(port, null, 'POST', '/api/auth/login', {
        username: 'office',
        password: 'Demo@2026',
      });
      if (r.status !== 200) throw new Error(`login ${r.status} ${await r.text()}`);
      const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await r.json()) as { csrfToken: string };
      sessions.push({ cookie, csrf: csrfToken, bornOn: i % 2 });
    }
    const first = sessions[0]!;
    const cats = (await (
      await call(ports[0]!, first, 'GET', '/api/problem-categories')
    ).json()) as {
      items: { id: number; parentId: number | null }[];
    };
    const categoryId = cats.items.find((c) => c.parentId !== null)!.id;
    const units = (await (await call(ports[0]!, first, 'GET', '/api/units?limit=5')).json()) as {
      items: { id: number }[];
    };
    const unitId = units.items[0]!.id;

    const acked: { id: number; fileId: string; sha: string; dispatched: boolean }[] = [];
    const counts = { intake: 0, dispatch: 0, reads: 0, refused: 0 };
    const deadline = Date.now() + seconds * 1000;
    let killed = false;
    const killAt = Date.now() + (seconds * 1000) / 2;

    async function user(s: Session, n: number): Promise<void> {
      for (let k = 0; Date.now() < deadline; k++) {
        if (!killed && Date.now() >= killAt) {
          killed = true;
          log('killing the server on :' + ports[0] + ' (SIGKILL)');
          children[0]!.kill('SIGKILL');
          alive.delete(0);
        }
        try {
          const img = await jpeg(n * 1000 + k);
          const form = new FormData();
          form.append('file', new Blob([new Uint8Array(img)], { type: 'image/jpeg' }), 'p.jpg');
          const up = await call(ports[next()]!, s, 'POST', '/api/files', undefined, form);
          if (up.status !== 201) throw new Error(`upload ${up.status} ${await up.text()}`);
          const file = (await up.json()) as { id: string };
          const stored = await call(ports[next()]!, s, 'GET', `/api/files/${file.id}`);
          const sha = createHash('sha256')
            .update(Buffer.from(await stored.arrayBuffer()))
            .digest('hex');
          const cr = await call(ports[next()]!, s, 'POST', '/api/problems', {
            title: `两台服务器验证 ${n}-${k}`,
            categoryId,
            register: true,
            photoIds: [file.id],
          });
          if (cr.status !== 201) throw new Error(`intake ${cr.status} ${await cr.text()}`);
          const { problem: p } = (await cr.json()) as { problem: { id: number; version: number } };
          const entry = { id: p.id, fileId: file.id, sha, dispatched: false };
          acked.push(entry);
          counts.intake++;
          const d = await call(ports[next()]!, s, 'POST', `/api/problems/${p.id}/actions`, {
            action: 'dispatch',
            version: p.version,
            unitId,
          });
          if (d.status !== 200) throw new Error(`dispatch ${d.status} ${await d.text()}`);
          entry.dispatched = true;
          counts.dispatch++;
          const l = await call(ports[next()]!, s, 'GET', '/api/problems?limit=20');
          if (l.status !== 200) throw new Error(`ledger ${l.status}`);
          counts.reads++;
        } catch (err) {
          // A request to the server that just died is not acknowledged; the user carries on.
          // Anything else (an error answer, or a refused connection before the kill) fails the proof.
          if (killed && String(err).includes('fetch failed')) counts.refused++;
          else {
            failures++;
            log(`unexpected: ${String(err)}`);
          }
        }
      }
    }
    await Promise.all(sessions.map((s, i) => user(s, i)));
    log(
      `load done: ${counts.intake} intakes, ${counts.dispatch} dispatches, ${counts.reads} ledger reads, ` +
        `${counts.refused} requests refused by the dead server`,
    );

    // Everything acknowledged is there, through the surviving server, with the same photo bytes.
    const port = ports[1]!;
    let missing = 0;
    for (const a of acked) {
      const r = await call(port, first, 'GET', `/api/problems/${a.id}`);
      const body =
        r.status === 200
          ? ((await r.json()) as { problem: { state: string }; photos: { id: string }[] })
          : null;
      const f = await call(port, first, 'GET', `/api/files/${a.fileId}`);
      const sha = createHash('sha256')
        .update(Buffer.from(await f.arrayBuffer()))
        .digest('hex');
      const ok =
        body !== null &&
        body.photos.some((ph) => ph.id === a.fileId) &&
        (!a.dispatched || body.problem.state === 'dispatched') &&
        sha === a.sha;
      if (!ok) {
        missing++;
        log(
          `LOST or wrong: problem ${a.id} (${r.status}, ${body?.problem.state ?? '-'}), photo ${f.status}`,
        );
      }
    }
    // Sessions signed in on the dead server still work on the other one.
    let sessionsOk = 0;
    for (const s of sessions.filter((x) => x.bornOn === 0)) {
      const r = await call(port, s, 'GET', '/api/auth/me');
      if (r.status === 200) sessionsOk++;
    }
    const bornOnDead = sessions.filter((x) => x.bornOn === 0).length;
    log(`acknowledged problems checked: ${acked.length}, lost or wrong: ${missing}`);
    log(`sessions made on the killed server still valid on the other: ${sessionsOk}/${bornOnDead}`);
    // Periodic jobs: never twice in one period across the servers; the 1-second sealer in most seconds.
    const seen = new Set<string>();
    let twice = 0;
    for (const r of jobRuns) {
      const key = `${r.jobRun}:${r.period}`;
      if (seen.has(key)) twice++;
      seen.add(key);
    }
    const sealPeriods = new Set(
      jobRuns.filter((r) => r.jobRun === 'audit-seal').map((r) => r.period),
    );
    const elapsed = Math.floor((Date.now() - startedAt) / 1000);
    log(
      `job runs: ${jobRuns.length}, ran twice in a period: ${twice}; audit sealing ran in ` +
        `${sealPeriods.size} of ~${elapsed} seconds`,
    );
    const jobsOk = twice === 0 && sealPeriods.size >= elapsed * 0.6;
    const pass =
      acked.length > 0 &&
      missing === 0 &&
      sessionsOk === bornOnDead &&
      failures === 0 &&
      killed &&
      jobsOk;
    log(pass ? 'PASS' : 'FAIL');
    process.exitCode = pass ? 0 : 1;
  } finally {
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    await Promise.all(
      running.map((c) => {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        return exited;
      }),
    );
    await s3.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
