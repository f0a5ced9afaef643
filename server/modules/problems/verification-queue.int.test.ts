import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TVerificationItem } from '../../../core/contracts/problems.js';
import { addWorkingDays } from '../../../core/calendar/working-days.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import {
  categoriesByCode,
  expectError,
  report,
  seededCalendar,
  step,
} from '../../test/problems-kit.js';

// 核查队列: GET /api/problems/verification-queue.

let t: TestApp;
let office: Agent;
let unitA: Agent;
let unitB: Agent;
let inspector: Agent;
let leader: Agent;
let unitAId: number;
let unitBId: number;
let cityId: number;
let eastId: number;
let westId: number;
let categoryId: number;

interface Page {
  items: TVerificationItem[];
  nextCursor: string | null;
  total: number;
}

const queue = async (agent: Agent, query = ''): Promise<Page> => {
  const res = await agent.get(`/api/problems/verification-queue${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
};
const codes = (p: Page) => p.items.map((i) => i.problem.title);

async function photo(agent: Agent, color: string): Promise<string> {
  const res = await agent.upload('/api/files', await testJpeg({ color }), 'p.jpg');
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** Reported with a before-photo, dispatched, and submitted with an after-photo. */
async function submitted(
  title: string,
  unit: { agent: Agent; id: number },
  regionId: number,
  o: { late?: boolean } = {},
) {
  const before = await photo(office, '#a33');
  const p = await report(office, { title, categoryId, regionId, photoIds: [before] });
  let d = await step(office, p.problem, 'register');
  d = await step(office, d.problem, 'dispatch', {
    unitId: unit.id,
    deadline: addWorkingDays(new Date(), 5, seededCalendar()).toISOString(),
  });
  if (o.late) {
    await t.database.db.execute(
      sql`update problems set deadline = now() - interval '26 hours' where id = ${d.problem.id}`,
    );
  }
  const after = await photo(unit.agent, '#3a3');
  const s = await step(unit.agent, d.problem, 'submit', {
    note: `${title}：已整改`,
    photoIds: [after],
  });
  return { detail: s, before, after };
}

let p1: Awaited<ReturnType<typeof submitted>>;
let p2: Awaited<ReturnType<typeof submitted>>;
let p3: Awaited<ReturnType<typeof submitted>>;
let p3After2: string;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const city = await buildRegion(db, { name: '核查市' });
  cityId = city.id;
  eastId = (await buildRegion(db, { name: '东区', level: 'district', parent: city })).id;
  westId = (await buildRegion(db, { name: '西区', level: 'district', parent: city })).id;
  unitAId = (await buildUnit(db, { name: '核查甲单位' })).id;
  unitBId = (await buildUnit(db, { name: '核查乙单位' })).id;
  await buildUser(db, { username: 'v_office', roles: ['office'] });
  await buildUser(db, { username: 'v_unita', name: '甲联络员', roles: ['unit'], unitId: unitAId });
  await buildUser(db, { username: 'v_unitb', roles: ['unit'], unitId: unitBId });
  await buildUser(db, { username: 'v_insp', roles: ['inspector'], regionId: eastId });
  await buildUser(db, { username: 'v_leader', roles: ['leader'] });
  office = await t.login('v_office');
  unitA = await t.login('v_unita');
  unitB = await t.login('v_unitb');
  inspector = await t.login('v_insp');
  leader = await t.login('v_leader');
  categoryId = (await categoriesByCode(office)).get('HJ01')!.id;

  const A = { agent: unitA, id: unitAId };
  const B = { agent: unitB, id: unitBId };
  // p3 is reported first but sent back once and submitted again last: the queue goes by the
  // submission, not by the id.
  p3 = await submitted('问题3', A, westId, { late: true });
  p1 = await submitted('问题1', A, eastId);
  p2 = await submitted('问题2', B, westId);
  const back = await step(office, p3.detail.problem, 'rework', { note: '不到位' });
  p3After2 = await photo(unitA, '#33a');
  p3.detail = await step(unitA, back.problem, 'submit', {
    note: '问题3：第二次整改',
    photoIds: [p3After2],
  });
  // not waiting for verification: not in the queue
  await report(office, { title: '未派遣', categoryId, regionId: eastId });
});
afterAll(() => t.close());

describe('verification queue', () => {
  it('lists submitted problems oldest submission first, with what the verifier needs', async () => {
    const page = await queue(office);
    expect(codes(page)).toEqual(['问题1', '问题2', '问题3']);
    expect(page.total).toBe(3);
    expect(page.nextCursor).toBeNull();
    const [first, second, third] = page.items;
    expect(second!.problem).toMatchObject({ id: p2.detail.problem.id, unitId: unitBId });
    expect(first).toMatchObject({
      problem: { id: p1.detail.problem.id, state: 'submitted', unitName: '核查甲单位' },
      submittedEscalation: 'none',
      submittedLate: false,
      submission: { note: '问题1：已整改', actorName: '甲联络员' },
    });
    expect(first!.before.map((f) => f.id)).toEqual([p1.before]);
    expect(first!.after.map((f) => f.id)).toEqual([p1.after]);
    expect(first!.after[0]!.thumbUrl).toBe(`/api/files/${p1.after}/thumb`);
    // the latest submission only: its note and its photos, not the ones sent back
    expect(third).toMatchObject({
      submission: { note: '问题3：第二次整改' },
      submittedLate: true,
      problem: { reworkCount: 1, version: p3.detail.problem.version },
    });
    expect(['yellow', 'red']).toContain(third!.submittedEscalation);
    expect(third!.after.map((f) => f.id)).toEqual([p3After2]);
    expect(third!.before.map((f) => f.id)).toEqual([p3.before]);
  });

  it('pages by keyset', async () => {
    const one = await queue(office, '?limit=1');
    expect(codes(one)).toEqual(['问题1']);
    expect(one.total).toBe(3);
    const two = await queue(office, `?limit=1&cursor=${one.nextCursor}`);
    expect(codes(two)).toEqual(['问题2']);
    const three = await queue(office, `?limit=1&cursor=${two.nextCursor}`);
    expect(codes(three)).toEqual(['问题3']);
    expect(three.nextCursor).toBeNull();
    const firstTwo = await queue(office, '?limit=2');
    expect(codes(firstTwo)).toEqual(['问题1', '问题2']);
    expect(codes(await queue(office, `?limit=2&cursor=${firstTwo.nextCursor}`))).toEqual(['问题3']);
    expectError(
      await office.get('/api/problems/verification-queue?cursor=zzz'),
      400,
      'invalid_cursor',
    );
  });

  it('filters by unit and by region (with its sub-regions)', async () => {
    expect(codes(await queue(office, `?unitId=${unitAId}`))).toEqual(['问题1', '问题3']);
    expect(codes(await queue(office, `?unitId=${unitBId}`))).toEqual(['问题2']);
    expect(codes(await queue(office, `?regionId=${westId}`))).toEqual(['问题2', '问题3']);
    const city = await queue(office, `?regionId=${cityId}`);
    expect(codes(city)).toEqual(['问题1', '问题2', '问题3']);
    const both = await queue(office, `?regionId=${westId}&unitId=${unitAId}`);
    expect(codes(both)).toEqual(['问题3']);
    expect(both.total).toBe(1);
  });

  it('is for verifiers, each within their scope', async () => {
    const mine = await queue(inspector);
    expect(codes(mine)).toEqual(['问题1']);
    expect(mine.total).toBe(1);
    // asking for another region does not widen the scope
    expect(codes(await queue(inspector, `?regionId=${westId}`))).toEqual([]);
    for (const agent of [unitA, leader]) {
      expectError(await agent.get('/api/problems/verification-queue'), 403, 'forbidden');
    }
  });

  it('drops a problem once it is verified or sent back', async () => {
    const before = await queue(office);
    const [a, b] = before.items;
    await step(inspector, a!.problem, 'approve');
    await step(office, b!.problem, 'rework', { note: '照片看不清，请补拍' });
    const after = await queue(office);
    expect(codes(after)).toEqual(['问题3']);
    expect(after.total).toBe(1);
  });
});
