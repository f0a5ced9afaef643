import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { beforeEach, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A data directory the demo-seeded server ran on once (e2e/global-setup.ts); '' when none. */
    e2eTemplate: string;
    /** What that directory was seeded with: see templateKey(). */
    e2eTemplateKey: string;
    /** The PostgreSQL database seeded with it when the servers run on PostgreSQL; '' when not. */
    e2eTemplateDb: string;
  }
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

export { CHROMIUM_ARGS, chromiumPath } from './chromium.js';
import { CHROMIUM_ARGS } from './chromium.js';

/**
 * Chromium for the e2e files. Every context it opens asks for reduced motion (a user's
 * accessibility setting the app honours, web/shared/motion.ts) unless the file says otherwise, and
 * draws at one device pixel per CSS pixel unless SCREENSHOTS is on:
 * nothing on the page slides or fades, so a click never lands on something still moving and the
 * loaded 2-core machine does not spend its time drawing animation frames.
 */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) =>
    newContext({
      reducedMotion: 'reduce',
      ...options,
      // A phone's sharper screen only shows in pictures: without them, one device pixel per CSS
      // pixel (a quarter of the raster work), the layout the same.
      ...(SCREENSHOTS ? {} : { deviceScaleFactor: 1 }),
    });
  return browser;
}

let shared: Promise<Browser> | null = null;

/**
 * The worker's one Chromium, shared by the e2e files it runs one after another (vitest's
 * `isolate: false` keeps this module between files): a launch costs a second or more on the
 * loaded 2-core machine. Files work in their own contexts (newContext / newPage), which share no
 * cookies or storage, and close them in afterAll with releaseBrowser(). Playwright kills the
 * browser when the worker exits. A browser that crashed or was closed is launched again.
 */
export async function sharedBrowser(executablePath: string): Promise<Browser> {
  const current = shared && (await shared.catch(() => null));
  if (current?.isConnected()) return current;
  shared = launchBrowser(executablePath);
  return shared;
}

/** Closes every context a file opened in the shared browser, leaving the browser for the next file. */
export async function releaseBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser?.isConnected()) return;
  await Promise.all(browser.contexts().map((c) => c.close().catch(() => undefined)));
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

/**
 * The PostgreSQL the e2e servers run on when the run has one (TEST_DATABASE_URL, as CI sets it):
 * production's database, each file on its own copy of the seeded template database. Without it
 * they run on PGlite in their data directories, as `npm start` does. The integration tier runs
 * every query on both either way.
 */
export const E2E_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** The connection string of database `name` on E2E_DATABASE_URL's server. */
export function e2eDatabaseUrl(name: string): string {
  const u = new URL(E2E_DATABASE_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs statements on E2E_DATABASE_URL's server, one connection for all of them. */
export async function e2eAdmin(...statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: E2E_DATABASE_URL });
  await admin.connect();
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** A new database copied from `template`; another file copying it at the same moment is waited out. */
async function databaseFrom(template: string): Promise<string> {
  const name = `cc_e2e_${process.ppid}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await e2eAdmin(`create database ${name} template ${template}`);
      return name;
    } catch (err) {
      if (attempt > 30) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

interface Template {
  dir: string;
  /** Its database on E2E_DATABASE_URL's server, or null (PGlite, inside the directory). */
  database: string | null;
}

/** The file next to a template directory that says how its seeding ended: `ready` or `failed`. */
export const templateState = (dir: string) => `${dir}.state`;

/**
 * The e2e run's seeded template if it was seeded exactly as `env` would seed, else null. The
 * seeding runs in the background (e2e/global-setup.ts): this waits for it to end.
 */
async function seededTemplate(env: Record<string, string>): Promise<Template | null> {
  let dir: string | undefined;
  let key: string | undefined;
  let database: string | undefined;
  try {
    dir = inject('e2eTemplate');
    key = inject('e2eTemplateKey');
    database = inject('e2eTemplateDb');
  } catch {
    return null; // not inside a Vitest worker
  }
  if (!dir || !key) return null;
  if (templateKey({ ...process.env, ...env }) !== key) return null;
  // Seeding takes ~10 s on an idle machine; the limit is a seed that hangs on a loaded one.
  const deadline = Date.now() + 170_000;
  let state: string | null = null;
  while (state === null) {
    try {
      state = fs.readFileSync(templateState(dir), 'utf8');
    } catch {
      if (Date.now() > deadline) throw new Error('the e2e template was not seeded in time');
      // Poll interval of the state file (the seeding's end is not an event this worker can hear).
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  if (state !== 'ready' || !fs.existsSync(dir)) return null;
  return { dir, database: database || null };
}

export const MAIN = path.join(ROOT, 'dist', 'server', 'main.js');

/** Data directories startServer() made, removed when their server stops or, at the latest, when
 * the worker exits (a file that timed out before its afterAll ran). */
const ownedDirs = new Set<string>();
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
  for (const d of ownedDirs) fs.rmSync(d, { recursive: true, force: true });
});

function removeOwned(dir: string): void {
  if (!ownedDirs.delete(dir)) return;
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Starts the built server (dist/) on a free port with its own data directory: `dataDir` as given,
 * or a new one. A new one starts as a copy of the run's seeded template (e2e/global-setup.ts) when
 * `env` seeds the same way, which skips the first start's migrations and demo seed; otherwise it
 * starts empty. When the template's database is on PostgreSQL (E2E_DATABASE_URL), the server gets
 * its own copy of that database too. A new one is the harness's: it (and its database) is removed
 * when the server stops (or fails to start); a given one is the caller's to keep or remove.
 */
export async function startServer(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<RunningServer> {
  if (!fs.existsSync(MAIN))
    throw new Error('dist/server/main.js is missing: run `npm run build` first');
  const port = await freePort();
  let dir = dataDir;
  let database: string | null = null;
  if (dir === undefined) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-e2e-'));
    ownedDirs.add(dir);
    const template = await seededTemplate(env);
    if (template) {
      fs.cpSync(template.dir, dir, { recursive: true });
      if (template.database) database = await databaseFrom(template.database);
    }
  }
  const dirToRemove = dataDir === undefined ? dir : null;
  // The copied database goes with the server (it has exited by then, so nothing holds it).
  const release = async () => {
    if (dirToRemove) removeOwned(dirToRemove);
    if (database) await e2eAdmin(`drop database if exists ${database} with (force)`);
  };
  let out = '';
  // E2E_SERVER_NODE_ARGS: extra node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`.
  const nodeArgs = process.env.E2E_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const proc = spawn(process.execPath, [...nodeArgs, MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      ...env,
      ...(database ? { DATABASE_URL: e2eDatabaseUrl(database) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      running.delete(proc);
      resolve(code);
    }),
  );
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const fail = async (message: string): Promise<never> => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await exited;
    await release();
    throw new Error(`${message}:\n${out}`);
  };
  // A first start migrates and seeds: ~8 s on an idle 2-core machine, over a minute when it is shared.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) return fail(`server exited early (${proc.exitCode})`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) return fail('server did not become healthy');
    // Poll interval of the health check (not a wait for the app's state).
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir: dir,
    proc,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const code = await exited;
      await release();
      return code;
    },
  };
}

export function artifact(name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

/**
 * Whether the journeys keep a picture of each step in e2e/artifacts: `E2E_SCREENSHOTS=1 npm run
 * test:e2e` makes the set a person looks through, as each role's user would see the screens. Off
 * by default: the pictures are a record, not an assertion, and encoding ~170 of them (phone pages
 * at twice the pixels) cost the 2-core machine a good part of the tier. A failed test keeps its
 * pictures either way (keepFailures), and checks that read pixels take their own.
 */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';

/** A picture of this step (a page, or one element of it) in e2e/artifacts/<name>, when SCREENSHOTS is on. */
export async function snap(
  page: Page | Locator,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  if (!SCREENSHOTS) return;
  if ('goto' in page) await page.screenshot({ path: artifact(name), ...options });
  else await page.screenshot({ path: artifact(name) });
}

/**
 * On a failed test of this file: a screenshot of each open page and the server's output so far,
 * in e2e/artifacts as FAILED-<file>-<test>…, so a failure seen once under load can be read later.
 */
export function keepFailures(
  file: string,
  what: () => { pages: (Page | undefined)[]; server?: RunningServer | undefined },
): void {
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      const slug = `FAILED-${file}-${ctx.task.name}`
        .replace(/[^\p{L}\p{N}-]+/gu, '_')
        .slice(0, 120);
      const { pages, server } = what();
      for (const [i, p] of pages.entries()) {
        if (!p || p.isClosed()) continue;
        await p.screenshot({ path: artifact(`${slug}-${i}.png`), fullPage: true }).catch(() => {});
      }
      if (server) fs.writeFileSync(artifact(`${slug}-server.log`), server.output());
    });
  });
}

/** Every page open in the browser: for keepFailures, when a file opens pages inside its tests. A
 * file's contexts are its own while it runs (sharedBrowser), so these are the file's pages. */
export function openPages(browser: Browser | undefined): Page[] {
  if (!browser?.isConnected()) return [];
  return browser.contexts().flatMap((c) => c.pages());
}

export const DEMO_PASSWORD = 'Demo@2026';

export interface ApiSession {
  /** The session cookie, as a browser context takes it (addCookies / storageState). */
  cookies: {
    name: string;
    value: string;
    domain: string;
    path: string;
    expires: number;
    httpOnly: boolean;
    secure: boolean;
    sameSite: 'Lax';
  }[];
  csrfToken: string;
  /** The CSRF header every write needs. */
  headers: Record<string, string>;
}

/** Signs in by POST /api/auth/login (demo password unless given), without a browser. */
export async function apiSession(
  url: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<ApiSession> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const me = (await res.json()) as { csrfToken: string; expiresAt: string };
  const [pair] = (res.headers.get('set-cookie') ?? '').split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq < 1) throw new Error(`sign-in of ${username}: no session cookie`);
  const { hostname } = new URL(url);
  return {
    cookies: [
      {
        name: pair.slice(0, eq).trim(),
        value: pair.slice(eq + 1).trim(),
        domain: hostname,
        path: '/',
        expires: Math.floor(new Date(me.expiresAt).getTime() / 1000),
        httpOnly: true,
        secure: false,
        sameSite: 'Lax',
      },
    ],
    csrfToken: me.csrfToken,
    headers: { 'x-csrf-token': me.csrfToken },
  };
}

/**
 * Signs a demo user in over the API into the page's context, opens `url` and waits for the app.
 * The session cookie is all the browser needs: the app asks /api/auth/me who it is when it starts
 * (localStorage holds only the language). The login page itself is exercised once, through the
 * UI, in office-org.e2e.test.ts. A file that does not look at the landing page opens a light one
 * (`/calendar`): the dashboard's dozen requests, its map and its charts, paid by every sign-in that
 * went straight on elsewhere, were a large share of the browser tier's time.
 */
export async function signIn(page: Page, url: string, username: string): Promise<ApiSession> {
  const session = await apiSession(new URL(url).origin, username);
  await page.context().addCookies(session.cookies);
  await page.goto(url);
  await page.waitForSelector('[data-testid=user-menu]');
  // The page's first data (categories, lists) has arrived, as it had by the end of a sign-in
  // through the form: a select filled before its options load loses the pick.
  await page.waitForLoadState('networkidle');
  return session;
}

/**
 * Goes to `path` inside the app already loaded in `page`, as a click on one of its links does: the
 * router hears a history push, and no page load happens (a load of the admin app costs ~1 CPU-s of
 * Chromium on the 2-core machine, and a browser file makes dozens). Like a user's click, a page
 * may first show an answer the app fetched in the last 10 s (its cache) — use `page.goto` after
 * writes made outside the app (over the API) that the page must show.
 */
export async function visit(page: Page, path: string): Promise<void> {
  await page.evaluate((p) => {
    window.history.pushState(null, '', p);
    window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
  }, path);
  // A navigation is a transition: the last page stays until the next one can show, and then the
  // frame names the new one (web/admin/AdminApp.tsx).
  const pathname = new URL(path, 'http://x').pathname;
  await page.waitForSelector(`.ant-layout-content[data-path="${pathname}"]`);
}

/**
 * Waits until nothing on the page moves: no finite CSS animation or transition running (antd's
 * modal zoom, drawer slide, popover and message fades, leaflet's tile fade) and no rendered
 * element in an enter/appear/leave motion step (antd adds those classes a frame before the
 * animation starts). This is what the fixed sleeps before screenshots used to guess at. Infinite
 * animations (spinners) and antd's click ripple do not count, nor motion classes on elements that
 * are not rendered. Every caller waits before a screenshot,
 * which is a record and not an assertion: after 10 s it says what still moves and goes on.
 */
export async function settled(page: Page): Promise<void> {
  // One function for both the wait (truthy when still) and the report (what moves).
  const moving = (report: boolean): string[] | boolean => {
    const out: string[] = [];
    for (const a of document.getAnimations()) {
      const end = a.effect?.getComputedTiming().endTime;
      const target = (a.effect as KeyframeEffect | null)?.target;
      // antd's click ripple fades for ~2 s on the loaded machine and changes nothing on the page.
      if (target?.closest('.ant-wave')) continue;
      if (a.playState === 'running' && end !== Infinity) {
        out.push(`${a.constructor.name} on ${target?.getAttribute('class') ?? '?'}`);
      }
    }
    // Before its animation starts an element has the step's class without "-active"; once
    // active the animation itself is counted above (an "-active" class with nothing running is
    // a motion antd never ended, as on a button's loading icon).
    const motion = /(^|\s)\S+-(enter|appear|leave)(-(prepare|start))?(\s|$)/;
    const active = /(^|\s)\S+-(enter|appear|leave)-active(\s|$)/;
    for (const el of document.querySelectorAll(
      '[class*="-enter"], [class*="-appear"], [class*="-leave"]',
    )) {
      const cls = el.getAttribute('class') ?? '';
      if (motion.test(cls) && !active.test(cls) && el.getClientRects().length > 0)
        out.push(`motion ${cls}`);
    }
    return report ? out : out.length === 0;
  };
  try {
    await page.waitForFunction(moving, false, { timeout: 10_000 });
  } catch {
    const still = await page.evaluate(moving, true).catch(() => ['(page gone)']);
    console.warn(`settled(): still moving after 10 s, going on: ${String(still)}`);
  }
}

/** The open drop-down of an antd Select or TreeSelect (one at a time: pickOption settles first). */
const OPEN_DROPDOWN = '.ant-select-dropdown:not(.ant-select-dropdown-hidden):visible';
/** An option of a Select's list, or a node of a TreeSelect's tree. */
const OPTION = '.ant-select-item-option, .ant-select-tree-node-content-wrapper';

/**
 * Picks `label` in an antd Select or TreeSelect (single, multiple/tags or checkable tree; the kind
 * is read from the page) and waits until the select shows it. `select` is what a user clicks to
 * open it (the select, or its input by id); `search` is typed first, for a long or server-searched
 * list; `sole` waits until the list holds that one option (a server search has answered: a reply
 * that re-renders the list under the click would pick whatever is then under it).
 *
 * Each attempt: settle (a drop-down still closing is not taken for this one), open unless open,
 * type the search unless typed, wait for the option in the open drop-down, settle (a click on an
 * option still sliding or unfolding in is lost under load), click it, and wait up to 5 s for the
 * select to show it. A pick not shown by then is tried again, three times in all, then this
 * throws with what the select and the drop-down showed. A multiple select's drop-down is closed
 * afterwards (by blur: Escape would also close a dialog around it); picking a tag it shows already
 * is refused, since the click would drop it. The option and the shown choice are matched by
 * `label` as Playwright's hasText does (a substring, case-insensitive), as the selectors were.
 */
export async function pickOption(
  page: Page,
  select: Locator,
  label: string | RegExp,
  opts: { search?: string; sole?: boolean } = {},
): Promise<void> {
  const root = select.locator(
    'xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]',
  );
  const input = root.locator('input').first();
  // A single select shows the choice in its content; a multiple one (a checkable tree too) as a tag.
  const multiple = await root.evaluate((el) => el.classList.contains('ant-select-multiple'));
  const shown = root
    .locator(multiple ? '.ant-select-selection-item' : '.ant-select-content')
    .filter({ hasText: label });
  if (multiple && (await shown.count()) > 0)
    throw new Error(`pickOption: "${String(label)}" is picked already (a click would drop it)`);
  const dropdown = page.locator(OPEN_DROPDOWN);
  let failure = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    // A pick that took after the last wait gave up: done (a second click would drop a tag).
    if (attempt > 1 && (await shown.count()) > 0) {
      failure = '';
      break;
    }
    try {
      await settled(page);
      if ((await input.getAttribute('aria-expanded')) !== 'true') await select.click();
      await dropdown.waitFor({ timeout: 10_000 });
      if (opts.search !== undefined && (await input.inputValue()) !== opts.search)
        await input.fill(opts.search);
      const options = dropdown.locator(OPTION);
      const option = options.filter({ hasText: label }).first();
      await option.waitFor({ timeout: 10_000 });
      if (opts.sole) await options.nth(1).waitFor({ state: 'detached', timeout: 10_000 });
      await settled(page);
      await option.click({ timeout: 10_000 });
      await shown
        .first()
        .waitFor({ timeout: 5_000 })
        .catch(() => {
          throw new Error('clicked, but the select did not show it within 5 s');
        });
      failure = '';
      break;
    } catch (err) {
      failure = (err instanceof Error ? err.message : JSON.stringify(err)).split('\n')[0]!;
      // Said, so that a run shows how often a pick needed another try, and why.
      console.warn(`pickOption: "${String(label)}" attempt ${attempt} failed: ${failure}`);
    }
  }
  if (failure) {
    const shows = await root.innerText({ timeout: 1_000 }).catch(() => '(no select)');
    const listed = await dropdown.locator(OPTION).allInnerTexts();
    throw new Error(
      `pickOption: "${String(label)}" not taken in 3 attempts; the select shows ` +
        `"${shows.trim()}", the open drop-down lists [${listed.slice(0, 20).join(' | ')}]; ` +
        `last: ${failure}`,
    );
  }
  if ((await input.getAttribute('aria-expanded')) === 'true') {
    await input.blur();
    await dropdown.waitFor({ state: 'hidden' });
  }
}

/** Where a Modal, a Modal.confirm and a Popconfirm keep their buttons. */
const DIALOG_BUTTONS = '.ant-modal-footer, .ant-modal-confirm-btns, .ant-popconfirm-buttons';

/**
 * Confirms an antd dialog and waits until it has gone: settles (a click on a button still zooming
 * in is lost, or presses on it and releases elsewhere), clicks `button` — by default the primary
 * button among the dialog's buttons (a Modal's footer, a Modal.confirm's or a Popconfirm's); a
 * name (text or RegExp) picks one of those buttons by its accessible name; a Locator is clicked as
 * it is — and waits until `dialog` is hidden or detached, its closing animation included, so that
 * the next click does not land on its overlay. Not retried: a second click on a confirm whose
 * first one took could submit twice.
 */
export async function confirmModal(
  page: Page,
  dialog: Locator,
  button?: string | RegExp | Locator,
): Promise<void> {
  await dialog.waitFor();
  await settled(page);
  const buttons = dialog.locator(DIALOG_BUTTONS);
  const target =
    button === undefined
      ? buttons.locator('.ant-btn-primary').last()
      : typeof button === 'string' || button instanceof RegExp
        ? buttons.getByRole('button', { name: button })
        : button;
  await target.click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The open Popconfirm (antd renders one at a time), for confirmModal. */
export function popconfirm(page: Page): Locator {
  return page.locator('.ant-popconfirm:visible');
}
