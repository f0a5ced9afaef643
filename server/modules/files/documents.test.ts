import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { minimalPdf } from '../../test/pdf.js';
import { isWellFormedPdf, looksLikeMarkup, sniffDocument } from './documents.js';

// The document checks on their own (the upload route's cases are in evidence.int.test.ts).

describe('PDF structure', () => {
  it('takes a classic xref table, an incremental update and a cross-reference stream', () => {
    const pdf = minimalPdf();
    expect(isWellFormedPdf(pdf)).toBe(true);
    // an incremental update appends objects, a new xref section and a new startxref
    const base = pdf.toString('latin1');
    const at = base.length + '5 0 obj\n<< >>\nendobj\n'.length;
    const updated = `${base}5 0 obj\n<< >>\nendobj\nxref\n5 1\n${String(base.length).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${at}\n%%EOF\n`;
    expect(isWellFormedPdf(Buffer.from(updated, 'latin1'))).toBe(true);
    // PDF 1.5: startxref points at an XRef stream object
    const head = '%PDF-1.5\n1 0 obj\n<< /Type /Catalog >>\nendobj\n';
    const stream = `${head}2 0 obj\n<< /Type /XRef /Size 3 /W [1 2 1] /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n${head.length}\n%%EOF`;
    expect(isWellFormedPdf(Buffer.from(stream, 'latin1'))).toBe(true);
  });

  it('refuses a header with no structure behind it', () => {
    const pdf = minimalPdf();
    expect(isWellFormedPdf(Buffer.from('%PDF-1.7\n<html></html>\n%%EOF'))).toBe(false);
    expect(isWellFormedPdf(pdf.subarray(0, pdf.length - 7))).toBe(false);
    const off = pdf.toString('latin1').replace(/startxref\n\d+/, `startxref\n${pdf.length + 10}`);
    expect(isWellFormedPdf(Buffer.from(off, 'latin1'))).toBe(false);
    // %%EOF far from the end (a PDF with a megabyte of something appended)
    expect(isWellFormedPdf(Buffer.concat([pdf, Buffer.alloc(4096, 0x20)]))).toBe(false);
  });
});

describe('markup', () => {
  it('finds a web page or script in the first KiB, in any case', () => {
    for (const s of ['<HTML>', '<!DocType html>', '<sCrIpT src=x>', '<svg/onload=x>', '<iframe']) {
      expect(looksLikeMarkup(Buffer.from(`%PDF-1.4\n${s}`)), s).toBe(true);
    }
    expect(looksLikeMarkup(minimalPdf('季度报告'))).toBe(false);
    expect(looksLikeMarkup(Buffer.concat([Buffer.alloc(1024, 0x20), Buffer.from('<html>')]))).toBe(
      false,
    );
  });
});

describe('Office packages', () => {
  it('recognises a real workbook by its declared main part', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRow(['日期', '内容']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(sniffDocument(xlsx, '台账.xlsx')?.ext).toEqual(['xlsx']);
    // cut short: the central directory is gone
    expect(() => sniffDocument(xlsx.subarray(0, xlsx.length - 30), '台账.xlsx')).toThrow(
      expect.objectContaining({ code: 'invalid_office_file', status: 415 }),
    );
  });
});
