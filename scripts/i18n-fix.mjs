#!/usr/bin/env node
// Rewrites inline { zh, en } labels whose Chinese is a catalog word (web/shared/terms) to the
// catalog key, as scripts/i18n-terms.test.ts demands: `node scripts/i18n-fix.mjs <files…>`.
// A word with two keys is rewritten only when the inline English matches one of them; the rest
// are printed for a person to decide. Adds `L` to the file's i18n import when needed.
import fs from 'node:fs';
import path from 'node:path';

const TERMS = path.resolve(import.meta.dirname, '../web/shared/terms');
const byZh = new Map();
for (const f of fs.readdirSync(TERMS)) {
  if (f === 'index.ts') continue;
  const src = fs.readFileSync(path.join(TERMS, f), 'utf8');
  const domain = /export const (\w+) = \{/.exec(src)?.[1];
  for (const m of src.matchAll(/^\s+(\w+): \{ zh: '([^']+)', en: (['"`])(.*?)\3 \}/gm)) {
    const list = byZh.get(m[2]) ?? [];
    list.push({ key: `L.${domain}.${m[1]}`, en: m[4] });
    byZh.set(m[2], list);
  }
}
const LITERAL = /\{\s*zh:\s*'([^']+)',\s*en:\s*(['"`])((?:\\.|(?!\2).)*)\2,?\s*\}/gs;
for (const file of process.argv.slice(2).filter((f) => fs.existsSync(f))) {
  let src = fs.readFileSync(file, 'utf8');
  let changed = false;
  src = src.replace(LITERAL, (whole, zh, _q, en) => {
    const keys = byZh.get(zh);
    if (!keys) return whole;
    const pick = keys.length === 1 ? keys[0] : keys.find((k) => k.en === en);
    if (!pick) {
      console.log(`${file}: '${zh}' (${en}) — choose one of ${keys.map((k) => k.key).join(', ')}`);
      return whole;
    }
    changed = true;
    return pick.key;
  });
  if (!changed) continue;
  // `L` as a value beside useI18n (a `type L` import becomes a value import).
  src = src.replace(/import type \{ L \} from '([^']*i18n\.js)';/, "import { L } from '$1';");
  src = src.replace(
    /import \{([^}]*)\} from '((?:\.\.\/)+|\.\/)(shared\/)?i18n\.js';/,
    (whole, names, up, shared) => {
      const list = names
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .filter((n) => n !== 'type L' && n !== 'L');
      list.push('L');
      return `import { ${list.join(', ')} } from '${up}${shared ?? ''}i18n.js';`;
    },
  );
  fs.writeFileSync(file, src);
  console.log(`rewrote ${file}`);
}
