import ExcelJS from 'exceljs';
import type { TCampaign, TFrameworkTree } from '../../core/contracts/frameworks.js';
import type { Agent, Res } from './harness.js';

/** Helpers for the frameworks tests: campaigns, workbooks built with exceljs, trees. */

export const WEIGHTS = {
  cycleStartYear: 2026,
  cycleYears: 3,
  cycleWeights: [15, 25, 60],
  methodWeights: { material: 40, field: 40, survey: 20 },
  surveyFloor: { enabled: true, minRate: 80, effect: 'veto' as const, points: 0 },
};

export async function createCampaign(office: Agent, name: string): Promise<TCampaign> {
  const res = await office.post('/api/campaigns', { name, ...WEIGHTS });
  if (res.statusCode !== 201) throw new Error(`campaign: ${res.statusCode} ${res.body}`);
  return res.json<TCampaign>();
}

export async function tree(agent: Agent, versionId: number): Promise<TFrameworkTree> {
  const res = await agent.get(`/api/framework-versions/${versionId}/tree`);
  if (res.statusCode !== 200) throw new Error(`tree: ${res.statusCode} ${res.body}`);
  return res.json<TFrameworkTree>();
}

/** Every standard of a tree, flat, in order. */
export function standardsOf(t: TFrameworkTree) {
  return t.items.flatMap((i) => i.children.flatMap((c) => c.children));
}

export type Cell = string | number | Date | null;
export const SHEET_HEADERS = [
  '项目',
  '内容',
  '标准编号',
  '标准',
  '方法',
  '分值',
  '牵头单位',
  '责任单位',
  '包抓领导',
  '时限',
];

/** A workbook with optional title rows, the header row, data rows and merged ranges ("A3:A5"). */
export async function workbook(
  rows: Cell[][],
  opts: { headers?: string[]; title?: string; merges?: string[] } = {},
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务分解');
  if (opts.title) {
    ws.addRow([opts.title]);
    ws.mergeCells(1, 1, 1, (opts.headers ?? SHEET_HEADERS).length);
  }
  ws.addRow(opts.headers ?? SHEET_HEADERS);
  for (const r of rows) ws.addRow(r);
  for (const m of opts.merges ?? []) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads a downloaded workbook back as text cells (first sheet). */
export async function readBack(res: Res): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const out: string[][] = [];
  for (let r = 1; r <= ws.rowCount; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = ws.getRow(r).getCell(c).value;
      cells.push(typeof v === 'string' || typeof v === 'number' ? String(v) : '');
    }
    out.push(cells);
  }
  return out;
}

export function expectStatus(res: Res, status: number): Res {
  if (res.statusCode !== status) {
    throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body.slice(0, 800)}`);
  }
  return res;
}
