import type { TRowError } from '../contracts/common.js';
import { z } from '../contracts/zod-setup.js';
import type { ContentData, FrameworkData, ItemData, NegativeData, StandardData } from './data.js';
import {
  FRAMEWORK_LEVELS,
  METHODS,
  NEGATIVE_EFFECTS,
  type TFrameworkLevel,
  type TMethodBucket,
} from './methods.js';
import {
  checkSurveyCurve,
  readSurveyFloor,
  type TSurveyCurve,
  type TSurveyFloor,
} from '../scoring/rules.js';
import { toFraction, toPercent } from './weights.js';

/**
 * The framework file in the shape of `demo-framework.json`: meta (name, version = edition, scoring),
 * items → contents → standards, negativeList; other sections are kept as they are.
 */

const code = z.string().trim().min(1).max(32);
const text = z.string().trim().min(1).max(1000);
const fraction = z.number().min(0).max(1);

/** A survey curve as the file writes it: rates and shares as fractions (0.75), like minRate. */
const ZDocCurve = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('bands'),
      bands: z
        .array(
          z.strictObject({
            grade: z.string().trim().min(1).max(10),
            above: fraction.nullable(),
            share: fraction,
          }),
        )
        .min(1)
        .max(10),
    }),
    z.strictObject({ kind: z.literal('linear'), floor: fraction, target: fraction }),
    z.strictObject({ kind: z.literal('rate') }),
  ])
  .transform((c): TSurveyCurve => docCurveToPercent(c))
  .superRefine((c, ctx) => {
    for (const m of checkSurveyCurve(c))
      ctx.addIssue({ code: 'custom', message: `${m.zh} / ${m.en}` });
  });

function docCurveToPercent(
  c:
    | { kind: 'bands'; bands: { grade: string; above: number | null; share: number }[] }
    | { kind: 'linear'; floor: number; target: number }
    | { kind: 'rate' },
): TSurveyCurve {
  if (c.kind === 'bands') {
    return {
      kind: 'bands',
      bands: c.bands.map((b) => ({
        grade: b.grade,
        above: b.above === null ? null : toPercent(b.above),
        share: toPercent(b.share),
      })),
    };
  }
  if (c.kind === 'linear')
    return { kind: 'linear', floor: toPercent(c.floor), target: toPercent(c.target) };
  return { kind: 'rate' };
}

/** A curve as the file writes it (fractions). */
export function curveToDoc(c: TSurveyCurve): Record<string, unknown> {
  if (c.kind === 'bands') {
    return {
      kind: 'bands',
      bands: c.bands.map((b) => ({
        grade: b.grade,
        above: b.above === null ? null : toFraction(b.above),
        share: toFraction(b.share),
      })),
    };
  }
  if (c.kind === 'linear')
    return { kind: 'linear', floor: toFraction(c.floor), target: toFraction(c.target) };
  return { kind: 'rate' };
}

const ZDocStandard = z.strictObject({
  code,
  text,
  method: z.enum(METHODS),
  score: z.number().min(0).max(1000),
  units: z.array(z.string().trim().min(1).max(100)).optional(),
  guidance: z.string().max(2000).optional(),
  evidence: z.array(z.string().trim().min(1).max(200)).optional(),
  /** 备注: a remark on the standard (a sheet's remarks may run longer than the editor's 500). */
  notes: z.string().trim().max(5000).optional(),
  /** Cells of sheet columns the platform does not read (联系人, 完成情况…), header → text. */
  extra: z
    .record(z.string().trim().min(1).max(200), z.string().max(5000))
    .refine((o) => Object.keys(o).length <= 100, '最多 100 列 / at most 100 columns')
    .optional(),
  /** A survey standard's own curve (rate → share). */
  curve: ZDocCurve.optional(),
});
const ZDocContent = z.strictObject({ code, name: text, standards: z.array(ZDocStandard) });
const ZDocItem = z.strictObject({ code, name: text, contents: z.array(ZDocContent) });
const ZDocNegative = z.strictObject({
  code,
  text,
  effect: z.enum(NEGATIVE_EFFECTS),
  points: z.number().min(0).max(1000),
  windowMonths: z.number().int().min(1).max(60).optional(),
  suspendMonths: z.number().int().min(1).max(60).nullable().optional(),
  barsApplication: z.boolean().optional(),
});
const ZDocScoring = z.looseObject({
  annualWeights: z
    .object({ material: z.number(), field: z.number(), survey: z.number() })
    .optional(),
  cycleYearWeights: z.array(z.number().min(0).max(1)).min(1).max(5).optional(),
  surveyFloor: z
    .looseObject({
      enabled: z.boolean(),
      minRate: fraction,
      // Earlier files wrote 'cap' or 'flag_and_cap': read as veto (core/scoring/rules.ts).
      effect: z.enum(['veto', 'deduct', 'flag', 'cap', 'flag_and_cap']),
      points: z.number().min(0).max(100).optional(),
    })
    .optional(),
  surveyCurve: ZDocCurve.optional(),
});
export const ZFrameworkDocSchema = z.looseObject({
  meta: z.looseObject({
    name: z.string().trim().min(2).max(100),
    version: z.string().trim().max(50).optional(),
    level: z.enum(FRAMEWORK_LEVELS).optional(),
    scoring: ZDocScoring.optional(),
  }),
  items: z.array(ZDocItem).min(1),
  negativeList: z.array(ZDocNegative).optional(),
});
export type TFrameworkDoc = z.infer<typeof ZFrameworkDocSchema>;

/** Campaign weights found in a file (percent), for a campaign created from it. */
export interface DocScoring {
  methodWeights?: Record<TMethodBucket, number>;
  cycleWeights?: number[];
  surveyFloor?: TSurveyFloor;
  surveyCurve?: TSurveyCurve;
}

export interface ParsedDoc {
  name: string;
  edition: string | null;
  level: TFrameworkLevel | null;
  scoring: DocScoring;
  data: FrameworkData;
}

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
    .join('');
}

/** Reads a framework file; every problem comes back as a row error (row 0, column = JSON path). */
export function parseFrameworkDoc(
  input: unknown,
): { ok: true; doc: ParsedDoc } | { ok: false; errors: TRowError[] } {
  const r = ZFrameworkDocSchema.safeParse(input);
  if (!r.success) {
    return {
      ok: false,
      errors: r.error.issues.slice(0, 200).map((i) => ({
        row: 0,
        column: pathText(i.path) || '-',
        reason: i.message,
      })),
    };
  }
  const { meta, items, negativeList, ...sections } = r.data;
  const { name, version, level, scoring, ...metaRest } = meta;
  const out: ItemData[] = items.map((i): ItemData => ({
    code: i.code,
    text: i.name,
    contents: i.contents.map((c): ContentData => ({
      code: c.code,
      text: c.name,
      standards: c.standards.map((s): StandardData => ({
        code: s.code,
        text: s.text,
        guidance: s.guidance ?? null,
        method: s.method,
        maxScore: s.score,
        evidence: s.evidence ?? [],
        unitHints: s.units ?? [],
        ...(s.notes ? { notes: s.notes } : {}),
        ...(s.extra && Object.keys(s.extra).length ? { extra: s.extra } : {}),
        ...(s.curve ? { surveyCurve: s.curve } : {}),
      })),
    })),
  }));
  const negatives: NegativeData[] = (negativeList ?? []).map((n) => ({ ...n }));
  const docScoring: DocScoring = {};
  if (scoring?.annualWeights) {
    docScoring.methodWeights = {
      material: toPercent(scoring.annualWeights.material),
      field: toPercent(scoring.annualWeights.field),
      survey: toPercent(scoring.annualWeights.survey),
    };
  }
  if (scoring?.cycleYearWeights) docScoring.cycleWeights = scoring.cycleYearWeights.map(toPercent);
  if (scoring?.surveyFloor) {
    docScoring.surveyFloor = readSurveyFloor({
      ...scoring.surveyFloor,
      minRate: toPercent(scoring.surveyFloor.minRate),
    });
  }
  if (scoring?.surveyCurve) docScoring.surveyCurve = scoring.surveyCurve;
  const errors = duplicateCodeErrors(out, negatives);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    doc: {
      name,
      edition: version ?? null,
      level: level ?? null,
      scoring: docScoring,
      data: {
        items: out,
        negativeItems: negatives,
        source: {
          meta: metaRest,
          scoring: scoring ? { ...scoring } : null,
          sections,
          levelInFile: level !== undefined,
        },
      },
    },
  };
}

/** Codes must be unique in a framework version (items, contents and standards together). */
export function duplicateCodeErrors(items: ItemData[], negatives: NegativeData[]): TRowError[] {
  const seen = new Map<string, string>();
  const out: TRowError[] = [];
  const see = (c: string, where: string) => {
    const first = seen.get(c.toUpperCase());
    if (first) {
      out.push({
        row: 0,
        column: where,
        reason: `编号“${c}”与 ${first} 重复 / code "${c}" duplicates ${first}`,
      });
    } else seen.set(c.toUpperCase(), where);
  };
  items.forEach((i, a) => {
    see(i.code, `items[${a}].code`);
    i.contents.forEach((c, b) => {
      see(c.code, `items[${a}].contents[${b}].code`);
      c.standards.forEach((s, d) => see(s.code, `items[${a}].contents[${b}].standards[${d}].code`));
    });
  });
  const neg = new Set<string>();
  negatives.forEach((n, i) => {
    if (neg.has(n.code.toUpperCase())) {
      out.push({
        row: 0,
        column: `negativeList[${i}].code`,
        reason: `负面清单编号“${n.code}”重复 / negative-list code "${n.code}" is repeated`,
      });
    }
    neg.add(n.code.toUpperCase());
  });
  return out;
}

/** The rules the framework is scored by, as a file writes them (fractions). */
export interface CampaignScoring {
  methodWeights: Record<TMethodBucket, number>;
  cycleWeights: number[];
  surveyFloor: TSurveyFloor;
  surveyCurve: TSurveyCurve;
}

/**
 * Writes the framework file. What was imported comes back as it was; the campaign's current weights
 * are written into meta.scoring (over what the file said), so the file tells today's truth.
 */
export function buildFrameworkDoc(f: {
  name: string;
  edition: string | null;
  level: TFrameworkLevel;
  scoring: CampaignScoring;
  data: FrameworkData;
}): Record<string, unknown> {
  const src = f.data.source;
  const prior = src.scoring ?? {};
  const priorFloor =
    typeof prior.surveyFloor === 'object' && prior.surveyFloor !== null
      ? (prior.surveyFloor as Record<string, unknown>)
      : {};
  const meta: Record<string, unknown> = {
    name: f.name,
    ...(f.edition !== null ? { version: f.edition } : {}),
    ...(src.levelInFile || f.level !== 'prefecture' ? { level: f.level } : {}),
    ...src.meta,
    scoring: {
      ...prior,
      annualWeights: {
        material: toFraction(f.scoring.methodWeights.material),
        field: toFraction(f.scoring.methodWeights.field),
        survey: toFraction(f.scoring.methodWeights.survey),
      },
      cycleYearWeights: f.scoring.cycleWeights.map(toFraction),
      surveyFloor: {
        ...priorFloor,
        enabled: f.scoring.surveyFloor.enabled,
        minRate: toFraction(f.scoring.surveyFloor.minRate),
        effect: f.scoring.surveyFloor.effect,
        points: f.scoring.surveyFloor.points,
      },
      surveyCurve: curveToDoc(f.scoring.surveyCurve),
    },
  };
  return {
    meta,
    items: f.data.items.map((i) => ({
      code: i.code,
      name: i.text,
      contents: i.contents.map((c) => ({
        code: c.code,
        name: c.text,
        standards: c.standards.map((s) => ({
          code: s.code,
          text: s.text,
          method: s.method,
          score: s.maxScore,
          ...(s.unitHints.length ? { units: s.unitHints } : {}),
          ...(s.guidance ? { guidance: s.guidance } : {}),
          ...(s.evidence.length ? { evidence: s.evidence } : {}),
          ...(s.notes ? { notes: s.notes } : {}),
          ...(s.extra && Object.keys(s.extra).length ? { extra: s.extra } : {}),
          ...(s.surveyCurve ? { curve: curveToDoc(s.surveyCurve) } : {}),
        })),
      })),
    })),
    ...(f.data.negativeItems.length
      ? { negativeList: f.data.negativeItems.map((n) => ({ ...n })) }
      : {}),
    ...src.sections,
  };
}
