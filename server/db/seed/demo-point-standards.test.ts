import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_FRAMEWORK_FILE } from './demo-framework.js';
import {
  DEMO_COUNT_RULES,
  DEMO_EXTRA_POINT_TYPES,
  DEMO_ITEM_STANDARDS,
  DEMO_QUANTITY_RULES,
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
      ...Object.entries(DEMO_QUANTITY_RULES),
    ]) {
      const checklist = file.pointTypes.find((t) => t.code === type)!.checklist;
      for (const text of Object.keys(items)) expect(checklist, `${type} ${text}`).toContain(text);
    }
  });

  it('links only field standards that exist in the demo framework', () => {
    for (const codes of [
      ...Object.values(DEMO_ITEM_STANDARDS).flatMap((t) => Object.values(t)),
      ...DEMO_EXTRA_POINT_TYPES.flatMap((t) => t.checklist.map((i) => i.standards)),
    ]) {
      for (const c of codes) expect(fieldCodes).toContain(c);
    }
  });

  it('adds the 随机查看 kinds the file lacks under codes of their own', () => {
    const fileCodes = file.pointTypes.map((t) => t.code);
    for (const t of DEMO_EXTRA_POINT_TYPES) expect(fileCodes).not.toContain(t.code);
    expect(DEMO_EXTRA_POINT_TYPES.map((t) => t.name)).toEqual(['小餐馆', '娱乐场所', '营业厅']);
  });

  it('covers every field standard except the two no demo checklist can see', () => {
    const linked = new Set(
      Object.values(DEMO_ITEM_STANDARDS).flatMap((t) => Object.values(t).flat()),
    );
    expect(fieldCodes.filter((c) => !linked.has(c))).toEqual(DEMO_UNLINKED_FIELD_STANDARDS);
  });
});
