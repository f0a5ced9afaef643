import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, type CalendarTable } from '../calendar/working-days.js';
import { CN_CALENDAR_SEED } from '../calendar/cn-holidays.data.js';
import {
  compareEscalation,
  escalationBounds,
  escalationLevel,
  levelFromBounds,
} from './escalation.js';

const T: CalendarTable = new Map();
const at = (iso: string) => new Date(iso);
// Monday 2026-11-23 10:00 Shanghai
const MON = at('2026-11-23T02:00:00Z');
const p = (deadline: Date, reworkCount = 0) => ({
  state: 'dispatched' as const,
  deadline,
  reworkCount,
});

describe('三色督办 escalation', () => {
  it('is none with time to spare, blue when due within a working day', () => {
    expect(escalationLevel(p(addWorkingDays(MON, 3, T)), MON, T)).toBe('none');
    expect(escalationLevel(p(addWorkingDays(MON, 1, T)), MON, T)).toBe('blue');
    // due at the end of today
    expect(escalationLevel(p(at('2026-11-23T15:59:59Z')), MON, T)).toBe('blue');
  });

  it('is yellow once overdue and red after more than 3 working days', () => {
    const due = at('2026-11-16T15:59:59.999Z'); // end of Monday 11-16
    expect(escalationLevel(p(due), at('2026-11-17T02:00:00Z'), T)).toBe('yellow');
    expect(escalationLevel(p(due), at('2026-11-19T02:00:00Z'), T)).toBe('yellow'); // 3 days
    expect(escalationLevel(p(due), at('2026-11-20T02:00:00Z'), T)).toBe('red'); // 4 days
  });

  it('is red on a second rework whatever the deadline', () => {
    expect(escalationLevel(p(addWorkingDays(MON, 5, T), 2), MON, T)).toBe('red');
    expect(escalationLevel(p(addWorkingDays(MON, 5, T), 1), MON, T)).toBe('none');
  });

  it('applies only while the unit is working on it', () => {
    const late = at('2026-11-01T00:00:00Z');
    for (const state of ['submitted', 'closed', 'deferred', 'registered'] as const) {
      expect(escalationLevel({ state, deadline: late, reworkCount: 3 }, MON, T)).toBe('none');
    }
  });

  it('never decreases as time passes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 0, max: 30 * 24 }),
        fc.integer({ min: 1, max: 24 * 10 }),
        (offsetDays, h1, dh) => {
          const deadline = new Date(MON.getTime() + offsetDays * 86_400_000);
          const t1 = new Date(MON.getTime() + h1 * 3600_000);
          const t2 = new Date(t1.getTime() + dh * 3600_000);
          expect(
            compareEscalation(
              escalationLevel(p(deadline), t2, T),
              escalationLevel(p(deadline), t1, T),
            ),
          ).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('gives the same level from database bounds as from the rule itself', () => {
    const CN: CalendarTable = new Map(CN_CALENDAR_SEED.map((d) => [d.date, d.kind]));
    const when = fc.date({
      min: new Date('2025-01-05T00:00:00Z'),
      max: new Date('2026-12-20T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(
        when,
        fc.integer({ min: -40 * 24, max: 40 * 24 }),
        fc.integer({ min: 0, max: 3 }),
        (now, dh, rework) => {
          const problem = p(new Date(now.getTime() + dh * 3600_000), rework);
          expect(levelFromBounds(escalationBounds(now, CN), problem)).toBe(
            escalationLevel(problem, now, CN),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('follows a configured ladder', () => {
    const ladder = [{ level: 'red' as const, overdueByMoreThanWorkingDays: 0 }];
    expect(escalationLevel(p(at('2026-11-20T00:00:00Z')), MON, T, ladder)).toBe('red');
    expect(escalationLevel(p(addWorkingDays(MON, 1, T)), MON, T, ladder)).toBe('none');
  });
});
