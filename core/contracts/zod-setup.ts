import { z } from 'zod';

// Validation messages are shown to people in both languages, as "中文 / English". A message
// given on a schema (e.g. a regex's) wins over this; these cover zod's built-in checks.
const zh = z.locales.zhCN().localeError;
const en = z.locales.en().localeError;

type Issue = Parameters<typeof zh>[0];
const text = (r: ReturnType<typeof zh>): string =>
  typeof r === 'string' ? r : typeof r === 'object' && r ? r.message : '';

z.config({
  customError: (issue: Issue) => {
    const a = text(zh(issue));
    const b = text(en(issue));
    return a && b && a !== b ? `${a} / ${b}` : a || b || undefined;
  },
});

export { z };
