import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The admin draws every chart through one component, <Chart> (web/admin/chart.tsx, issue #21).
// ECharts is imported at run time by web/admin/chart-engine.ts alone, which <Chart> loads with
// import() so that ECharts stays out of the admin's first load and of every page's static imports
// (scripts/bundle-budget.mjs checks the first load). This test fails when another file imports
// ECharts, or a page takes the engine directly instead of drawing with <Chart>.

const root = path.resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['web', 'server', 'core', 'scripts', 'e2e', 'bench'];

/** Files that may import ECharts, and how. */
const ECHARTS_RUNTIME = new Set(['web/admin/chart-engine.ts']);
const ECHARTS_TYPES = new Set([
  'web/admin/chart.tsx',
  // The component tests' stand-in for echarts/core's init (no canvas in happy-dom).
  'web/test/setup.ts',
]);
/** Files that may import the engine statically: the printed 通报 renders its charts to SVG. */
const ENGINE_STATIC = new Set(['web/admin/rankings/BulletinPrintPage.tsx']);

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ['node_modules', 'dist', 'artifacts'].includes(entry.name) ? [] : sourceFiles(full);
    return /\.(?:[cm]?[jt]sx?)$/.test(entry.name) ? [full] : [];
  });
}

interface Imports {
  /** Modules imported for their values: import … from, export … from, import(), require(). */
  runtime: string[];
  /** Modules imported for types only: import type …, typeof import('…'). */
  types: string[];
}

/** What a file imports, by module specifier. */
export function importsOf(source: string): Imports {
  const runtime: string[] = [];
  const types: string[] = [];
  const fromClause = /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(fromClause)) (m[2] ? types : runtime).push(m[3]!);
  for (const m of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) runtime.push(m[1]!);
  for (const m of source.matchAll(/(typeof\s+)?\bimport\(\s*['"`]([^'"`]+)['"`]\s*\)/g))
    (m[1] ? types : runtime).push(m[2]!);
  for (const m of source.matchAll(/\brequire\(\s*['"`]([^'"`]+)['"`]\s*\)/g)) runtime.push(m[1]!);
  for (const m of source.matchAll(/^\s*vi\.(?:do)?[mM]ock\(\s*['"`]([^'"`]+)['"`]/gm))
    types.push(m[1]!);
  return { runtime, types };
}

const isEcharts = (spec: string) => /^(?:echarts|zrender)(?:\/|$)/.test(spec);
const isEngine = (spec: string) => /(?:^|\/)chart-engine(?:\.js)?$/.test(spec);

describe('ECharts is imported by the chart component alone', () => {
  it('reads imports of every kind', () => {
    const src = [
      "import * as echarts from 'echarts/core';",
      "import { BarChart } from 'echarts/charts';",
      "import type { ComposeOption } from 'echarts/core';",
      "export { init } from 'echarts';",
      "import 'zrender/lib/svg/svg';",
      "const e = await import('echarts/core');",
      "type E = typeof import('./chart-engine.js');",
      "vi.mock('echarts/core', async () => ({}));",
    ].join('\n');
    expect(importsOf(src)).toEqual({
      runtime: ['echarts/core', 'echarts/charts', 'echarts', 'zrender/lib/svg/svg', 'echarts/core'],
      types: ['echarts/core', './chart-engine.js', 'echarts/core'],
    });
  });

  it('no file but chart-engine.ts imports ECharts, and only chart.tsx its types', () => {
    // This file names ECharts' modules in its examples.
    const files = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(root, d))).filter(
      (f) => f !== import.meta.filename,
    );
    expect(files.length).toBeGreaterThan(200);
    const offenders: string[] = [];
    for (const file of files) {
      const rel = path.relative(root, file).split(path.sep).join('/');
      const { runtime, types } = importsOf(fs.readFileSync(file, 'utf8'));
      if (runtime.some(isEcharts) && !ECHARTS_RUNTIME.has(rel))
        offenders.push(`${rel} imports ECharts: draw with <Chart> (web/admin/chart.tsx)`);
      if (types.some(isEcharts) && !ECHARTS_TYPES.has(rel) && !ECHARTS_RUNTIME.has(rel))
        offenders.push(`${rel} imports ECharts' types: use ChartOption from web/admin/chart.tsx`);
      if (runtime.some(isEngine) && !ENGINE_STATIC.has(rel) && rel !== 'web/admin/chart.tsx')
        offenders.push(`${rel} imports chart-engine: draw with <Chart>, which loads it lazily`);
    }
    expect(offenders).toEqual([]);
  });

  it('<Chart> loads the engine with import(), never statically', () => {
    const chart = importsOf(fs.readFileSync(path.join(root, 'web/admin/chart.tsx'), 'utf8'));
    expect(chart.runtime.filter(isEcharts)).toEqual([]);
    const source = fs.readFileSync(path.join(root, 'web/admin/chart.tsx'), 'utf8');
    expect(source).toMatch(/\bimport\(\s*'\.\/chart-engine\.js'\s*\)/);
    expect(source).not.toMatch(/^\s*import\s[^;]*from\s*'\.\/chart-engine\.js'/m);
  });
});
