/**
 * 实景模拟验证: how a simulation check (模拟验证记录 — calling a 12348 or 12315 hotline, say) is
 * judged against its target's pass criteria, and what a standard's checks give it. BRIEF §1.2 names
 * the mode ("e.g. calling a legal-aid or consumer hotline"); no source gives the official criteria
 * or scoring, so the rule is ours, documented in docs/scoring.md and docs/decisions.md:
 *
 * - a check **passes** when the call was answered within the target's ring limit and (when the target
 *   judges answers) the answer was correct; a promised call-back must come within the target's
 *   working-day limit;
 * - an answer **partly** correct earns half (PARTLY_SHARE) **[assumption]**;
 * - a standard's share is the mean of its checks' values; checks still awaiting a call-back inside
 *   its limit are left out until they are settled.
 *
 * Pure: the caller passes `now` and the holiday table.
 */

import { addWorkingDays, type CalendarTable } from '../calendar/working-days.js';

/**
 * Rings a target allows by default before a person answers. No official number is sourced
 * **[assumption, configurable per target]**: desk-phone etiquette asks for three rings; a hotline
 * with a queue is given five (≈ 25 s at the 1 s on / 4 s off ring-back cadence).
 */
export const DEFAULT_MAX_RINGS = 5;
/** Seconds one ring stands for when the caller timed the wait instead of counting rings. */
export const SECONDS_PER_RING = 5;
/** What an answer judged 部分准确 earns **[assumption]**. */
export const PARTLY_SHARE = 0.5;

export const ANSWER_QUALITIES = ['yes', 'partly', 'no'] as const;
export type TAnswerQuality = (typeof ANSWER_QUALITIES)[number];
export const ANSWER_QUALITY_LABELS: Record<TAnswerQuality, { zh: string; en: string }> = {
  yes: { zh: '准确', en: 'Correct' },
  partly: { zh: '部分准确', en: 'Partly correct' },
  no: { zh: '不准确', en: 'Wrong' },
};

/** A target's pass criteria. */
export interface SimulationCriteria {
  /** Rings allowed before a person answers; null: the wait is not judged (a counter visit). */
  maxRings: number | null;
  /** Whether the answer must be correct (a reachability check judges only the answering). */
  requireCorrect: boolean;
  /** Working days a promised call-back may take; null: call-backs are not judged. */
  callbackDays: number | null;
}

/** What the caller recorded. */
export interface SimulationCall {
  calledAt: Date;
  answered: boolean;
  /** Rings heard before a person answered. */
  rings: number | null;
  /** Seconds waited before a person answered (a timer), when rings were not counted. */
  waitSeconds: number | null;
  answer: TAnswerQuality | null;
  callbackPromised: boolean | null;
  /** The promised call-back came within the limit (true), did not (false), not yet known (null). */
  callbackOnTime: boolean | null;
}

export const CHECK_VERDICTS = ['pass', 'partial', 'fail', 'pending'] as const;
export type TCheckVerdict = (typeof CHECK_VERDICTS)[number];
export const CHECK_VERDICT_LABELS: Record<TCheckVerdict, { zh: string; en: string }> = {
  pass: { zh: '合格', en: 'Pass' },
  partial: { zh: '部分合格', en: 'Partly' },
  fail: { zh: '不合格', en: 'Fail' },
  pending: { zh: '待回复', en: 'Awaiting call-back' },
};

export const CHECK_REASONS = [
  'not_answered',
  'too_slow',
  'wait_unknown',
  'wrong_answer',
  'answer_unknown',
  'partly_correct',
  'callback_late',
  'callback_awaited',
] as const;
export type TCheckReason = (typeof CHECK_REASONS)[number];
export const CHECK_REASON_LABELS: Record<TCheckReason, { zh: string; en: string }> = {
  not_answered: { zh: '未接通', en: 'not answered' },
  too_slow: { zh: '接通超时', en: 'answered too late' },
  wait_unknown: { zh: '未记录接通时间', en: 'wait not recorded' },
  wrong_answer: { zh: '答复不准确', en: 'wrong answer' },
  answer_unknown: { zh: '未记录答复情况', en: 'answer not recorded' },
  partly_correct: { zh: '答复部分准确', en: 'answer partly correct' },
  callback_late: { zh: '未在时限内回复', en: 'no call-back within the limit' },
  callback_awaited: { zh: '等待回复', en: 'awaiting the call-back' },
};

export interface JudgedCheck {
  verdict: TCheckVerdict;
  /** 1, PARTLY_SHARE or 0; null while pending. */
  value: number | null;
  reasons: TCheckReason[];
  /** When a promised call-back is due (null when not judged). */
  callbackDue: Date | null;
}

/** The wait in rings: counted rings, else the timed seconds at SECONDS_PER_RING; null unknown. */
export function ringsWaited(call: Pick<SimulationCall, 'rings' | 'waitSeconds'>): number | null {
  if (call.rings !== null) return call.rings;
  if (call.waitSeconds !== null) return call.waitSeconds / SECONDS_PER_RING;
  return null;
}

/** Judges one check against its target's criteria at `now` (a call-back may still be due). */
export function judgeCheck(
  criteria: SimulationCriteria,
  call: SimulationCall,
  now: Date,
  calendar: CalendarTable,
): JudgedCheck {
  if (!call.answered) {
    return { verdict: 'fail', value: 0, reasons: ['not_answered'], callbackDue: null };
  }
  const reasons: TCheckReason[] = [];
  if (criteria.maxRings !== null) {
    const waited = ringsWaited(call);
    if (waited === null) reasons.push('wait_unknown');
    else if (waited > criteria.maxRings) reasons.push('too_slow');
  }
  let value = 1;
  if (criteria.requireCorrect) {
    if (call.answer === null) reasons.push('answer_unknown');
    else if (call.answer === 'no') reasons.push('wrong_answer');
    else if (call.answer === 'partly') value = PARTLY_SHARE;
  }
  let callbackDue: Date | null = null;
  let awaited = false;
  if (criteria.callbackDays !== null && call.callbackPromised === true) {
    callbackDue = addWorkingDays(call.calledAt, criteria.callbackDays, calendar);
    if (call.callbackOnTime === false) reasons.push('callback_late');
    else if (call.callbackOnTime === null) {
      if (now.getTime() > callbackDue.getTime()) reasons.push('callback_late');
      else awaited = true;
    }
  }
  if (reasons.length) return { verdict: 'fail', value: 0, reasons, callbackDue };
  if (awaited) {
    const r: TCheckReason[] = ['callback_awaited'];
    if (value < 1) r.unshift('partly_correct');
    return { verdict: 'pending', value: null, reasons: r, callbackDue };
  }
  if (value < 1) return { verdict: 'partial', value, reasons: ['partly_correct'], callbackDue };
  return { verdict: 'pass', value: 1, reasons: [], callbackDue };
}

export interface SimulationTally {
  checks: number;
  passed: number;
  partial: number;
  failed: number;
  pending: number;
  /** Mean value of the settled checks; null when none is settled. */
  share: number | null;
}

/** A standard's share: the mean value of its settled checks (pending ones left out). */
export function simulationShare(judged: readonly Pick<JudgedCheck, 'verdict' | 'value'>[]) {
  const t: SimulationTally = {
    checks: 0,
    passed: 0,
    partial: 0,
    failed: 0,
    pending: 0,
    share: null,
  };
  let sum = 0;
  let settled = 0;
  for (const j of judged) {
    t.checks++;
    if (j.verdict === 'pending' || j.value === null) {
      t.pending++;
      continue;
    }
    if (j.verdict === 'pass') t.passed++;
    else if (j.verdict === 'partial') t.partial++;
    else t.failed++;
    sum += j.value;
    settled++;
  }
  t.share = settled ? sum / settled : null;
  return t;
}

/** The criteria in words, e.g. "接通≤5声且答复准确" / "answered within 5 rings, answer correct". */
export function describeCriteria(c: SimulationCriteria): { zh: string; en: string } {
  const zh: string[] = [];
  const en: string[] = [];
  if (c.maxRings !== null) {
    zh.push(`接通≤${c.maxRings}声`);
    en.push(`answered within ${c.maxRings} rings`);
  } else {
    zh.push('接通');
    en.push('answered');
  }
  if (c.requireCorrect) {
    zh.push('答复准确');
    en.push('answer correct');
  }
  if (c.callbackDays !== null) {
    zh.push(`承诺回复${c.callbackDays}个工作日内到达`);
    en.push(`promised call-back within ${c.callbackDays} working days`);
  }
  return { zh: zh.join('且'), en: en.join(', ') };
}
