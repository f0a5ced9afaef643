import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows, type Database } from './client.js';
import { runMigrations } from './migrate.js';
import { migrateTo, migrationsBefore, openFreshDatabase } from '../test/migration-kit.js';

// Migration 0033 adds 随机查看 (point_types.random_check, on for the seed-001 kinds: 街巷、公厕、
// 小型餐馆、娱乐场所、网吧、营业厅) and turns a free-text counting rule that sets a minimum into the
// count rule visits are scored by (BRIEF §2.2), keeping the text and every other item as it was.

const MIGRATION = '0033_random_check_and_count_rules';

let database: Database;
let dropDatabase: () => Promise<void> = () => Promise.resolve();
let scratch = '';

const type = (code: string, name: string, checklist: object[]) =>
  sql`insert into point_types (code, name, sampling, route, checklist)
      values (${code}, ${name}, 'random', null, ${JSON.stringify(checklist)}::jsonb)`;

beforeAll(async () => {
  scratch = migrationsBefore(MIGRATION);
  ({ database, drop: dropDatabase } = await openFreshDatabase('cc_mig'));
  await migrateTo(database, scratch);
  await database.db.execute(
    type('P01', '主次干道', [
      {
        text: '沿途可见固定式公益广告不少于5处且无破损',
        countRule: '步行300米，固定式公益广告不少于5处',
        standards: ['I1.2.1'],
      },
      { text: '地面无垃圾', serious: true, standards: [] },
    ]),
  );
  await database.db.execute(
    type('P06', '公交站点及线路', [
      { text: '报站与实际站点一致', countRule: '乘坐5站，逐站核对报站' },
    ]),
  );
  await database.db.execute(
    type('S1', '中小学校及周边', [{ text: '公益广告', countRule: '至少 12 个' }]),
  );
  await database.db.execute(type('R1', '小街巷', [{ text: '路面整洁' }]));
  await database.db.execute(type('R2', '中小饭馆', [{ text: '证照公示' }]));
  await database.db.execute(type('R3', 'KTV等娱乐场所', [{ text: '无未成年人' }]));
  await database.db.execute(type('R4', '银行营业厅', [{ text: '排队有序' }]));
  await runMigrations(database);
});

afterAll(async () => {
  await dropDatabase();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it('switches 随机查看 on for the seed-001 kinds only', async () => {
    const rows = await execRows<{ code: string; random_check: boolean }>(
      database.db,
      sql`select code, random_check from point_types order by code`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.code, r.random_check]))).toEqual({
      P01: false,
      P06: false,
      R1: true,
      R2: true,
      R3: true,
      R4: true,
      S1: false,
    });
  });

  it('reads a minimum out of a counting rule into a count rule; other items stay as they were', async () => {
    const rows = await execRows<{ code: string; checklist: object[]; version: number }>(
      database.db,
      sql`select code, checklist, version from point_types where code in ('P01', 'P06', 'S1')
          order by code`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.code, r]));
    expect(by.P01!.checklist).toEqual([
      {
        text: '沿途可见固定式公益广告不少于5处且无破损',
        countRule: '步行300米，固定式公益广告不少于5处',
        standards: ['I1.2.1'],
        quantity: { kind: 'count', min: 5, unit: '处' },
      },
      { text: '地面无垃圾', serious: true, standards: [] },
    ]);
    expect(by.P01!.version).toBe(2);
    expect(by.S1!.checklist).toEqual([
      {
        text: '公益广告',
        countRule: '至少 12 个',
        quantity: { kind: 'count', min: 12, unit: '个' },
      },
    ]);
    // No minimum in the text: untouched, version kept.
    expect(by.P06).toMatchObject({
      checklist: [{ text: '报站与实际站点一致', countRule: '乘坐5站，逐站核对报站' }],
      version: 1,
    });
  });
});
