import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { remindOverdueReports, reportingState } from './assignment-reports.js';

// 进度报送 on the demo campaign's assignments: reports, the rhythm, overdue flags and reminders.

let t: TestApp;
let office: Agent;
let unit: Agent;
let leader: Agent;
let mineId = 0;
let otherId = 0;
let unitId = 0;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  office = await t.login('office', DEMO_PASSWORD);
  unit = await t.login('unit', DEMO_PASSWORD);
  leader = await t.login('leader', DEMO_PASSWORD);
  unitId = (await unit.get('/api/auth/me')).json().user.unitId as number;
  const mine = (await unit.get('/api/my-assignments')).json().items as { id: number }[];
  expect(mine.length).toBeGreaterThan(0);
  mineId = mine[0]!.id;
  const [other] = await execRows<{ id: number }>(
    t.database.db,
    sql`select a.id from assignments a where a.id not in ${mine.map((m) => m.id)}
          and not exists (select 1 from assignment_units au where au.assignment_id = a.id
            and au.unit_id = (select unit_id from users where username = 'unit'))
        limit 1`,
  );
  otherId = Number(other!.id);
});
afterAll(() => t.close());

describe('assignment progress reports', () => {
  it("lets a unit report on its own assignments only, and shows the office every unit's reports", async () => {
    const res = await unit.post(`/api/assignments/${mineId}/reports`, {
      status: 'in_progress',
      text: '已制定工作方案，正在组织实施',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'in_progress', reportedBy: expect.any(String) });
    expect(
      (
        await unit.post(`/api/assignments/${otherId}/reports`, {
          status: 'done',
          text: '别人的任务',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await unit.post(`/api/assignments/${mineId}/reports`, { status: 'maybe', text: 'x' }))
        .statusCode,
    ).toBe(400);
    expect((await office.get(`/api/assignments/${mineId}/reports`)).json()).toHaveLength(1);
    expect((await leader.get(`/api/assignments/${mineId}/reports`)).json()).toHaveLength(1);
    expect((await unit.get(`/api/assignments/${otherId}/reports`)).statusCode).toBe(404);
  });

  it('flags assignments not reported within the rhythm, and a done one no longer owes reports', async () => {
    const now = Date.now();
    const inAWeek = new Date(now + 8 * 86_400_000);
    const state = await reportingState(t.database.db, inAWeek);
    const mine = state.find((s) => s.assignmentId === mineId && s.unitId === unitId)!;
    expect(mine).toMatchObject({ lastStatus: 'in_progress', overdue: true, everyDays: 7 });
    expect(
      (await reportingState(t.database.db, new Date(now))).find(
        (s) => s.assignmentId === mineId && s.unitId === unitId,
      )!.overdue,
    ).toBe(false);

    expect(
      (await unit.put('/api/settings/assignment-report-rhythm', { everyDays: 14 })).statusCode,
    ).toBe(403);
    expect(
      (await office.put('/api/settings/assignment-report-rhythm', { everyDays: 14 })).statusCode,
    ).toBe(200);
    expect(
      (await reportingState(t.database.db, inAWeek)).find(
        (s) => s.assignmentId === mineId && s.unitId === unitId,
      )!.overdue,
    ).toBe(false);

    await unit.post(`/api/assignments/${mineId}/reports`, { status: 'done', text: '已全部完成' });
    const later = new Date(now + 60 * 86_400_000);
    expect(
      (await reportingState(t.database.db, later)).find(
        (s) => s.assignmentId === mineId && s.unitId === unitId,
      )!.overdue,
    ).toBe(false);
    const own = (await unit.get('/api/assignment-reporting')).json().items as { unitId: number }[];
    expect(new Set(own.map((s) => s.unitId)).size).toBe(1);
  });

  it('reminds each overdue unit once per period, however often the job runs', async () => {
    const later = new Date(Date.now() + 60 * 86_400_000);
    const first = await remindOverdueReports(t.database, later);
    expect(first).toBeGreaterThan(0);
    expect(await remindOverdueReports(t.database, later)).toBe(0);
    const [row] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from notifications where kind = 'task_report_due'`,
    );
    expect(row!.n).toBeGreaterThan(0);
    const [out] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from outbox where topic = 'notice.task_report_due'`,
    );
    expect(out!.n).toBe(first);
  });
});
