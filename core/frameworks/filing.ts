/**
 * 网上申报 (the online filing of archive materials): how a filing package is laid out — folder and
 * file naming, the columns of the 测评材料提交表 and of the index — as configuration per edition of
 * the national test, and the completeness of a standard's materials. Pure.
 */

/** What a filed file is, by its content type (the filing system's 材料类型). */
export const FILING_KINDS = ['document', 'image', 'sheet', 'media', 'other'] as const;
export type TFilingKind = (typeof FILING_KINDS)[number];

export const FILING_KIND_LABELS: Record<TFilingKind, { zh: string; en: string }> = {
  document: { zh: '文件资料', en: 'Document' },
  image: { zh: '实景图片', en: 'Photo' },
  sheet: { zh: '统计表格', en: 'Table' },
  media: { zh: '音视频', en: 'Audio/video' },
  other: { zh: '其他', en: 'Other' },
};

/** The kind of a file from its MIME type. */
export function filingKind(mime: string): TFilingKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/') || mime.startsWith('audio/')) return 'media';
  if (mime.includes('spreadsheet') || mime === 'application/vnd.ms-excel') return 'sheet';
  if (
    mime === 'application/pdf' ||
    mime.includes('wordprocessing') ||
    mime.includes('presentation') ||
    mime === 'application/msword' ||
    mime === 'application/vnd.ms-powerpoint'
  ) {
    return 'document';
  }
  return 'other';
}

/** A recording's length as the index and the pages show it: `m:ss`, or `h:mm:ss` from an hour. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A column of a generated sheet: the field it shows and its header as the template words it. */
export interface TFilingColumn<K extends string> {
  key: K;
  header: string;
  width?: number;
}

export type TFormField =
  | 'seq'
  | 'fileName'
  | 'title'
  | 'kind'
  | 'docDate'
  | 'size'
  | 'unit'
  | 'originalName';

export type TIndexField =
  | 'standardCode'
  | 'standardText'
  | 'fileName'
  | 'title'
  | 'kind'
  | 'docDate'
  | 'size'
  | 'duration'
  | 'unit'
  | 'path';

/**
 * One edition's template. Patterns take `{code}` (the standard's number), `{text}` (its wording,
 * shortened to `folderTextMax` characters), `{seq}` (1-based, padded to `seqDigits`) and `{ext}`.
 */
export interface TFilingTemplate {
  edition: string;
  label: { zh: string; en: string };
  folderPattern: string;
  filePattern: string;
  seqDigits: number;
  folderTextMax: number;
  formFileName: string;
  statementFileName: string;
  indexFileName: string;
  reportFileName: string;
  /** The 测评材料提交表: the title and the heading rows above the file list. */
  formTitle: string;
  formHeadings: {
    standard: string;
    text: string;
    item: string;
    leadUnit: string;
    statement: string;
  };
  formColumns: TFilingColumn<TFormField>[];
  indexColumns: TFilingColumn<TIndexField>[];
  /** Extensions already compressed: stored as they are; anything else is deflated. */
  storedExtensions: string[];
}

const BASE: TFilingTemplate = {
  edition: '2021',
  label: { zh: '全国文明城市测评体系（2021 年版）', en: 'National test, 2021 edition' },
  folderPattern: '{code} {text}',
  filePattern: '{code}-{seq}.{ext}',
  seqDigits: 0,
  folderTextMax: 40,
  formFileName: '{code}-测评材料提交表.xlsx',
  statementFileName: '{code}-情况说明.txt',
  indexFileName: '材料索引.xlsx',
  reportFileName: '完整性报告.txt',
  formTitle: '测评材料提交表',
  formHeadings: {
    standard: '测评标准编号',
    text: '测评标准',
    item: '测评项目',
    leadUnit: '牵头单位',
    statement: '情况说明',
  },
  formColumns: [
    { key: 'seq', header: '序号', width: 6 },
    { key: 'fileName', header: '文件名', width: 18 },
    { key: 'title', header: '材料名称', width: 40 },
    { key: 'kind', header: '材料类型', width: 12 },
    { key: 'docDate', header: '形成日期', width: 12 },
    { key: 'size', header: '大小（字节）', width: 14 },
    { key: 'unit', header: '提供单位', width: 24 },
  ],
  indexColumns: [
    { key: 'standardCode', header: '测评标准编号', width: 14 },
    { key: 'standardText', header: '测评标准', width: 40 },
    { key: 'fileName', header: '文件名', width: 18 },
    { key: 'title', header: '材料名称', width: 36 },
    { key: 'kind', header: '材料类型', width: 12 },
    { key: 'docDate', header: '形成日期', width: 12 },
    { key: 'size', header: '大小（字节）', width: 14 },
    { key: 'duration', header: '时长', width: 10 },
    { key: 'unit', header: '提供单位', width: 24 },
    { key: 'path', header: '包内路径', width: 50 },
  ],
  storedExtensions: [
    'jpg',
    'jpeg',
    'png',
    'webp',
    'gif',
    'mp4',
    'm4a',
    'mp3',
    'mov',
    'zip',
    'xlsx',
    'docx',
    'pptx',
    'pdf',
  ],
};

/** The templates by edition; a later edition is a new entry here, not new code. */
export const FILING_TEMPLATES: Readonly<Record<string, TFilingTemplate>> = { '2021': BASE };
export const DEFAULT_FILING_EDITION = '2021';

/** Characters file systems (Windows above all) refuse in a name, and control characters. */
// oxlint-disable-next-line no-control-regex -- control characters are what it removes
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/** A name part safe on every file system: unsafe characters become `_`, no trailing dots/spaces. */
export function safeName(s: string): string {
  return s
    .replace(UNSAFE, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[. ]+$/, '');
}

function fill(pattern: string, v: Record<string, string>): string {
  return pattern.replace(/\{(\w+)\}/g, (m, k: string) => v[k] ?? m);
}

/** The folder of a standard, e.g. `1.2.3 公共场所无吸烟`. */
export function folderName(t: TFilingTemplate, code: string, text: string): string {
  const short = [...safeName(text)].slice(0, t.folderTextMax).join('');
  return safeName(fill(t.folderPattern, { code: safeName(code), text: short }));
}

/** A filed file's name, e.g. `1.2.3-2.jpg` (`seq` 1-based). */
export function fileName(t: TFilingTemplate, code: string, seq: number, ext: string): string {
  return safeName(
    fill(t.filePattern, {
      code: safeName(code),
      seq: String(seq).padStart(t.seqDigits, '0'),
      ext: ext.toLowerCase(),
    }),
  );
}

/** A per-standard generated file's name (form, statement) from its pattern. */
export function standardFileName(pattern: string, code: string): string {
  return safeName(fill(pattern, { code: safeName(code) }));
}

/** Whether an entry with this extension is stored as it is (already compressed). */
export function storedAsIs(t: TFilingTemplate, name: string): boolean {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return t.storedExtensions.includes(ext);
}

/** A standard's materials as the completeness check sees them. */
export interface TFilingFileFacts {
  docDate: string;
}

export interface TStandardFilingFacts {
  state: 'none' | 'draft' | 'submitted' | 'returned' | 'approved';
  statement: string;
  files: readonly TFilingFileFacts[];
}

export interface TStandardCompleteness {
  /** Files that go into the package: the dossier is approved and the file dated in the window. */
  filed: number;
  /** Files dated outside the window (whatever the dossier's state): left out. */
  outsideWindow: number;
  /** Files in the window of a dossier not approved (yet): left out. */
  unapproved: number;
  hasStatement: boolean;
  /** Nothing to file for the standard. */
  missingFiles: boolean;
  /** Ready: files to file and a statement. */
  complete: boolean;
}

/** What a standard contributes to the package and what stops it being complete. */
export function standardCompleteness(
  w: { from: string; to: string },
  s: TStandardFilingFacts,
): TStandardCompleteness {
  let filed = 0;
  let outsideWindow = 0;
  let unapproved = 0;
  for (const f of s.files) {
    if (f.docDate < w.from || f.docDate > w.to) outsideWindow++;
    else if (s.state === 'approved') filed++;
    else unapproved++;
  }
  const hasStatement = s.statement.trim().length > 0;
  return {
    filed,
    outsideWindow,
    unapproved,
    hasStatement,
    missingFiles: filed === 0,
    complete: filed > 0 && hasStatement,
  };
}
