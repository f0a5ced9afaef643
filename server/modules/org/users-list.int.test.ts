import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TUser } from '../../../core/contracts/org.js';
import type { TRole } from '../../../core/permissions.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

let t: TestApp;
let office: Agent;
let unitAgent: Agent;

interface Page {
  items: TUser[];
  nextCursor: string | null;
  total: number;
}

/** username suffix, name suffix, roles, unit (a/b/-), in region, active */
const SPECS: [string, string, TRole[], 'a' | 'b' | null, boolean, boolean][] = [
  ['d', 'c', ['grid_worker'], 'a', true, true],
  ['a', 'f', ['unit'], 'a', false, true],
  ['f', 'a', ['unit', 'grid_worker'], 'b', true, true],
  ['b', 'e', ['inspector'], null, true, false],
  ['g', 'd', ['surveyor'], 'b', false, true],
  ['c', 'g', ['grid_worker'], null, false, false],
  ['e', 'b', ['leader'], 'a', false, true],
];
const users: TUser[] = [];
let unitA: number;
let unitB: number;
let district: number;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const a = await buildUnit(db, { name: '列表甲单位' });
  const b = await buildUnit(db, { name: '列表乙单位' });
  const city = await buildRegion(db, { level: 'city' });
  const d = await buildRegion(db, { level: 'district', parent: city });
  [unitA, unitB, district] = [a.id, b.id, d.id];
  await buildUser(db, { username: 'office1', roles: ['office'] });
  office = await t.login('office1');
  for (const [i, [u, n, roles, unit, inRegion, active]] of SPECS.entries()) {
    const row = await buildUser(db, {
      username: `lst_${u}`,
      name: `列表用户 ${n}`,
      phone: `1360000000${i}`,
      roles,
      unitId: unit === 'a' ? a.id : unit === 'b' ? b.id : null,
      regionId: inRegion ? d.id : null,
      active,
    });
    users.push((await office.get(`/api/users/${row.id}`)).json<TUser>());
  }
  unitAgent = await t.login('lst_a');
});
afterAll(() => t.close());

const ids = async (query: string, agent: Agent = office) => {
  const res = await agent.get(`/api/users?limit=500&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  const page = res.json<Page>();
  expect(page.total).toBe(page.items.length);
  return page.items.map((u) => u.id);
};
/** Ids of the users whose username suffix is among `letters`, in creation order. */
const pick = (letters: string) =>
  users.filter((u) => letters.includes(u.username.slice(-1))).map((u) => u.id);

describe('users: filters', () => {
  it('filters by q on name, username and phone', async () => {
    expect(await ids('q=lst_')).toEqual(users.map((u) => u.id));
    expect(await ids('q=LST_B')).toEqual(pick('b'));
    expect(await ids(`q=${encodeURIComponent('列表用户 a')}`)).toEqual(pick('f'));
    expect(await ids('q=13600000004')).toEqual(pick('g'));
    expect(await ids('q=lst%25')).toEqual([]);
  });

  it('filters by role, unit, region subtree and active, combined', async () => {
    expect(await ids('q=lst_&role=grid_worker')).toEqual(pick('dfc'));
    expect(await ids('q=lst_&role=unit')).toEqual(pick('af'));
    expect(await ids(`unitId=${unitA}`)).toEqual(pick('dae'));
    expect(await ids(`unitId=${unitB}&role=unit`)).toEqual(pick('f'));
    expect(await ids(`regionId=${district}`)).toEqual(pick('dfb'));
    expect(await ids('q=lst_&active=false')).toEqual(pick('bc'));
    expect(await ids(`q=lst_&active=true&role=grid_worker&regionId=${district}`)).toEqual(
      pick('df'),
    );
    expect((await office.get('/api/users?role=superuser')).statusCode).toBe(400);
    expect((await office.get('/api/users?unitId=abc')).statusCode).toBe(400);
  });

  it('limits a unit user to its own unit whatever the filters', async () => {
    expect(await ids('', unitAgent)).toEqual(pick('dae'));
    expect(await ids(`unitId=${unitB}`, unitAgent)).toEqual([]);
    expect(await ids('q=lst_f', unitAgent)).toEqual([]);
  });
});

describe('users: sorting and keyset pagination', () => {
  it('sorts by username and name in both directions', async () => {
    const names = async (q: string) =>
      (await office.get(`/api/users?q=lst_&${q}`)).json<Page>().items.map((u) => u.username);
    expect(await names('sort=username')).toEqual(users.map((u) => u.username).sort());
    expect(await names('sort=username&order=desc')).toEqual(
      users
        .map((u) => u.username)
        .sort()
        .reverse(),
    );
    const byName = (await office.get('/api/users?q=lst_&sort=name')).json<Page>().items;
    expect(byName.map((u) => u.name.slice(-1)).join('')).toBe('abcdefg');
  });

  it('walks every page via nextCursor without duplicates or gaps', async () => {
    const orders = ['sort=id', 'sort=username', 'sort=name&order=desc', 'sort=id&order=desc'];
    for (const order of orders) {
      const full = await ids(`q=lst_&${order}`);
      expect(full).toHaveLength(SPECS.length);
      for (const limit of [1, 3]) {
        const walked: number[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const c: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
          const page: Page = (
            await office.get(`/api/users?q=lst_&${order}&limit=${limit}${c}`)
          ).json<Page>();
          expect(page.total).toBe(SPECS.length);
          walked.push(...page.items.map((u) => u.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        expect(walked, `${order} limit ${limit}`).toEqual(full);
        expect(pages).toBe(Math.ceil(SPECS.length / limit));
      }
    }
  });

  it('keeps a unit user in scope across pages', async () => {
    const first = (await unitAgent.get('/api/users?limit=2')).json<Page>();
    expect(first.total).toBe(3);
    const c = encodeURIComponent(first.nextCursor!);
    const second = (await unitAgent.get(`/api/users?limit=2&cursor=${c}`)).json<Page>();
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((u) => u.id)).toEqual(pick('dae'));
  });

  it('answers 400 for an invalid cursor', async () => {
    const res = await office.get('/api/users?cursor=!!!');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_cursor');
    const garbage = await office.get('/api/users?cursor=bm90LWpzb24');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.code).toBe('invalid_cursor');
  });
});
