#!/usr/bin/env node
// The first-load budget of each web app (issue #21): the gzipped size of what an entry's page
// loads before anything is opened — its entry chunk, every chunk it imports statically (not the
// lazy pages and flows), and their CSS — read from Vite's build manifest
// (dist/web/.vite/manifest.json, `build.manifest` in vite.config.ts). Run after `npm run build`:
//   npm run budget            prints the table; exits 1 when an enforced budget is exceeded
//   npm run budget -- --json  the same as JSON
// Every budget is enforced. An entry may also name chunks its first load must not contain: the
// admin's sign-in and frame load neither the charts nor the maps (only the pages that draw them).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'dist', 'web');
const MANIFEST = path.join(WEB, '.vite', 'manifest.json');

/** Budgets in KB (1,000 bytes) of gzip. */
const ENTRIES = [
  { name: 'phone app (/m/)', key: 'mobile.html', budgetKb: 200, enforced: true },
  { name: 'citizen pages (/report …)', key: 'citizen.html', budgetKb: 150, enforced: true },
  {
    name: 'admin (/)',
    key: 'index.html',
    budgetKb: 350,
    enforced: true,
    // vite.config.ts's advancedChunks groups: echarts and leaflet come with the pages using them.
    mustNotLoad: [/(^|\/)echarts-[^/]*$/, /(^|\/)leaflet-[^/]*$/],
  },
];

/** The files an entry loads at once: its chunk, static imports (transitively) and their CSS. */
export function firstLoadFiles(manifest, key) {
  const files = new Set();
  const seen = new Set();
  const visit = (k) => {
    if (seen.has(k)) return;
    seen.add(k);
    const e = manifest[k];
    if (!e) throw new Error(`${k} is not in the build manifest`);
    files.add(e.file);
    for (const c of e.css ?? []) files.add(c);
    for (const i of e.imports ?? []) visit(i);
  };
  visit(key);
  return [...files];
}

const gzipSize = (file) => gzipSync(fs.readFileSync(path.join(WEB, file)), { level: 9 }).length;

function main() {
  if (!fs.existsSync(MANIFEST)) {
    console.error(`${path.relative(ROOT, MANIFEST)} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  const rows = ENTRIES.map((entry) => {
    const files = firstLoadFiles(manifest, entry.key).map((f) => ({ file: f, gzip: gzipSize(f) }));
    const js = files.filter((f) => f.file.endsWith('.js')).reduce((s, f) => s + f.gzip, 0);
    const css = files.filter((f) => f.file.endsWith('.css')).reduce((s, f) => s + f.gzip, 0);
    const kb = (js + css) / 1000;
    const forbidden = files
      .map((f) => f.file)
      .filter((f) => (entry.mustNotLoad ?? []).some((re) => re.test(f)));
    return {
      ...entry,
      mustNotLoad: undefined,
      jsKb: js / 1000,
      cssKb: css / 1000,
      kb,
      over: kb > entry.budgetKb,
      forbidden,
      files,
    };
  });
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log('First load, gzip (JS + CSS of the entry and its static imports):');
    for (const r of rows) {
      const verdict = r.over ? (r.enforced ? 'OVER BUDGET' : 'over (not enforced yet)') : 'ok';
      console.log(
        `  ${r.name.padEnd(28)} ${r.kb.toFixed(1).padStart(6)} KB` +
          `  (JS ${r.jsKb.toFixed(1)}, CSS ${r.cssKb.toFixed(1)}; ${r.files.length} files)` +
          `  budget ${r.budgetKb} KB${r.enforced ? '' : ', printed only'}: ${verdict}`,
      );
      if (r.forbidden.length) console.log(`      must not load: ${r.forbidden.join(', ')}`);
      if (process.argv.includes('--files')) {
        for (const f of r.files.sort((a, b) => b.gzip - a.gzip))
          console.log(`      ${(f.gzip / 1000).toFixed(1).padStart(6)} KB  ${f.file}`);
      }
    }
  }
  const failed = rows.filter((r) => r.over && r.enforced);
  if (failed.length) console.error(`\nOver budget: ${failed.map((r) => r.name).join(', ')}`);
  const leaked = rows.filter((r) => r.forbidden.length);
  for (const r of leaked) {
    console.error(
      `\n${r.name} loads at first what only its lazy pages should: ${r.forbidden.join(', ')}`,
    );
  }
  if (failed.length || leaked.length) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
