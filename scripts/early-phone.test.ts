import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { TSessionUser } from '../core/contracts/auth.js';
import { permissionsOf, type TRole } from '../core/permissions.js';
import { apiUrl } from '../web/shared/api.js';
import { homeReads } from '../web/mobile/home-reads.js';

// web/early-phone.js asks, before the phone app's scripts arrive, for what its task list will
// read. It repeats web/mobile/home-reads.ts in plain JS (it runs before any module): this holds
// the two together for every role, so an early request is never one the app does not take.
// (HomePage.test.tsx checks that the task list asks exactly homeReads().)

const SCRIPT = fs.readFileSync(path.resolve(import.meta.dirname, '../web/early-phone.js'), 'utf8');

/** Runs the early script against a server that answers /api/auth/me with `user`. */
async function earlyUrls(user: Partial<TSessionUser> | null, now: number): Promise<string[]> {
  const asked: string[] = [];
  const context = vm.createContext({
    URLSearchParams,
    Date: class extends Date {
      static override now() {
        return now;
      }
    },
    fetch: (url: string) => {
      asked.push(url);
      if (url !== '/api/auth/me') return Promise.resolve(new Response('{}'));
      return Promise.resolve(
        user
          ? new Response(JSON.stringify({ user, csrfToken: 'x' }), { status: 200 })
          : new Response('{"error":{}}', { status: 401 }),
      );
    },
  });
  context.globalThis = context;
  vm.runInContext(SCRIPT, context);
  await new Promise((r) => setTimeout(r, 20));
  expect(Object.keys(context.__ccEarly as object).sort()).toEqual([...asked].sort());
  return asked.filter((u) => u !== '/api/auth/me');
}

const userOf = (roles: TRole[], unitId: number | null = null) => ({
  id: 1,
  roles,
  permissions: [...permissionsOf(roles)],
  unitId,
  mustChangePassword: false,
});

// 10:59:59.900 in one hour's window: the volunteer's range is counted from the hour.
const NOW = Date.parse('2026-12-07T02:59:59.900Z');

describe('web/early-phone.js asks what the task list will read', () => {
  it.each<[string, TRole[], number | null]>([
    ['grid worker', ['grid_worker'], null],
    ['inspector', ['inspector'], null],
    ['unit', ['unit'], 7],
    ['unit without a unit', ['unit'], null],
    ['survey guide', ['surveyor'], null],
    ['volunteer', ['volunteer'], null],
    ['office', ['office'], 3],
    ['admin', ['admin'], null],
    ['inspector and unit', ['inspector', 'unit'], 9],
  ])('%s', async (_name, roles, unitId) => {
    const user = userOf(roles, unitId);
    const expected = homeReads(user, NOW).map((r) => apiUrl(r.key, r.args));
    expect((await earlyUrls(user, NOW)).sort()).toEqual([...expected].sort());
  });

  it('asks only who is signed in when nobody is, or a first password must be set', async () => {
    expect(await earlyUrls(null, NOW)).toEqual([]);
    expect(await earlyUrls({ ...userOf(['grid_worker']), mustChangePassword: true }, NOW)).toEqual(
      [],
    );
  });

  it('a grid worker’s reads are the patrol card’s three', () => {
    expect(homeReads(userOf(['grid_worker']), NOW).map((r) => r.key)).toEqual([
      'GET /api/grids',
      'GET /api/problems',
      'GET /api/patrols',
    ]);
  });
});
