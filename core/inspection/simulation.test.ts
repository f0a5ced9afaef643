import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANSWER_QUALITIES,
  DEFAULT_MAX_RINGS,
  describeCriteria,
  judgeCheck,
  PARTLY_SHARE,
  SECONDS_PER_RING,
  simulationShare,
  type SimulationCall,
  type SimulationCriteria,
} from './simulation.js';

// BRIEF §1.2: 实景模拟验证 is one of the three modes of the field test ("e.g. calling a legal-aid or
// consumer hotline"). No source gives its criteria or scoring: the ring limit (DEFAULT_MAX_RINGS
// = 5), "partly correct earns half" and "the share is the mean of the checks" are our assumptions,
// documented in docs/scoring.md and docs/decisions.md ("实景模拟验证").

const NO_HOLIDAYS = new Map<string, 'holiday' | 'workday'>();
const HOTLINE: SimulationCriteria = { maxRings: 5, requireCorrect: true, callbackDays: null };
// Monday 2026-11-02 10:00 Shanghai.
const MONDAY = new Date('2026-11-02T02:00:00Z');
const call = (over: Partial<SimulationCall> = {}): SimulationCall => ({
  calledAt: MONDAY,
  answered: true,
  rings: 2,
  waitSeconds: null,
  answer: 'yes',
  callbackPromised: null,
  callbackOnTime: null,
  ...over,
});
const judge = (c: SimulationCriteria, x: SimulationCall, now = MONDAY) =>
  judgeCheck(c, x, now, NO_HOLIDAYS);

describe('judgeCheck (our rule, docs/scoring.md "实景模拟验证")', () => {
  it('answered within the ring limit with a correct answer passes; the default limit is 5 rings', () => {
    expect(DEFAULT_MAX_RINGS).toBe(5);
    expect(judge(HOTLINE, call({ rings: 5 }))).toMatchObject({
      verdict: 'pass',
      value: 1,
      reasons: [],
    });
    expect(judge(HOTLINE, call({ rings: 6 }))).toMatchObject({
      verdict: 'fail',
      value: 0,
      reasons: ['too_slow'],
    });
  });

  it('a timed wait counts 5 s a ring (1 s on, 4 s off): 25 s is 5 rings, 26 s is late', () => {
    expect(SECONDS_PER_RING).toBe(5);
    expect(judge(HOTLINE, call({ rings: null, waitSeconds: 25 })).verdict).toBe('pass');
    expect(judge(HOTLINE, call({ rings: null, waitSeconds: 26 })).reasons).toEqual(['too_slow']);
    // Counted rings win over the timer when both are given.
    expect(judge(HOTLINE, call({ rings: 3, waitSeconds: 60 })).verdict).toBe('pass');
  });

  it('not answered fails; an unanswered call is never judged on its answer', () => {
    expect(judge(HOTLINE, call({ answered: false, answer: null, rings: null }))).toEqual({
      verdict: 'fail',
      value: 0,
      reasons: ['not_answered'],
      callbackDue: null,
    });
  });

  it('partly correct earns half; a wrong answer fails; late and wrong names both reasons', () => {
    expect(PARTLY_SHARE).toBe(0.5);
    expect(judge(HOTLINE, call({ answer: 'partly' }))).toMatchObject({
      verdict: 'partial',
      value: 0.5,
      reasons: ['partly_correct'],
    });
    expect(judge(HOTLINE, call({ answer: 'no' })).reasons).toEqual(['wrong_answer']);
    expect(judge(HOTLINE, call({ answer: 'no', rings: 9 })).reasons).toEqual([
      'too_slow',
      'wrong_answer',
    ]);
  });

  it('never optimistic: an unrecorded wait or answer fails under criteria that judge them', () => {
    expect(judge(HOTLINE, call({ rings: null })).reasons).toEqual(['wait_unknown']);
    expect(judge(HOTLINE, call({ answer: null })).reasons).toEqual(['answer_unknown']);
    // A reachability check (no ring limit, answers not judged) passes on answering alone.
    const reach = { maxRings: null, requireCorrect: false, callbackDays: null };
    expect(judge(reach, call({ rings: null, answer: null })).verdict).toBe('pass');
    expect(judge(reach, call({ answer: 'no' })).verdict).toBe('pass');
  });

  it('a promised call-back is due the given working days later; pending until then, then failed', () => {
    const c12315 = { ...HOTLINE, callbackDays: 7 };
    const promised = call({ callbackPromised: true });
    // 7 working days after Monday 2026-11-02: Wednesday 2026-11-11, end of day.
    const due = new Date('2026-11-11T15:59:59.999Z');
    expect(judge(c12315, promised, new Date('2026-11-05T02:00:00Z'))).toEqual({
      verdict: 'pending',
      value: null,
      reasons: ['callback_awaited'],
      callbackDue: due,
    });
    expect(judge(c12315, promised, new Date('2026-11-12T01:00:00Z')).reasons).toEqual([
      'callback_late',
    ]);
    expect(judge(c12315, { ...promised, callbackOnTime: true }).verdict).toBe('pass');
    expect(judge(c12315, { ...promised, callbackOnTime: false }).reasons).toEqual([
      'callback_late',
    ]);
    // A holiday in between moves the due day on.
    const holiday = new Map([['2026-11-04', 'holiday' as const]]);
    expect(judgeCheck(c12315, promised, MONDAY, holiday).callbackDue).toEqual(
      new Date('2026-11-12T15:59:59.999Z'),
    );
    // No call-back promised (answered on the spot), or a target without a limit: not judged.
    expect(judge(c12315, call()).callbackDue).toBeNull();
    expect(judge(HOTLINE, promised).verdict).toBe('pass');
  });

  it('describes the criteria in both languages', () => {
    expect(describeCriteria(HOTLINE)).toEqual({
      zh: '接通≤5声且答复准确',
      en: 'answered within 5 rings, answer correct',
    });
    expect(describeCriteria({ maxRings: 3, requireCorrect: false, callbackDays: 7 }).zh).toBe(
      '接通≤3声且承诺回复7个工作日内到达',
    );
  });
});

describe('simulationShare', () => {
  it('the mean of the settled checks: pass, partly, fail → (1 + 0.5 + 0) ÷ 3 = 0.5', () => {
    const judged = [
      judge(HOTLINE, call()),
      judge(HOTLINE, call({ answer: 'partly' })),
      judge(HOTLINE, call({ answered: false })),
    ];
    expect(simulationShare(judged)).toEqual({
      checks: 3,
      passed: 1,
      partial: 1,
      failed: 1,
      pending: 0,
      share: 0.5,
    });
  });

  it('pending checks are left out; none settled → null (unknown, not zero)', () => {
    const pending = { verdict: 'pending' as const, value: null };
    expect(simulationShare([pending])).toMatchObject({ checks: 1, pending: 1, share: null });
    expect(simulationShare([])).toMatchObject({ checks: 0, share: null });
    expect(simulationShare([pending, { verdict: 'pass', value: 1 }]).share).toBe(1);
  });

  const criteria = fc.record({
    maxRings: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
    requireCorrect: fc.boolean(),
    callbackDays: fc.option(fc.integer({ min: 1, max: 15 }), { nil: null }),
  });
  const calls = fc.record({
    calledAt: fc.constant(MONDAY),
    answered: fc.boolean(),
    rings: fc.option(fc.integer({ min: 0, max: 20 }), { nil: null }),
    waitSeconds: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
    answer: fc.option(fc.constantFrom(...ANSWER_QUALITIES), { nil: null }),
    callbackPromised: fc.option(fc.boolean(), { nil: null }),
    callbackOnTime: fc.option(fc.boolean(), { nil: null }),
  });
  const later = fc
    .integer({ min: 0, max: 40 })
    .map((d) => new Date(MONDAY.getTime() + d * 86_400_000));

  it('property: every value is 0, ½ or 1 (null only when pending), and the share lies in [0, 1]', () => {
    fc.assert(
      fc.property(criteria, fc.array(calls, { maxLength: 12 }), later, (c, xs, now) => {
        const judged = xs.map((x) => judgeCheck(c, x, now, NO_HOLIDAYS));
        for (const j of judged) {
          if (j.verdict === 'pending') expect(j.value).toBeNull();
          else expect([0, PARTLY_SHARE, 1]).toContain(j.value);
          expect(j.verdict === 'fail').toBe(j.value === 0);
        }
        const s = simulationShare(judged);
        expect(s.passed + s.partial + s.failed + s.pending).toBe(xs.length);
        if (s.share !== null) {
          expect(s.share).toBeGreaterThanOrEqual(0);
          expect(s.share).toBeLessThanOrEqual(1);
        }
        // Order does not matter.
        const back = simulationShare([...judged].reverse());
        if (s.share === null) expect(back.share).toBeNull();
        else expect(back.share).toBeCloseTo(s.share, 12);
      }),
    );
  });

  it('property: fewer rings never make a check worse; a failed check never raises the share', () => {
    fc.assert(
      fc.property(
        criteria,
        calls,
        fc.integer({ min: 0, max: 20 }),
        fc.array(calls, { maxLength: 8 }),
        (c, x, fewer, others) => {
          const rank = { fail: 0, pending: 1, partial: 2, pass: 3 } as const;
          const a = judge(c, x);
          const b = judge(c, { ...x, rings: Math.min(fewer, x.rings ?? fewer) });
          if (x.rings !== null) expect(rank[b.verdict]).toBeGreaterThanOrEqual(rank[a.verdict]);
          const base = simulationShare(others.map((o) => judge(c, o)));
          const worse = simulationShare([
            ...others.map((o) => judge(c, o)),
            judge(c, { ...x, answered: false }),
          ]);
          if (base.share !== null) expect(worse.share!).toBeLessThanOrEqual(base.share + 1e-12);
          else expect(worse.share).toBe(0);
        },
      ),
    );
  });

  it('property: the share is 1 exactly when every settled check passes', () => {
    fc.assert(
      fc.property(
        criteria,
        fc.array(calls, { minLength: 1, maxLength: 10 }),
        later,
        (c, xs, now) => {
          const judged = xs.map((x) => judgeCheck(c, x, now, NO_HOLIDAYS));
          const s = simulationShare(judged);
          const settled = judged.filter((j) => j.verdict !== 'pending');
          if (!settled.length) expect(s.share).toBeNull();
          else expect(s.share === 1).toBe(settled.every((j) => j.verdict === 'pass'));
        },
      ),
    );
  });
});
