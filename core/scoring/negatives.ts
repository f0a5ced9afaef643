/**
 * What a negative-list event (负面清单) does to a cycle year, by when it happened (BRIEF §1.5):
 * G15 (有全国影响的重大安全事故) suspends the title for a year; within 12 months before an annual
 * test it costs points that year (−3); within 12 months before the application the city may not
 * apply. An item has its main effect (deduct / suspend / disqualify) within `windowMonths` before
 * the year's test, and may also suspend the title for `suspendMonths` from the event and bar the
 * application when it falls within `windowMonths` before the application date. Pure.
 */
import { addMonths } from '../frameworks/evidence.js';
import type { TNegativeEffect } from '../frameworks/methods.js';

export interface TNegativeRule {
  code: string;
  text: string;
  effect: TNegativeEffect;
  /** Points off the year's 100 (effect `deduct`). */
  points: number;
  /** The event counts against a test or an application held within this many months after it. */
  windowMonths: number;
  /** Besides the main effect, the title is suspended this many months from the event. */
  suspendMonths: number | null;
  /** An event within the window before the application date bars the application. */
  barsApplication: boolean;
}

/** What one event does in one year: each consequence, in words the office reads as is. */
export type THitConsequence =
  | { kind: 'deduct'; points: number }
  | { kind: 'suspend_title'; until: string | null }
  | { kind: 'disqualify' }
  | { kind: 'bar_application'; applicationDate: string }
  | { kind: 'outside_window' };

export interface THitEffect {
  code: string;
  occurredOn: string;
  consequences: THitConsequence[];
  /** The sentence for the projection, e.g. "2026-05-03 发生，在 2026 年测评前 12 个月内：扣 3 分". */
  zh: string;
  en: string;
}

/** True when `date` is in the `months` months up to and including `anchor` (YYYY-MM-DD). */
export function withinMonthsBefore(date: string, anchor: string, months: number): boolean {
  return date > addMonths(anchor, -months) && date <= anchor;
}

/**
 * The consequences of an event dated `occurredOn` for the cycle year whose test is on `testDate`.
 * `applicationDate` (when known) is the date the city files for the title.
 */
export function hitEffect(
  rule: TNegativeRule,
  occurredOn: string,
  year: { year: number; testDate: string; applicationDate: string | null },
): THitEffect {
  const out: THitConsequence[] = [];
  const zh: string[] = [];
  const en: string[] = [];
  if (withinMonthsBefore(occurredOn, year.testDate, rule.windowMonths)) {
    if (rule.effect === 'deduct') {
      out.push({ kind: 'deduct', points: rule.points });
      zh.push(`扣 ${rule.points} 分`);
      en.push(`−${rule.points} points`);
    } else if (rule.effect === 'suspend_title') {
      out.push({ kind: 'suspend_title', until: null });
      zh.push('暂停资格');
      en.push('suspended');
    } else {
      out.push({ kind: 'disqualify' });
      zh.push('取消资格');
      en.push('disqualified');
    }
  }
  if (rule.suspendMonths !== null && rule.suspendMonths > 0) {
    const until = addMonths(occurredOn, rule.suspendMonths);
    if (year.testDate >= occurredOn && year.testDate < until) {
      out.push({ kind: 'suspend_title', until });
      zh.push(`称号暂停至 ${until}`);
      en.push(`title suspended until ${until}`);
    }
  }
  if (
    rule.barsApplication &&
    year.applicationDate !== null &&
    withinMonthsBefore(occurredOn, year.applicationDate, rule.windowMonths)
  ) {
    out.push({ kind: 'bar_application', applicationDate: year.applicationDate });
    zh.push(`申报前 ${rule.windowMonths} 个月内发生，不得申报（申报日 ${year.applicationDate}）`);
    en.push(
      `within ${rule.windowMonths} months before the application (${year.applicationDate}): may not apply`,
    );
  }
  if (out.length === 0) {
    out.push({ kind: 'outside_window' });
    return {
      code: rule.code,
      occurredOn,
      consequences: out,
      zh: `${occurredOn} 发生，不在 ${year.year} 年测评（${year.testDate}）前 ${rule.windowMonths} 个月内，本年度不计`,
      en: `${occurredOn}: not within ${rule.windowMonths} months before the ${year.year} test (${year.testDate}); no effect this year`,
    };
  }
  return {
    code: rule.code,
    occurredOn,
    consequences: out,
    zh: `${occurredOn} 发生（${year.year} 年测评日 ${year.testDate}）：${zh.join('；')}`,
    en: `${occurredOn} (the ${year.year} test on ${year.testDate}): ${en.join('; ')}`,
  };
}

/** The year's negative-list inputs for yearScore: one entry per consequence that acts on it. */
export function yearNegatives(
  effects: readonly THitEffect[],
): { code: string; effect: TNegativeEffect | 'bar_application'; points: number }[] {
  const out: { code: string; effect: TNegativeEffect | 'bar_application'; points: number }[] = [];
  for (const e of effects) {
    for (const c of e.consequences) {
      if (c.kind === 'deduct') out.push({ code: e.code, effect: 'deduct', points: c.points });
      else if (c.kind === 'suspend_title')
        out.push({ code: e.code, effect: 'suspend_title', points: 0 });
      else if (c.kind === 'disqualify') out.push({ code: e.code, effect: 'disqualify', points: 0 });
      else if (c.kind === 'bar_application')
        out.push({ code: e.code, effect: 'bar_application', points: 0 });
    }
  }
  return out;
}
