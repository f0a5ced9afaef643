/**
 * Archive materials (档案资料): the evidence window, grades and what they are worth, and the
 * completeness and projected material score of a framework's standards. Pure.
 */

export const EVIDENCE_GRADES = ['A', 'B', 'C', 'D'] as const;
export type TEvidenceGrade = (typeof EVIDENCE_GRADES)[number];

export const DOSSIER_STATES = ['none', 'draft', 'submitted', 'returned', 'approved'] as const;
export type TDossierState = (typeof DOSSIER_STATES)[number];

export const DOSSIER_STATE_LABELS: Record<TDossierState, { zh: string; en: string }> = {
  none: { zh: '未上传', en: 'Nothing yet' },
  draft: { zh: '编辑中', en: 'Draft' },
  submitted: { zh: '待审核', en: 'Awaiting review' },
  returned: { zh: '已退回', en: 'Returned' },
  approved: { zh: '已通过', en: 'Approved' },
};

export interface TEvidenceRules {
  /** The share of the max score each grade earns, e.g. A 1, B 0.8, C 0.6, D 0.3. */
  gradeShares: Record<TEvidenceGrade, number>;
  /** Length of the window in months (default 12). */
  windowMonths: number;
  /** Months between the window's end and the test date (default 1). */
  gapMonths: number;
  /** The official test date per cycle year (YYYY-MM-DD); a year without one uses 12-01. */
  testDates: Record<string, string>;
}

export const DEFAULT_EVIDENCE_RULES: TEvidenceRules = {
  gradeShares: { A: 1, B: 0.8, C: 0.6, D: 0.3 },
  windowMonths: 12,
  gapMonths: 1,
  testDates: {},
};

/** Adds months to a YYYY-MM-DD date, clamping the day to the target month's length. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12 + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  const td = Math.min(d, last);
  return `${String(ty).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(td).padStart(2, '0')}`;
}

/** The day before a YYYY-MM-DD date. */
function dayBefore(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`) - 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The evidence window of a cycle year: the `windowMonths` months ending `gapMonths` before the
 * test date, as inclusive dates. Default: 12 months ending one month before the test.
 */
export function evidenceWindow(
  rules: TEvidenceRules,
  year: number,
): { testDate: string; from: string; to: string; assumed: boolean } {
  const configured = rules.testDates[String(year)];
  const testDate = configured ?? `${year}-12-01`;
  const endExclusive = addMonths(testDate, -rules.gapMonths);
  return {
    testDate,
    from: addMonths(endExclusive, -rules.windowMonths),
    to: dayBefore(endExclusive),
    assumed: configured === undefined,
  };
}

/** True when a document dated `date` (YYYY-MM-DD) falls in the window (dates compare as text). */
export function inWindow(w: { from: string; to: string }, date: string): boolean {
  return date >= w.from && date <= w.to;
}

/** What an approved dossier earns: its grade's share of the standard's max score (0 otherwise). */
export function earnedScore(
  rules: TEvidenceRules,
  maxScore: number,
  state: TDossierState,
  grade: TEvidenceGrade | null,
): number {
  if (state !== 'approved' || grade === null) return 0;
  return Math.round(maxScore * rules.gradeShares[grade] * 100) / 100;
}

export interface TStandardEvidence {
  key: string;
  itemKey: string;
  maxScore: number;
  state: TDossierState;
  grade: TEvidenceGrade | null;
  /** The lead units of the standard (a standard may have several, or none yet). */
  unitIds: number[];
  /**
   * The standard's indicator compliance share (硬性指标, see `standardComplianceShares`): the
   * dossier's earned score is multiplied by it. Absent when the standard carries no indicators.
   */
  compliance?: number | undefined;
}

export interface TEvidenceTally {
  standards: number;
  /** Standards whose dossier is submitted or approved. */
  submitted: number;
  approved: number;
  returned: number;
  /** Standards with nothing uploaded. */
  missing: number;
  maxScore: number;
  projectedScore: number;
}

function emptyTally(): TEvidenceTally {
  return {
    standards: 0,
    submitted: 0,
    approved: 0,
    returned: 0,
    missing: 0,
    maxScore: 0,
    projectedScore: 0,
  };
}

function add(t: TEvidenceTally, s: TStandardEvidence, earned: number): void {
  t.standards++;
  if (s.state === 'submitted' || s.state === 'approved') t.submitted++;
  if (s.state === 'approved') t.approved++;
  if (s.state === 'returned') t.returned++;
  if (s.state === 'none') t.missing++;
  t.maxScore += s.maxScore;
  t.projectedScore = Math.round((t.projectedScore + earned) * 100) / 100;
}

/**
 * Completeness and projected material score, in total, per 测评项目 and per lead unit (a standard
 * led by two units counts for each of them; a standard with no lead unit under `null`).
 */
export function tallyEvidence(rules: TEvidenceRules, standards: readonly TStandardEvidence[]) {
  const total = emptyTally();
  const byItem = new Map<string, TEvidenceTally>();
  const byUnit = new Map<number | null, TEvidenceTally>();
  for (const s of standards) {
    const earned =
      Math.round(earnedScore(rules, s.maxScore, s.state, s.grade) * (s.compliance ?? 1) * 100) /
      100;
    add(total, s, earned);
    const item = byItem.get(s.itemKey) ?? emptyTally();
    add(item, s, earned);
    byItem.set(s.itemKey, item);
    for (const u of s.unitIds.length ? s.unitIds : [null]) {
      const unit = byUnit.get(u) ?? emptyTally();
      add(unit, s, earned);
      byUnit.set(u, unit);
    }
  }
  return { total, byItem, byUnit };
}

/** Completeness as a share: approved standards over all (0 when there are none). */
export function completeness(t: TEvidenceTally): number {
  return t.standards === 0 ? 0 : t.approved / t.standards;
}
