import { expect } from 'vitest';
import { CN_CALENDAR_SEED } from '../../core/calendar/cn-holidays.data.js';
import {
  addWorkingDays,
  endOfShanghaiDay,
  isWorkingDay,
  shanghaiDate,
  type CalendarTable,
  type DayKind,
} from '../../core/calendar/working-days.js';
import type { TCategory, TProblemDetail } from '../../core/contracts/problems.js';
import {
  PROBLEM_ACTION_LABELS,
  PROBLEM_STATE_LABELS,
  type TProblemAction,
  type TProblemState,
} from '../../core/problems/lifecycle.js';
import type { Agent, Res, TestApp } from './harness.js';

// Helpers shared by the problem module's integration tests.

/** The holiday table the reference-data seed puts into every test database. */
export function seededCalendar(): Map<string, DayKind> {
  return new Map(CN_CALENDAR_SEED.map((d) => [d.date, d.kind]));
}

/** The seeded categories by code (HJ, HJ01, …). */
export async function categoriesByCode(agent: Agent): Promise<Map<string, TCategory>> {
  const res = await agent.get('/api/problem-categories');
  expect(res.statusCode, res.body).toBe(200);
  return new Map(res.json<{ items: TCategory[] }>().items.map((c) => [c.code, c]));
}

/** Reports a problem and expects it to be created. */
export async function report(agent: Agent, body: Record<string, unknown>): Promise<TProblemDetail> {
  const res = await agent.post('/api/problems', { title: '测试问题', severity: 'normal', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TProblemDetail>();
}

export async function detailOf(agent: Agent, id: number): Promise<TProblemDetail> {
  const res = await agent.get(`/api/problems/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TProblemDetail>();
}

/** Takes an action on a problem at the version given. */
export function act(
  agent: Agent,
  p: { id: number; version: number },
  action: TProblemAction,
  extra: Record<string, unknown> = {},
): Promise<Res> {
  return agent.post(`/api/problems/${p.id}/actions`, { action, version: p.version, ...extra });
}

/** Takes an action that must succeed; answers the detail after it. */
export async function step(
  agent: Agent,
  p: { id: number; version: number },
  action: TProblemAction,
  extra: Record<string, unknown> = {},
): Promise<TProblemDetail> {
  const res = await act(agent, p, action, extra);
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json<TProblemDetail>();
}

export function expectError(res: Res, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  const error = res.json().error;
  expect(error.code).toBe(code);
  expect(error.messageZh).toEqual(expect.any(String));
  expect(error.messageEn).toEqual(expect.any(String));
}

/** A 400 naming the fields at fault. */
export function expectInvalid(res: Res, ...paths: string[]): void {
  expectError(res, 400, 'invalid');
  const got = (res.json().error.fields as { path: string }[]).map((f) => f.path);
  expect(got).toEqual(expect.arrayContaining(paths));
}

/** A 409 for an action the state does not allow, explained in both languages. */
export function expectIllegal(res: Res, state: TProblemState, action: TProblemAction): void {
  expectError(res, 409, 'illegal_transition');
  const { messageZh, messageEn } = res.json().error;
  expect(messageZh).toContain(`“${PROBLEM_STATE_LABELS[state].zh}”`);
  expect(messageZh).toContain(`“${PROBLEM_ACTION_LABELS[action].zh}”`);
  expect(messageEn).toContain(`"${PROBLEM_STATE_LABELS[state].en}"`);
  expect(messageEn).toContain(PROBLEM_ACTION_LABELS[action].en.toLowerCase());
}

/** PUT is not on the test agent; send it with the agent's session. */
export function putCalendar(
  t: TestApp,
  agent: Agent,
  year: number | string,
  days: { day: string; kind: DayKind; name?: string }[],
): Promise<Res> {
  return t.app.inject({
    method: 'PUT',
    url: `/api/calendar/${year}`,
    headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf },
    payload: { days },
  });
}

/**
 * The deadlines `days` working days after an instant between `before` and `after` (the test cannot
 * know the server's exact instant; it differs only if a Shanghai midnight fell in between).
 */
export function ruleDeadlines(
  before: Date,
  after: Date,
  days: number,
  table: CalendarTable,
): string[] {
  return [
    ...new Set([
      addWorkingDays(before, days, table).toISOString(),
      addWorkingDays(after, days, table).toISOString(),
    ]),
  ];
}

/** A deadline set by the category rule is the last millisecond of a Shanghai working day. */
export function expectEndOfWorkingDay(iso: string, table: CalendarTable): void {
  const day = shanghaiDate(new Date(iso));
  expect(isWorkingDay(day, table), `${iso} falls on ${day}`).toBe(true);
  expect(endOfShanghaiDay(day).toISOString()).toBe(iso);
}
