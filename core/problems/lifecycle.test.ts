import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableActions,
  PROBLEM_ACTIONS,
  PROBLEM_STATES,
  transition,
  type ProblemMachineState,
  type TParty,
  type TProblemAction,
} from './lifecycle.js';

const START: ProblemMachineState = {
  state: 'reported',
  unitId: null,
  reworkCount: 0,
  extensionPending: false,
};
const PARTIES: TParty[] = ['office', 'unit', 'verifier'];
const step = fc.record({
  action: fc.constantFrom(...PROBLEM_ACTIONS),
  parties: fc.subarray(PARTIES, { minLength: 1 }),
  note: fc.option(fc.constantFrom('', '  ', '已整改', '不属于本单位'), { nil: null }),
  unitId: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
});

function run(
  steps: {
    action: TProblemAction;
    parties: TParty[];
    note: string | null;
    unitId: number | null;
  }[],
) {
  let s = START;
  const applied: TProblemAction[] = [];
  for (const st of steps) {
    const r = transition(s, st.action, st.parties, st);
    if (r.ok) {
      s = r.next;
      applied.push(st.action);
    }
  }
  return { s, applied };
}

describe('problem lifecycle', () => {
  it('walks the happy path with one rework', () => {
    let s = START;
    const go = (a: TProblemAction, p: TParty, extra: { note?: string; unitId?: number } = {}) => {
      const r = transition(s, a, [p], extra);
      if (!r.ok) throw new Error(r.detail);
      s = r.next;
    };
    go('register', 'office');
    go('dispatch', 'office', { unitId: 3 });
    go('submit', 'unit', { note: '已清理' });
    go('rework', 'verifier', { note: '仍有垃圾' });
    expect(s).toMatchObject({ state: 'dispatched', reworkCount: 1, unitId: 3 });
    go('submit', 'unit', { note: '已彻底清理' });
    go('approve', 'verifier');
    expect(s.state).toBe('closed');
  });

  it('refuses the wrong party, the wrong state, and a missing reason', () => {
    expect(transition(START, 'register', ['unit'])).toMatchObject({
      ok: false,
      reason: 'not_allowed',
    });
    expect(transition(START, 'approve', ['verifier'])).toMatchObject({
      ok: false,
      reason: 'wrong_state',
    });
    expect(transition(START, 'reject', ['office'], { note: ' ' })).toMatchObject({
      ok: false,
      reason: 'needs_note',
    });
    const registered = { ...START, state: 'registered' as const };
    expect(transition(registered, 'dispatch', ['office'])).toMatchObject({
      ok: false,
      reason: 'needs_note',
    });
  });

  it('handles one extension request at a time', () => {
    const d: ProblemMachineState = {
      state: 'dispatched',
      unitId: 1,
      reworkCount: 0,
      extensionPending: false,
    };
    const asked = transition(d, 'request_extension', ['unit'], { note: '需要采购材料' });
    expect(asked).toMatchObject({
      ok: true,
      next: { state: 'dispatched', extensionPending: true },
    });
    if (!asked.ok) return;
    expect(transition(asked.next, 'request_extension', ['unit'], { note: '再延' })).toMatchObject({
      reason: 'guard',
    });
    expect(transition(asked.next, 'approve_extension', ['office'])).toMatchObject({
      ok: true,
      next: { extensionPending: false },
    });
    expect(transition(d, 'approve_extension', ['office'])).toMatchObject({
      ok: false,
      reason: 'guard',
    });
  });

  it('resumes a deferred problem where it was', () => {
    const withUnit: ProblemMachineState = {
      state: 'deferred',
      unitId: 2,
      reworkCount: 0,
      extensionPending: false,
    };
    expect(transition(withUnit, 'resume', ['office'])).toMatchObject({
      ok: true,
      next: { state: 'dispatched' },
    });
    expect(transition({ ...withUnit, unitId: null }, 'resume', ['office'])).toMatchObject({
      next: { state: 'registered' },
    });
  });

  it('keeps its invariants under any sequence of attempts', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const { s, applied } = run(steps);
        expect(PROBLEM_STATES).toContain(s.state);
        // rework is counted exactly
        expect(s.reworkCount).toBe(applied.filter((a) => a === 'rework').length);
        // closed only ever by a verifier's approval
        if (s.state === 'closed') expect(applied[applied.length - 1]).toBe('approve');
        // an extension can be pending only while dispatched
        if (s.extensionPending) expect(s.state).toBe('dispatched');
        // anything past dispatch has a unit
        if (s.state === 'dispatched' || s.state === 'submitted') expect(s.unitId).not.toBeNull();
      }),
    );
  });

  it('offers exactly the actions that would succeed (given a note and a unit)', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 25 }),
        fc.subarray(PARTIES, { minLength: 1 }),
        (steps, parties) => {
          const { s } = run(steps);
          const offered = availableActions(s, parties);
          for (const a of PROBLEM_ACTIONS) {
            const r = transition(s, a, parties, { note: '说明', unitId: 1 });
            expect(offered.includes(a)).toBe(r.ok);
          }
        },
      ),
    );
  });

  it('never changes its input', () => {
    fc.assert(
      fc.property(step, (st) => {
        const before = { ...START };
        transition(START, st.action, st.parties, st);
        expect(START).toEqual(before);
      }),
    );
  });
});
