import {
  FRAMEWORK_LEVELS,
  METHOD_BUCKETS,
  METHODS,
  NEGATIVE_EFFECTS,
} from '../frameworks/methods.js';
import {
  ZCyclePresetSchema,
  ZEffectiveRulesSchema,
  ZFrameworkRulesSchema,
  ZSurveyCurveSchema,
  ZSurveyFloorSchema,
} from './scoring-rules.js';
import { parseDue } from '../frameworks/cells.js';
import { PARTY_KINDS } from '../org/parties.js';
import { UNIT_TYPES } from './org.js';
import { checkCampaignWeights } from '../frameworks/weights.js';
import { ZVersionSchema, zItems } from './common.js';
import { z } from './zod-setup.js';

export const NODE_KINDS = ['item', 'content', 'standard'] as const;
export type TNodeKind = (typeof NODE_KINDS)[number];
export const NODE_KIND_LABELS: Record<TNodeKind, { zh: string; en: string }> = {
  item: { zh: '测评项目', en: 'Item' },
  content: { zh: '测评内容', en: 'Content' },
  standard: { zh: '测评标准', en: 'Standard' },
};

export const VERSION_STATUSES = ['draft', 'published', 'superseded'] as const;
export type TVersionStatus = (typeof VERSION_STATUSES)[number];
export const VERSION_STATUS_LABELS: Record<TVersionStatus, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  published: { zh: '现行', en: 'In force' },
  superseded: { zh: '已替代', en: 'Superseded' },
};

// ---------- campaigns 创建周期 ----------

/**
 * What a campaign is for: `city` the city's own evaluation (its score, rounds, bulletins, the
 * "current campaign"); `cells` a home for the frameworks 文明细胞 are assessed against
 * (文明单位测评体系…), never part of the city's score.
 */
export const CAMPAIGN_KINDS = ['city', 'cells'] as const;
export type TCampaignKind = (typeof CAMPAIGN_KINDS)[number];
export const CAMPAIGN_KIND_LABELS: Record<TCampaignKind, { zh: string; en: string }> = {
  city: { zh: '城市测评', en: 'City evaluation' },
  cells: { zh: '文明细胞', en: 'Civilized cells' },
};
export const ZCampaignKindSchema = z.enum(CAMPAIGN_KINDS);

const ZPercent = z.number().min(0).max(100);
export const ZMethodWeightsSchema = z.object({
  material: ZPercent,
  field: ZPercent,
  survey: ZPercent,
});
export { ZSurveyFloorSchema };
export type TSurveyFloor = z.infer<typeof ZSurveyFloorSchema>;

const campaignFields = {
  name: z.string().trim().min(2).max(100),
  cycleStartYear: z.number().int().min(2000).max(2100),
  cycleYears: z.number().int().min(1).max(5),
  /** One weight per year of the cycle, in percent, adding up to 100. */
  cycleWeights: z.array(ZPercent).min(1).max(5),
  methodWeights: ZMethodWeightsSchema,
  surveyFloor: ZSurveyFloorSchema,
  /** How survey rates become shares (default: the A/B/C/C# bands). */
  surveyCurve: ZSurveyCurveSchema.optional(),
  /** The city class the cycle weights follow (informative: the weights are what count). */
  cyclePreset: ZCyclePresetSchema.optional(),
  /** The date the city files for the title (YYYY-MM-DD), when known. */
  applicationDate: z.iso.date().nullable().optional(),
};

function weightRefinement(
  v: {
    cycleYears?: number | undefined;
    cycleWeights?: number[] | undefined;
    methodWeights?: z.infer<typeof ZMethodWeightsSchema> | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (v.cycleYears === undefined || !v.cycleWeights || !v.methodWeights) return;
  for (const issue of checkCampaignWeights({
    cycleYears: v.cycleYears,
    cycleWeights: v.cycleWeights,
    methodWeights: v.methodWeights,
  })) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: `${issue.zh} / ${issue.en}` });
  }
}

/** A campaign's kind is chosen once, at creation (default `city`). */
export const ZCreateCampaignRequestSchema = z
  .object({ ...campaignFields, kind: ZCampaignKindSchema.optional() })
  .superRefine(weightRefinement);
export type TCreateCampaignRequest = z.infer<typeof ZCreateCampaignRequestSchema>;

/** Updates send the whole set of weights together, so they can be checked as a whole. */
export const ZUpdateCampaignRequestSchema = z
  .object({ ...campaignFields, version: ZVersionSchema })
  .partial()
  .required({ version: true })
  .superRefine((v, ctx) => {
    const some = [v.cycleYears, v.cycleWeights, v.methodWeights].filter((x) => x !== undefined);
    if (some.length > 0 && some.length < 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['cycleWeights'],
        message:
          '修改权重时请同时提交周期年数、年度权重和方法权重 / send cycleYears, cycleWeights and methodWeights together',
      });
      return;
    }
    weightRefinement(v, ctx);
  });
export type TUpdateCampaignRequest = z.infer<typeof ZUpdateCampaignRequestSchema>;

export const ZVersionSummarySchema = z.object({
  id: z.number().int(),
  number: z.number().int(),
  status: z.enum(VERSION_STATUSES),
  basedOnId: z.number().int().nullable(),
  standards: z.number().int(),
  totalScore: z.number(),
  assignments: z.number().int(),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type TVersionSummary = z.infer<typeof ZVersionSummarySchema>;

export const ZFrameworkSchema = z.object({
  id: z.number().int(),
  campaignId: z.number().int(),
  name: z.string(),
  level: z.enum(FRAMEWORK_LEVELS),
  edition: z.string().nullable(),
  /** The framework's own rules (what it leaves out comes from the campaign). */
  rules: ZFrameworkRulesSchema,
  /** The rules it is scored by, and where each came from. */
  effectiveRules: ZEffectiveRulesSchema,
  position: z.number().int(),
  /** The version in force (published), if any. */
  currentVersionId: z.number().int().nullable(),
  draftVersionId: z.number().int().nullable(),
  versions: z.array(ZVersionSummarySchema),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TFramework = z.infer<typeof ZFrameworkSchema>;

export const ZCampaignSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: ZCampaignKindSchema,
  cycleStartYear: z.number().int(),
  cycleYears: z.number().int(),
  cycleWeights: z.array(z.number()),
  methodWeights: ZMethodWeightsSchema,
  surveyFloor: ZSurveyFloorSchema,
  surveyCurve: ZSurveyCurveSchema,
  cyclePreset: ZCyclePresetSchema,
  applicationDate: z.string().nullable(),
  frameworks: z.array(ZFrameworkSchema),
  /** Problems with how the frameworks combine (shares not adding up to 100 %), in both languages. */
  combineIssues: z.array(z.object({ zh: z.string(), en: z.string() })),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TCampaign = z.infer<typeof ZCampaignSchema>;
export const ZCampaignListSchema = z.object({ items: z.array(ZCampaignSchema) });
/** Without `kind`, every campaign (each says its kind); pickers for the city's work ask `city`. */
export const ZListCampaignsQuerySchema = z.object({ kind: ZCampaignKindSchema.optional() });
export type TListCampaignsQuery = z.infer<typeof ZListCampaignsQuerySchema>;

// ---------- frameworks 测评体系 ----------

export const ZCreateFrameworkRequestSchema = z.object({
  campaignId: z.number().int().positive(),
  name: z.string().trim().min(2).max(100),
  level: z.enum(FRAMEWORK_LEVELS),
  edition: z.string().trim().max(50).nullable().optional(),
});
export type TCreateFrameworkRequest = z.infer<typeof ZCreateFrameworkRequestSchema>;

export const ZUpdateFrameworkRequestSchema = ZCreateFrameworkRequestSchema.omit({
  campaignId: true,
})
  .partial()
  .extend({
    /** The framework's own rules, as a whole (`{}`: everything from the campaign). */
    rules: ZFrameworkRulesSchema.optional(),
    version: ZVersionSchema,
  });
export type TUpdateFrameworkRequest = z.infer<typeof ZUpdateFrameworkRequestSchema>;

export const ZListFrameworksQuerySchema = z.object({
  campaignId: z.coerce.number().int().positive().optional(),
});
export const ZFrameworkListSchema = z.object({ items: z.array(ZFrameworkSchema) });

const ZEvidenceList = z.array(z.string().trim().min(1).max(200)).max(30);
const ZUnitHints = z.array(z.string().trim().min(1).max(100)).max(30);
const ZScore = z
  .number()
  .min(0)
  .max(1000)
  .refine(
    (n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6,
    '分值最多两位小数 / a score has at most two decimals',
  );
export const ZNodeCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9.\-_]*$/,
    '编号由字母、数字、点或短横线组成 / a code is letters, digits, dots or dashes',
  );

const nodeFields = {
  id: z.number().int(),
  key: z.string(),
  kind: z.enum(NODE_KINDS),
  parentId: z.number().int().nullable(),
  code: z.string(),
  text: z.string(),
  guidance: z.string().nullable(),
  method: z.enum(METHODS).nullable(),
  maxScore: z.number().nullable(),
  evidence: z.array(z.string()),
  unitHints: z.array(z.string()),
  /** A standard's remark (备注); null on items and contents. */
  notes: z.string().nullable(),
  /**
   * A standard's cells under sheet headers the platform does not read (联系人, 完成情况…), header →
   * text, as imported; shown and exported, not edited. `{}` on items and contents.
   */
  extra: z.record(z.string(), z.string()),
  /** A survey standard's own curve (rate → share); null: its framework's. */
  surveyCurve: ZSurveyCurveSchema.nullable(),
  position: z.number().int(),
  /** Standards: their max score; items and contents: the sum of their standards. */
  score: z.number(),
  version: z.number().int(),
};
// Three fixed levels, spelled out (no recursive schema): 项目 → 内容 → 标准.
export const ZStandardNodeSchema = z.object({ ...nodeFields, children: z.array(z.never()) });
export const ZContentNodeSchema = z.object({
  ...nodeFields,
  children: z.array(ZStandardNodeSchema),
});
export const ZItemNodeSchema = z.object({ ...nodeFields, children: z.array(ZContentNodeSchema) });
export type TStandardNode = z.infer<typeof ZStandardNodeSchema>;
export type TContentNode = z.infer<typeof ZContentNodeSchema>;
export type TItemNode = z.infer<typeof ZItemNodeSchema>;
export type TTreeNode = TItemNode | TContentNode | TStandardNode;

export const ZNegativeItemSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  text: z.string(),
  effect: z.enum(NEGATIVE_EFFECTS),
  points: z.number(),
  windowMonths: z.number().int(),
  suspendMonths: z.number().int().nullable(),
  barsApplication: z.boolean(),
  position: z.number().int(),
  version: z.number().int(),
});
export type TNegativeItem = z.infer<typeof ZNegativeItemSchema>;

export const ZFrameworkTreeSchema = z.object({
  framework: ZFrameworkSchema.omit({ versions: true }),
  campaignName: z.string(),
  versionInfo: ZVersionSummarySchema.extend({
    /** A draft is edited in place; editing any other version first copies it into a new draft. */
    editable: z.boolean(),
  }),
  items: z.array(ZItemNodeSchema),
  negativeItems: z.array(ZNegativeItemSchema),
  totals: z.object({
    score: z.number(),
    standards: z.number().int(),
    byMethod: z.record(z.enum(METHODS), z.number()),
    byBucket: z.record(z.enum(METHOD_BUCKETS), z.number()),
  }),
});
export type TFrameworkTree = z.infer<typeof ZFrameworkTreeSchema>;

export const ZVersionIdParamSchema = z.object({ id: z.coerce.number().int().positive() });
export const ZNodeParamSchema = z.object({
  id: z.coerce.number().int().positive(),
  nodeId: z.coerce.number().int().positive(),
});

const standardFields = {
  guidance: z.string().trim().max(2000).nullable().optional(),
  method: z.enum(METHODS).optional(),
  maxScore: ZScore.optional(),
  evidence: ZEvidenceList.optional(),
  unitHints: ZUnitHints.optional(),
  /** 备注: a remark on the standard; empty or null clears it. */
  notes: z.string().trim().max(500).nullable().optional(),
  /** A survey standard's own curve; null clears it (the framework's applies). */
  surveyCurve: ZSurveyCurveSchema.nullable().optional(),
};

export const ZCreateNodeRequestSchema = z
  .object({
    kind: z.enum(NODE_KINDS),
    parentId: z.number().int().positive().nullable(),
    /** Left out: the next free code under the parent (I3, I3.2, I3.2.4). */
    code: ZNodeCodeSchema.optional(),
    text: z.string().trim().min(1).max(1000),
    /** Left out: after the last sibling. */
    position: z.number().int().min(0).optional(),
    ...standardFields,
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'standard') {
      if (!v.method)
        ctx.addIssue({
          code: 'custom',
          path: ['method'],
          message: '测评标准必须有测评方法 / a standard needs a method',
        });
      if (v.maxScore === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['maxScore'],
          message: '测评标准必须有分值 / a standard needs a max score',
        });
    }
    if ((v.kind === 'item') !== (v.parentId === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['parentId'],
        message:
          '测评项目没有上级，内容和标准必须有上级 / items have no parent; contents and standards need one',
      });
    }
  });
export type TCreateNodeRequest = z.infer<typeof ZCreateNodeRequestSchema>;

export const ZUpdateNodeRequestSchema = z.object({
  code: ZNodeCodeSchema.optional(),
  text: z.string().trim().min(1).max(1000).optional(),
  ...standardFields,
  version: ZVersionSchema,
});
export type TUpdateNodeRequest = z.infer<typeof ZUpdateNodeRequestSchema>;

export const ZMoveNodeRequestSchema = z.object({
  /** The new parent (same kind as the old one); null for items. */
  parentId: z.number().int().positive().nullable(),
  /** 0-based place among the new siblings. */
  position: z.number().int().min(0),
  version: ZVersionSchema,
});
export type TMoveNodeRequest = z.infer<typeof ZMoveNodeRequestSchema>;

export const ZNegativeItemRequestSchema = z.object({
  code: ZNodeCodeSchema.optional(),
  text: z.string().trim().min(1).max(1000),
  effect: z.enum(NEGATIVE_EFFECTS),
  points: ZScore,
  /** Months before a test (or the application) in which the event counts (BRIEF §1.5: 12). */
  windowMonths: z.number().int().min(1).max(60).optional(),
  /** Besides the main effect, the title is suspended this long from the event (G15: 12). */
  suspendMonths: z.number().int().min(1).max(60).nullable().optional(),
  /** Within the window before the application date, the city may not apply. */
  barsApplication: z.boolean().optional(),
});
export const ZUpdateNegativeItemRequestSchema = ZNegativeItemRequestSchema.partial().extend({
  version: ZVersionSchema,
});
export type TNegativeItemRequest = z.infer<typeof ZNegativeItemRequestSchema>;
export type TUpdateNegativeItemRequest = z.infer<typeof ZUpdateNegativeItemRequestSchema>;

/** Every write to a framework's content answers where it landed (a new draft when copied). */
export const ZFrameworkWriteResultSchema = z.object({
  versionId: z.number().int(),
  /** True when the write copied an in-use version into a new draft first. */
  forked: z.boolean(),
  versionNumber: z.number().int(),
  /** The node (or negative item) written, in `versionId`; null after a delete. */
  id: z.number().int().nullable(),
});
export type TFrameworkWriteResult = z.infer<typeof ZFrameworkWriteResultSchema>;

export const ZPublishRequestSchema = z.object({
  version: ZVersionSchema,
  /**
   * Publish although some links cannot move to the new version (a removed standard's dossiers,
   * check items…). Without it such a publish is refused with 409 `links_lost`.
   */
  confirmLosses: z.boolean().default(false),
});

// ---------- publishing a version: what changes, what moves, what is lost ----------

/** What points at a standard and moves with it to a new version. */
export const LINK_KINDS = [
  'assignment',
  'report',
  'dossier',
  'indicator',
  'simulation_target',
  'group',
  'question',
  'check_item',
  'negative_hit',
] as const;
export type TLinkKind = (typeof LINK_KINDS)[number];
export const LINK_KIND_LABELS: Record<TLinkKind, { zh: string; en: string }> = {
  assignment: { zh: '任务分解', en: 'Assignments' },
  report: { zh: '进展报送', en: 'Progress reports' },
  dossier: { zh: '档案资料', en: 'Dossiers' },
  indicator: { zh: '量化指标', en: 'Indicators' },
  simulation_target: { zh: '模拟验证对象', en: 'Simulation targets' },
  group: { zh: '攻坚组', en: 'Working groups' },
  question: { zh: '问卷题目', en: 'Survey questions' },
  check_item: { zh: '点位检查项', en: 'Check items' },
  negative_hit: { zh: '负面清单记录', en: 'Negative-list hits' },
};

const ZDiffStandardSchema = z.object({
  code: z.string(),
  text: z.string(),
  method: z.enum(METHODS),
  maxScore: z.number(),
});
const ZTextPairSchema = z.object({ zh: z.string(), en: z.string() });

export const ZPublishPreviewSchema = z.object({
  versionId: z.number().int(),
  versionNumber: z.number().int(),
  /** The version in force that publishing replaces; null for a framework's first version. */
  against: z.object({ versionId: z.number().int(), versionNumber: z.number().int() }).nullable(),
  standards: z.object({
    added: z.array(ZDiffStandardSchema),
    removed: z.array(ZDiffStandardSchema),
    changed: z.array(
      z.object({
        code: z.string(),
        before: ZDiffStandardSchema,
        after: ZDiffStandardSchema,
        fields: z.array(z.enum(['code', 'text', 'method', 'maxScore'])),
      }),
    ),
    unchanged: z.number().int(),
  }),
  maxScore: z.object({ before: z.number(), after: z.number() }),
  negativeItems: z.object({
    added: z.number().int(),
    removed: z.array(z.object({ code: z.string(), text: z.string() })),
  }),
  /** Links that move to the new version, per kind. */
  carried: z.array(z.object({ kind: z.enum(LINK_KINDS), count: z.number().int() })),
  /** Links that cannot move: their standard (or negative item) has no match in the new version. */
  lost: z.array(
    z.object({
      kind: z.enum(LINK_KINDS),
      count: z.number().int(),
      code: z.string(),
      text: z.string(),
      /** Where the link lives: the dossier's years, the questionnaire, the point type… */
      where: ZTextPairSchema,
    }),
  ),
});
export type TPublishPreview = z.infer<typeof ZPublishPreviewSchema>;

/**
 * What an XLSX import passed over and checked besides the standards: the rows that are not
 * standards (小计/合计, headings, notes), the sums the sheet states against the standards they
 * cover (a mismatch is a warning, the import goes ahead), the columns it did not read.
 */
export const ZSheetImportReportSchema = z.object({
  /** The worksheet the rows were read from (a workbook may open with 填表说明). */
  sheetName: z.string().optional(),
  skippedRows: z.array(
    z.object({
      row: z.number().int(),
      kind: z
        .enum(['subtotal', 'total', 'heading', 'note', 'blank', 'no_assignment', 'dropped'])
        .optional(),
      reason: z.string(),
    }),
  ),
  sumChecks: z.array(
    z.object({
      row: z.number().int(),
      label: z.string(),
      stated: z.number(),
      computed: z.number(),
      ok: z.boolean(),
      scope: z.enum(['content', 'item', 'all']).optional(),
    }),
  ),
  unknownColumns: z.array(z.string()).optional(),
});
export type TSheetImportReport = z.infer<typeof ZSheetImportReportSchema>;

export const ZFrameworkImportResultSchema = z.object({
  frameworkId: z.number().int(),
  versionId: z.number().int(),
  versionNumber: z.number().int(),
  items: z.number().int(),
  contents: z.number().int(),
  standards: z.number().int(),
  negativeItems: z.number().int(),
  assignments: z.number().int(),
  /** XLSX imports only. */
  report: ZSheetImportReportSchema.optional(),
});
export type TFrameworkImportResult = z.infer<typeof ZFrameworkImportResultSchema>;

/** The sheet columns an office's header can be mapped to. */
export const SHEET_COLUMN_KEYS = [
  'item',
  'content',
  'code',
  'text',
  'method',
  'score',
  'lead',
  'responsible',
  'leader',
  'due',
  'guidance',
  'evidence',
  'notes',
] as const;

/**
 * How to read an office's workbook: which sheet (default: the one that looks most like the data),
 * which column each unrecognised header is (JSON `{"header": "key"}`, remembered after an import),
 * and whether to import the clean rows only.
 */
export const ZImportSheetQuerySchema = z.object({
  sheet: z.string().trim().min(1).max(100).optional(),
  columns: z
    .string()
    .max(4000)
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s === '') return undefined;
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: '列对应关系应为 JSON / the column mapping must be JSON',
        });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().trim().min(1).max(60), z.enum(SHEET_COLUMN_KEYS)).optional()),
  skipBadRows: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});
export type TImportSheetQuery = z.infer<typeof ZImportSheetQuerySchema>;

export const ZImportErrorSheetQuerySchema = ZImportSheetQuerySchema.extend({
  lang: z.enum(['zh', 'en']).default('zh'),
});

export const ZImportIntoCampaignQuerySchema = ZImportSheetQuerySchema.extend({
  /** Name for an XLSX import (a JSON file names itself in meta.name). */
  name: z.string().trim().min(2).max(100).optional(),
  level: z.enum(FRAMEWORK_LEVELS).optional(),
  edition: z.string().trim().max(50).optional(),
});

/** What importing a file would do, read without writing anything. */
export const ZFrameworkImportPreviewSchema = z.object({
  kind: z.enum(['json', 'xlsx']),
  /** The sheet read, and every sheet of the workbook to choose from. */
  sheetName: z.string().optional(),
  sheets: z.array(z.string()),
  /** The header row as read: each header and the column it was taken for (null: not read). */
  columns: z.array(z.object({ header: z.string(), key: z.enum(SHEET_COLUMN_KEYS).nullable() })),
  /** Required columns not found: map a header to them. */
  missingColumns: z.array(z.enum(SHEET_COLUMN_KEYS)),
  /** What importing the clean rows creates. */
  counts: z.object({
    items: z.number().int(),
    contents: z.number().int(),
    standards: z.number().int(),
    negativeItems: z.number().int(),
    assignments: z.number().int(),
  }),
  /** Every row that needs a decision, with the reason in both languages. */
  issues: z.array(
    z.object({
      row: z.number().int(),
      column: z.string(),
      reason: z.object({ zh: z.string(), en: z.string() }),
    }),
  ),
  /** Rows an import of the clean rows leaves out. */
  badRows: z.array(z.number().int()),
  /** Unit names no unit answers to (or several do), with the rows and the closest units. */
  units: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['unknown', 'ambiguous']),
      rows: z.array(z.number().int()),
      suggestions: z.array(z.object({ id: z.number().int(), name: z.string() })),
      /** A name that reads like a 集体责任方 (各区县, 各物业公司): what it probably is. */
      proposal: z
        .object({
          kind: z.enum(PARTY_KINDS),
          memberTypes: z.array(z.enum(UNIT_TYPES)),
        })
        .optional(),
    }),
  ),
  /** 集体责任方 the sheet names, and what they resolve to. */
  parties: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      kind: z.enum(PARTY_KINDS),
      /** Units the name stands for: a group's members, an outside party's contact unit. */
      units: z.number().int(),
      contactUnit: z.string().nullable(),
      rows: z.array(z.number().int()),
    }),
  ),
  report: ZSheetImportReportSchema.optional(),
});
export type TFrameworkImportPreview = z.infer<typeof ZFrameworkImportPreviewSchema>;

// ---------- assignments 任务分解 ----------

export const ZUnitRefSchema = z.object({ id: z.number().int(), name: z.string() });

export const ZAssignmentSchema = z.object({
  id: z.number().int(),
  versionId: z.number().int(),
  standardId: z.number().int(),
  standardCode: z.string(),
  standardText: z.string(),
  method: z.enum(METHODS),
  maxScore: z.number(),
  itemId: z.number().int(),
  itemCode: z.string(),
  itemText: z.string(),
  contentCode: z.string(),
  contentText: z.string(),
  leadUnit: ZUnitRefSchema,
  responsibleUnits: z.array(ZUnitRefSchema),
  leaderName: z.string().nullable(),
  dueDate: z.string().nullable(),
  dueText: z.string().nullable(),
  notes: z.string().nullable(),
  /** The task row's cells under sheet headers the platform does not read, header → text. */
  extra: z.record(z.string(), z.string()),
  version: z.number().int(),
});
export type TAssignment = z.infer<typeof ZAssignmentSchema>;

export const ZListAssignmentsQuerySchema = z.object({
  itemId: z.coerce.number().int().positive().optional(),
  unitId: z.coerce.number().int().positive().optional(),
  /** Only the standards a working group (攻坚组) owns. */
  groupId: z.coerce.number().int().positive().optional(),
});
export const ZAssignmentListSchema = z.object({ items: z.array(ZAssignmentSchema) });

export const ZAssignmentImportResultSchema = z.object({
  versionId: z.number().int(),
  assignments: z.number().int(),
  standards: z.number().int(),
  replaced: z.number().int(),
  /** The rows passed over (小计/合计, headings, rows that assign nothing); no sums are checked. */
  report: ZSheetImportReportSchema.optional(),
});
export type TAssignmentImportResult = z.infer<typeof ZAssignmentImportResultSchema>;

/** A unit's own assignment on a framework in force: which framework, and whether it leads or shares it. */
export const ZMyAssignmentSchema = ZAssignmentSchema.extend({
  frameworkId: z.number().int(),
  frameworkName: z.string(),
  campaignName: z.string(),
  role: z.enum(['lead', 'responsible']),
});
export type TMyAssignment = z.infer<typeof ZMyAssignmentSchema>;
export const ZMyAssignmentListSchema = z.object({ items: z.array(ZMyAssignmentSchema) });

// 进度报送: units report on their assignments at the office's rhythm; overdue ones are flagged.

export const ASSIGNMENT_REPORT_STATUSES = [
  'not_started',
  'in_progress',
  'done',
  'blocked',
] as const;
export type TAssignmentReportStatus = (typeof ASSIGNMENT_REPORT_STATUSES)[number];
export const ASSIGNMENT_REPORT_STATUS_LABELS: Record<
  TAssignmentReportStatus,
  { zh: string; en: string }
> = {
  not_started: { zh: '未启动', en: 'Not started' },
  in_progress: { zh: '推进中', en: 'In progress' },
  done: { zh: '已完成', en: 'Done' },
  blocked: { zh: '有困难', en: 'Blocked' },
};

export const ZAssignmentReportInputSchema = z.object({
  status: z.enum(ASSIGNMENT_REPORT_STATUSES),
  text: z.string().trim().min(2).max(1000),
  fileIds: z.array(z.uuid()).max(9).default([]),
});
export type TAssignmentReportInput = z.infer<typeof ZAssignmentReportInputSchema>;

export const ZAssignmentReportSchema = z.object({
  id: z.number().int(),
  status: z.enum(ASSIGNMENT_REPORT_STATUSES),
  text: z.string(),
  fileIds: z.array(z.string()),
  reportedBy: z.string().nullable(),
  reportedAt: z.string(),
});
export type TAssignmentReport = z.infer<typeof ZAssignmentReportSchema>;
export const ZAssignmentReportsSchema = z.array(ZAssignmentReportSchema);

/** How often units report on their assignments. */
export const ZAssignmentReportRhythmSchema = z.object({
  everyDays: z.number().int().min(1).max(92),
});

/** Per assignment and unit of the frameworks in force: the last report and whether it is overdue. */
export const ZAssignmentReportingSchema = z.object({
  frameworkId: z.number().int(),
  standardKey: z.string(),
  code: z.string(),
  unitId: z.number().int(),
  assignmentId: z.number().int(),
  lastReportAt: z.string().nullable(),
  lastStatus: z.enum(ASSIGNMENT_REPORT_STATUSES).nullable(),
  overdue: z.boolean(),
  everyDays: z.number().int(),
});
export type TAssignmentReporting = z.infer<typeof ZAssignmentReportingSchema>;
export const ZAssignmentReportingListSchema = zItems(ZAssignmentReportingSchema);

/** A date as YYYY-MM-DD that exists (2026-02-30 does not). */
export const ZDateSchema = z.string().refine((v) => {
  const r = parseDue(v);
  return r !== null && 'date' in r && r.date === v;
}, '日期格式应为 YYYY-MM-DD / a date is written YYYY-MM-DD');

const assignmentFields = {
  leadUnitId: z.number().int().positive(),
  /** 责任单位 besides the lead unit, in order. */
  responsibleUnitIds: z.array(z.number().int().positive()).max(50),
  leaderName: z.string().trim().max(50).nullable().optional(),
  dueDate: ZDateSchema.nullable().optional(),
  /** 时限 in words when it is not a date (长期坚持). */
  dueText: z.string().trim().max(50).nullable().optional(),
  notes: z.string().trim().max(500).nullable().optional(),
  /** A survey standard's own curve; null clears it (the framework's applies). */
  surveyCurve: ZSurveyCurveSchema.nullable().optional(),
};
export const ZCreateAssignmentRequestSchema = z.object({
  standardId: z.number().int().positive(),
  ...assignmentFields,
});
export type TCreateAssignmentRequest = z.infer<typeof ZCreateAssignmentRequestSchema>;
export const ZUpdateAssignmentRequestSchema = z
  .object(assignmentFields)
  .partial()
  .extend({ version: ZVersionSchema });
export type TUpdateAssignmentRequest = z.infer<typeof ZUpdateAssignmentRequestSchema>;
