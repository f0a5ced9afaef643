import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form/index.js';
import type { z } from 'zod';
import { ApiError } from './api.js';
import { currentLang, inLanguage, type Lang } from './i18n.js';

/** An antd form rule that checks a field with the same zod schema the server uses. */
export function zodRule(schema: z.ZodType): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === '' || value === null) return;
      const r = schema.safeParse(value);
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? 'invalid');
    },
  };
}

/** The message of an error in the current language. */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return lang === 'en' ? err.messageEn : err.messageZh;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Puts the server's field errors (`body.name` …) on the matching form fields, in the app's
 * language (the server words them "中文 / English").
 */
export function applyFieldErrors(form: FormInstance, err: unknown, lang = currentLang()): boolean {
  if (!(err instanceof ApiError) || err.fields.length === 0) return false;
  form.setFields(
    err.fields.map((f) => ({
      name: f.path.replace(/^body\./, '').split('.')[0]!,
      errors: [inLanguage(f.message, lang)],
    })),
  );
  return true;
}

/** A form field's value for the API: left empty (`''` or untouched) is null. */
export function blankToNull<T>(v: T | '' | undefined): T | null {
  return v === '' || v === undefined ? null : v;
}

/** The value if it is one of these (a table's sort field, a URL's parameter), or undefined. */
export function oneOf<T extends string>(values: readonly T[], v: unknown): T | undefined {
  return values.find((x) => x === v);
}
