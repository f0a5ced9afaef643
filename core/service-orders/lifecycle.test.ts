import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableServiceActions,
  CONFIRM_TIMEOUT_MS,
  isOverdue,
  maskName,
  maskPhone,
  SERVICE_ORDER_ACTIONS,
  SERVICE_ORDER_STATES,
  serviceTransition,
  stepDurations,
  type ServiceOrderMachine,
  type ServiceTransitionInput,
  type TServiceOrderAction,
  type TServiceParty,
} from './lifecycle.js';

const NOW = Date.UTC(2026, 11, 7, 2, 0);
const START: ServiceOrderMachine = { state: 'ordered', needed: 1, takers: 0, doneAt: null };
const PARTIES: TServiceParty[] = ['station', 'team', 'taker', 'present', 'requester'];

function apply(
  s: ServiceOrderMachine,
  action: TServiceOrderAction,
  parties: TServiceParty[],
  input: Partial<ServiceTransitionInput> = {},
): ServiceOrderMachine {
  const r = serviceTransition(s, action, parties, { now: NOW, ...input });
  if (!r.ok) throw new Error(`${action}: ${r.detail}`);
  return r.next;
}

const dispatchInput = { teamId: 3, deadline: NOW + 86_400_000 };

describe('service order lifecycle (点单派单)', () => {
  it('walks ordered → dispatched → taken → on site → done → confirmed', () => {
    let s = apply(START, 'dispatch', ['station'], dispatchInput);
    expect(s.state).toBe('dispatched');
    s = apply(s, 'take', ['team']);
    expect(s).toMatchObject({ state: 'taken', takers: 1 });
    s = apply(s, 'check_in', ['team', 'taker']);
    expect(s.state).toBe('on_site');
    s = apply(s, 'finish', ['team', 'taker', 'present'], { note: '已陪同就医' });
    expect(s).toMatchObject({ state: 'done', doneAt: NOW });
    s = apply(s, 'confirm', ['requester']);
    expect(s.state).toBe('confirmed');
  });

  it('the requester cancels until a volunteer is on site, and only the requester', () => {
    const dispatched = apply(START, 'dispatch', ['station'], dispatchInput);
    const taken = apply(dispatched, 'take', ['team']);
    for (const s of [START, dispatched, taken]) {
      expect(apply(s, 'cancel', ['requester']).state).toBe('cancelled');
      // The station declines instead; a taker releases their seat.
      expect(
        serviceTransition(s, 'cancel', ['station', 'team', 'taker'], { now: NOW }),
      ).toMatchObject({ ok: false, reason: 'not_allowed' });
    }
    const onSite = apply(taken, 'check_in', ['team', 'taker']);
    expect(serviceTransition(onSite, 'cancel', ['requester'], { now: NOW })).toMatchObject({
      ok: false,
      reason: 'wrong_state',
    });
    // Cancelled is final: nobody can do anything more with it.
    const cancelled = apply(taken, 'cancel', ['requester']);
    expect(availableServiceActions(cancelled, PARTIES, NOW)).toEqual([]);
    expect(isOverdue({ state: 'cancelled', deadline: NOW - 1, doneAt: null }, NOW)).toBe(false);
  });

  it('fills the seats an order needs, then refuses one more taker', () => {
    let s = apply(START, 'dispatch', ['station'], { ...dispatchInput, needed: 2 });
    expect(s.needed).toBe(2);
    s = apply(s, 'take', ['team']);
    s = apply(s, 'take', ['team']);
    expect(s).toMatchObject({ state: 'taken', takers: 2 });
    const third = serviceTransition(s, 'take', ['team'], { now: NOW });
    expect(third).toMatchObject({ ok: false, reason: 'guard', detail: 'seats_full' });
    // The same volunteer twice is a guard too (the service answers a repeat before asking).
    const again = serviceTransition({ ...s, takers: 1 }, 'take', ['team', 'taker'], { now: NOW });
    expect(again).toMatchObject({ ok: false, reason: 'guard', detail: 'already_taker' });
  });

  it('a taker who has not checked in may release the seat; the last one out re-opens it', () => {
    let s = apply(START, 'dispatch', ['station'], dispatchInput);
    s = apply(s, 'take', ['team']);
    s = apply(s, 'release', ['team', 'taker']);
    expect(s).toMatchObject({ state: 'dispatched', takers: 0 });
    // Two takers, one on site: the other may still leave; the one on site may not.
    s = apply(apply(s, 'dispatch', ['station'], { ...dispatchInput, needed: 2 }), 'take', ['team']);
    s = apply(s, 'take', ['team']);
    s = apply(s, 'check_in', ['team', 'taker']);
    expect(
      serviceTransition(s, 'release', ['team', 'taker', 'present'], { now: NOW }),
    ).toMatchObject({ ok: false, reason: 'guard' });
    s = apply(s, 'release', ['team', 'taker']);
    expect(s).toMatchObject({ state: 'on_site', takers: 1 });
  });

  it('refuses steps out of order, by the wrong party, or without what they need', () => {
    expect(serviceTransition(START, 'take', ['team'], { now: NOW })).toMatchObject({
      ok: false,
      reason: 'wrong_state',
    });
    expect(serviceTransition(START, 'dispatch', ['team'], { now: NOW })).toMatchObject({
      ok: false,
      reason: 'not_allowed',
    });
    expect(serviceTransition(START, 'decline', ['station'], { now: NOW, note: ' ' })).toMatchObject(
      { ok: false, reason: 'needs_input' },
    );
    expect(serviceTransition(START, 'dispatch', ['station'], { now: NOW })).toMatchObject({
      ok: false,
      reason: 'needs_input',
      detail: 'teamId',
    });
    expect(
      serviceTransition(START, 'dispatch', ['station'], { now: NOW, teamId: 1, deadline: NOW }),
    ).toMatchObject({ ok: false, reason: 'needs_input' });
    expect(
      serviceTransition(START, 'dispatch', ['station'], { ...dispatchInput, now: NOW, needed: 11 }),
    ).toMatchObject({ ok: false, reason: 'needs_input' });
    // Only a taker who checked in marks it done, with a note.
    const onSite: ServiceOrderMachine = { state: 'on_site', needed: 1, takers: 1, doneAt: null };
    expect(serviceTransition(onSite, 'finish', ['team', 'taker'], { now: NOW })).toMatchObject({
      ok: false,
      reason: 'not_allowed',
    });
    expect(
      serviceTransition(onSite, 'finish', ['taker', 'present'], { now: NOW, note: '' }),
    ).toMatchObject({ ok: false, reason: 'needs_input' });
    // Declined and confirmed orders take nothing more.
    for (const state of ['declined', 'confirmed'] as const) {
      expect(availableServiceActions({ ...START, state }, PARTIES, NOW)).toEqual([]);
    }
  });

  it('the station confirms for the requester only after the timeout, with a reason', () => {
    const done: ServiceOrderMachine = { state: 'done', needed: 1, takers: 1, doneAt: NOW };
    const early = serviceTransition(done, 'confirm_for', ['station'], {
      now: NOW + CONFIRM_TIMEOUT_MS - 1,
      note: '电话回访满意',
    });
    expect(early).toMatchObject({ ok: false, reason: 'guard', detail: 'confirm_pending' });
    expect(availableServiceActions(done, ['station'], NOW)).toEqual([]);
    const late = NOW + CONFIRM_TIMEOUT_MS;
    expect(availableServiceActions(done, ['station'], late)).toEqual(['confirm_for']);
    expect(
      serviceTransition(done, 'confirm_for', ['station'], { now: late, note: '' }),
    ).toMatchObject({ ok: false, reason: 'needs_input' });
    expect(apply(done, 'confirm_for', ['station'], { now: late, note: '电话回访满意' }).state).toBe(
      'confirmed',
    );
    // The requester may confirm at any time once it is done.
    expect(availableServiceActions(done, ['requester'], NOW)).toEqual(['confirm']);
  });

  it('property: any sequence keeps the seats within bounds and reaches only known states', () => {
    const step = fc.record({
      action: fc.constantFrom(...SERVICE_ORDER_ACTIONS),
      parties: fc.subarray(PARTIES, { minLength: 1 }),
      note: fc.option(fc.constantFrom('', '已完成', '不在服务范围'), { nil: null }),
      needed: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
      later: fc.integer({ min: 0, max: 2 * CONFIRM_TIMEOUT_MS }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let s = START;
        let now = NOW;
        for (const st of steps) {
          now += st.later;
          const offered = availableServiceActions(s, st.parties, now);
          const r = serviceTransition(s, st.action, st.parties, {
            now,
            note: st.note,
            teamId: 1,
            deadline: now + 1000,
            needed: st.needed,
          });
          // What the buttons offer is what the machine accepts (given what the action needs).
          if (!offered.includes(st.action)) expect(r.ok).toBe(false);
          if (!r.ok) continue;
          s = r.next;
          expect(SERVICE_ORDER_STATES).toContain(s.state);
          expect(s.takers).toBeGreaterThanOrEqual(0);
          expect(s.takers).toBeLessThanOrEqual(s.needed);
          if (s.state === 'dispatched' || s.state === 'ordered') expect(s.takers).toBe(0);
          if (s.state === 'taken' || s.state === 'on_site') expect(s.takers).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe('overdue and step times', () => {
  const deadline = NOW + 3_600_000;
  it('is overdue when not done by the deadline, never when declined or not dispatched', () => {
    expect(isOverdue({ state: 'taken', deadline, doneAt: null }, deadline + 1)).toBe(true);
    expect(isOverdue({ state: 'taken', deadline, doneAt: null }, deadline)).toBe(false);
    expect(isOverdue({ state: 'confirmed', deadline, doneAt: deadline + 5 }, NOW)).toBe(true);
    expect(isOverdue({ state: 'done', deadline, doneAt: deadline - 5 }, deadline * 2)).toBe(false);
    expect(isOverdue({ state: 'declined', deadline, doneAt: null }, deadline * 2)).toBe(false);
    expect(isOverdue({ state: 'ordered', deadline: null, doneAt: null }, deadline * 2)).toBe(false);
  });

  it('times each step, and the steps add up to the order’s age at its last step', () => {
    const m = 60_000;
    const d = stepDurations({
      orderedAt: NOW,
      dispatchedAt: NOW + 10 * m,
      takenAt: NOW + 40 * m,
      onSiteAt: NOW + 100 * m,
      doneAt: NOW + 160 * m,
      confirmedAt: null,
    });
    expect(d).toEqual({
      dispatch: 10 * m,
      take: 30 * m,
      arrive: 60 * m,
      serve: 60 * m,
      confirm: null,
    });
  });
});

describe('masks', () => {
  it('masks phones and names as lists and the tracking page show them', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone('0571-87654321')).toBe('057****4321');
    expect(maskPhone('12345')).toBe('****');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('李*');
    expect(maskName('  ')).toBe('');
  });
});
