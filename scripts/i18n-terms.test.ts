import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as catalogs from '../web/shared/terms/index.js';

// The UI's shared vocabulary (web/shared/terms/): every word in both languages, one English per Chinese
// word, no inline copy of a catalog word left at a call site, and glossary words under the
// glossary's code names (../shared/domain/GLOSSARY.md).

const repo = path.resolve(import.meta.dirname, '..');
const webDir = path.join(repo, 'web');
const termsDir = path.join(webDir, 'shared/terms');
const glossaryFile = path.resolve(repo, '../shared/domain/GLOSSARY.md');

type Entry = { key: string; zh: string; en: string };
const entries: Entry[] = Object.entries(catalogs).flatMap(([domain, catalog]) =>
  Object.entries(catalog as Record<string, { zh: string; en: string }>).map(([key, l]) => ({
    key: `${domain}.${key}`,
    zh: l.zh,
    en: l.en,
  })),
);

/**
 * Chinese words with two keys, because the English must differ (an action and a state, say).
 * Anything else with one Chinese word has one key and one English.
 */
const SAME_ZH: Record<string, { keys: string[]; why: string }> = {
  操作: { keys: ['common.actions', 'common.operation'], why: "a row's buttons / an audit entry" },
  停用: { keys: ['common.inactive', 'common.deactivate'], why: 'the state / the action' },
  小时: { keys: ['common.hours', 'common.hoursUnit'], why: 'a heading / the unit after a number' },
  开始: { keys: ['common.start', 'common.started'], why: 'the action / when it started' },
  更正: { keys: ['common.correct', 'common.correction'], why: 'the action / the record' },
  来源: {
    keys: ['common.source', 'problems.channel'],
    why: "a score's or point's source / a problem's channel (inspection, patrol, citizen…)",
  },
  我的任务: {
    keys: ['common.myTasks', 'org.myAssignments'],
    why: "the phone app's home (all work waiting) / a unit's rows of the task breakdown",
  },
  交办下级: { keys: ['problems.handDown', 'problems.handedDown'], why: 'the action / the event' },
  确定区域: { keys: ['problems.place', 'problems.placed'], why: 'the action / the event' },
  提交审核: {
    keys: ['framework.submitForReview', 'framework.submitted'],
    why: 'the action / the event',
  },
};

/**
 * Glossary words kept under another key than their row's code name, and why. Every other
 * glossary word in a catalog is keyed by its code name.
 */
const GLOSSARY_OTHER_KEYS: Record<string, string> = {
  'points.random': "随机抽取 is the draw row's synonym; here it is pointType's sampling `random`",
  'framework.archive':
    '档案资料 and 佐证材料 are both `evidence`; 档案资料 names the evidence pages',
  'problems.returned': '退回 is a step sent back (the state label); 返工 is `rework` itself',
  'common.source':
    "来源 is `channel` for a problem only; a score's or a point's 来源 is its source",
};

const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;

describe('the catalogs', () => {
  it('hold a few hundred words', () => {
    expect(entries.length).toBeGreaterThan(200);
    expect(Object.keys(catalogs).sort()).toEqual([
      'carriers',
      'cells',
      'common',
      'framework',
      'grids',
      'org',
      'points',
      'problems',
      'results',
      'surveys',
      'volunteers',
    ]);
  });

  it('give every word in Chinese and in English', () => {
    const bad = entries.filter(
      (e) =>
        !e.zh.trim() || !e.en.trim() || !CJK.test(e.zh) || CJK.test(e.en) || e.en !== e.en.trim(),
    );
    expect(bad).toEqual([]);
  });

  it('give one Chinese word one key and one English, but for the listed pairs', () => {
    const byZh = new Map<string, Entry[]>();
    for (const e of entries) byZh.set(e.zh, [...(byZh.get(e.zh) ?? []), e]);
    const shared = [...byZh].filter(([, es]) => es.length > 1);
    const unlisted = shared
      .filter(([zh, es]) => {
        const listed = SAME_ZH[zh];
        return !listed || listed.keys.join() !== es.map((e) => e.key).join();
      })
      .map(([zh, es]) => `${zh}: ${es.map((e) => `${e.key} '${e.en}'`).join(', ')}`);
    expect(unlisted).toEqual([]);
    // A listed pair exists and its English does differ (else it should be one key).
    for (const [zh, { keys }] of Object.entries(SAME_ZH)) {
      const es = byZh.get(zh) ?? [];
      expect(
        es.map((e) => e.key),
        zh,
      ).toEqual(keys);
      expect(new Set(es.map((e) => e.en)).size, zh).toBe(keys.length);
    }
  });
});

// ---- inline copies of catalog words ----------------------------------------------------------

/** `{ zh: '…', en: …` with a plain string for zh, over one or several lines. */
const LITERAL = /\{\s*zh:\s*(['"])((?:(?!\1)[^\\\n]|\\.)*)\1\s*,\s*en:/g;

/** The inline labels of a source text whose Chinese is a catalog word, with their lines. */
function inlineTerms(source: string, terms: ReadonlySet<string>): { line: number; zh: string }[] {
  const found: { line: number; zh: string }[] = [];
  for (const m of source.matchAll(LITERAL)) {
    const zh = m[2]!;
    if (!terms.has(zh)) continue;
    const at = m.index + m[0].indexOf('zh:');
    found.push({ line: source.slice(0, at).split('\n').length, zh });
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || full === path.join(webDir, 'test')) return [];
      if (full === termsDir) return [];
      return sourceFiles(full);
    }
    if (!/\.tsx?$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
    return [full];
  });
}

describe('call sites', () => {
  const keysOf = new Map<string, string[]>();
  for (const e of entries) keysOf.set(e.zh, [...(keysOf.get(e.zh) ?? []), `L.${e.key}`]);
  const terms = new Set(keysOf.keys());

  it('the scan finds a catalog word inline, on one line or several, and nothing else', () => {
    const source = [
      "const a = t({ zh: '状态', en: 'State' });",
      'const b = t({',
      "  zh: '责任单位',",
      "  en: 'Unit',",
      '});',
      "const c = t({ zh: '状态栏', en: 'Status bar' });",
      'const d = t({ zh: `状态 ${n}`, en: `Status ${n}` });',
      'const e = t(L.common.status);',
    ].join('\n');
    expect(inlineTerms(source, terms)).toEqual([
      { line: 1, zh: '状态' },
      { line: 3, zh: '责任单位' },
    ]);
  });

  it('use the catalog for every catalog word (no inline copy to drift)', () => {
    const files = sourceFiles(webDir);
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      inlineTerms(fs.readFileSync(file, 'utf8'), terms).map(
        ({ line, zh }) =>
          `${path.relative(repo, file)}:${line}: '${zh}' is in the catalogs: use ${keysOf.get(zh)!.join(' or ')}`,
      ),
    );
    expect(found, found.join('\n')).toEqual([]);
  });

  it('use every catalog key somewhere (no dead words)', () => {
    const sources = sourceFiles(webDir)
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('\n');
    const unused = entries.filter(
      (e) => !new RegExp(`\\bL\\.${e.key.replace('.', '\\.')}\\b`).test(sources),
    );
    expect(unused.map((e) => e.key)).toEqual([]);
  });
});

// ---- the glossary ------------------------------------------------------------------------------

type Row = { zh: string[]; codes: string[] };

/**
 * The glossary's table rows: the Chinese words of the first column (without what stands in
 * brackets, e.g. 行政区划 (市/区县/…)) and every `code name` of the second.
 */
function glossaryRows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.startsWith('|---') && !l.includes('| code name |'))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map(([, zh = '', code = '']) => ({
      zh: zh
        .replace(/[（(][^)）]*[)）]/g, '')
        .split('/')
        .map((z) => z.trim())
        .filter(Boolean),
      codes: [...code.matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
    }));
}

describe('glossary words', () => {
  const rows = glossaryRows(fs.readFileSync(glossaryFile, 'utf8'));

  it('are read from GLOSSARY.md', () => {
    expect(rows.length).toBeGreaterThan(30);
    const codes = rows.flatMap((r) => r.codes);
    expect(codes).toEqual(expect.arrayContaining(['region', 'unit', 'responsibleUnit', 'point']));
    expect(rows.find((r) => r.codes[0] === 'region')?.zh).toEqual(['行政区划']);
  });

  it("are keyed by their row's code name, a name GLOSSARY.md has", () => {
    const wrong = entries.flatMap((e) => {
      const row = rows.find((r) => r.zh.includes(e.zh) && r.codes.length > 0);
      if (!row || e.key in GLOSSARY_OTHER_KEYS) return [];
      const name = e.key.split('.')[1]!;
      // `point.responsibleUnit` is points.responsibleUnit.
      const ok = row.codes.some((c) => c === name || c.split('.').at(-1) === name);
      return ok ? [] : [`${e.key} (${e.zh}): the glossary calls it ${row.codes.join(' / ')}`];
    });
    expect(wrong).toEqual([]);
  });

  it('kept under another key are glossary words in the catalogs', () => {
    const glossaryZh = new Set(rows.flatMap((r) => r.zh));
    for (const key of Object.keys(GLOSSARY_OTHER_KEYS)) {
      const e = entries.find((x) => x.key === key);
      expect(e, key).toBeDefined();
      expect(glossaryZh.has(e!.zh), key).toBe(true);
    }
  });
});
