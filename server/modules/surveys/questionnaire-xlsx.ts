import ExcelJS from 'exceljs';
import {
  ZQuestionListSchema,
  type TEligibility,
  type TQuestion,
} from '../../../core/contracts/surveys.js';
import { Permission } from '../../../core/permissions.js';
import { DEFAULT_ELIGIBILITY, ruleProblems } from '../../../core/survey/eligibility.js';
import {
  DIMENSION_LABELS,
  dimensionFromWord,
  QUESTION_KIND_LABELS,
} from '../../../core/survey/questions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { importCheck } from '../../platform/import-check.js';
import { readImportSheet, type ImportFile } from '../../platform/xlsx-import.js';
import { addSheet, loadWorkbook, type ColumnSpec } from '../../platform/xlsx.js';
import { createQuestionnaire, exportQuestionnaire } from './design.service.js';

// A questionnaire as a workbook: sheet 问卷 holds the group, title and the group's respondent rule
// (ages, months of residence or 不限) as label/value rows, sheet 题目 one question per row; lists
// (options, favourable…) are separated by "|" (or ｜ ; ；). A workbook without the rule's rows (made
// before rules per group) gets the residents' rule.

type Key = keyof TQuestion;

const QUESTION_COLUMNS: ColumnSpec<Key>[] = [
  { key: 'id', header: '题号', aliases: ['id'], required: true, width: 8 },
  { key: 'kind', header: '题型', aliases: ['kind'], required: true, width: 8 },
  { key: 'text', header: '题目', aliases: ['text', '题干'], required: true, width: 50 },
  { key: 'options', header: '选项', aliases: ['options'], width: 30 },
  { key: 'dimension', header: '维度', aliases: ['dimension'], width: 10 },
  { key: 'favourable', header: '有利选项', aliases: ['favourable'], width: 16 },
  { key: 'dontKnow', header: '说不清选项', aliases: ['dont know'], width: 16 },
  { key: 'scale', header: '分制', aliases: ['scale'], width: 8 },
  { key: 'standardKeys', header: '关联标准', aliases: ['standards'], width: 16 },
];
const META = { group: '人群代码', groupLabel: '人群', title: '标题', intro: '说明' } as const;
const RULE = {
  minAge: '最低年龄',
  maxAge: '最高年龄',
  minResidentMonths: '本地居住满（月）',
} as const;
const ANY_RESIDENCE = '不限';
const split = (s: string) =>
  s
    .split(/[|｜;；]/)
    .map((x) => x.trim())
    .filter(Boolean);

export async function questionnaireWorkbook(
  database: Database,
  actor: Actor,
  id: number,
): Promise<Buffer> {
  const f = await exportQuestionnaire(database, actor, id);
  const wb = new ExcelJS.Workbook();
  const meta = wb.addWorksheet('问卷');
  meta.addRow([META.group, f.group]);
  meta.addRow([META.groupLabel, f.groupLabel]);
  meta.addRow([META.title, f.title]);
  meta.addRow([META.intro, f.intro]);
  meta.addRow([RULE.minAge, f.eligibility.minAge]);
  meta.addRow([RULE.maxAge, f.eligibility.maxAge]);
  meta.addRow([RULE.minResidentMonths, f.eligibility.minResidentMonths ?? ANY_RESIDENCE]);
  meta.getColumn(2).width = 60;
  addSheet(
    wb,
    '题目',
    QUESTION_COLUMNS,
    f.questions.map((q) => ({
      id: q.id,
      kind: QUESTION_KIND_LABELS[q.kind].zh,
      text: q.text,
      options: q.options.join('|'),
      dimension: q.dimension ? DIMENSION_LABELS[q.dimension].zh : '',
      favourable: q.favourable.join('|'),
      dontKnow: q.dontKnow.join('|'),
      scale: q.scale ?? '',
      standardKeys: q.standardKeys.join('|'),
    })),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const text = (c: ExcelJS.Cell) => (c.text ?? '').trim();

/** The rule's rows of sheet 问卷; a row left out keeps the residents' value (BRIEF §3). */
function readRule(meta: Map<string, string>, check: ReturnType<typeof importCheck>): TEligibility {
  const num = (key: keyof typeof RULE, max: number): number | null => {
    const v = meta.get(RULE[key]);
    if (v === undefined) return DEFAULT_ELIGIBILITY[key];
    if (key === 'minResidentMonths' && (v === '' || v === ANY_RESIDENCE)) return null;
    const n = Number(v);
    if (v === '' || !Number.isInteger(n) || n < 0 || n > max) {
      check.add(0, RULE[key], `“${v}”应为 0—${max} 的整数 / a whole number 0–${max}`);
      return DEFAULT_ELIGIBILITY[key];
    }
    return n;
  };
  const rule = {
    minAge: num('minAge', 120) ?? DEFAULT_ELIGIBILITY.minAge,
    maxAge: num('maxAge', 120) ?? DEFAULT_ELIGIBILITY.maxAge,
    minResidentMonths: num('minResidentMonths', 1200),
  };
  for (const p of ruleProblems(rule)) {
    check.add(0, RULE.maxAge, `${p.message.zh} / ${p.message.en}`);
  }
  return rule;
}

/** Reads a questionnaire workbook and stores it as the group's next draft; all errors or nothing. */
export async function importQuestionnaireXlsx(
  database: Database,
  actor: Actor,
  surveyId: number,
  file: ImportFile,
): Promise<Awaited<ReturnType<typeof createQuestionnaire>>> {
  requirePermission(actor, Permission.SurveyWrite);
  const wb = await loadWorkbook(file.data);
  const check = importCheck(QUESTION_COLUMNS);
  const meta = new Map<string, string>();
  wb.getWorksheet('问卷')?.eachRow((r) => meta.set(text(r.getCell(1)), text(r.getCell(2))));
  for (const [k, label] of Object.entries(META)) {
    if (k !== 'intro' && !meta.get(label)) {
      check.add(0, label, `缺少“${label}”（问卷工作表） / missing ${k}`);
    }
  }
  const eligibility = readRule(meta, check);
  const group = meta.get(META.group);
  if (group && !/^[A-Z]$/.test(group)) {
    check.add(0, META.group, '人群代码应为一个大写字母 / one capital letter');
  }
  const sheet = wb.getWorksheet('题目');
  if (!sheet) check.add(1, '题目', '缺少“题目”工作表 / no 题目 sheet');
  const read = sheet ? readImportSheet(sheet, QUESTION_COLUMNS) : undefined;
  for (const e of read?.headerErrors ?? []) check.add(e.row, e.column, e.reason);

  const questions = check.rows(read?.rows ?? [], (r): TQuestion => {
    const v = r.values;
    const kind = r.option('kind', QUESTION_KIND_LABELS, { zh: '题型', en: 'question kind' });
    const dimension = v.dimension ? dimensionFromWord(v.dimension) : null;
    if (v.dimension && !dimension) {
      r.fail('dimension', `无法识别“${v.dimension}” / unknown dimension`);
    }
    return {
      id: v.id,
      kind: kind ?? 'single',
      text: v.text,
      options: split(v.options),
      ...(v.scale ? { scale: Number(v.scale) } : {}),
      dimension,
      favourable: split(v.favourable),
      dontKnow: split(v.dontKnow),
      standardKeys: split(v.standardKeys),
    };
  });
  if (read && !read.headerErrors.length && !read.rows.length) {
    check.add(read.headerRow + 1, '-', '“题目”工作表没有题目 / the 题目 sheet has no questions');
  }
  // The list's rules (fields, repeated ids, options against favourable ones) on the rows that
  // passed; an issue names the row of the question it is about.
  const parsed = ZQuestionListSchema.safeParse(questions.map((q) => q.data));
  if (!parsed.success && questions.length) {
    for (const i of parsed.error.issues) {
      const at = typeof i.path[0] === 'number' ? questions[i.path[0]]?.row : undefined;
      check.add(at ?? 0, String(i.path[1] ?? ''), i.message);
    }
  }
  check.throwIfAny();
  return createQuestionnaire(
    database,
    actor,
    surveyId,
    {
      group: group!,
      groupLabel: meta.get(META.groupLabel)!,
      title: meta.get(META.title)!,
      intro: meta.get(META.intro) ?? '',
      questions: parsed.data!,
      eligibility,
    },
    'survey.questionnaire.import',
  );
}
