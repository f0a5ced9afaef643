import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAuditRecord } from '../../../core/contracts/audit.js';
import type { TCategory } from '../../../core/contracts/problems.js';
import { CN_CALENDAR_SEED } from '../../../core/calendar/cn-holidays.data.js';
import {
  addDays,
  endOfShanghaiDay,
  isWorkingDay,
  shanghaiDate,
  type DayKind,
} from '../../../core/calendar/working-days.js';
import { DEFAULT_CATEGORIES } from '../../db/seed/problem-categories.data.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import {
  categoriesByCode,
  expectEndOfWorkingDay,
  expectError,
  expectInvalid,
  putCalendar,
  report,
  ruleDeadlines,
  seededCalendar,
  step,
} from '../../test/problems-kit.js';

// Reference data: the problem taxonomy and the working-day calendar.

let t: TestApp;
let office: Agent;
let admin: Agent;
let unit: Agent;
let leader: Agent;
let surveyor: Agent;
let unitId: number;

interface Year {
  year: number;
  days: { day: string; kind: DayKind; name: string }[];
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  unitId = (await buildUnit(db, { name: '日历单位' })).id;
  await buildUser(db, { username: 'office1', name: '创建办', roles: ['office'] });
  await buildUser(db, { username: 'admin1', roles: ['admin'] });
  await buildUser(db, { username: 'unit1', roles: ['unit'], unitId });
  await buildUser(db, { username: 'leader1', roles: ['leader'] });
  await buildUser(db, { username: 'surv1', roles: ['surveyor'] });
  office = await t.login('office1');
  admin = await t.login('admin1');
  unit = await t.login('unit1');
  leader = await t.login('leader1');
  surveyor = await t.login('surv1');
});
afterAll(() => t.close());

async function year(agent: Agent, y: number | string): Promise<Year> {
  const res = await agent.get(`/api/calendar/${y}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Year>();
}

async function calendarAudit(y: number): Promise<TAuditRecord[]> {
  const res = await admin.get(`/api/audit?entityType=calendar&entityId=${y}&limit=500`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: TAuditRecord[] }>().items.reverse();
}

describe('problem categories', () => {
  it('lists the seeded taxonomy: major categories with deadlines, subcategories under them', async () => {
    const res = await leader.get('/api/problem-categories');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: TCategory[] }>().items;
    const children = DEFAULT_CATEGORIES.flatMap((m) => m.children);
    expect(items).toHaveLength(DEFAULT_CATEGORIES.length + children.length);
    const byCode = new Map(items.map((c) => [c.code, c]));
    for (const major of DEFAULT_CATEGORIES) {
      const m = byCode.get(major.code)!;
      expect(m).toMatchObject({
        name: major.name,
        parentId: null,
        deadlineDays: major.deadlineDays,
        active: true,
      });
      for (const child of major.children) {
        expect(byCode.get(child.code)).toMatchObject({
          name: child.name,
          parentId: m.id,
          deadlineDays: null,
          active: true,
        });
      }
    }
    expect(byCode.get('HJ')!.deadlineDays).toEqual({ normal: 2, urgent: 1, critical: 1 });
    expect((await categoriesByCode(unit)).size).toBe(items.length);
    expectError(await surveyor.get('/api/problem-categories'), 403, 'forbidden');
  });
});

describe('calendar', () => {
  it('has the seeded holidays and adjusted workdays', async () => {
    for (const y of [2025, 2026]) {
      const got = await year(unit, y);
      expect(got.year).toBe(y);
      const seeded = CN_CALENDAR_SEED.filter((d) => d.date.startsWith(`${y}-`))
        .map((d) => ({ day: d.date, kind: d.kind, name: d.name }))
        .sort((a, b) => a.day.localeCompare(b.day));
      expect(got.days).toEqual(seeded);
    }
    const days = (await year(leader, 2026)).days;
    expect(days).toContainEqual({ day: '2026-10-01', kind: 'holiday', name: '国庆节' });
    expect(days).toContainEqual({ day: '2026-09-20', kind: 'workday', name: '国庆节调休' });
    expect((await year(office, 2099)).days).toEqual([]);
    expectError(await surveyor.get('/api/calendar/2026'), 403, 'forbidden');
    expectInvalid(await office.get('/api/calendar/1999'), 'params.year');
    expectInvalid(await office.get('/api/calendar/next'), 'params.year');
  });

  it('lets the office replace a year, audited', async () => {
    const first = [
      { day: '2027-10-01', kind: 'holiday', name: '国庆节' },
      { day: '2027-01-01', kind: 'holiday', name: '元旦' },
      { day: '2027-09-26', kind: 'workday' },
    ] as const;
    const res = await putCalendar(t, office, 2027, [...first]);
    expect(res.statusCode, res.body).toBe(200);
    const expected = [
      { day: '2027-01-01', kind: 'holiday', name: '元旦' },
      { day: '2027-09-26', kind: 'workday', name: '' },
      { day: '2027-10-01', kind: 'holiday', name: '国庆节' },
    ];
    expect(res.json()).toEqual({ year: 2027, days: expected });
    expect((await year(unit, 2027)).days).toEqual(expected);

    const second = [{ day: '2027-05-01', kind: 'holiday' as const, name: '劳动节' }];
    expect((await putCalendar(t, office, 2027, second)).statusCode).toBe(200);
    expect((await year(office, 2027)).days).toEqual(second);
    // The years around it are untouched.
    expect((await year(office, 2026)).days).toHaveLength(
      CN_CALENDAR_SEED.filter((d) => d.date.startsWith('2026-')).length,
    );

    const records = await calendarAudit(2027);
    expect(records.map((r) => [r.action, r.entityType, r.actorName])).toEqual([
      ['calendar.update', 'calendar', '创建办(office1)'],
      ['calendar.update', 'calendar', '创建办(office1)'],
    ]);
    expect(records[0]!.before).toEqual([]);
    expect(records[0]!.after).toEqual(first.map((d) => ({ name: '', ...d })));
    expect(records[1]!.before).toEqual(expected);
    expect(records[1]!.after).toEqual(second);
  });

  it('refuses others and bad days', async () => {
    const day = [{ day: '2027-06-01', kind: 'holiday' as const, name: '儿童节' }];
    for (const agent of [unit, leader, surveyor]) {
      expectError(await putCalendar(t, agent, 2027, day), 403, 'forbidden');
    }
    const outside = await putCalendar(t, office, 2027, [
      { day: '2027-12-31', kind: 'holiday' },
      { day: '2028-01-01', kind: 'holiday' },
    ]);
    expectError(outside, 400, 'invalid');
    expect(outside.json().error.messageEn).toBe('2028-01-01 is not in 2027');
    const twice = await putCalendar(t, office, 2027, [
      { day: '2027-02-01', kind: 'holiday' },
      { day: '2027-02-01', kind: 'workday' },
    ]);
    expectError(twice, 400, 'invalid');
    expect(twice.json().error.messageEn).toBe('a day is listed twice');
    expectInvalid(
      await putCalendar(t, office, 2027, [{ day: '2027-02-01', kind: 'rest' as DayKind }]),
      'body.days.0.kind',
    );
    expectInvalid(
      await putCalendar(t, office, 2027, [{ day: '2027-13-01', kind: 'holiday' }]),
      'body.days.0.day',
    );
    expectInvalid(await putCalendar(t, office, 1999, []), 'params.year');
    // Nothing of that reached the table or the audit log.
    expect((await year(office, 2027)).days).toEqual([
      { day: '2027-05-01', kind: 'holiday', name: '劳动节' },
    ]);
    expect(await calendarAudit(2027)).toHaveLength(2);
  });

  it('skips a newly declared holiday when it sets a dispatch deadline', async () => {
    const table = seededCalendar();
    let next = addDays(shanghaiDate(new Date()), 1);
    while (!isWorkingDay(next, table)) next = addDays(next, 1);
    const y = next.slice(0, 4);
    const current = (await year(office, y)).days.filter((d) => d.day !== next);
    const put = await putCalendar(t, office, y, [
      ...current,
      { day: next, kind: 'holiday', name: '临时放假' },
    ]);
    expect(put.statusCode, put.body).toBe(200);
    const updated = new Map(table);
    for (const [day] of table) if (day.startsWith(`${y}-`)) updated.delete(day);
    for (const d of put.json<Year>().days) updated.set(d.day, d.kind);
    expect(isWorkingDay(next, updated)).toBe(false);

    const categoryId = (await categoriesByCode(office)).get('SS01')!.id;
    const p = await report(office, {
      title: '次日放假',
      categoryId,
      severity: 'critical',
      register: true,
    });
    const before = new Date();
    const d = await step(office, p.problem, 'dispatch', { unitId });
    const after = new Date();
    const deadline = d.problem.deadline!;
    // One working day: the end of the next working day, no longer `next`.
    expect(ruleDeadlines(before, after, 1, updated)).toContain(deadline);
    expectEndOfWorkingDay(deadline, updated);
    expect(shanghaiDate(new Date(deadline)) > next).toBe(true);
    expect(ruleDeadlines(before, after, 1, table)).toContain(endOfShanghaiDay(next).toISOString());
  });
});
