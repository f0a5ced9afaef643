import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_FRAMEWORK_FILE } from './demo-framework.js';
import {
  DEMO_COUNT_RULES,
  DEMO_ITEM_STANDARDS,
  DEMO_UNLINKED_FIELD_STANDARDS,
} from './demo-point-standards.data.js';

// The hand-made item → standard table against the demo framework file (reads the file, so it is
// a server-side unit test).
interface FileStandard {
  code: string;
  method: string;
}
const file = JSON.parse(fs.readFileSync(DEMO_FRAMEWORK_FILE, 'utf8')) as {
  items: { contents: { standards: FileStandard[] }[] }[];
  pointTypes: { code: string; checklist: string[] }[];
};
const standards = file.items.flatMap((i) => i.contents.flatMap((c) => c.standards));
const fieldCodes = standards.filter((s) => s.method === 'field').map((s) => s.code);

describe('demo checklist → standard links', () => {
  it('names only real checklist items of the 12 types', () => {
    expect(Object.keys(DEMO_ITEM_STANDARDS).sort()).toEqual(
      file.pointTypes.map((t) => t.code).sort(),
    );
    for (const [type, items] of [
      ...Object.entries(DEMO_ITEM_STANDARDS),
      ...Object.entries(DEMO_COUNT_RULES),
    ]) {
      const checklist = file.pointTypes.find((t) => t.code === type)!.checklist;
      for (const text of Object.keys(items)) expect(checklist, `${type} ${text}`).toContain(text);
    }
  });

  it('links only field standards that exist in the demo framework', () => {
    for (const codes of Object.values(DEMO_ITEM_STANDARDS).flatMap((t) => Object.values(t))) {
      for (const c of codes) expect(fieldCodes).toContain(c);
    }
  });

  it('covers every field standard except the two no demo checklist can see', () => {
    const linked = new Set(
      Object.values(DEMO_ITEM_STANDARDS).flatMap((t) => Object.values(t).flat()),
    );
    expect(fieldCodes.filter((c) => !linked.has(c))).toEqual(DEMO_UNLINKED_FIELD_STANDARDS);
  });
});
