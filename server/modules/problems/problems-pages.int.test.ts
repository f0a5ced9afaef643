import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProblem } from '../../../core/contracts/problems.js';
import { addWorkingDays } from '../../../core/calendar/working-days.js';
import { problems } from '../../db/schema/index.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import {
  categoriesByCode,
  expectError,
  report,
  seededCalendar,
  step,
} from '../../test/problems-kit.js';

// Keyset pagination of the ledger, with ties in the sort column and problems without a deadline.

let t: TestApp;
let office: Agent;
let unit: Agent;
let all: TProblem[];

interface Page {
  items: TProblem[];
  nextCursor: string | null;
  total: number;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const unitId = (await buildUnit(db, { name: '分页单位' })).id;
  await buildUser(db, { username: 'office1', roles: ['office'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId });
  office = await t.login('office1');
  unit = await t.login('unit1');
  const categoryId = (await categoriesByCode(office)).get('WM02')!.id;
  const table = seededCalendar();
  const shared = addWorkingDays(new Date(), 4, table).toISOString();
  const deadlines = [7, null, 4, 'shared', null, 2, 'shared', 9, null, 'shared', 3, null, 6];
  for (const [i, d] of deadlines.entries()) {
    const p = await report(office, { title: `分页${i}`, categoryId, register: d !== null });
    if (d === null) continue;
    const deadline =
      typeof d === 'number' ? addWorkingDays(new Date(), d, table).toISOString() : shared;
    await step(office, p.problem, 'dispatch', { unitId, deadline });
  }
  // Several problems created at the same instant: the id breaks the tie.
  const first = await report(office, { title: '分页同刻', categoryId });
  const rows = await db.select({ id: problems.id }).from(problems);
  const same = rows.map((r) => r.id).filter((id) => id % 3 === 0);
  await db
    .update(problems)
    .set({ createdAt: new Date(first.problem.createdAt) })
    .where(inArray(problems.id, same));
  const res = await office.get('/api/problems?limit=500');
  all = res.json<Page>().items;
  expect(all).toHaveLength(deadlines.length + 1);
});
afterAll(() => t.close());

/** Walks every page; checks each page's size and total on the way. */
async function walk(agent: Agent, query: string, limit: number): Promise<TProblem[]> {
  const out: TProblem[] = [];
  let cursor: string | null = null;
  let total: number | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const url = `/api/problems?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await agent.get(url);
    expect(res.statusCode, res.body).toBe(200);
    const page: Page = res.json<Page>();
    total ??= page.total;
    expect(page.total).toBe(total);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
    expect(page.items).toHaveLength(limit);
  }
  expect(cursor).toBeNull();
  expect(out).toHaveLength(total!);
  expect(new Set(out.map((p) => p.id)).size).toBe(out.length);
  return out;
}

const byId = (a: TProblem, b: TProblem) => a.id - b.id;
const time = (iso: string | null) => (iso === null ? Infinity : Date.parse(iso));

describe('problem ledger: pages', () => {
  it('pages newest first by default', async () => {
    const expected = [...all].sort((a, b) => time(b.createdAt) - time(a.createdAt) || b.id - a.id);
    expect(new Set(all.map((p) => p.createdAt)).size).toBeLessThan(all.length);
    expect(all.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    for (const limit of [1, 2, 5]) {
      expect((await walk(office, '', limit)).map((p) => p.id)).toEqual(expected.map((p) => p.id));
    }
    const asc = await walk(office, 'sort=createdAt&order=asc', 4);
    expect(asc.map((p) => p.id)).toEqual([...expected].reverse().map((p) => p.id));
  });

  it('pages by deadline, soonest first and problems without a deadline last', async () => {
    const expected = [...all].sort((a, b) => time(a.deadline) - time(b.deadline) || byId(a, b));
    const withDeadline = all.filter((p) => p.deadline !== null).length;
    expect(withDeadline).toBeGreaterThan(0);
    expect(withDeadline).toBeLessThan(all.length);
    for (const limit of [1, 3, 4]) {
      const got = await walk(office, 'sort=deadline&order=asc', limit);
      expect(got.map((p) => p.id)).toEqual(expected.map((p) => p.id));
      expect(got.slice(withDeadline).every((p) => p.deadline === null)).toBe(true);
    }
    const dispatched = await walk(office, 'sort=deadline&order=asc&state=dispatched', 2);
    expect(dispatched.map((p) => p.id)).toEqual(
      expected.filter((p) => p.state === 'dispatched').map((p) => p.id),
    );
  });

  it('pages by last change', async () => {
    const expected = [...all].sort((a, b) => time(a.updatedAt) - time(b.updatedAt) || byId(a, b));
    const got = await walk(office, 'sort=updatedAt&order=asc', 3);
    expect(got.map((p) => p.id)).toEqual(expected.map((p) => p.id));
  });

  it('pages within a scope', async () => {
    const mine = await walk(unit, 'sort=deadline&order=asc', 2);
    expect(mine.map((p) => p.id)).toEqual(
      all
        .filter((p) => p.unitId !== null)
        .sort((a, b) => time(a.deadline) - time(b.deadline) || byId(a, b))
        .map((p) => p.id),
    );
  });

  it('answers 400 for a cursor it did not make', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const cursor of ['not-a-cursor', b64([1]), b64({ at: 1, id: 2 }), b64(['x', 'y'])]) {
      const res = await office.get(`/api/problems?cursor=${cursor}`);
      expectError(res, 400, 'invalid_cursor');
      expect(res.json().error.messageEn).toBe(
        'invalid page cursor; start again from the first page',
      );
    }
  });
});
