import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// Cases found in review, each once wrong.

let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let unitId: number;
let categoryId: number;

async function act(agent: Agent, p: TProblem, action: string, extra: Record<string, unknown> = {}) {
  const res = await agent.post(`/api/problems/${p.id}/actions`, {
    action,
    version: p.version,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TProblemDetail>();
}

beforeAll(async () => {
  t = await createTestApp();
  unitId = (await buildUnit(t.database.db)).id;
  await buildUser(t.database.db, { username: 'rg_office', roles: ['office'] });
  await buildUser(t.database.db, { username: 'rg_unit', roles: ['unit'], unitId });
  office = await t.login('rg_office');
  unitAgent = await t.login('rg_unit');
  const cats = (await office.get('/api/problem-categories')).json().items as {
    id: number;
    parentId: number | null;
  }[];
  categoryId = cats.find((c) => c.parentId !== null)!.id;
});
afterAll(() => t.close());

describe('problem regressions', () => {
  it('drops an undecided extension request when the unit submits', async () => {
    let p = (
      await office.post('/api/problems', { title: '延期后提交', categoryId, register: true })
    ).json<TProblemDetail>().problem;
    p = (await act(office, p, 'dispatch', { unitId })).problem;
    p = (
      await act(unitAgent, p, 'request_extension', {
        note: '需要时间',
        extensionDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      })
    ).problem;
    expect(p.extensionPending).toBe(true);
    const submitted = await act(unitAgent, p, 'submit', { note: '提前完成了' });
    expect(submitted.problem).toMatchObject({
      extensionPending: false,
      extensionRequestedDeadline: null,
    });
    const back = await act(office, submitted.problem, 'rework', { note: '还需完善' });
    expect(back.actions).toBeDefined();
    const unitView = (await unitAgent.get(`/api/problems/${p.id}`)).json<TProblemDetail>();
    expect(unitView.actions).toEqual(
      expect.arrayContaining(['submit', 'return', 'request_extension']),
    );
    const officeView = (await office.get(`/api/problems/${p.id}`)).json<TProblemDetail>();
    expect(officeView.actions).not.toContain('approve_extension');
  });

  it('answers a forged cursor with a 400, not a 500', async () => {
    const forged = Buffer.from(JSON.stringify(['not-a-date', 3])).toString('base64url');
    const res = await office.get(`/api/problems?sort=deadline&cursor=${forged}`);
    expect(res.statusCode).toBe(400);
  });

  it('lists problems without a deadline last in both directions', async () => {
    const p = (
      await office.post('/api/problems', { title: '有期限', categoryId, register: true })
    ).json<TProblemDetail>().problem;
    await act(office, p, 'dispatch', { unitId });
    await office.post('/api/problems', { title: '无期限', categoryId });
    for (const order of ['asc', 'desc']) {
      const items: TProblem[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/problems?sort=deadline&order=${order}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await office.get(url)).json<{
          items: TProblem[];
          nextCursor: string | null;
        }>();
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const firstNull = items.findIndex((i) => i.deadline === null);
      expect(firstNull).toBeGreaterThan(0);
      expect(items.slice(firstNull).every((i) => i.deadline === null)).toBe(true);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    }
  });
});
