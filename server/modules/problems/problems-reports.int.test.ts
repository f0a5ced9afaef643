import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TKpiResponse, TProblem, TProblemDetail } from '../../../core/contracts/problems.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// KPIs, the XLSX ledger export, bulk dispatch, duplicate suggestions and 反弹 detection.

let t: TestApp;
let office: Agent;
let unitAgent: Agent;
let unitId: number;
let otherUnitId: number;
let categoryId: number;

async function create(body: Record<string, unknown>): Promise<TProblemDetail> {
  const res = await office.post('/api/problems', {
    title: '测试问题',
    categoryId,
    register: true,
    ...body,
  });
  expect([200, 201]).toContain(res.statusCode);
  return res.json<TProblemDetail>();
}

async function act(agent: Agent, p: TProblem, action: string, extra: Record<string, unknown> = {}) {
  const res = await agent.post(`/api/problems/${p.id}/actions`, {
    action,
    version: p.version,
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TProblemDetail>().problem;
}

beforeAll(async () => {
  t = await createTestApp();
  const unit = await buildUnit(t.database.db, { name: '报表测试单位' });
  const other = await buildUnit(t.database.db, { name: '另一单位' });
  unitId = unit.id;
  otherUnitId = other.id;
  await buildUser(t.database.db, { username: 'rep_office', roles: ['office'] });
  await buildUser(t.database.db, { username: 'rep_unit', roles: ['unit'], unitId });
  office = await t.login('rep_office');
  unitAgent = await t.login('rep_unit');
  const cats = (await office.get('/api/problem-categories')).json<{
    items: { id: number; parentId: number | null }[];
  }>();
  categoryId = cats.items.find((c) => c.parentId !== null)!.id;
});
afterAll(() => t.close());

describe('problem KPIs', () => {
  it('computes 结案率, 按期结案率, 返工率 and 延期率 per unit with the 数字城管 formulas', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    // Four problems for the unit: closed on time, closed after a rework, overdue, and not yet due.
    const ps: TProblem[] = [];
    for (let i = 0; i < 4; i++) {
      let p = (await create({ title: `KPI问题${i}` })).problem;
      p = await act(office, p, 'dispatch', { unitId });
      ps.push(p);
    }
    const a = await act(unitAgent, ps[0]!, 'submit', { note: '已整改' });
    await act(office, a, 'approve');
    let b = await act(unitAgent, ps[1]!, 'submit', { note: '已整改' });
    b = await act(office, b, 'rework', { note: '未到位' });
    b = await act(unitAgent, b, 'submit', { note: '再次整改' });
    await act(office, b, 'approve');
    await t.database.db.execute(
      sql`update problems set deadline = now() - interval '2 days' where id = ${ps[2]!.id}`,
    );
    const d = await act(unitAgent, ps[3]!, 'request_extension', {
      note: '需要时间',
      extensionDeadline: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    });
    await act(office, d, 'approve_extension');

    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await office.get(`/api/problems/kpis?groupBy=unit&from=${from}&to=${to}`);
    expect(res.statusCode).toBe(200);
    const k = res.json<TKpiResponse>();
    const row = k.rows.find((r) => r.key === unitId)!;
    expect(row).toMatchObject({
      due: 3,
      deferred: 0,
      closed: 2,
      closedOnTime: 2,
      reworked: 1,
      extended: 0,
    });
    expect(row.closeRate).toBeCloseTo(2 / 3, 3);
    expect(row.onTimeCloseRate).toBeCloseTo(2 / 3, 3);
    expect(row.reworkRate).toBeCloseTo(1 / 3, 3);
    expect(row.avgHandlingHours).not.toBeNull();
    expect(k.total.due).toBeGreaterThanOrEqual(3);

    // The unit sees only itself.
    const mine = (
      await unitAgent.get(`/api/problems/kpis?from=${from}&to=${to}`)
    ).json<TKpiResponse>();
    expect(mine.rows.map((r) => r.key)).toEqual([unitId]);
  });

  it('refuses a reversed period', async () => {
    const now = new Date().toISOString();
    const res = await office.get(
      `/api/problems/kpis?from=${now}&to=${new Date(Date.now() - 1000).toISOString()}`,
    );
    expect(res.statusCode).toBe(400);
  });
});

describe('ledger export', () => {
  it('streams the filtered ledger as XLSX', async () => {
    await create({ title: '导出测试甲' });
    await create({ title: '导出测试乙' });
    const res = await office.get('/api/problems/export.xlsx?q=导出测试');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('问题编号');
    const titles: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 1) titles.push(row.getCell(2).text);
    });
    expect(titles.sort()).toEqual(['导出测试乙', '导出测试甲'].sort());
  });
});

describe('bulk dispatch', () => {
  it('dispatches each problem on its own and reports the ones it could not', async () => {
    const a = (await create({ title: '批量甲' })).problem;
    const b = (await create({ title: '批量乙' })).problem;
    const closed = (await create({ title: '批量丙', register: false })).problem; // still reported
    const res = await office.post('/api/problems/bulk-dispatch', {
      unitId: otherUnitId,
      items: [
        { id: a.id, version: a.version },
        { id: b.id, version: b.version + 5 },
        { id: closed.id, version: closed.version },
      ],
    });
    expect(res.statusCode).toBe(200);
    const r = res.json<{ results: { id: number; ok: boolean; code?: string }[] }>().results;
    expect(r).toEqual([
      { id: a.id, ok: true },
      expect.objectContaining({ id: b.id, ok: false, code: 'stale_version' }),
      expect.objectContaining({ id: closed.id, ok: false, code: 'illegal_transition' }),
    ]);
    const after = (await office.get(`/api/problems/${a.id}`)).json<TProblemDetail>();
    expect(after.problem).toMatchObject({ state: 'dispatched', unitId: otherUnitId });
    expect(
      (
        await unitAgent.post('/api/problems/bulk-dispatch', {
          unitId,
          items: [{ id: a.id, version: 1 }],
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('duplicates and 反弹', () => {
  const here = { lat: 30.2741, lng: 120.1551 };

  it('offers open problems of the same category within 50 m as duplicates', async () => {
    const first = await create({ title: '同点位问题一', ...here });
    expect(first.similar).toEqual([]);
    const near = await create({ title: '同点位问题二', lat: here.lat + 0.0002, lng: here.lng }); // ~22 m
    expect(near.similar!.map((s) => s.id)).toEqual([first.problem.id]);
    expect(near.similar![0]!.distanceM).toBeGreaterThan(15);
    expect(near.similar![0]!.distanceM).toBeLessThan(30);
    const far = await create({ title: '远处问题', lat: here.lat + 0.002, lng: here.lng }); // ~220 m
    expect(far.similar).toEqual([]);
  });

  it('flags a problem at a place closed within 90 days as 反弹 and links it', async () => {
    const spot = { lat: 31.2304, lng: 121.4737 };
    let p = (await create({ title: '反弹原问题', ...spot })).problem;
    p = await act(office, p, 'dispatch', { unitId });
    p = await act(unitAgent, p, 'submit', { note: '已整改' });
    p = await act(office, p, 'approve');
    const again = await create({ title: '又出现了', lat: spot.lat + 0.0001, lng: spot.lng });
    expect(again.problem.recurrenceOfId).toBe(p.id);
    expect(again.timeline[0]!.data).toMatchObject({ recurrenceOfId: p.id });
    // Closed long ago: not a recurrence.
    await t.database.db.execute(
      sql`update problems set closed_at = now() - interval '120 days' where id = ${p.id}`,
    );
    const later = await create({ title: '很久以后', ...spot });
    expect(later.problem.recurrenceOfId).toBeNull();
  });
});
