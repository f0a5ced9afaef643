/**
 * Questions of a questionnaire (问卷) and how one answer counts towards a rate. Pure; shared by the
 * server (validation, results) and the web (designer, guide app).
 */

export const DIMENSIONS = ['awareness', 'support', 'participation', 'satisfaction'] as const;
export type TDimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<TDimension, { zh: string; en: string }> = {
  awareness: { zh: '知晓率', en: 'Awareness' },
  support: { zh: '支持率', en: 'Support' },
  participation: { zh: '参与率', en: 'Participation' },
  satisfaction: { zh: '满意度', en: 'Satisfaction' },
};

/** The words offices write for a dimension (the demo file says 知晓率 …). */
export function dimensionFromWord(word: string): TDimension | null {
  const w = word.trim().toLowerCase();
  for (const d of DIMENSIONS) {
    const l = DIMENSION_LABELS[d];
    if (w === d || w === l.zh || w === l.en.toLowerCase() || w === l.zh.slice(0, 2)) return d;
  }
  return null;
}

export const QUESTION_KINDS = ['single', 'multiple', 'rating', 'text'] as const;
export type TQuestionKind = (typeof QUESTION_KINDS)[number];

export const QUESTION_KIND_LABELS: Record<TQuestionKind, { zh: string; en: string }> = {
  single: { zh: '单选', en: 'Single choice' },
  multiple: { zh: '多选', en: 'Multiple choice' },
  rating: { zh: '打分', en: 'Rating' },
  text: { zh: '开放题', en: 'Open text' },
};

/** What a question needs to be counted (the contract's question satisfies it). */
export interface QuestionDef {
  id: string;
  kind: TQuestionKind;
  options: string[];
  /** Rating questions: answers are 1…scale. */
  scale?: number | undefined;
  dimension: TDimension | null;
  favourable: string[];
  /** Options meaning "说不清 / 不清楚": valid or not depending on the round's setting. */
  dontKnow: string[];
}

export type TAnswerValue = string | string[] | number;
export type TAnswerClass = 'favourable' | 'unfavourable' | 'dontKnow' | 'missing';

const DONT_KNOW_WORDS = /^(说不清|不清楚|不好说|不知道怎么说|说不好|无法回答)$/;

/** The options that read as "don't know" (说不清, 不清楚 …), for a default when none are marked. */
export function guessDontKnow(options: readonly string[]): string[] {
  return options.filter((o) => DONT_KNOW_WORDS.test(o.trim()));
}

/**
 * How one answer counts: favourable, unfavourable, don't-know, or missing (no answer, an option the
 * question does not have, open text). A multiple-choice answer is favourable when any chosen option
 * is; it is don't-know when every chosen option is.
 */
export function classifyAnswer(
  q: QuestionDef,
  value: TAnswerValue | null | undefined,
): TAnswerClass {
  if (value === null || value === undefined) return 'missing';
  switch (q.kind) {
    case 'single': {
      if (typeof value !== 'string' || !q.options.includes(value)) return 'missing';
      if (q.dontKnow.includes(value)) return 'dontKnow';
      return q.favourable.includes(value) ? 'favourable' : 'unfavourable';
    }
    case 'multiple': {
      if (!Array.isArray(value)) return 'missing';
      const chosen = value.filter((v) => q.options.includes(v));
      if (chosen.length === 0) return 'missing';
      if (chosen.some((v) => q.favourable.includes(v))) return 'favourable';
      if (chosen.every((v) => q.dontKnow.includes(v))) return 'dontKnow';
      return 'unfavourable';
    }
    case 'rating': {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isInteger(n) || n < 1 || n > (q.scale ?? 5)) return 'missing';
      return q.favourable.includes(String(n)) ? 'favourable' : 'unfavourable';
    }
    case 'text':
      return 'missing';
  }
}

/** Problems of a question's definition, as bilingual messages (empty when it is fine). */
export function questionProblems(q: QuestionDef): { zh: string; en: string }[] {
  const out: { zh: string; en: string }[] = [];
  const choice = q.kind === 'single' || q.kind === 'multiple';
  if (choice && q.options.length < 2) {
    out.push({ zh: `${q.id}：选择题至少需要两个选项`, en: `${q.id}: a choice needs two options` });
  }
  if (choice && new Set(q.options).size !== q.options.length) {
    out.push({ zh: `${q.id}：选项重复`, en: `${q.id}: options repeat` });
  }
  if (choice && q.dimension === null) {
    out.push({
      zh: `${q.id}：选择题须指定维度`,
      en: `${q.id}: a choice question needs a dimension`,
    });
  }
  const allowed =
    q.kind === 'rating'
      ? Array.from({ length: q.scale ?? 5 }, (_, i) => String(i + 1))
      : q.kind === 'text'
        ? []
        : q.options;
  for (const f of [...q.favourable, ...q.dontKnow]) {
    if (!allowed.includes(f)) {
      out.push({
        zh: `${q.id}：“${f}”不是该题的选项`,
        en: `${q.id}: "${f}" is not an option of this question`,
      });
    }
  }
  if (q.dimension !== null && q.kind !== 'text' && q.favourable.length === 0) {
    out.push({ zh: `${q.id}：须指定有利选项`, en: `${q.id}: name the favourable options` });
  }
  if (q.favourable.some((f) => q.dontKnow.includes(f))) {
    out.push({
      zh: `${q.id}：“说不清”类选项不能同时是有利选项`,
      en: `${q.id}: a don't-know option cannot be favourable`,
    });
  }
  return out;
}
