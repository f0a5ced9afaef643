import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FrameworkData } from '../../../core/frameworks/data.js';
import type { DbOrTx } from '../../db/client.js';
import { frameworkNodes, negativeItems } from '../../db/schema/index.js';

/** Whole-version writes: an imported tree in a few multi-row statements, and version copies. */

const CHUNK = 1000;
async function chunked<T>(rows: T[], fn: (part: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await fn(rows.slice(i, i + CHUNK));
}

/** Writes a whole tree and negative list into an empty version; returns standard ids by code. */
export async function insertTree(
  db: DbOrTx,
  versionId: number,
  data: FrameworkData,
): Promise<Map<string, number>> {
  const base = { versionId, guidance: null, method: null, maxScore: null };
  const itemRows = data.items.map((i, position) => ({
    ...base,
    parentId: null,
    kind: 'item' as const,
    key: randomUUID(),
    code: i.code,
    text: i.text,
    position,
  }));
  const itemIds = new Map<string, number>();
  await chunked(itemRows, async (part) => {
    const ids = await db
      .insert(frameworkNodes)
      .values(part)
      .returning({ id: frameworkNodes.id, code: frameworkNodes.code });
    for (const r of ids) itemIds.set(r.code, r.id);
  });
  const contentRows = data.items.flatMap((i) =>
    i.contents.map((c, position) => ({
      ...base,
      parentId: itemIds.get(i.code)!,
      kind: 'content' as const,
      key: randomUUID(),
      code: c.code,
      text: c.text,
      position,
    })),
  );
  const contentIds = new Map<string, number>();
  await chunked(contentRows, async (part) => {
    const ids = await db
      .insert(frameworkNodes)
      .values(part)
      .returning({ id: frameworkNodes.id, code: frameworkNodes.code });
    for (const r of ids) contentIds.set(r.code, r.id);
  });
  const standardRows = data.items.flatMap((i) =>
    i.contents.flatMap((c) =>
      c.standards.map((s, position) => ({
        versionId,
        parentId: contentIds.get(c.code)!,
        kind: 'standard' as const,
        key: randomUUID(),
        code: s.code,
        text: s.text,
        guidance: s.guidance,
        method: s.method,
        maxScore: s.maxScore,
        evidence: s.evidence,
        unitHints: s.unitHints,
        notes: s.notes ?? null,
        extra: s.extra ?? {},
        surveyCurve: s.surveyCurve ?? null,
        position,
      })),
    ),
  );
  const standardIds = new Map<string, number>();
  await chunked(standardRows, async (part) => {
    const ids = await db
      .insert(frameworkNodes)
      .values(part)
      .returning({ id: frameworkNodes.id, code: frameworkNodes.code });
    for (const r of ids) standardIds.set(r.code, r.id);
  });
  if (data.negativeItems.length) {
    await db.insert(negativeItems).values(
      data.negativeItems.map((n, position) => ({
        versionId,
        key: randomUUID(),
        code: n.code,
        text: n.text,
        effect: n.effect,
        points: n.points,
        windowMonths: n.windowMonths ?? 12,
        suspendMonths: n.suspendMonths ?? null,
        barsApplication: n.barsApplication ?? false,
        position,
      })),
    );
  }
  return standardIds;
}

/**
 * Copies a version's tree, negative list and assignments into another (empty) version, in a few
 * set-based statements: each node keeps its `key`, and parents are found again through it; notes
 * and the cells of columns the platform does not read (`extra`) come along.
 */
export async function copyVersionContent(db: DbOrTx, fromId: number, toId: number): Promise<void> {
  for (const kind of ['item', 'content', 'standard'] as const) {
    await db.execute(sql`
      insert into framework_nodes (version_id, parent_id, kind, key, code, text, guidance, method,
        max_score, evidence, unit_hints, notes, extra, survey_curve, position, version)
      select ${toId}, np.id, n.kind, n.key, n.code, n.text, n.guidance, n.method, n.max_score,
        n.evidence, n.unit_hints, n.notes, n.extra, n.survey_curve, n.position, n.version
      from framework_nodes n
      left join framework_nodes op on op.id = n.parent_id
      left join framework_nodes np on np.version_id = ${toId} and np.key = op.key
      where n.version_id = ${fromId} and n.kind = ${kind}`);
  }
  await db.execute(sql`
    insert into negative_items (version_id, key, code, text, effect, points, window_months,
      suspend_months, bars_application, position, version)
    select ${toId}, key, code, text, effect, points, window_months, suspend_months,
      bars_application, position, version
    from negative_items where version_id = ${fromId}`);
  await db.execute(sql`
    insert into assignments (version_id, standard_id, lead_unit_id, leader_name, due_date, due_text,
      notes, extra, position, version, lead_party_id)
    select ${toId}, ns.id, a.lead_unit_id, a.leader_name, a.due_date, a.due_text, a.notes, a.extra,
      a.position, a.version, a.lead_party_id
    from assignments a
    join framework_nodes os on os.id = a.standard_id
    join framework_nodes ns on ns.version_id = ${toId} and ns.key = os.key
    where a.version_id = ${fromId}`);
  await db.execute(sql`
    insert into assignment_units (assignment_id, unit_id, position)
    select na.id, au.unit_id, au.position
    from assignment_units au
    join assignments a on a.id = au.assignment_id and a.version_id = ${fromId}
    join framework_nodes os on os.id = a.standard_id
    join framework_nodes ns on ns.version_id = ${toId} and ns.key = os.key
    join assignments na on na.standard_id = ns.id and na.lead_unit_id = a.lead_unit_id`);
  await db.execute(sql`
    insert into assignment_parties (assignment_id, party_id, position)
    select na.id, ap.party_id, ap.position
    from assignment_parties ap
    join assignments a on a.id = ap.assignment_id and a.version_id = ${fromId}
    join framework_nodes os on os.id = a.standard_id
    join framework_nodes ns on ns.version_id = ${toId} and ns.key = os.key
    join assignments na on na.standard_id = ns.id and na.lead_unit_id = a.lead_unit_id`);
}
