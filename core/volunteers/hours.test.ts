import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countableInterval,
  creditAttendances,
  DEFAULT_HOUR_RULES,
  minutesToHours,
  shanghaiDayOf,
  totalMinutes,
  type TAttendanceSpan,
  type THourRules,
} from './hours.js';

const T = (iso: string) => new Date(iso).getTime();
const MIN = 60_000;
// 2026-12-05 09:00–11:00 Asia/Shanghai
const W0 = T('2026-12-05T01:00:00Z');
const W1 = T('2026-12-05T03:00:00Z');

function span(id: number, inAt: number, outAt: number | null, ws = W0, we = W1): TAttendanceSpan {
  return { id, checkInAt: inAt, checkOutAt: outAt, windowStart: ws, windowEnd: we };
}

describe('service hours', () => {
  it('counts check-in to check-out inside the window', () => {
    const c = creditAttendances([span(1, W0 + 10 * MIN, W0 + 100 * MIN)]);
    expect(c.get(1)).toEqual({ minutes: 90, estimated: false, overlapMinutes: 0 });
  });

  it('ignores early arrival and lingering', () => {
    const c = creditAttendances([span(1, W0 - 60 * MIN, W1 + 60 * MIN)]);
    expect(c.get(1)!.minutes).toBe(120);
  });

  it('credits a missing check-out to the scheduled end, marked estimated', () => {
    const c = creditAttendances([span(1, W0 + 30 * MIN, null)]);
    expect(c.get(1)).toEqual({ minutes: 90, estimated: true, overlapMinutes: 0 });
  });

  it('credits nothing for a missing check-out under the strict rule', () => {
    const rules: THourRules = { ...DEFAULT_HOUR_RULES, missingCheckout: 'none' };
    const c = creditAttendances([span(1, W0 + 30 * MIN, null)], rules);
    expect(c.get(1)).toEqual({ minutes: 0, estimated: false, overlapMinutes: 0 });
  });

  it('never counts a check-out before the check-in', () => {
    expect(creditAttendances([span(1, W0 + 60 * MIN, W0 + 10 * MIN)]).get(1)!.minutes).toBe(0);
  });

  it('gives overlapping time to the activity that began first', () => {
    // A: 09:00–11:00, B: 10:00–12:00; the person is checked in to both the whole time.
    const a = span(1, W0, W1);
    const b = span(2, W0 + 60 * MIN, W1 + 60 * MIN, W0 + 60 * MIN, W1 + 60 * MIN);
    const c = creditAttendances([b, a]);
    expect(c.get(1)!.minutes).toBe(120);
    expect(c.get(2)).toEqual({ minutes: 60, estimated: false, overlapMinutes: 60 });
    expect(totalMinutes(c)).toBe(180);
  });

  it('caps one activity and one day', () => {
    const rules: THourRules = {
      maxMinutesPerActivity: 60,
      maxMinutesPerDay: 90,
      missingCheckout: 'scheduled_end',
    };
    const a = span(1, W0, W1);
    const b = span(2, W1, W1 + 120 * MIN, W1, W1 + 120 * MIN);
    const c = creditAttendances([a, b], rules);
    expect(c.get(1)!.minutes).toBe(60);
    expect(c.get(2)!.minutes).toBe(30);
  });

  it('splits days at Shanghai midnight', () => {
    const midnight = T('2026-12-05T16:00:00Z'); // 2026-12-06 00:00 in Shanghai
    expect(shanghaiDayOf(midnight) - shanghaiDayOf(midnight - 1)).toBe(1);
    const rules: THourRules = { ...DEFAULT_HOUR_RULES, maxMinutesPerDay: 60 };
    const night = span(
      1,
      midnight - 120 * MIN,
      midnight + 120 * MIN,
      midnight - 120 * MIN,
      midnight + 120 * MIN,
    );
    expect(creditAttendances([night], rules).get(1)!.minutes).toBe(120);
  });

  it('shows hours with one decimal', () => {
    expect(minutesToHours(90)).toBe(1.5);
    expect(minutesToHours(100)).toBe(1.7);
  });
});

// Property tests: random attendances of one person within a few days.
const BASE = T('2026-12-01T00:00:00Z');
const arbSpan = (id: number) =>
  fc
    .record({
      ws: fc.integer({ min: 0, max: 4 * 24 * 60 }),
      len: fc.integer({ min: 0, max: 10 * 60 }),
      inOff: fc.integer({ min: -60, max: 11 * 60 }),
      outLen: fc.option(fc.integer({ min: -30, max: 12 * 60 }), { nil: null }),
    })
    .map((r): TAttendanceSpan => ({
      id,
      windowStart: BASE + r.ws * MIN,
      windowEnd: BASE + (r.ws + r.len) * MIN,
      checkInAt: BASE + (r.ws + r.inOff) * MIN,
      checkOutAt: r.outLen === null ? null : BASE + (r.ws + r.inOff + r.outLen) * MIN,
    }));
const arbSpans = fc
  .integer({ min: 0, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbSpan(i + 1))));
const arbRules = fc.record({
  maxMinutesPerActivity: fc.integer({ min: 1, max: 12 * 60 }),
  maxMinutesPerDay: fc.integer({ min: 1, max: 24 * 60 }),
  missingCheckout: fc.constantFrom('scheduled_end' as const, 'none' as const),
});

/** Minutes covered by the union of intervals (the time the person actually gave). */
function unionMinutes(iv: { start: number; end: number }[]): number {
  const sorted = iv.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  let total = 0;
  let cur = -Infinity;
  for (const i of sorted) {
    const from = Math.max(i.start, cur);
    if (i.end > from) total += i.end - from;
    cur = Math.max(cur, i.end);
  }
  return total / MIN;
}

describe('service hours — properties', () => {
  it('never double-counts: the total is at most the union of the countable intervals', () => {
    fc.assert(
      fc.property(arbSpans, arbRules, (spans, rules) => {
        const c = creditAttendances(spans, rules);
        const union = unionMinutes(spans.map((s) => countableInterval(s, rules)));
        expect(totalMinutes(c)).toBeLessThanOrEqual(union + 1e-9);
      }),
    );
  });

  it('every credit is within 0 and its caps and window', () => {
    fc.assert(
      fc.property(arbSpans, arbRules, (spans, rules) => {
        const c = creditAttendances(spans, rules);
        for (const s of spans) {
          const m = c.get(s.id)!.minutes;
          expect(m).toBeGreaterThanOrEqual(0);
          expect(m).toBeLessThanOrEqual(rules.maxMinutesPerActivity);
          expect(m).toBeLessThanOrEqual(Math.max(0, (s.windowEnd - s.windowStart) / MIN));
          if (s.checkOutAt === null && rules.missingCheckout === 'none') expect(m).toBe(0);
        }
      }),
    );
  });

  it('does not depend on the order attendances are given in', () => {
    fc.assert(
      fc.property(arbSpans, arbRules, fc.integer(), (spans, rules, seed) => {
        const shuffled = [...spans].sort(
          (a, b) => ((a.id * 7919 + seed) % 13) - ((b.id * 7919 + seed) % 13),
        );
        expect(creditAttendances(shuffled, rules)).toEqual(creditAttendances(spans, rules));
      }),
    );
  });

  it('a repeated attendance adds nothing', () => {
    fc.assert(
      fc.property(arbSpan(1), arbRules, (s, rules) => {
        const once = totalMinutes(creditAttendances([s], rules));
        const twice = totalMinutes(creditAttendances([s, { ...s, id: 2 }], rules));
        expect(twice).toBe(once);
      }),
    );
  });

  it('disjoint attendances under generous caps are each counted in full', () => {
    const generous: THourRules = {
      maxMinutesPerActivity: 24 * 60,
      maxMinutesPerDay: 24 * 60,
      missingCheckout: 'scheduled_end',
    };
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gap: fc.integer({ min: 0, max: 300 }),
            len: fc.integer({ min: 0, max: 600 }),
          }),
          {
            maxLength: 6,
          },
        ),
        (parts) => {
          let at = BASE;
          const spans = parts.map((p, i) => {
            const s = at + p.gap * MIN;
            at = s + p.len * MIN;
            return span(i + 1, s, at, s, at);
          });
          const c = creditAttendances(spans, generous);
          spans.forEach((s) =>
            expect(c.get(s.id)!.minutes).toBe((s.windowEnd - s.windowStart) / MIN),
          );
        },
      ),
    );
  });

  it('no Shanghai day gets more than the day cap', () => {
    fc.assert(
      fc.property(arbSpans, arbRules, (spans, rules) => {
        // With caps in whole minutes and intervals on whole minutes, each day's credit is exact.
        const c = creditAttendances(spans, rules);
        const days = new Set(spans.map((s) => shanghaiDayOf(s.windowStart)));
        const spanDays = new Set(
          spans.flatMap((s) => [shanghaiDayOf(s.windowStart), shanghaiDayOf(s.windowEnd)]),
        );
        expect(totalMinutes(c)).toBeLessThanOrEqual(
          Math.max(days.size, spanDays.size) * rules.maxMinutesPerDay,
        );
      }),
    );
  });
});
