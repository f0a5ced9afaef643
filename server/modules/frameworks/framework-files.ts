import ExcelJS from 'exceljs';
import type {
  TAssignmentImportResult,
  TFrameworkImportResult,
} from '../../../core/contracts/frameworks.js';
import { effectiveRules } from '../../../core/scoring/rules.js';
import {
  countNodes,
  type AssignmentData,
  type FrameworkData,
} from '../../../core/frameworks/data.js';
import { buildFrameworkDoc } from '../../../core/frameworks/json-doc.js';
import { METHOD_LABELS, type TFrameworkLevel } from '../../../core/frameworks/methods.js';
import { FRAMEWORK_SHEET_COLUMNS, type SheetKey } from '../../../core/frameworks/sheet.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { withTx } from '../../platform/tx.js';
import * as arepo from './assignments.repo.js';
import { fwErrors } from './frameworks.errors.js';
import { campaignRules, versionData } from './frameworks.present.js';
import * as repo from './frameworks.repo.js';
import { partyDirectory } from '../parties/parties.repo.js';
import * as bulk from './framework-bulk.repo.js';
import * as nodes from './framework-nodes.repo.js';
import { adoptKeys } from './framework-publish.js';
import {
  parseFrameworkFile,
  parseTaskFile,
  rememberColumns,
  type ParseOptions,
} from './framework-parse.js';
import { frameworkNameTaken } from './frameworks.service.js';

/**
 * Framework files in and out: JSON in the shape of demo-framework.json, and the XLSX sheet (one row
 * per standard and lead unit) that also carries the 任务分解. Imports check every row first and
 * write nothing when any row is wrong (422 with row, column and reason for each).
 */

/** Writes parsed content into an empty version: the tree, the negative list, the assignments. */
export async function writeContent(
  tx: Tx,
  versionId: number,
  data: FrameworkData,
  assignments: AssignmentData[],
): Promise<number> {
  const standardIds = await bulk.insertTree(tx, versionId, data);
  const perStandard = new Map<number, number>();
  return arepo.insertAssignments(
    tx,
    versionId,
    assignments.map((a) => {
      const standardId = standardIds.get(a.standardCode)!;
      const position = perStandard.get(standardId) ?? 0;
      perStandard.set(standardId, position + 1);
      return { ...a, standardId, position };
    }),
  );
}

function importResult(
  frameworkId: number,
  version: repo.VersionRow,
  data: FrameworkData,
  assignments: number,
): TFrameworkImportResult {
  return {
    frameworkId,
    versionId: version.id,
    versionNumber: version.number,
    ...countNodes(data.items),
    negativeItems: data.negativeItems.length,
    assignments,
  };
}

/** Imports a file as a new framework of a campaign (its draft v1). */
export async function importNewFramework(
  database: Database,
  actor: Actor,
  campaignId: number,
  file: Buffer,
  opts: ParseOptions & {
    name?: string | undefined;
    level?: TFrameworkLevel | undefined;
    edition?: string | undefined;
  },
): Promise<TFrameworkImportResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  if (!(await repo.findCampaign(database.db, campaignId))) {
    throw fwErrors.notFound('campaign', campaignId);
  }
  const parsed = await parseFrameworkFile(database.db, file, opts);
  const name = opts.name ?? parsed.name;
  if (!name) {
    throw fwErrors.invalid(
      '请填写测评体系名称（Excel 文件不含名称）',
      'give the framework a name (an Excel file does not carry one)',
      'name',
    );
  }
  return withTx(database, async (tx) => {
    if (await repo.findFrameworkByName(tx, campaignId, name)) throw frameworkNameTaken(name);
    const frameworkId = await repo.insertFramework(tx, {
      campaignId,
      name,
      level: opts.level ?? parsed.level ?? 'prefecture',
      edition: opts.edition ?? parsed.edition,
      position: await repo.nextFrameworkPosition(tx, campaignId),
    });
    const version = await repo.insertVersion(tx, {
      frameworkId,
      number: 1,
      status: 'draft',
      basedOnId: null,
      source: parsed.data.source,
      createdBy: actor.id,
    });
    const n = await writeContent(tx, version.id, parsed.data, parsed.assignments);
    const out = importResult(frameworkId, version, parsed.data, n);
    await writeAudit(tx, actor, {
      action: 'framework.import',
      entityType: 'framework',
      entityId: frameworkId,
      after: { ...out, file: parsed.kind, name },
    });
    await rememberColumns(tx, opts.columns, actor.id);
    return parsed.report ? { ...out, report: parsed.report } : out;
  });
}

/** Imports a file as a new draft version of an existing framework. */
export async function importNewVersion(
  database: Database,
  actor: Actor,
  frameworkId: number,
  file: Buffer,
  opts: ParseOptions = {},
): Promise<TFrameworkImportResult> {
  requirePermission(actor, Permission.FrameworkWrite);
  if (!(await repo.findFramework(database.db, frameworkId))) {
    throw fwErrors.notFound('framework', frameworkId);
  }
  const parsed = await parseFrameworkFile(database.db, file, opts);
  return withTx(database, async (tx) => {
    await repo.lockFramework(tx, frameworkId);
    const draft = await repo.findVersionByStatus(tx, frameworkId, 'draft');
    if (draft) throw fwErrors.draftExists(draft.number);
    const current = await repo.findVersionByStatus(tx, frameworkId, 'published');
    const version = await repo.insertVersion(tx, {
      frameworkId,
      number: await repo.nextVersionNumber(tx, frameworkId),
      status: 'draft',
      basedOnId: current?.id ?? null,
      source: parsed.data.source,
      createdBy: actor.id,
    });
    const n = await writeContent(tx, version.id, parsed.data, parsed.assignments);
    // Standards found again by code take their keys now, so the draft is read with its links.
    await adoptKeys(tx, version);
    const out = importResult(frameworkId, version, parsed.data, n);
    await writeAudit(tx, actor, {
      action: 'framework_version.import',
      entityType: 'framework_version',
      entityId: version.id,
      after: { ...out, file: parsed.kind },
    });
    await rememberColumns(tx, opts.columns, actor.id);
    return parsed.report ? { ...out, report: parsed.report } : out;
  });
}

/**
 * Replaces the 任务分解 of a version from a sheet. Assignments are the city's work on a version,
 * not framework content, so this never copies a published version.
 */
export async function importAssignments(
  database: Database,
  actor: Actor,
  versionId: number,
  file: Buffer,
  opts: ParseOptions = {},
): Promise<TAssignmentImportResult> {
  requirePermission(actor, Permission.AssignmentWrite);
  const db = database.db;
  if (!(await repo.findVersion(db, versionId))) throw fwErrors.notFound('version', versionId);
  const { assignments: parsed, standards, report } = await parseTaskFile(db, versionId, file, opts);
  const r = { assignments: parsed };
  const idByCode = new Map(standards.map((s) => [s.code, s.id]));
  return withTx(database, async (tx) => {
    const replaced = await arepo.deleteAssignmentsOfVersion(tx, versionId);
    const perStandard = new Map<number, number>();
    const n = await arepo.insertAssignments(
      tx,
      versionId,
      r.assignments.map((a) => {
        const standardId = idByCode.get(a.standardCode)!;
        const position = perStandard.get(standardId) ?? 0;
        perStandard.set(standardId, position + 1);
        return { ...a, standardId, position };
      }),
    );
    const out = { versionId, assignments: n, standards: perStandard.size, replaced };
    await writeAudit(tx, actor, {
      action: 'assignment.import',
      entityType: 'framework_version',
      entityId: versionId,
      after: out,
    });
    await rememberColumns(tx, opts.columns, actor.id);
    return { ...out, report };
  });
}

async function loadVersion(db: DbOrTx, versionId: number) {
  const version = await repo.findVersion(db, versionId);
  if (!version) throw fwErrors.notFound('version', versionId);
  const framework = (await repo.findFramework(db, version.frameworkId))!;
  const campaign = (await repo.findCampaign(db, framework.campaignId))!;
  const data = versionData(
    version,
    await nodes.listNodes(db, versionId),
    await nodes.listNegatives(db, versionId),
  );
  return { version, framework, campaign, data };
}

/** The version as a framework file (JSON), with the rules it is scored by in meta.scoring. */
export async function exportJson(
  database: Database,
  actor: Actor,
  versionId: number,
): Promise<{ filename: string; doc: Record<string, unknown> }> {
  requirePermission(actor, Permission.FrameworkRead);
  const { version, framework, campaign, data } = await loadVersion(database.db, versionId);
  return {
    filename: `${framework.name}-v${version.number}.json`,
    doc: buildFrameworkDoc({
      name: framework.name,
      edition: framework.edition,
      level: framework.level,
      // The rules the framework is scored by: its own, else the campaign's.
      scoring: effectiveRules(campaignRules(campaign), framework.rules),
      data,
    }),
  };
}

/**
 * The version as the sheet the import reads: one row per standard and lead unit, item and content
 * cells merged over their rows. Task columns need AssignmentRead (they are left empty otherwise).
 *
 * Every column comes back: 备注 holds a task row's own remark, and a standard's remark on a row of
 * the standard alone (no lead unit) — before its task rows when it has any — so the import puts
 * each where it was (a 备注 without a lead unit is the standard's). The columns the platform does
 * not read follow 备注, one per header, in the order of the sheet the version came from, then as
 * first met; a row holds its assignment's cells, or the standard's on the standard's own row.
 */
export async function exportXlsx(
  database: Database,
  actor: Actor,
  versionId: number,
): Promise<{ filename: string; body: Buffer }> {
  const scope = requirePermission(actor, Permission.FrameworkRead);
  const db = database.db;
  const { version, framework, data } = await loadVersion(db, versionId);
  const canTasks = (() => {
    try {
      requirePermission(actor, Permission.AssignmentRead);
      return true;
    } catch {
      return false;
    }
  })();
  const tasks = canTasks ? await arepo.listAssignments(db, versionId, scope) : [];
  const byStandard = new Map<string, arepo.AssignmentRow[]>();
  for (const t of tasks) {
    byStandard.set(t.standardCode, [...(byStandard.get(t.standardCode) ?? []), t]);
  }
  type Standard = FrameworkData['items'][number]['contents'][number]['standards'][number];
  type Row = { a: arepo.AssignmentRow | null; notes: string | null; extra: Record<string, string> };
  // A 集体责任方 written once in the sheet (各区县) came in as one assignment per member: it goes
  // back out as one row under its name; its units among the 责任单位 go back under its name too.
  const directory = new Map((await partyDirectory(db)).map((p) => [p.id, p]));
  const unitsOfParty = (id: number) => {
    const p = directory.get(id);
    return new Set(
      p ? (p.kind === 'group' ? p.memberIds : p.contactUnitId ? [p.contactUnitId] : []) : [],
    );
  };
  const leadOf = (a: arepo.AssignmentRow) => a.leadParty?.name ?? a.leadUnitName;
  const responsibleOf = (a: arepo.AssignmentRow) => {
    const covered = new Set(a.parties.flatMap((p) => [...unitsOfParty(p.id)]));
    if (a.leadParty) for (const id of unitsOfParty(a.leadParty.id)) covered.add(id);
    return [
      ...a.parties.map((p) => p.name),
      ...a.responsibleUnits.filter((u) => !covered.has(u.id)).map((u) => u.name),
    ].join('、');
  };
  const rowsOf = (s: Standard): Row[] => {
    const own: Row = { a: null, notes: s.notes ?? null, extra: s.extra ?? {} };
    const seenParty = new Set<number>();
    const mine = (byStandard.get(s.code) ?? []).filter((a) => {
      if (!a.leadParty) return true;
      if (seenParty.has(a.leadParty.id)) return false;
      seenParty.add(a.leadParty.id);
      return true;
    });
    const ownRow = mine.length === 0 || !!own.notes || Object.keys(own.extra).length > 0;
    return [...(ownRow ? [own] : []), ...mine.map((a) => ({ a, notes: a.notes, extra: a.extra }))];
  };
  // The extra headers: the source sheet's order first, then as first met.
  const seen: string[] = [];
  for (const i of data.items) {
    for (const c of i.contents) {
      for (const s of c.standards) {
        for (const row of rowsOf(s)) {
          for (const h of Object.keys(row.extra)) if (!seen.includes(h)) seen.push(h);
        }
      }
    }
  }
  const sheetOrder = data.source.columns ?? [];
  const rank = (h: string) => {
    const k = sheetOrder.indexOf(h);
    return k >= 0 ? k : sheetOrder.length + seen.indexOf(h);
  };
  const extraHeaders = [...seen].sort((x, y) => rank(x) - rank(y));
  const extraKey = (k: number) => `extra${k}`;

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('测评体系');
  ws.columns = [
    ...FRAMEWORK_SHEET_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width })),
    ...extraHeaders.map((h, k) => ({ header: h, key: extraKey(k), width: 16 })),
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  let r = 2;
  for (const item of data.items) {
    const itemStart = r;
    for (const content of item.contents) {
      const contentStart = r;
      for (const s of content.standards) {
        for (const { a, notes, extra } of rowsOf(s)) {
          const values: Record<SheetKey, string | number | null> = {
            item: `${item.code} ${item.text}`,
            content: `${content.code} ${content.text}`,
            code: s.code,
            text: s.text,
            method: METHOD_LABELS[s.method].zh,
            score: s.maxScore,
            lead: a ? leadOf(a) : null,
            responsible: a ? responsibleOf(a) || null : null,
            leader: a?.leaderName ?? null,
            due: a ? (a.dueDate ?? a.dueText) : null,
            guidance: s.guidance,
            evidence: s.evidence.join('\n') || null,
            notes,
          };
          const cells: Record<string, string | number | null> = { ...values };
          extraHeaders.forEach((h, k) => (cells[extraKey(k)] = extra[h] ?? null));
          ws.addRow(cells);
          r++;
        }
      }
      if (r - 1 > contentStart) ws.mergeCells(contentStart, 2, r - 1, 2);
    }
    if (r - 1 > itemStart) ws.mergeCells(itemStart, 1, r - 1, 1);
  }
  ws.getColumn('text').alignment = { wrapText: true, vertical: 'top' };
  ws.getColumn('item').alignment = { vertical: 'top', wrapText: true };
  ws.getColumn('content').alignment = { vertical: 'top', wrapText: true };
  const body = Buffer.from(await wb.xlsx.writeBuffer());
  return { filename: `${framework.name}-v${version.number}.xlsx`, body };
}
