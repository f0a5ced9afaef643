import type {
  TFilingCompleteness,
  TFilingCounts,
  TFilingQuery,
  TFilingStandard,
} from '../../../core/contracts/filing.js';
import { evidenceWindow } from '../../../core/frameworks/evidence.js';
import {
  DEFAULT_FILING_EDITION,
  FILING_TEMPLATES,
  fileName,
  folderName,
  standardCompleteness,
  type TFilingTemplate,
} from '../../../core/frameworks/filing.js';
import { Permission } from '../../../core/permissions.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { AppError, errors } from '../../platform/errors.js';
import * as evidenceRepo from '../evidence/evidence.repo.js';
import * as repo from './filing.repo.js';

// 网上申报: what a year's filing holds (the completeness check before export) and the plan of its
// package. The filing is the city's: it is read by the office, leaders and admins held at the
// city; units and district offices work on their dossiers in 档案资料 instead (403 here).

/** One file as it goes into the package (or is left out, and why). */
export interface PlannedFile extends repo.FilingFileRow {
  /** The name in the package (`1.2.3-1.pdf`); empty for a file left out. */
  name: string;
  status: 'filed' | 'outside_window' | 'unapproved';
}

export interface PlannedStandard {
  standard: evidenceRepo.MaterialStandard;
  row: TFilingStandard;
  statement: string;
  files: PlannedFile[];
}

export interface FilingPlan {
  template: TFilingTemplate;
  completeness: TFilingCompleteness;
  standards: PlannedStandard[];
}

function emptyCounts(): TFilingCounts {
  return {
    standards: 0,
    complete: 0,
    missingFiles: 0,
    missingStatement: 0,
    filed: 0,
    outsideWindow: 0,
    unapproved: 0,
    bytes: 0,
  };
}

function add(c: TFilingCounts, s: TFilingStandard): void {
  c.standards++;
  if (s.complete) c.complete++;
  if (s.missingFiles) c.missingFiles++;
  if (!s.hasStatement) c.missingStatement++;
  c.filed += s.filed;
  c.outsideWindow += s.outsideWindow;
  c.unapproved += s.unapproved;
  c.bytes += s.bytes;
}

const extOf = (f: repo.FilingFileRow) => {
  const fromKey = f.storageKey.split('/').pop()?.split('.').pop();
  return (fromKey ?? 'bin').toLowerCase();
};

/** The city-level reader of the filing: assignment.read with the whole campaign in scope. */
function requireFilingReader(actor: Actor): void {
  const scope = requirePermission(actor, Permission.AssignmentRead);
  if (scope.kind !== 'all') throw errors.forbidden();
}

/** The filing of a framework and year: per standard what is filed, left out or missing. */
export async function planFiling(
  database: Database,
  actor: Actor,
  year: number,
  q: TFilingQuery,
): Promise<FilingPlan> {
  requireFilingReader(actor);
  const db = database.db;
  const edition = q.edition ?? DEFAULT_FILING_EDITION;
  const template = FILING_TEMPLATES[edition]!;
  const fw = await evidenceRepo.frameworkInForce(db, q.frameworkId);
  if (!fw)
    throw new AppError('not_found', 404, { zh: '测评体系不存在', en: 'framework not found' });
  if (fw.versionId === null) {
    throw new AppError('not_published', 409, {
      zh: '该测评体系尚未发布',
      en: 'the framework has no published version yet',
    });
  }
  const standards = await evidenceRepo.materialStandards(db, fw.versionId);
  const { rules } = await evidenceRepo.rulesOf(db, fw.campaignId);
  const window = evidenceWindow(rules, year);
  const dossiers = await repo.dossiersOfYear(db, q.frameworkId, year);
  const filesByKey = new Map<string, repo.FilingFileRow[]>();
  for (const f of await repo.filesOfYear(db, q.frameworkId, year)) {
    const list = filesByKey.get(f.standardKey) ?? [];
    list.push(f);
    filesByKey.set(f.standardKey, list);
  }

  const total = emptyCounts();
  const byItem = new Map<string, TFilingCounts & { key: string; code: string; text: string }>();
  const byUnit = new Map<number | null, TFilingCounts & { unitId: number | null; name: string }>();
  const planned: PlannedStandard[] = standards.map((s) => {
    const d = dossiers.get(s.key);
    const state = d?.state ?? 'none';
    const statement = d?.statement ?? '';
    const raw = filesByKey.get(s.key) ?? [];
    const c = standardCompleteness(window, { state, statement, files: raw });
    let seq = 0;
    const files: PlannedFile[] = raw.map((f) => {
      const outside = f.docDate < window.from || f.docDate > window.to;
      if (outside) return { ...f, name: '', status: 'outside_window' };
      if (state !== 'approved') return { ...f, name: '', status: 'unapproved' };
      seq++;
      return { ...f, name: fileName(template, s.code, seq, extOf(f)), status: 'filed' };
    });
    const leadUnits = s.units.filter((u) => s.leadUnitIds.includes(u.id));
    const row: TFilingStandard = {
      key: s.key,
      code: s.code,
      text: s.text,
      itemKey: s.itemKey,
      itemCode: s.itemCode,
      itemText: s.itemText,
      leadUnits,
      state,
      folder: folderName(template, s.code, s.text),
      ...c,
      bytes: files.filter((f) => f.status === 'filed').reduce((n, f) => n + f.size, 0),
    };
    add(total, row);
    const item = byItem.get(s.itemKey) ?? {
      ...emptyCounts(),
      key: s.itemKey,
      code: s.itemCode,
      text: s.itemText,
    };
    add(item, row);
    byItem.set(s.itemKey, item);
    for (const u of leadUnits.length ? leadUnits : [null]) {
      const id = u?.id ?? null;
      const unit = byUnit.get(id) ?? {
        ...emptyCounts(),
        unitId: id,
        name: u?.name ?? '未分解 / unassigned',
      };
      add(unit, row);
      byUnit.set(id, unit);
    }
    return { standard: s, row, statement, files };
  });

  return {
    template,
    standards: planned,
    completeness: {
      frameworkId: q.frameworkId,
      year,
      edition,
      window,
      total,
      items: [...byItem.values()],
      // The least complete units first: the office chases them.
      units: [...byUnit.values()].sort(
        (a, b) => a.complete / (a.standards || 1) - b.complete / (b.standards || 1),
      ),
      standards: planned.map((p) => p.row),
      editions: Object.values(FILING_TEMPLATES).map((t) => ({
        edition: t.edition,
        zh: t.label.zh,
        en: t.label.en,
      })),
    },
  };
}

export async function filingCompleteness(
  database: Database,
  actor: Actor,
  year: number,
  q: TFilingQuery,
): Promise<TFilingCompleteness> {
  return (await planFiling(database, actor, year, q)).completeness;
}
