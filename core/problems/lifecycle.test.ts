import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableActions,
  FINAL_STATES,
  mergeTargetRefusal,
  OPEN_STATES,
  PROBLEM_ACTIONS,
  PROBLEM_STATES,
  transition,
  type MergeSide,
  type ProblemMachineState,
  type TParty,
  type TProblemAction,
  type TProblemState,
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
        // merged is for good: nothing happens after a merge
        if (applied.includes('merge')) {
          expect(applied[applied.length - 1]).toBe('merge');
          expect(s.state).toBe('merged');
        }
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

const machine = (state: TProblemState): ProblemMachineState => ({
  state,
  unitId: 1,
  reworkCount: 0,
  extensionPending: state === 'dispatched',
});

describe('merging duplicates', () => {
  it('lets the office merge any open problem, and only an open one', () => {
    for (const state of PROBLEM_STATES) {
      const r = transition(machine(state), 'merge', ['office']);
      expect(r.ok, state).toBe(OPEN_STATES.includes(state));
      if (r.ok) expect(r.next).toMatchObject({ state: 'merged', extensionPending: false });
      expect(transition(machine(state), 'merge', ['unit', 'verifier'])).toMatchObject({
        ok: false,
      });
    }
    expect(OPEN_STATES.length + FINAL_STATES.length).toBe(PROBLEM_STATES.length);
  });

  it('is final: a merged problem takes no step, by anyone, not even reopening', () => {
    expect(availableActions(machine('merged'), PARTIES)).toEqual([]);
    for (const a of PROBLEM_ACTIONS) {
      expect(transition(machine('merged'), a, PARTIES, { note: '说明', unitId: 1 })).toMatchObject({
        ok: false,
        reason: 'wrong_state',
      });
    }
  });

  it('refuses the problem itself, a merged target (naming where it went) and a finished one', () => {
    const open = (id: number, state: TProblemState = 'registered'): MergeSide => ({
      id,
      state,
      mergedIntoId: null,
    });
    expect(mergeTargetRefusal({ id: 1 }, open(1))).toEqual({ reason: 'self' });
    expect(mergeTargetRefusal({ id: 1 }, { id: 2, state: 'merged', mergedIntoId: 3 })).toEqual({
      reason: 'into_merged',
      finalId: 3,
    });
    expect(mergeTargetRefusal({ id: 1 }, open(2, 'closed'))).toEqual({
      reason: 'into_final',
      state: 'closed',
    });
    expect(mergeTargetRefusal({ id: 1 }, open(2, 'rejected'))).toMatchObject({
      reason: 'into_final',
    });
    for (const state of OPEN_STATES)
      expect(mergeTargetRefusal({ id: 1 }, open(2, state))).toBe(null);
  });

  // A small world of problems: random lifecycle endings and merge attempts, a merge applied only
  // when the rules allow it, and (as the service does) what the duplicate had absorbed moving on
  // to the primary. Whatever happens, there is never a chain or a cycle.
  it('never builds a chain, whatever is merged into what', () => {
    const N = 6;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('merge' as const),
        dup: fc.integer({ min: 0, max: N - 1 }),
        into: fc.integer({ min: 0, max: N - 1 }),
      }),
      fc.record({
        kind: fc.constant('finish' as const),
        dup: fc.integer({ min: 0, max: N - 1 }),
        into: fc.constantFrom<TProblemState>('closed', 'rejected'),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...OPEN_STATES), { minLength: N, maxLength: N }),
        fc.array(op, { maxLength: 30 }),
        (states, ops) => {
          const world: MergeSide[] = states.map((state, id) => ({ id, state, mergedIntoId: null }));
          for (const o of ops) {
            const dup = world[o.dup]!;
            if (o.kind === 'finish') {
              if (OPEN_STATES.includes(dup.state)) dup.state = o.into;
              continue;
            }
            const primary = world[o.into]!;
            const allowed = transition(machine(dup.state), 'merge', ['office']).ok;
            const refusal = mergeTargetRefusal(dup, primary);
            if (refusal?.reason === 'into_merged') {
              // the refusal names the problem that carries the target on, which is not merged
              expect(refusal.finalId).not.toBe(primary.id);
              expect(world[refusal.finalId!]!.state).not.toBe('merged');
            }
            if (!allowed || refusal) continue;
            dup.state = 'merged';
            dup.mergedIntoId = primary.id;
            for (const w of world) if (w.mergedIntoId === dup.id) w.mergedIntoId = primary.id;
          }
          for (const w of world) {
            if (w.state !== 'merged') {
              expect(w.mergedIntoId).toBe(null);
              continue;
            }
            expect(w.mergedIntoId).not.toBe(w.id);
            const target = world[w.mergedIntoId!]!;
            // one hop reaches a problem that is not merged: no chains, so no cycles either
            expect(target.state).not.toBe('merged');
          }
        },
      ),
    );
  });
});
