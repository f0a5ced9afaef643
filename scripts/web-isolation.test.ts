import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The web files of a worker share one module graph (vitest.config.ts). A file that replaces one of
// our own modules with vi.mock must run isolated, or the stand-in and the real module trade places
// with the files around it (a failure that depends on the order: CI, 2026-12-07). Such files are
// named *.isolated.test.tsx; this test finds any that is not.

const webDir = path.resolve(import.meta.dirname, '../web');

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(full);
    return entry.name.endsWith('.test.tsx') ? [full] : [];
  });
}

/** vi.mock / vi.doMock of a relative path: one of our own modules. */
const mocksOwnModule = (source: string): boolean =>
  /\bvi\.(?:do)?[mM]ock\(\s*['"`]\.{1,2}\//.test(source);

describe('web component tests that mock our own modules', () => {
  it('recognises a relative vi.mock and ignores a package one', () => {
    expect(mocksOwnModule("vi.mock('./pages/X.js', () => ({}))")).toBe(true);
    expect(mocksOwnModule('vi.doMock("../../shared/grid-map.js")')).toBe(true);
    expect(mocksOwnModule("vi.mock('echarts/core')")).toBe(false);
  });

  it('are all named *.isolated.test.tsx, so they run in the isolated project', () => {
    const files = testFiles(webDir);
    expect(files.length).toBeGreaterThan(30);
    const shared = files
      .filter((f) => !f.endsWith('.isolated.test.tsx'))
      .filter((f) => mocksOwnModule(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(webDir, f));
    expect(shared).toEqual([]);
    const isolated = files.filter((f) => f.endsWith('.isolated.test.tsx'));
    expect(isolated.length).toBeGreaterThanOrEqual(3);
  });
});
