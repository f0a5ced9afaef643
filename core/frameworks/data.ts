import type { TSurveyCurve } from '../scoring/rules.js';
import type { TMethod, TNegativeEffect } from './methods.js';

/**
 * A framework's content as imported or exported, independent of the file format: the tree, the
 * negative list, and what the source file carried that the platform does not interpret (kept so an
 * export gives back what was imported).
 */
export interface StandardData {
  code: string;
  text: string;
  guidance: string | null;
  method: TMethod;
  maxScore: number;
  evidence: string[];
  /** The unit types a framework usually names for a standard (宣传部, 各街道…): text, not units. */
  unitHints: string[];
  /**
   * A remark on the standard: a sheet's 备注 on the standard's rows that assign nothing (no lead
   * unit; a 备注 on a task row is the task's), or the JSON file's `notes`.
   */
  notes?: string | null;
  /** A survey standard's own curve (rate → share); absent: its framework's. */
  surveyCurve?: TSurveyCurve | null;
  /**
   * Cells under sheet headers the import does not read (联系人, 完成情况, 序号 counting rows…),
   * header → text, from the standard's rows that assign nothing (the distinct values, one per
   * line); a task row's such cells are its assignment's (`AssignmentData.extra`). Kept so an
   * export gives them back.
   */
  extra?: Record<string, string>;
}
export interface ContentData {
  code: string;
  text: string;
  standards: StandardData[];
}
export interface ItemData {
  code: string;
  text: string;
  contents: ContentData[];
}
export interface NegativeData {
  code: string;
  text: string;
  effect: TNegativeEffect;
  points: number;
  /** Months before a test or application in which the event counts (default 12). */
  windowMonths?: number;
  /** Besides the main effect, the title is suspended this long from the event. */
  suspendMonths?: number | null;
  /** Within the window before the application, the city may not apply. */
  barsApplication?: boolean;
}
export interface SourceData {
  /** meta keys other than name / version / level / scoring, as the file had them. */
  meta: Record<string, unknown>;
  /** meta.scoring as the file had it (the campaign's weights are written over it on export). */
  scoring: Record<string, unknown> | null;
  /** Top-level sections other than meta / items / negativeList (pointTypes, householdSurvey…). */
  sections: Record<string, unknown>;
  levelInFile: boolean;
  /**
   * XLSX: the headers of the columns the import did not read, in sheet order — the order an
   * export writes the `extra` columns in (stored `extra` objects do not keep their key order).
   */
  columns?: string[];
}
export interface FrameworkData {
  items: ItemData[];
  negativeItems: NegativeData[];
  source: SourceData;
}

/** A task decomposition row: a standard (by code) → units, leader, deadline. */
export interface AssignmentData {
  row: number;
  standardCode: string;
  leadUnitId: number;
  responsibleUnitIds: number[];
  leaderName: string | null;
  dueDate: string | null;
  dueText: string | null;
  notes: string | null;
  /** The row's cells under headers the import does not read (see `StandardData.extra`). */
  extra?: Record<string, string>;
  /** The 集体责任方 the row named as lead, which this assignment (one of its units) stands for. */
  leadPartyId?: number | null;
  /** 集体责任方 the row named among its 责任单位 (their units are in `responsibleUnitIds`). */
  partyIds?: number[];
}

export const EMPTY_SOURCE: SourceData = {
  meta: {},
  scoring: null,
  sections: {},
  levelInFile: false,
};

/** Counts of a framework's nodes. */
export function countNodes(items: ItemData[]): {
  items: number;
  contents: number;
  standards: number;
} {
  let contents = 0;
  let standards = 0;
  for (const i of items) {
    contents += i.contents.length;
    for (const c of i.contents) standards += c.standards.length;
  }
  return { items: items.length, contents, standards };
}
