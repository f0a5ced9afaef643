import { describe, expect, it } from 'vitest';
import {
  FILING_TEMPLATES,
  fileName,
  filingKind,
  folderName,
  formatDuration,
  safeName,
  standardCompleteness,
  storedAsIs,
  type TFilingTemplate,
} from './filing.js';

const T = FILING_TEMPLATES['2021']!;
const W = { from: '2025-12-01', to: '2026-11-30' };

describe('filing names', () => {
  it('names folders by number and wording, files by number and sequence', () => {
    expect(folderName(T, '1.2.3', '公共场所无吸烟')).toBe('1.2.3 公共场所无吸烟');
    expect(fileName(T, '1.2.3', 2, 'JPG')).toBe('1.2.3-2.jpg');
  });

  it('keeps names safe on every file system and short', () => {
    expect(safeName('a/b\\c:d*e?"f<g>h|i\u0001. ')).toBe('a_b_c_d_e__f_g_h_i_');
    const long = '很'.repeat(100);
    expect([...folderName(T, 'I1.1', long)].length).toBe('I1.1 '.length + T.folderTextMax);
    expect(folderName(T, '1/2', '标准')).toBe('1_2 标准');
  });

  it('follows another edition’s patterns without code changes', () => {
    const next: TFilingTemplate = { ...T, filePattern: '{code}_{seq}.{ext}', seqDigits: 3 };
    expect(fileName(next, 'Ⅱ-3', 7, 'pdf')).toBe('Ⅱ-3_007.pdf');
  });

  it('stores compressed formats as they are and deflates the rest', () => {
    expect(storedAsIs(T, 'x.MP4')).toBe(true);
    expect(storedAsIs(T, 'x.jpg')).toBe(true);
    expect(storedAsIs(T, 'x.txt')).toBe(false);
    expect(storedAsIs(T, 'x.doc')).toBe(false);
  });

  it('tells the material type from the MIME type', () => {
    expect(filingKind('image/jpeg')).toBe('image');
    expect(filingKind('video/mp4')).toBe('media');
    expect(filingKind('audio/mpeg')).toBe('media');
    expect(filingKind('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe(
      'sheet',
    );
    expect(filingKind('application/pdf')).toBe('document');
    expect(filingKind('application/octet-stream')).toBe('other');
  });

  it('writes a recording’s length as m:ss, and h:mm:ss from an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(1000)).toBe('0:01');
    expect(formatDuration(61_499)).toBe('1:01');
    expect(formatDuration(61_500)).toBe('1:02');
    expect(formatDuration(3_600_000)).toBe('1:00:00');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});

describe('standardCompleteness', () => {
  const f = (docDate: string) => ({ docDate });
  it('files only approved files in the window; the window edges count', () => {
    const c = standardCompleteness(W, {
      state: 'approved',
      statement: '说明',
      files: [f('2025-12-01'), f('2026-11-30'), f('2025-11-30'), f('2026-12-01')],
    });
    expect(c).toEqual({
      filed: 2,
      outsideWindow: 2,
      unapproved: 0,
      hasStatement: true,
      missingFiles: false,
      complete: true,
    });
  });

  it('counts files of a dossier not approved, and a blank statement as missing', () => {
    const c = standardCompleteness(W, {
      state: 'submitted',
      statement: '  ',
      files: [f('2026-01-01')],
    });
    expect(c).toMatchObject({ filed: 0, unapproved: 1, hasStatement: false, missingFiles: true });
    expect(c.complete).toBe(false);
  });
});
