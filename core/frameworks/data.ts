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
   * A sheet's 备注 on the standard's rows that assign nothing (no lead unit): a remark on the
   * standard. Parsed and carried; not stored yet.
   */
  notes?: string | null;
  /**
   * A sheet's cells under headers the import does not read (联系人, 完成情况…), header → text (the
   * distinct values of the standard's rows, one per line). Parsed and carried; not stored.
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
}
export interface SourceData {
  /** meta keys other than name / version / level / scoring, as the file had them. */
  meta: Record<string, unknown>;
  /** meta.scoring as the file had it (the campaign's weights are written over it on export). */
  scoring: Record<string, unknown> | null;
  /** Top-level sections other than meta / items / negativeList (pointTypes, householdSurvey…). */
  sections: Record<string, unknown>;
  levelInFile: boolean;
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
