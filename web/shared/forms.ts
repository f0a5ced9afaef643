import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form/index.js';
import type { z } from 'zod';
import { ApiError } from './api.js';
import type { Lang } from './i18n.js';

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

/** Puts the server's field errors (`body.name` …) on the matching form fields. */
export function applyFieldErrors(form: FormInstance, err: unknown): boolean {
  if (!(err instanceof ApiError) || err.fields.length === 0) return false;
  form.setFields(
    err.fields.map((f) => ({
      name: f.path.replace(/^body\./, '').split('.')[0]!,
      errors: [f.message],
    })),
  );
  return true;
}
