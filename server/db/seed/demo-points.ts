import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { execRows, type Database } from '../client.js';
import { randomCheckByDefault } from '../../../core/inspection/random-check.js';
import type { ChecklistItem } from '../../../core/inspection/score.js';
import { demoPositionIn } from './demo-boundaries.js';
import { DEMO_FRAMEWORK_FILE } from './demo-framework.js';
import {
  DEMO_COUNT_RULES,
  DEMO_EXTRA_POINT_TYPES,
  DEMO_ITEM_STANDARDS,
  DEMO_QUANTITY_RULES,
} from './demo-point-standards.data.js';

interface FilePointType {
  code: string;
  name: string;
  sampling: 'mandatory' | 'random';
  route?: string;
  checklist: string[];
}

/** Items that make a whole point fail when they fail (our choice for the demo; editable). */
const SERIOUS = /垃圾|活禽|消防|安全/;
/** Items whose failure the inspector may judge 严重不合格 or not (our choice; editable). */
const SEVERE_CAPABLE = /占道|乱搭乱建|未成年人|吸烟/;

/** A demo item with its standard links and counting rule from the hand-made tables. */
function demoItem(type: string, text: string, standards?: string[]): ChecklistItem {
  const serious = SERIOUS.test(text);
  const quantity = DEMO_QUANTITY_RULES[type]?.[text];
  return {
    text,
    serious,
    ...(!serious && SEVERE_CAPABLE.test(text) ? { severeCapable: true } : {}),
    standards: standards ?? DEMO_ITEM_STANDARDS[type]?.[text] ?? [],
    ...(DEMO_COUNT_RULES[type]?.[text] ? { countRule: DEMO_COUNT_RULES[type][text] } : {}),
    ...(quantity ? { quantity } : {}),
  };
}

/** The demo framework file's point types (the ones the demo declares points of). */
function fileTypes(): FilePointType[] {
  return (
    JSON.parse(fs.readFileSync(DEMO_FRAMEWORK_FILE, 'utf8')) as { pointTypes: FilePointType[] }
  ).pointTypes;
}

/**
 * The 12 demo point types with their checklists, from demo-framework.json, each item linked to
 * the framework standards it evidences (demo-point-standards.data.ts), and the 随机查看 kinds the
 * file lacks (小餐馆, 娱乐场所, 营业厅). 随机查看 is on for the seed-001 kinds. Idempotent: on a demo
 * database seeded before the links existed, items still without a `standards` key (never edited
 * through the API, which always stores one) get their links and counting rule; edits are kept.
 */
export async function seedPointTypes(database: Database): Promise<number> {
  const types = [
    ...fileTypes().map((t) => ({
      ...t,
      items: t.checklist.map((text) => demoItem(t.code, text)),
    })),
    ...DEMO_EXTRA_POINT_TYPES.map((t) => ({
      ...t,
      sampling: 'random' as const,
      items: t.checklist.map((i) => demoItem(t.code, i.text, i.standards)),
    })),
  ];
  for (const t of types) {
    const checklist = t.items;
    await database.db.execute(
      sql`insert into point_types (code, name, sampling, default_draw_count, route, checklist,
            random_check)
          values (${t.code}, ${t.name}, ${t.sampling}, ${t.sampling === 'random' ? 3 : 0},
            ${t.route ?? null}, ${JSON.stringify(checklist)}::jsonb,
            ${randomCheckByDefault(t.name)})
          on conflict (code) do nothing`,
    );
    const [row] = await execRows<{ id: number; checklist: ChecklistItem[] }>(
      database.db,
      sql`select id, checklist from point_types where code = ${t.code}`,
    );
    let changed = false;
    const linked = row!.checklist.map((item) => {
      if ('standards' in item) return item;
      changed = true;
      const d = demoItem(t.code, item.text);
      return {
        ...item,
        standards: d.standards,
        ...(d.countRule ? { countRule: d.countRule } : {}),
        ...(d.quantity ? { quantity: d.quantity } : {}),
      };
    });
    if (changed) {
      await database.db.execute(
        sql`update point_types set checklist = ${JSON.stringify(linked)}::jsonb,
              version = version + 1 where id = ${row!.id}`,
      );
    }
  }
  await database.afterCommit();
  return types.length;
}

/**
 * Each demo type's 包保单位: the department that answers for that kind of place (条), or for streets
 * and housing estates the street office (or township government) of the point's street (块) — the
 * split Haikou describes (BRIEF §3: 行业主管部门 own the 条, districts the 块). Our choice for the
 * demo; the office edits any point's unit.
 */
const RESPONSIBLE: Record<string, string> = {
  P01: 'street',
  P02: 'street',
  P03: 'SZF-SCJ',
  P04: 'street',
  P05: 'SZF-YLJ',
  P06: 'GQ-GJ',
  P07: 'SZF-WJW',
  P08: 'SZF-JYJ',
  P09: 'SZF-ZWFW',
  P10: 'SZF-CGJ',
  P11: 'SZF-ZJJ',
  P12: 'SZF-WLJ',
};

/**
 * Demo points: a few of each type of the framework file in the demo city's communities, near the
 * city centre (the extra 随机查看 types have none: their places are added on the spot).
 */
export async function seedDemoPoints(database: Database): Promise<number> {
  await seedPointTypes(database);
  const [have] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from points`,
  );
  if (have!.n > 0) return 0;
  const codes = fileTypes().map((t) => sql`${t.code}`);
  const types = await execRows<{ id: number; code: string; name: string; sampling: string }>(
    database.db,
    sql`select id, code, name, sampling from point_types
         where code in (${sql.join(codes, sql`, `)}) order by code`,
  );
  // Each community with its street's office (the 块 unit of streets and estates).
  const communities = await execRows<{
    id: number;
    code: string;
    name: string;
    street_unit: number | null;
  }>(
    database.db,
    sql`select c.id, c.code, c.name, (select u.id from units u where u.type = 'street_office'
                                and u.region_id = c.parent_id limit 1) as street_unit
          from regions c where c.level = 'community' order by c.id`,
  );
  const unitByCode = new Map(
    (
      await execRows<{ id: number; code: string }>(database.db, sql`select id, code from units`)
    ).map((u) => [u.code, Number(u.id)]),
  );
  let n = 0;
  for (const [ti, t] of types.entries()) {
    const count = t.sampling === 'random' ? 6 : 2;
    for (let k = 0; k < count; k++) {
      const c = communities[(ti * 7 + k) % communities.length]!;
      const who = RESPONSIBLE[t.code];
      const unitId = who === 'street' ? c.street_unit : who ? (unitByCode.get(who) ?? null) : null;
      // Inside its community's area (demo-boundaries.ts), so the boundaries agree with the point.
      const at = demoPositionIn(c.code, ti * 7 + k) ?? {
        lat: 30.2741 + ((ti % 5) - 2) * 0.006 + k * 0.0011,
        lng: 120.1551 + ((ti % 4) - 2) * 0.007 + k * 0.0009,
      };
      await database.db.execute(
        sql`insert into points (name, type_id, region_id, unit_id, lat, lng, address)
            values (${`${c.name}${t.name}${k + 1}`}, ${t.id}, ${c.id}, ${unitId},
              ${at.lat}, ${at.lng}, ${`${c.name}`})`,
      );
      n++;
    }
  }
  await database.afterCommit();
  return n;
}
