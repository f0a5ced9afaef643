import type {
  TAssignment,
  TCampaign,
  TContentNode,
  TFramework,
  TItemNode,
  TNegativeItem,
  TStandardNode,
  TVersionSummary,
} from '../../../core/contracts/frameworks.js';
import type { FrameworkData } from '../../../core/frameworks/data.js';
import {
  METHOD_BUCKET,
  METHOD_BUCKETS,
  METHODS,
  type TMethod,
  type TMethodBucket,
} from '../../../core/frameworks/methods.js';
import {
  checkCombinedShares,
  effectiveRules,
  readSurveyFloor,
  type TCampaignRules,
} from '../../../core/scoring/rules.js';
import type { AssignmentRow } from './assignments.repo.js';
import type { NegativeRow, NodeRow } from './framework-nodes.repo.js';
import type {
  CampaignRow,
  FrameworkRow,
  VersionRow,
  VersionSummaryRow,
} from './frameworks.repo.js';

const round2 = (n: number) => Math.round(n * 100) / 100;

export function presentVersionSummary(v: VersionSummaryRow): TVersionSummary {
  return {
    id: v.id,
    number: v.number,
    status: v.status,
    basedOnId: v.basedOnId,
    standards: v.standards,
    totalScore: round2(v.totalScore),
    assignments: v.assignments,
    publishedAt: v.publishedAt ? v.publishedAt.toISOString() : null,
    createdAt: v.createdAt.toISOString(),
    version: v.version,
  };
}

/** A campaign's rules as core/scoring/rules.ts takes them (floors written before 0031 read safely). */
export function campaignRules(c: CampaignRow): TCampaignRules {
  return {
    cycleYears: c.cycleYears,
    cycleWeights: c.cycleWeights,
    methodWeights: c.methodWeights,
    surveyFloor: readSurveyFloor(c.surveyFloor),
    surveyCurve: c.surveyCurve,
    cyclePreset: c.cyclePreset,
    applicationDate: c.applicationDate,
  };
}

export function presentFramework(
  f: FrameworkRow,
  versions: VersionSummaryRow[],
  campaign: CampaignRow,
): TFramework {
  const mine = versions.filter((v) => v.frameworkId === f.id);
  return {
    id: f.id,
    campaignId: f.campaignId,
    name: f.name,
    level: f.level,
    edition: f.edition,
    rules: f.rules,
    effectiveRules: effectiveRules(campaignRules(campaign), f.rules),
    position: f.position,
    currentVersionId: mine.find((v) => v.status === 'published')?.id ?? null,
    draftVersionId: mine.find((v) => v.status === 'draft')?.id ?? null,
    versions: mine.map(presentVersionSummary),
    version: f.version,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
  };
}

export function presentCampaign(
  c: CampaignRow,
  frameworks: FrameworkRow[],
  versions: VersionSummaryRow[],
): TCampaign {
  const mine = frameworks.filter((f) => f.campaignId === c.id);
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    cycleStartYear: c.cycleStartYear,
    cycleYears: c.cycleYears,
    cycleWeights: c.cycleWeights,
    methodWeights: c.methodWeights,
    surveyFloor: readSurveyFloor(c.surveyFloor),
    surveyCurve: c.surveyCurve,
    cyclePreset: c.cyclePreset,
    applicationDate: c.applicationDate,
    frameworks: mine.map((f) => presentFramework(f, versions, c)),
    combineIssues: checkCombinedShares(
      mine.map((f) => ({ name: f.name, share: f.rules.share ?? null })),
    ),
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

function nodeFields(n: NodeRow) {
  return {
    id: n.id,
    key: n.key,
    kind: n.kind,
    parentId: n.parentId,
    code: n.code,
    text: n.text,
    guidance: n.guidance,
    method: n.method,
    maxScore: n.maxScore,
    evidence: n.evidence,
    unitHints: n.unitHints,
    notes: n.notes ?? null,
    extra: n.extra ?? {},
    surveyCurve: n.surveyCurve ?? null,
    position: n.position,
    version: n.version,
  };
}

/** Builds the three-level tree from a version's flat node list (already in sibling order). */
export function presentTree(nodes: NodeRow[]): {
  items: TItemNode[];
  totals: {
    score: number;
    standards: number;
    byMethod: Record<TMethod, number>;
    byBucket: Record<TMethodBucket, number>;
  };
} {
  const byParent = new Map<number, NodeRow[]>();
  for (const n of nodes) {
    if (n.parentId === null) continue;
    const list = byParent.get(n.parentId) ?? [];
    list.push(n);
    byParent.set(n.parentId, list);
  }
  const byMethod = Object.fromEntries(METHODS.map((m) => [m, 0])) as Record<TMethod, number>;
  const byBucket = Object.fromEntries(METHOD_BUCKETS.map((m) => [m, 0])) as Record<
    TMethodBucket,
    number
  >;
  let total = 0;
  let standards = 0;
  const items = nodes
    .filter((n) => n.kind === 'item')
    .map((i): TItemNode => {
      const contents = (byParent.get(i.id) ?? []).map((c): TContentNode => {
        const stds = (byParent.get(c.id) ?? []).map((s): TStandardNode => {
          const score = s.maxScore ?? 0;
          if (s.method) {
            byMethod[s.method] += score;
            byBucket[METHOD_BUCKET[s.method]] += score;
          }
          total += score;
          standards++;
          return { ...nodeFields(s), score, children: [] };
        });
        return {
          ...nodeFields(c),
          score: round2(stds.reduce((a, s) => a + s.score, 0)),
          children: stds,
        };
      });
      return {
        ...nodeFields(i),
        score: round2(contents.reduce((a, c) => a + c.score, 0)),
        children: contents,
      };
    });
  for (const m of METHODS) byMethod[m] = round2(byMethod[m]);
  for (const b of METHOD_BUCKETS) byBucket[b] = round2(byBucket[b]);
  return { items, totals: { score: round2(total), standards, byMethod, byBucket } };
}

export function presentNegative(n: NegativeRow): TNegativeItem {
  return {
    id: n.id,
    code: n.code,
    text: n.text,
    effect: n.effect,
    points: n.points,
    windowMonths: n.windowMonths,
    suspendMonths: n.suspendMonths,
    barsApplication: n.barsApplication,
    position: n.position,
    version: n.version,
  };
}

/** A version's content in the file-neutral shape the JSON and XLSX writers take. */
export function versionData(
  version: VersionRow,
  nodes: NodeRow[],
  negatives: NegativeRow[],
): FrameworkData {
  const { items } = presentTree(nodes);
  return {
    items: items.map((i) => ({
      code: i.code,
      text: i.text,
      contents: i.children.map((c) => ({
        code: c.code,
        text: c.text,
        standards: c.children.map((s) => ({
          code: s.code,
          text: s.text,
          guidance: s.guidance,
          method: s.method!,
          maxScore: s.maxScore!,
          evidence: s.evidence,
          unitHints: s.unitHints,
          ...(s.notes ? { notes: s.notes } : {}),
          ...(Object.keys(s.extra).length ? { extra: s.extra } : {}),
          ...(s.surveyCurve ? { surveyCurve: s.surveyCurve } : {}),
        })),
      })),
    })),
    negativeItems: negatives.map((n) => ({
      code: n.code,
      text: n.text,
      effect: n.effect,
      points: n.points,
      // What differs from the defaults (12 months, no suspension, no bar), as a file would say it.
      ...(n.windowMonths !== 12 ? { windowMonths: n.windowMonths } : {}),
      ...(n.suspendMonths !== null ? { suspendMonths: n.suspendMonths } : {}),
      ...(n.barsApplication ? { barsApplication: true } : {}),
    })),
    source: version.source,
  };
}

export function presentAssignment(a: AssignmentRow): TAssignment {
  return {
    id: a.id,
    versionId: a.versionId,
    standardId: a.standardId,
    standardCode: a.standardCode,
    standardText: a.standardText,
    method: a.method as TMethod,
    maxScore: a.maxScore,
    itemId: a.itemId,
    itemCode: a.itemCode,
    itemText: a.itemText,
    contentCode: a.contentCode,
    contentText: a.contentText,
    leadUnit: { id: a.leadUnitId, name: a.leadUnitName },
    responsibleUnits: a.responsibleUnits,
    leaderName: a.leaderName,
    dueDate: a.dueDate,
    dueText: a.dueText,
    notes: a.notes,
    extra: a.extra,
    version: a.version,
  };
}
