import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// An edit schema (…Patch…, …Update…) must not carry a default: zod's `.partial()` keeps a field's
// `.default()`, so an edit that left the field out wrote the default over the stored value — a
// volunteer's skills emptied and status reset by a phone-number change, a working group's units
// and standards emptied by a rename, a 门前三包 holder's duties reset. zPatchOf (core/contracts/
// common.ts) takes the defaults off.

const DIR = path.resolve(import.meta.dirname, '../core/contracts');

/**
 * Whole-record edits: the client sends the record entire (its name and kind are required), so a
 * list left out means "none", as when it was created.
 */
const WHOLE_RECORD = new Set([
  // PATCH /api/parties/:id — the 集体责任方 form sends every field.
  'org.ts:ZPartyUpdateSchema',
  // PUT /api/questionnaires/:id — a draft replaced whole (its rule kept when not given).
  'surveys.ts:ZQuestionnaireUpdateSchema',
]);

/** Whether a field, through optional/nullable wrappers, has a default. */
function defaulted(field: z.ZodType): boolean {
  let s: unknown = field;
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault) return true;
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    else return false;
  }
  return false;
}

async function editSchemas(): Promise<[string, z.ZodObject][]> {
  const found: [string, z.ZodObject][] = [];
  for (const file of fs.readdirSync(DIR)) {
    if (!file.endsWith('.ts') || file.includes('.test.') || file === 'api.gen.ts') continue;
    const mod = (await import(path.join(DIR, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (/(Patch|Update)\w*Schema$/.test(name) && value instanceof z.ZodObject)
        found.push([`${file}:${name}`, value]);
    }
  }
  return found;
}

describe('edit schemas', () => {
  it('have no defaults (a field left out of an edit stays as stored)', async () => {
    const schemas = await editSchemas();
    expect(schemas.length).toBeGreaterThan(10);
    const offenders = schemas
      .filter(([name]) => !WHOLE_RECORD.has(name))
      .flatMap(([name, schema]) =>
        Object.entries(schema.shape)
          .filter(([, field]) => defaulted(field as z.ZodType))
          .map(([key]) => `${name}.${key}`),
      );
    expect(offenders).toEqual([]);
  });

  it('an edit naming only its version parses to only its version', async () => {
    for (const [name, schema] of await editSchemas()) {
      const r = schema.safeParse({ version: 1 });
      if (r.success) expect(Object.keys(r.data as object), name).toEqual(['version']);
    }
  });
});
