import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import { addWorkingDays } from '../../../core/calendar/working-days.js';
import {
  PROBLEM_ACTIONS,
  TRANSITIONS,
  type TProblemAction,
  type TProblemState,
} from '../../../core/problems/lifecycle.js';
import { buildRegion, buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import {
  act,
  categoriesByCode,
  detailOf,
  expectError,
  expectIllegal,
  report,
  seededCalendar,
  step,
} from '../../test/problems-kit.js';

// Who may take which step, and in which state: every action against every party and a wrong state.

type Who = 'office' | 'admin' | 'unitA' | 'unitB' | 'inspector' | 'leader' | 'grid' | 'surveyor';
const WHO: Who[] = ['office', 'admin', 'unitA', 'unitB', 'inspector', 'leader', 'grid', 'surveyor'];

let t: TestApp;
const agents = {} as Record<Who, Agent>;
let unitAId: number;
let categoryId: number;
let regionId: number;
/** An open problem everyone in the region sees: what 'merge' merges into. */
let primaryId: number;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  regionId = (await buildRegion(db, { name: '权限市' })).id;
  unitAId = (await buildUnit(db, { name: '甲单位' })).id;
  const unitBId = (await buildUnit(db, { name: '乙单位' })).id;
  const roles = {
    office: { roles: ['office'] },
    admin: { roles: ['admin'] },
    unitA: { roles: ['unit'], unitId: unitAId },
    unitB: { roles: ['unit'], unitId: unitBId },
    inspector: { roles: ['inspector'], regionId },
    leader: { roles: ['leader'] },
    grid: { roles: ['grid_worker'], regionId },
    surveyor: { roles: ['surveyor'], regionId },
  } as const;
  for (const who of WHO) {
    await buildUser(db, {
      username: who.toLowerCase(),
      ...roles[who],
      roles: [...roles[who].roles],
    });
    agents[who] = await t.login(who.toLowerCase());
  }
  categoryId = (await categoriesByCode(agents.office)).get('ZX04')!.id;
  primaryId = (await report(agents.unitA, { title: '合并目标', categoryId, regionId })).problem.id;
});
afterAll(() => t.close());

const later = () => addWorkingDays(new Date(), 20, seededCalendar()).toISOString();

type Setup = 'pending' | TProblemState;

/**
 * A fresh problem in a state. Unit A reports it itself, so it stays visible to unit A in every
 * state (a unit sees what it reported) and to the region's inspector and grid worker.
 */
async function inState(state: Setup): Promise<TProblemDetail> {
  const office = agents.office;
  const unitA = agents.unitA;
  const reported = () => report(unitA, { title: `处于${state}`, categoryId, regionId });
  const dispatched = async () => {
    const p = await step(office, (await reported()).problem, 'register');
    return step(office, p.problem, 'dispatch', { unitId: unitAId });
  };
  switch (state) {
    case 'reported':
      return reported();
    case 'registered':
      return step(office, (await reported()).problem, 'register');
    case 'rejected':
      return step(office, (await reported()).problem, 'reject', { note: '不予立案' });
    case 'dispatched':
      return dispatched();
    case 'pending': {
      const body = { note: '需要更多时间', extensionDeadline: later() };
      return step(unitA, (await dispatched()).problem, 'request_extension', body);
    }
    case 'submitted':
      return step(unitA, (await dispatched()).problem, 'submit', { note: '已整改' });
    case 'closed':
      return step(office, (await inState('submitted')).problem, 'approve');
    case 'returned':
      return step(unitA, (await dispatched()).problem, 'return', { note: '非本单位' });
    case 'deferred':
      return step(office, (await dispatched()).problem, 'defer', { note: '等待施工' });
    case 'merged':
      return succeed(office, (await reported()).problem, 'merge', BODY.merge());
  }
}

const BODY: Record<TProblemAction, () => Record<string, unknown>> = {
  register: () => ({}),
  reject: () => ({ note: '理由' }),
  dispatch: () => ({ unitId: unitAId }),
  return: () => ({ note: '理由' }),
  submit: () => ({ note: '理由' }),
  approve: () => ({}),
  rework: () => ({ note: '理由' }),
  request_extension: () => ({ note: '理由', extensionDeadline: later() }),
  approve_extension: () => ({}),
  refuse_extension: () => ({ note: '理由' }),
  defer: () => ({ note: '理由' }),
  resume: () => ({}),
  reopen: () => ({ note: '理由' }),
  merge: () => ({ intoId: primaryId }),
};

/** Takes an action: merging has its own endpoint, every other step goes to /actions. */
function attempt(
  agent: Agent,
  p: { id: number; version: number },
  action: TProblemAction,
  body: Record<string, unknown>,
): Promise<Res> {
  return action === 'merge'
    ? agent.post(`/api/problems/${p.id}/merge`, { version: p.version, ...body })
    : act(agent, p, action, body);
}

async function succeed(
  agent: Agent,
  p: { id: number; version: number },
  action: TProblemAction,
  body: Record<string, unknown>,
): Promise<TProblemDetail> {
  if (action !== 'merge') return step(agent, p, action, body);
  const res = await attempt(agent, p, action, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TProblemDetail>();
}

const OFFICE_ONLY: Who[] = ['unitA', 'inspector', 'leader', 'grid', 'surveyor'];
const UNIT_ONLY: Who[] = ['office', 'admin', 'inspector', 'leader', 'grid', 'surveyor'];
const VERIFIER_ONLY: Who[] = ['unitA', 'leader', 'grid', 'surveyor'];

const ALLOWED: [TProblemAction, Setup, Who, Who[]][] = [
  ['register', 'reported', 'office', OFFICE_ONLY],
  ['reject', 'reported', 'admin', OFFICE_ONLY],
  ['dispatch', 'registered', 'office', OFFICE_ONLY],
  ['dispatch', 'returned', 'admin', OFFICE_ONLY],
  ['return', 'dispatched', 'unitA', UNIT_ONLY],
  ['submit', 'dispatched', 'unitA', UNIT_ONLY],
  ['submit', 'pending', 'unitA', UNIT_ONLY],
  ['request_extension', 'dispatched', 'unitA', UNIT_ONLY],
  ['approve', 'submitted', 'inspector', VERIFIER_ONLY],
  ['rework', 'submitted', 'office', VERIFIER_ONLY],
  ['approve_extension', 'pending', 'office', OFFICE_ONLY],
  ['refuse_extension', 'pending', 'admin', OFFICE_ONLY],
  ['defer', 'registered', 'office', OFFICE_ONLY],
  ['defer', 'dispatched', 'office', OFFICE_ONLY],
  ['defer', 'returned', 'office', OFFICE_ONLY],
  ['resume', 'deferred', 'office', OFFICE_ONLY],
  ['reopen', 'closed', 'office', OFFICE_ONLY],
  ['reopen', 'rejected', 'office', OFFICE_ONLY],
  ['merge', 'registered', 'office', OFFICE_ONLY],
  ['merge', 'submitted', 'admin', OFFICE_ONLY],
];

describe('problems: who may act', () => {
  it('covers every action', () => {
    expect(new Set(ALLOWED.map(([a]) => a))).toEqual(new Set(PROBLEM_ACTIONS));
  });

  it.each(ALLOWED)('%s in %s: %s may, the others get 403/404', async (action, state, who, not) => {
    const p = await inState(state);
    for (const other of not) {
      const res = await attempt(agents[other], p.problem, action, BODY[action]());
      expectError(res, 403, 'forbidden');
      expect(res.json().error.messageZh).toBe('您没有执行此操作的权限');
      expect(res.json().error.messageEn).toBe('you do not have permission to do this');
      if (other !== 'surveyor') {
        expect((await detailOf(agents[other], p.problem.id)).actions).not.toContain(action);
      }
    }
    // Unit B sees neither the problem nor that it exists: a unit's own step on another unit's
    // problem is a 404; a step no unit may ever take is refused (403) before any lookup, so the
    // answer does not depend on which problems exist (#16).
    if (TRANSITIONS[action].by.includes('unit')) {
      expectError(await attempt(agents.unitB, p.problem, action, BODY[action]()), 404, 'not_found');
    } else {
      expectError(await attempt(agents.unitB, p.problem, action, BODY[action]()), 403, 'forbidden');
    }
    expectError(await agents.unitB.get(`/api/problems/${p.problem.id}`), 404, 'not_found');
    expect((await detailOf(agents[who], p.problem.id)).actions).toContain(action);
    // The refusals changed nothing: the allowed party still acts on the original version.
    const after = await succeed(agents[who], p.problem, action, BODY[action]());
    const rule = TRANSITIONS[action];
    const from = p.problem.state;
    const to =
      rule.to === 'stay' ? from : typeof rule.to === 'function' ? rule.to(p.problem) : rule.to;
    expect(after.problem).toMatchObject({ state: to, version: p.problem.version + 1 });
    expect(after.timeline.at(-1)).toMatchObject({ action, fromState: from, toState: to });
  });
});

const WRONG: [TProblemAction, Setup, Who][] = [
  ['register', 'registered', 'office'],
  ['reject', 'dispatched', 'office'],
  ['dispatch', 'submitted', 'office'],
  ['dispatch', 'deferred', 'office'],
  ['return', 'submitted', 'unitA'],
  ['submit', 'submitted', 'unitA'],
  ['request_extension', 'submitted', 'unitA'],
  ['approve', 'dispatched', 'inspector'],
  ['rework', 'closed', 'inspector'],
  ['approve_extension', 'submitted', 'office'],
  ['refuse_extension', 'closed', 'office'],
  ['defer', 'submitted', 'office'],
  ['defer', 'rejected', 'office'],
  ['resume', 'dispatched', 'office'],
  ['reopen', 'returned', 'office'],
  ['reopen', 'deferred', 'office'],
  ['merge', 'closed', 'office'],
  ['merge', 'rejected', 'admin'],
];

describe('problems: actions in the wrong state', () => {
  it('covers every action', () => {
    expect(new Set(WRONG.map(([a]) => a))).toEqual(new Set(PROBLEM_ACTIONS));
  });

  it.each(WRONG)('%s in %s by %s is a 409', async (action, state, who) => {
    const p = await inState(state);
    expect(p.problem.state).toBe(state);
    const res = await attempt(agents[who], p.problem, action, BODY[action]());
    expectIllegal(res, state as TProblemState, action);
    const now = await detailOf(agents.office, p.problem.id);
    expect(now.problem.version).toBe(p.problem.version);
    expect(now.timeline).toHaveLength(p.timeline.length);
  });
});

describe('problems: the buttons each party sees', () => {
  const EXPECTED: Record<Setup, Partial<Record<Who, TProblemAction[]>>> = {
    reported: { office: ['register', 'reject', 'merge'], unitA: [], inspector: [] },
    registered: { office: ['dispatch', 'defer', 'merge'], unitA: [], inspector: [] },
    rejected: { office: ['reopen'], admin: ['reopen'], unitA: [] },
    dispatched: {
      office: ['defer', 'merge'],
      unitA: ['return', 'submit', 'request_extension'],
      inspector: [],
    },
    pending: {
      office: ['approve_extension', 'refuse_extension', 'defer', 'merge'],
      unitA: ['submit'],
      inspector: [],
    },
    submitted: {
      office: ['approve', 'rework', 'merge'],
      admin: ['approve', 'rework', 'merge'],
      unitA: [],
    },
    closed: { office: ['reopen'], unitA: [], inspector: [] },
    returned: { office: ['dispatch', 'defer', 'merge'], unitA: [] },
    deferred: { office: ['resume', 'merge'], unitA: [], inspector: [] },
    merged: { office: [], admin: [], unitA: [], inspector: [] },
  };

  it.each(Object.keys(EXPECTED) as Setup[])('in %s', async (state) => {
    const p = await inState(state);
    expect(p.problem.extensionPending).toBe(state === 'pending');
    for (const [who, actions] of Object.entries(EXPECTED[state])) {
      expect((await detailOf(agents[who as Who], p.problem.id)).actions, who).toEqual(actions);
    }
    for (const who of ['leader', 'grid'] as const) {
      expect((await detailOf(agents[who], p.problem.id)).actions).toEqual([]);
    }
    expectError(await agents.surveyor.get(`/api/problems/${p.problem.id}`), 403, 'forbidden');
  });
});
