import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory the demo-seeded server ran on once (e2e/global-setup.ts); '' when none. */
    e2eTemplate: string;
    /** What that directory was seeded with: see templateKey(). */
    e2eTemplateKey: string;
  }
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

/** Debian's chromium, or CHROMIUM_PATH. Missing: skip loudly, except under CI where it fails. */
export function chromiumPath(): string | null {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (fs.existsSync(p)) return p;
  const msg = `chromium not found at ${p}: install Debian's chromium or set CHROMIUM_PATH`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`\n!!! E2E TESTS SKIPPED: ${msg} !!!\n`);
  return null;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  proc: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The settings that decide what a new data directory is seeded with, and the Shanghai day (the demo
 * seed places activities, deadlines and indicator periods relative to today). */
export function templateKey(env: Record<string, string | undefined>): string {
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const seeding = ['SEED', 'DATABASE_URL', 'ADMIN_USERNAME', 'ADMIN_PASSWORD'].map((k) => env[k]);
  return JSON.stringify([day, ...seeding]);
}

/** The e2e run's seeded template directory if it was seeded exactly as `env` would seed, else null. */
function seededTemplate(env: Record<string, string>): string | null {
  let dir: string | undefined;
  let key: string | undefined;
  try {
    dir = inject('e2eTemplate');
    key = inject('e2eTemplateKey');
  } catch {
    return null; // not inside a Vitest worker
  }
  if (!dir || !key || !fs.existsSync(dir)) return null;
  return templateKey({ ...process.env, ...env }) === key ? dir : null;
}

export const MAIN = path.join(ROOT, 'dist', 'server', 'main.js');

/**
 * Starts the built server (dist/) on a free port with its own data directory: `dataDir` as given,
 * or a new one. A new one starts as a copy of the run's seeded template (e2e/global-setup.ts) when
 * `env` seeds the same way, which skips the first start's migrations and demo seed; otherwise it
 * starts empty.
 */
export async function startServer(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<RunningServer> {
  if (!fs.existsSync(MAIN))
    throw new Error('dist/server/main.js is missing: run `npm run build` first');
  const port = await freePort();
  let dir = dataDir;
  if (dir === undefined) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-e2e-'));
    const template = seededTemplate(env);
    if (template) fs.cpSync(template, dir, { recursive: true });
  }
  let out = '';
  const proc = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // A first start migrates and seeds: ~8 s on an idle 2-core machine, over a minute when it is shared.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early (${proc.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir: dir,
    proc,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      }),
  };
}

export function artifact(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/** Signs a demo user in on the admin app's login page (demo password) and waits for the app. */
export async function signIn(
  page: import('playwright-core').Page,
  url: string,
  username: string,
): Promise<void> {
  await page.goto(url);
  await page.fill('#login-username', username);
  await page.fill('#login-password', 'Demo@2026');
  await page.click('[data-testid=login-submit]');
  await page.waitForSelector('[data-testid=user-menu]');
}
