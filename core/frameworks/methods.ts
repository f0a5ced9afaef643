/**
 * Assessment methods (测评方法), framework levels, negative-list effects and the words offices
 * write for them in their sheets. Pure data and lookups; no I/O.
 */

export const METHODS = [
  'material',
  'field',
  'simulation',
  'survey',
  'online',
  'report',
  'overall',
] as const;
export type TMethod = (typeof METHODS)[number];

export const METHOD_LABELS: Record<TMethod, { zh: string; en: string }> = {
  material: { zh: '材料审核', en: 'Material review' },
  field: { zh: '实地考察', en: 'Field inspection' },
  simulation: { zh: '实景模拟验证', en: 'Simulation check' },
  survey: { zh: '问卷调查', en: 'Questionnaire survey' },
  online: { zh: '网络调查', en: 'Online survey' },
  report: { zh: '听取汇报', en: 'Briefing' },
  overall: { zh: '整体观察', en: 'Overall observation' },
};

/**
 * The three parts of an annual score (网上申报 / 实地测评 / 问卷调查) each method counts towards.
 * Simulation checks and overall observation happen in the field; online surveys and briefings are
 * judged from material.
 */
export const METHOD_BUCKETS = ['material', 'field', 'survey'] as const;
export type TMethodBucket = (typeof METHOD_BUCKETS)[number];
export const METHOD_BUCKET: Record<TMethod, TMethodBucket> = {
  material: 'material',
  field: 'field',
  simulation: 'field',
  survey: 'survey',
  online: 'material',
  report: 'material',
  overall: 'field',
};
export const METHOD_BUCKET_LABELS: Record<TMethodBucket, { zh: string; en: string }> = {
  material: { zh: '材料审核（网上申报）', en: 'Material (online filing)' },
  field: { zh: '实地测评', en: 'Field' },
  survey: { zh: '问卷调查', en: 'Survey' },
};

/** Words found in real sheets for each method (compared after normalising, see `normKey`). */
const METHOD_WORDS: Record<TMethod, string[]> = {
  material: [
    '材料',
    '材料审核',
    '材料审查',
    '资料审核',
    '网上申报',
    '网上材料审核',
    '台账',
    '台账资料',
  ],
  field: [
    '实地',
    '实地考察',
    '实地测评',
    '实地观察',
    '实地调查',
    '暗访',
    '实地暗访',
    '现场',
    '现场检查',
  ],
  simulation: ['模拟', '实景模拟', '模拟验证', '实景模拟验证', '拨打验证', '模拟测评'],
  survey: ['问卷', '问卷调查', '入户', '入户调查', '入户问卷', '街访', '群众满意度调查'],
  online: ['网络', '网络调查', '网上调查', '网络媒体调查', '网络测评'],
  report: ['汇报', '听取汇报', '听汇报'],
  overall: ['整体', '整体观察', '整体评价', '整体印象'],
};

const METHOD_BY_WORD = new Map<string, TMethod>();
for (const m of METHODS) {
  METHOD_BY_WORD.set(m, m);
  METHOD_BY_WORD.set(normKey(METHOD_LABELS[m].en), m);
  for (const w of METHOD_WORDS[m]) METHOD_BY_WORD.set(normKey(w), m);
}

export type TMethodParse =
  | { ok: true; method: TMethod }
  | { ok: false; reason: 'empty' | 'unknown' | 'several' };

/** Reads a method cell: a code (`field`), a label (实地考察) or a common short form (实地). */
export function parseMethod(raw: string): TMethodParse {
  const key = normKey(raw);
  if (!key) return { ok: false, reason: 'empty' };
  const hit = METHOD_BY_WORD.get(key);
  if (hit) return { ok: true, method: hit };
  // "材料审核、问卷调查": a standard has one method in this model.
  const parts = normText(raw)
    .split(/[、,;/|+]|和|及/)
    .map(normKey)
    .filter(Boolean);
  if (parts.length > 1 && parts.every((p) => METHOD_BY_WORD.has(p))) {
    return { ok: false, reason: 'several' };
  }
  return { ok: false, reason: 'unknown' };
}

export const FRAMEWORK_LEVELS = ['prefecture', 'county', 'provincial'] as const;
export type TFrameworkLevel = (typeof FRAMEWORK_LEVELS)[number];
export const FRAMEWORK_LEVEL_LABELS: Record<TFrameworkLevel, { zh: string; en: string }> = {
  prefecture: { zh: '地级以上', en: 'Prefecture and above' },
  county: { zh: '县级', en: 'County' },
  provincial: { zh: '省级', en: 'Provincial' },
};

export const NEGATIVE_EFFECTS = ['deduct', 'suspend_title', 'disqualify'] as const;
export type TNegativeEffect = (typeof NEGATIVE_EFFECTS)[number];
export const NEGATIVE_EFFECT_LABELS: Record<TNegativeEffect, { zh: string; en: string }> = {
  deduct: { zh: '扣分', en: 'Deduct points' },
  suspend_title: { zh: '暂停资格', en: 'Suspend' },
  disqualify: { zh: '取消资格', en: 'Disqualify' },
};

/**
 * Text as people mean it: full-width letters, digits and punctuation folded to half-width (NFKC),
 * every run of spaces (incl. the ideographic space) made one, trimmed. For matching and parsing
 * only; stored wording keeps its own punctuation.
 */
export function normText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, ' ')
    .trim();
}

/** A lookup key: `normText` without any spaces, lower-case. */
export function normKey(raw: string): string {
  return normText(raw).replace(/ /g, '').toLowerCase();
}
