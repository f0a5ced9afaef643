import ExcelJS from 'exceljs';
import type { TRowError } from '../../../core/contracts/common.js';
import { ZQuestionListSchema, type TQuestion } from '../../../core/contracts/surveys.js';
import {
  DIMENSION_LABELS,
  dimensionFromWord,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
} from '../../../core/survey/questions.js';
import type { Database } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import { createQuestionnaire, exportQuestionnaire } from './design.service.js';

// A questionnaire as a workbook: sheet 问卷 holds the group and title as label/value rows, sheet 题目
// one question per row; lists (options, favourable…) are separated by "|" (or ｜ ; ；).

const HEAD = ['题号', '题型', '题目', '选项', '维度', '有利选项', '说不清选项', '分制', '关联标准'];
const META = { group: '人群代码', groupLabel: '人群', title: '标题', intro: '说明' } as const;
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
  meta.getColumn(2).width = 60;
  const ws = wb.addWorksheet('题目');
  ws.addRow(HEAD).font = { bold: true };
  for (const q of f.questions) {
    ws.addRow([
      q.id,
      QUESTION_KIND_LABELS[q.kind].zh,
      q.text,
      q.options.join('|'),
      q.dimension ? DIMENSION_LABELS[q.dimension].zh : '',
      q.favourable.join('|'),
      q.dontKnow.join('|'),
      q.scale ?? '',
      q.standardKeys.join('|'),
    ]);
  }
  ws.getColumn(3).width = 50;
  ws.getColumn(4).width = 30;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const text = (c: ExcelJS.Cell) => (c.text ?? '').trim();

/** Reads a questionnaire workbook and stores it as the group's next draft; all errors or nothing. */
export async function importQuestionnaireXlsx(
  database: Database,
  actor: Actor,
  surveyId: number,
  data: Buffer,
): Promise<Awaited<ReturnType<typeof createQuestionnaire>>> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new AppError('bad_file', 400, {
      zh: '无法读取文件：请上传 Excel（.xlsx）文件',
      en: 'cannot read the file: please upload an Excel (.xlsx) workbook',
    });
  }
  const rows: TRowError[] = [];
  const metaSheet = wb.getWorksheet('问卷');
  const sheet = wb.getWorksheet('题目');
  const meta: Record<string, string> = {};
  metaSheet?.eachRow((r) => (meta[text(r.getCell(1))] = text(r.getCell(2))));
  for (const [k, label] of Object.entries(META)) {
    if (k !== 'intro' && !meta[label]) {
      rows.push({ row: 0, column: label, reason: `缺少“${label}”（问卷工作表） / missing ${k}` });
    }
  }
  if (meta[META.group] && !/^[A-Z]$/.test(meta[META.group]!)) {
    rows.push({
      row: 0,
      column: META.group,
      reason: '人群代码应为一个大写字母 / one capital letter',
    });
  }
  if (!sheet) rows.push({ row: 1, column: '题目', reason: '缺少“题目”工作表 / no 题目 sheet' });
  const questions: TQuestion[] = [];
  sheet?.eachRow((r, n) => {
    if (n === 1) return;
    const cells = HEAD.map((_, i) => text(r.getCell(i + 1)));
    if (cells.every((c) => !c)) return;
    const [id, kindWord, qtext, options, dim, fav, dk, scale, standards] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const kind = QUESTION_KINDS.find(
      (k) => QUESTION_KIND_LABELS[k].zh === kindWord || k === kindWord.toLowerCase(),
    );
    if (!kind)
      rows.push({ row: n, column: '题型', reason: `无法识别“${kindWord}” / unknown kind` });
    const dimension = dim ? dimensionFromWord(dim) : null;
    if (dim && !dimension) {
      rows.push({ row: n, column: '维度', reason: `无法识别“${dim}” / unknown dimension` });
    }
    questions.push({
      id,
      kind: kind ?? 'single',
      text: qtext,
      options: split(options),
      ...(scale ? { scale: Number(scale) } : {}),
      dimension,
      favourable: split(fav),
      dontKnow: split(dk),
      standardKeys: split(standards),
    });
  });
  const parsed = ZQuestionListSchema.safeParse(questions);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const idx = typeof i.path[0] === 'number' ? i.path[0] : -1;
      rows.push({ row: idx + 2, column: String(i.path[1] ?? ''), reason: i.message });
    }
  }
  if (rows.length) throw errors.badImport(rows);
  return createQuestionnaire(
    database,
    actor,
    surveyId,
    {
      group: meta[META.group]!,
      groupLabel: meta[META.groupLabel]!,
      title: meta[META.title]!,
      intro: meta[META.intro] ?? '',
      questions: parsed.data!,
    },
    'survey.questionnaire.import',
  );
}
