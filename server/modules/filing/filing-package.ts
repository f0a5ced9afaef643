import { PassThrough, type Readable } from 'node:stream';
import archiver from 'archiver';
import ExcelJS from 'exceljs';
import { DOSSIER_STATE_LABELS } from '../../../core/frameworks/evidence.js';
import {
  FILING_KIND_LABELS,
  formatDuration,
  filingKind,
  standardFileName,
  storedAsIs,
  type TFilingTemplate,
} from '../../../core/frameworks/filing.js';
import type { FileStorage } from '../../platform/storage.js';
import type { FilingPlan, PlannedFile, PlannedStandard } from './filing.service.js';

// The filing package as a ZIP written while it is sent: the index, then per standard its folder
// (the 测评材料提交表, the 情况说明 and the files renamed by number), then the completeness report.
// Files are read from storage one at a time, and the next is opened only when the previous entry
// is written: the response's flow control reaches back to the file being read, so the server
// holds a few buffers, never the package or a whole file.

type Archive = ReturnType<typeof archiver>;

/** The package being written: what `stop` must end (the open source and the pending wait). */
interface Writing {
  archive: Archive;
  stopped: boolean;
  source: Readable | null;
  cancel: ((err: Error) => void) | null;
}

/** Appends an entry and waits until it is written (rejects when the archive fails or stops). */
function appendAndWait(
  w: Writing,
  source: Readable | Buffer | string,
  data: { name: string; store: boolean; date?: Date },
): Promise<void> {
  const { archive } = w;
  if (w.stopped) return Promise.reject(new Error('package stopped'));
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      archive.off('entry', onEntry);
      archive.off('error', onError);
      w.source = null;
      w.cancel = null;
    };
    const onEntry = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    archive.on('entry', onEntry);
    archive.on('error', onError);
    w.source = typeof source === 'string' || Buffer.isBuffer(source) ? null : source;
    w.cancel = onError;
    archive.append(source, data);
  });
}

const dateOf = (day: string) => new Date(`${day}T12:00:00+08:00`);

function kindLabel(mime: string): string {
  return FILING_KIND_LABELS[filingKind(mime)].zh;
}

function leadNames(s: PlannedStandard): string {
  return s.row.leadUnits.map((u) => u.name).join('、') || '（未分解）';
}

/** The 测评材料提交表 of one standard, filled from the dossier. Small: built in memory. */
export async function submissionForm(t: TFilingTemplate, s: PlannedStandard): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t.formTitle);
  const cols = t.formColumns;
  ws.columns = cols.map((c) => ({ width: c.width ?? 14 }));
  const title = ws.addRow([t.formTitle]);
  title.font = { bold: true, size: 14 };
  ws.mergeCells(1, 1, 1, cols.length);
  const h = t.formHeadings;
  const headingRows: [string, string][] = [
    [h.standard, s.row.code],
    [h.text, s.row.text],
    [h.item, `${s.row.itemCode} ${s.row.itemText}`],
    [h.leadUnit, leadNames(s)],
    [h.statement, s.statement],
  ];
  for (const [label, value] of headingRows) {
    const r = ws.addRow([label, value]);
    r.getCell(1).font = { bold: true };
    ws.mergeCells(r.number, 2, r.number, cols.length);
    r.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  ws.addRow([]);
  const head = ws.addRow(cols.map((c) => c.header));
  head.font = { bold: true };
  let seq = 0;
  for (const f of s.files) {
    if (f.status !== 'filed') continue;
    seq++;
    const v: Record<string, string | number> = {
      seq,
      fileName: f.name,
      title: f.title,
      kind: kindLabel(f.mime),
      docDate: f.docDate,
      size: f.size,
      unit: f.unitName ?? '',
      originalName: f.originalName ?? '',
    };
    ws.addRow(cols.map((c) => v[c.key] ?? ''));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The 情况说明 as a text file (the statement the lead unit wrote). */
function statementText(s: PlannedStandard): string {
  return `${s.row.code} ${s.row.text}\r\n牵头单位：${leadNames(s)}\r\n\r\n${s.statement}\r\n`;
}

/** The completeness report: what is missing, left out and why (and files storage did not have). */
export function completenessReport(plan: FilingPlan, lost: PlannedFile[]): string {
  const c = plan.completeness;
  const w = c.window;
  const lines = [
    `网上申报完整性报告 ${c.year} 年度（模板 ${c.edition}）`,
    `材料有效期：${w.from} 至 ${w.to}（测评日期 ${w.testDate}${w.assumed ? '，未设置，按 12 月 1 日计' : ''}）`,
    `材料审核标准 ${c.total.standards} 项：齐全 ${c.total.complete} 项，缺少材料 ${c.total.missingFiles} 项，缺少情况说明 ${c.total.missingStatement} 项`,
    `已纳入文件 ${c.total.filed} 个；有效期外 ${c.total.outsideWindow} 个；档案未通过审核 ${c.total.unapproved} 个（均未纳入）`,
    '',
  ];
  for (const s of plan.standards) {
    const issues: string[] = [];
    const st = DOSSIER_STATE_LABELS[s.row.state].zh;
    if (s.row.missingFiles) issues.push(`缺少可申报材料（档案状态：${st}）`);
    if (!s.row.hasStatement) issues.push('缺少情况说明');
    for (const f of s.files) {
      if (f.status === 'outside_window') {
        issues.push(`有效期外：${f.title}（${f.docDate}）`);
      } else if (f.status === 'unapproved') {
        issues.push(`档案未通过审核（${st}）：${f.title}（${f.docDate}）`);
      }
    }
    for (const f of lost.filter((x) => x.standardKey === s.row.key)) {
      issues.push(`存储中找不到文件，未纳入：${f.name}（${f.title}）`);
    }
    if (!issues.length) continue;
    lines.push(`${s.row.code} ${s.row.text}（牵头：${leadNames(s)}）`);
    for (const i of issues) lines.push(`  - ${i}`);
  }
  if (lines.length === 5) lines.push('全部材料齐全。');
  return lines.join('\r\n') + '\r\n';
}

/** The index of every filed file, written by exceljs's streaming writer into the archive. */
async function writeIndex(w: Writing, plan: FilingPlan): Promise<void> {
  const t = plan.template;
  const pass = new PassThrough();
  const written = appendAndWait(w, pass, { name: t.indexFileName, store: true });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: pass,
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet('材料索引');
  ws.columns = t.indexColumns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? 14 }));
  for (const s of plan.standards) {
    for (const f of s.files) {
      if (f.status !== 'filed') continue;
      const v: Record<string, string | number> = {
        standardCode: s.row.code,
        standardText: s.row.text,
        fileName: f.name,
        title: f.title,
        kind: kindLabel(f.mime),
        docDate: f.docDate,
        size: f.size,
        duration: f.durationMs === null ? '' : formatDuration(f.durationMs),
        unit: f.unitName ?? '',
        path: `${s.row.folder}/${f.name}`,
      };
      ws.addRow(Object.fromEntries(t.indexColumns.map((c) => [c.key, v[c.key] ?? '']))).commit();
    }
  }
  ws.commit();
  await wb.commit();
  await written;
}

async function writePackage(w: Writing, storage: FileStorage, plan: FilingPlan) {
  const t = plan.template;
  const lost: PlannedFile[] = [];
  await writeIndex(w, plan);
  for (const s of plan.standards) {
    const dir = s.row.folder;
    await appendAndWait(w, await submissionForm(t, s), {
      name: `${dir}/${standardFileName(t.formFileName, s.row.code)}`,
      store: true,
    });
    if (s.row.hasStatement) {
      await appendAndWait(w, statementText(s), {
        name: `${dir}/${standardFileName(t.statementFileName, s.row.code)}`,
        store: false,
      });
    }
    for (const f of s.files) {
      if (f.status !== 'filed') continue;
      if (w.stopped) throw new Error('package stopped');
      const body = await storage.stream(f.storageKey);
      if (!body) {
        lost.push(f);
        continue;
      }
      await appendAndWait(w, body, {
        name: `${dir}/${f.name}`,
        store: storedAsIs(t, f.name),
        date: dateOf(f.docDate),
      });
    }
  }
  await appendAndWait(w, completenessReport(plan, lost), {
    name: t.reportFileName,
    store: false,
  });
  await w.archive.finalize();
}

/**
 * The package as a stream (a ZIP), and `stop` for a client that went away: the file being read is
 * closed and no other is opened. Entries are added while it is read; a failure (storage down)
 * destroys the stream, which cuts the response short rather than sending a ZIP with a hole.
 */
export function filingPackageStream(
  storage: FileStorage,
  plan: FilingPlan,
  onError: (err: unknown) => void,
): { stream: Archive; stop: () => void } {
  const archive = archiver('zip', { zlib: { level: 6 } });
  const w: Writing = { archive, stopped: false, source: null, cancel: null };
  const stop = () => {
    if (w.stopped) return;
    w.stopped = true;
    // archiver's abort() neither closes the entry's source nor settles the wait: do both.
    w.source?.destroy();
    w.cancel?.(new Error('package stopped'));
    archive.abort();
  };
  writePackage(w, storage, plan).catch((err: unknown) => {
    if (w.stopped) return;
    onError(err);
    archive.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return { stream: archive, stop };
}
