import type { TLinkKind, TPublishPreview } from '../../../core/contracts/frameworks.js';
import { codeKey } from '../../../core/frameworks/cells.js';
import { diffStandards, pairByKeyThenCode } from '../../../core/frameworks/version-diff.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import * as carry from './framework-carry.repo.js';
import { fwErrors } from './frameworks.errors.js';
import * as repo from './frameworks.repo.js';

/**
 * Publishing a new version of a framework moves every link that names a standard of the version in
 * force to the same standard in the new one: found by key (a draft copied from it keeps the keys),
 * else by code (an imported file brings new keys). The preview says what changes and what cannot
 * move before the office confirms. Rules in docs/decisions.md ("A new version carries its links").
 */

type Msg = { zh: string; en: string };

interface Plan {
  preview: TPublishPreview;
  /** Draft standards and negative items that take the key of the entry they continue. */
  standardKeys: { id: number; key: string }[];
  negativeKeys: { id: number; key: string }[];
  /** Old code (as compared) → the draft's code, where the draft changed a standard's code. */
  recodes: Map<string, string>;
}

/** The version a draft replaces when published: the one in force, else the newest other one. */
export async function replacedVersion(
  db: DbOrTx,
  frameworkId: number,
  draftId: number,
): Promise<repo.VersionRow | undefined> {
  const published = await repo.findVersionByStatus(db, frameworkId, 'published');
  if (published) return published;
  const all = await repo.listVersionSummaries(db, [frameworkId]);
  const newest = all
    .filter((v) => v.id !== draftId)
    .sort((a, b) => b.number - a.number)
    .at(0);
  return newest ? repo.findVersion(db, newest.id) : undefined;
}

const years = (names: string[]): Msg => ({
  zh: `${names.join('、')} 年度档案`,
  en: `dossiers of ${names.join(', ')}`,
});
const list = (zh: string, en: string, names: string[]): Msg => ({
  zh: `${zh}：${names.slice(0, 5).join('、')}${names.length > 5 ? ' 等' : ''}`,
  en: `${en}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? '…' : ''}`,
});

async function plan(db: DbOrTx, draft: repo.VersionRow): Promise<Plan> {
  const old = await replacedVersion(db, draft.frameworkId, draft.id);
  const after = await carry.standardsOf(db, draft.id);
  const afterNeg = await carry.negativesOf(db, draft.id);
  const before = old ? await carry.standardsOf(db, old.id) : [];
  const beforeNeg = old ? await carry.negativesOf(db, old.id) : [];
  const diff = diffStandards(before, after);
  const neg = pairByKeyThenCode(beforeNeg, afterNeg);
  const strip = ({ code, text, method, maxScore }: carry.StandardRow) => ({
    code,
    text,
    method,
    maxScore,
  });
  const preview: TPublishPreview = {
    versionId: draft.id,
    versionNumber: draft.number,
    against: old ? { versionId: old.id, versionNumber: old.number } : null,
    standards: {
      added: diff.added.map(strip),
      removed: diff.removed.map(strip),
      changed: diff.changed.map((c) => ({
        code: c.code,
        before: strip(c.before),
        after: strip(c.after),
        fields: c.fields,
      })),
      unchanged: diff.unchanged,
    },
    maxScore: { before: diff.maxBefore, after: diff.maxAfter },
    negativeItems: {
      added: neg.added.length,
      removed: neg.removed.map(({ code, text }) => ({ code, text })),
    },
    carried: [],
    lost: [],
  };
  const recodes = new Map<string, string>();
  const result: Plan = {
    preview,
    standardKeys: diff.pairs
      .filter(([o, n]) => o.key !== n.key)
      .map(([o, n]) => ({ id: n.id, key: o.key })),
    negativeKeys: neg.pairs
      .filter(([o, n]) => o.key !== n.key)
      .map(([o, n]) => ({ id: n.id, key: o.key })),
    recodes,
  };
  if (!old) return result;

  const carried = new Map<TLinkKind, number>();
  const moved = (kind: TLinkKind, n: number) => carried.set(kind, (carried.get(kind) ?? 0) + n);
  const oldByKey = new Map(before.map((s) => [s.key, s]));
  const paired = new Set(diff.pairs.map(([o]) => o.key));
  const lose = (kind: TLinkKind, s: { code: string; text: string }, n: number, where: Msg) =>
    preview.lost.push({ kind, count: n, code: s.code, text: s.text, where });

  // The 任务分解 of the version in force: copied onto draft standards that have none.
  const oldAssignments = await carry.assignmentCounts(db, old.id);
  const newAssignments = await carry.assignmentCounts(db, draft.id);
  const newKeyOf = new Map(diff.pairs.map(([o, n]) => [o.key, n.key]));
  for (const [key, n] of oldAssignments) {
    const s = oldByKey.get(key);
    if (!s) continue;
    const to = newKeyOf.get(key);
    if (to === undefined) {
      lose('assignment', s, n, {
        zh: `v${old.number} 的任务分解`,
        en: `assignments of v${old.number}`,
      });
    } else if (!newAssignments.has(to)) moved('assignment', n);
  }

  for (const l of await carry.keyedLinks(db, draft.frameworkId)) {
    const s = oldByKey.get(l.key);
    if (!s) continue;
    if (paired.has(l.key)) {
      moved(l.kind, l.n);
      continue;
    }
    const where =
      l.kind === 'dossier'
        ? years(l.names)
        : l.kind === 'indicator'
          ? list('指标', 'indicators', l.names)
          : l.kind === 'simulation_target'
            ? list('模拟验证对象', 'simulation targets', l.names)
            : l.kind === 'report'
              ? list('报送单位', 'reported by', l.names)
              : list('攻坚组', 'working groups', l.names);
    lose(l.kind, s, l.n, where);
  }

  for (const q of await carry.liveQuestionnaires(db)) {
    for (const question of q.questions) {
      for (const key of question.standardKeys ?? []) {
        const s = oldByKey.get(key);
        if (!s) continue;
        if (paired.has(key)) moved('question', 1);
        else
          lose('question', s, 1, {
            zh: `${q.surveyName} ${q.groupLabel} v${q.number} 第 ${question.id} 题`,
            en: `${q.surveyName} ${q.groupLabel} v${q.number}, question ${question.id}`,
          });
      }
    }
  }

  const oldByCode = new Map(before.map((s) => [codeKey(s.code), s]));
  for (const [o, n] of diff.pairs) {
    if (codeKey(o.code) !== codeKey(n.code)) recodes.set(codeKey(o.code), n.code);
  }
  for (const pt of await carry.pointTypeChecklists(db)) {
    pt.checklist.forEach((item, i) => {
      for (const code of item.standards ?? []) {
        const s = oldByCode.get(codeKey(code));
        if (!s) continue;
        if (paired.has(s.key)) moved('check_item', 1);
        else
          lose('check_item', s, 1, {
            zh: `点位类型“${pt.name}”第 ${i + 1} 项：${item.text}`,
            en: `point type "${pt.name}", item ${i + 1}: ${item.text}`,
          });
      }
    });
  }

  const hits = await carry.hitCounts(db, draft.frameworkId);
  const negPaired = new Set(neg.pairs.map(([o]) => o.key));
  for (const n of beforeNeg) {
    const count = hits.get(n.key);
    if (!count) continue;
    if (negPaired.has(n.key)) moved('negative_hit', count);
    else lose('negative_hit', n, count, { zh: '负面清单记录', en: 'recorded hits' });
  }

  preview.carried = [...carried].map(([kind, count]) => ({ kind, count }));
  return result;
}

export async function publishPreview(
  database: Database,
  actor: Actor,
  versionId: number,
): Promise<TPublishPreview> {
  requirePermission(actor, Permission.FrameworkWrite);
  const v = await repo.findVersion(database.db, versionId);
  if (!v) throw fwErrors.notFound('version', versionId);
  if (v.status !== 'draft') throw fwErrors.notDraft(v.number);
  return (await plan(database.db, v)).preview;
}

/**
 * Gives a draft's standards and negative items the keys of the entries they continue in the version
 * it replaces, so that links kept by key find them. Run when a file is imported as a new version,
 * and again at publish (the version in force may have changed since).
 */
export async function adoptKeys(db: DbOrTx, draft: repo.VersionRow): Promise<Plan> {
  const p = await plan(db, draft);
  await carry.rekey(db, 'framework_nodes', p.standardKeys);
  await carry.rekey(db, 'negative_items', p.negativeKeys);
  return p;
}

/**
 * Inside the publish transaction: refuses when links would be lost without the office's
 * confirmation; otherwise moves keys, copies the 任务分解 and re-points check items.
 */
export async function carryLinks(
  tx: DbOrTx,
  draft: repo.VersionRow,
  confirmLosses: boolean,
): Promise<TPublishPreview> {
  const p = await plan(tx, draft);
  if (p.preview.lost.length && !confirmLosses) {
    const n = p.preview.lost.reduce((a, l) => a + l.count, 0);
    throw fwErrors.linksLost(n);
  }
  await carry.rekey(tx, 'framework_nodes', p.standardKeys);
  await carry.rekey(tx, 'negative_items', p.negativeKeys);
  const old = p.preview.against;
  if (old) {
    await carry.carryAssignments(tx, old.versionId, draft.id);
    if (p.recodes.size) {
      for (const pt of await carry.pointTypeChecklists(tx)) {
        let changed = false;
        const checklist = pt.checklist.map((item) => {
          if (!item.standards?.some((c) => p.recodes.has(codeKey(c)))) return item;
          changed = true;
          return { ...item, standards: item.standards.map((c) => p.recodes.get(codeKey(c)) ?? c) };
        });
        if (changed) await carry.writeChecklist(tx, pt.id, checklist);
      }
    }
  }
  return p.preview;
}
