import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { TFilingCompleteness, TFilingStandard } from '../../../core/contracts/filing.js';
import { FILING_TEMPLATES } from '../../../core/frameworks/filing.js';
import { MemoryStorage } from '../../platform/storage.js';
import { filingPackageStream } from './filing-package.js';
import type { FilingPlan, PlannedFile } from './filing.service.js';

// The package writer alone: a client that goes away stops it (the open file is closed, no other
// file is opened), which archiver's own abort() does not do.

const counts = {
  standards: 1,
  complete: 1,
  missingFiles: 0,
  missingStatement: 0,
  filed: 2,
  outsideWindow: 0,
  unapproved: 0,
  bytes: 0,
};

function plan(): FilingPlan {
  const row: TFilingStandard = {
    key: 'S1',
    code: '1.1.1',
    text: '标准',
    itemKey: 'I1',
    itemCode: 'I1',
    itemText: '项目',
    leadUnits: [],
    state: 'approved',
    folder: '1.1.1 标准',
    filed: 2,
    outsideWindow: 0,
    unapproved: 0,
    hasStatement: true,
    missingFiles: false,
    complete: true,
    bytes: 0,
  };
  const file = (n: number): PlannedFile => ({
    standardKey: 'S1',
    evidenceFileId: n,
    title: `f${n}`,
    docDate: '2026-06-01',
    unitName: null,
    mime: 'video/mp4',
    size: 0,
    durationMs: null,
    storageKey: `k/${n}.mp4`,
    originalName: null,
    name: `1.1.1-${n}.mp4`,
    status: 'filed',
  });
  const completeness = {
    year: 2026,
    edition: '2021',
    window: { testDate: '2026-12-01', from: '2025-11-01', to: '2026-10-31', assumed: true },
    total: counts,
  } as TFilingCompleteness;
  return {
    template: FILING_TEMPLATES['2021']!,
    completeness,
    standards: [
      {
        standard: {} as FilingPlan['standards'][number]['standard'],
        row,
        statement: '说明',
        files: [file(1), file(2)],
      },
    ],
  };
}

describe('filingPackageStream', () => {
  it('stops on request: the file being read is closed and the next is never opened', async () => {
    const opened: string[] = [];
    let source: Readable | null = null;
    const storage = new MemoryStorage();
    storage.stream = (key: string) => {
      opened.push(key);
      // Endless: only stopping ends it.
      source = new Readable({
        read() {
          setTimeout(() => this.push(Buffer.alloc(64 * 1024)), 1);
        },
      });
      return Promise.resolve(source);
    };
    const errors: unknown[] = [];
    const { stream, stop } = filingPackageStream(storage, plan(), (e) => errors.push(e));
    let received = 0;
    stream.on('data', (c: Buffer) => (received += c.length));
    await vi.waitFor(() => expect(received).toBeGreaterThan(256 * 1024), { timeout: 5000 });
    expect(opened).toEqual(['k/1.mp4']);
    expect(received).toBeGreaterThan(64 * 1024);
    stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(source!.destroyed).toBe(true);
    expect(opened).toEqual(['k/1.mp4']);
    expect(errors).toEqual([]);
  });

  it('fails the stream when storage fails, after telling the caller', async () => {
    const storage = new MemoryStorage();
    storage.stream = () => Promise.reject(new Error('storage down'));
    const errors: unknown[] = [];
    const { stream } = filingPackageStream(storage, plan(), (e) => errors.push(e));
    const failed = new Promise<Error>((resolve) => stream.on('error', resolve));
    stream.resume();
    expect((await failed).message).toBe('storage down');
    expect(errors).toHaveLength(1);
  });
});
