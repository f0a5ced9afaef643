import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import {
  dropDatabaseWhenFree,
  execRows,
  openDatabase,
  type Database,
} from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedDemoCity } from '../server/db/seed/demo-city.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { fmt, memoryMb, startBenchApp } from './lib.js';

// Frameworks benchmark (issue #4): import a generated 500-standard framework sheet and a
// 2,000-row 任务分解 sheet through the API (upload, parse, validate every row, resolve units,
// one transaction, audit), each next to a raw bulk INSERT of the same rows on the same database.
// Target: each import < 5 s.

const ITEMS = 10;
const CONTENTS = 5;
const STANDARDS = 10; // per content → 500 standards
const LEADS_PER_STANDARD = 4; // → 2,000 task rows
const EXTRA_UNITS = 300;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const METHODS = ['材料审核', '实地考察', '问卷调查', '实景模拟验证'];
const HEADERS = [
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

const unitName = (i: number) => `压测责任单位${i}号`;
const unitShort = (i: number) => `压测${i}`;
const code = (i: number, c: number, s: number) => `I${i + 1}.${c + 1}.${s + 1}`;

async function sheet(rows: (string | number | null)[][], merges: string[] = []): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务分解');
  ws.addRow(['示范市创建全国文明城市任务分解表（压测）']);
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  for (const m of merges) ws.mergeCells(m);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** 500 standards, one row each, item/content cells merged over their rows, units by short name. */
async function frameworkSheet(): Promise<Buffer> {
  const rows: (string | number | null)[][] = [];
  const merges: string[] = [];
  let r = 3;
  for (let i = 0; i < ITEMS; i++) {
    const itemStart = r;
    for (let c = 0; c < CONTENTS; c++) {
      const contentStart = r;
      for (let s = 0; s < STANDARDS; s++) {
        const k = (i * CONTENTS + c) * STANDARDS + s;
        rows.push([
          r === itemStart ? `I${i + 1} 压测项目${i + 1}` : null,
          r === contentStart ? `I${i + 1}.${c + 1} 压测内容${i + 1}-${c + 1}` : null,
          code(i, c, s),
          `压测标准${k + 1}：有制度、有台账、有成效，群众满意率达到要求`,
          METHODS[k % METHODS.length]!,
          (k % 4) + 1,
          unitShort(k % EXTRA_UNITS),
          `${unitShort((k + 1) % EXTRA_UNITS)}、${unitName((k + 2) % EXTRA_UNITS)}`,
          `领导${k % 12}`,
          `2026-${String((k % 12) + 1).padStart(2, '0')}-28`,
        ]);
        r++;
      }
      merges.push(`B${contentStart}:B${r - 1}`);
    }
    merges.push(`A${itemStart}:A${r - 1}`);
  }
  return sheet(rows, merges);
}

/** 2,000 task rows against the same standards: four lead units per standard. */
async function assignmentSheet(): Promise<Buffer> {
  const rows: (string | number | null)[][] = [];
  let k = 0;
  for (let i = 0; i < ITEMS; i++)
    for (let c = 0; c < CONTENTS; c++)
      for (let s = 0; s < STANDARDS; s++, k++)
        for (let l = 0; l < LEADS_PER_STANDARD; l++) {
          rows.push([
            null,
            null,
            code(i, c, s),
            null,
            null,
            null,
            unitName((k * LEADS_PER_STANDARD + l) % EXTRA_UNITS),
            unitShort((k + l + 7) % EXTRA_UNITS),
            `领导${l}`,
            '长期坚持',
          ]);
        }
  return sheet(rows);
}

/** Baseline for the framework import: the same 500 nodes and 500 tasks as raw multi-row INSERTs. */
async function rawFramework(
  database: Database,
  frameworkId: number,
  unitIds: number[],
): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [v] = await execRows<{ id: number }>(
      tx,
      sql`insert into framework_versions (framework_id, number, status, source)
          values (${frameworkId}, (select coalesce(max(number), 0) + 1 from framework_versions
            where framework_id = ${frameworkId}), 'superseded', '{}'::jsonb) returning id`,
    );
    const vid = Number(v!.id);
    const items = await execRows<{ id: number }>(
      tx,
      sql`insert into framework_nodes (version_id, kind, key, code, text, position) values ${sql.join(
        Array.from(
          { length: ITEMS },
          (_, i) => sql`(${vid}, 'item', ${randomUUID()}, ${`I${i + 1}`}, ${`项目${i}`}, ${i})`,
        ),
        sql`, `,
      )} returning id`,
    );
    const contents = await execRows<{ id: number }>(
      tx,
      sql`insert into framework_nodes (version_id, parent_id, kind, key, code, text, position) values ${sql.join(
        items.flatMap((it, i) =>
          Array.from(
            { length: CONTENTS },
            (_, c) =>
              sql`(${vid}, ${Number(it.id)}, 'content', ${randomUUID()}, ${`I${i + 1}.${c + 1}`}, ${'内容'}, ${c})`,
          ),
        ),
        sql`, `,
      )} returning id`,
    );
    const standards = await execRows<{ id: number }>(
      tx,
      sql`insert into framework_nodes (version_id, parent_id, kind, key, code, text, method, max_score, position) values ${sql.join(
        contents.flatMap((ct, j) =>
          Array.from(
            { length: STANDARDS },
            (_, s) =>
              sql`(${vid}, ${Number(ct.id)}, 'standard', ${randomUUID()}, ${`R${j}.${s}`}, ${'压测标准：有制度、有台账、有成效'}, 'material', ${1}, ${s})`,
          ),
        ),
        sql`, `,
      )} returning id`,
    );
    await rawTasks(
      tx,
      vid,
      standards.map((x) => Number(x.id)),
      unitIds,
      1,
    );
  });
  await database.afterCommit();
}

/** Inserts `leads` tasks per standard (each with one responsible unit) as multi-row INSERTs. */
async function rawTasks(
  tx: Parameters<Parameters<Database['db']['transaction']>[0]>[0],
  vid: number,
  standardIds: number[],
  unitIds: number[],
  leads: number,
): Promise<void> {
  const tasks = standardIds.flatMap((standardId, k) =>
    Array.from({ length: leads }, (_, l) => ({
      standardId,
      lead: unitIds[(k * leads + l) % unitIds.length]!,
      other: unitIds[(k + l + 7) % unitIds.length]!,
    })),
  );
  for (let i = 0; i < tasks.length; i += 1000) {
    const part = tasks.slice(i, i + 1000);
    const ids = await execRows<{ id: number }>(
      tx,
      sql`insert into assignments (version_id, standard_id, lead_unit_id, leader_name, due_text, position) values ${sql.join(
        part.map(
          (t, p) => sql`(${vid}, ${t.standardId}, ${t.lead}, ${'领导'}, ${'长期坚持'}, ${p})`,
        ),
        sql`, `,
      )} returning id`,
    );
    await tx.execute(
      sql`insert into assignment_units (assignment_id, unit_id, position) values ${sql.join(
        ids.map((r, p) => sql`(${Number(r.id)}, ${part[p]!.other}, 0)`),
        sql`, `,
      )} on conflict do nothing`,
    );
  }
}

/** Baseline for the task import: replace a version's tasks with 2,000 rows, raw. */
async function rawReplaceTasks(database: Database, vid: number, unitIds: number[]): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`delete from assignments where version_id = ${vid}`);
    const ids = await execRows<{ id: number }>(
      tx,
      sql`select id from framework_nodes where version_id = ${vid} and kind = 'standard' order by id`,
    );
    await rawTasks(
      tx,
      vid,
      ids.map((r) => Number(r.id)),
      unitIds,
      LEADS_PER_STANDARD,
    );
  });
  await database.afterCommit();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function runOn(label: string, open: () => Promise<Database>): Promise<void> {
  const database = await open();
  await runMigrations(database);
  await seedReferenceData(database);
  await seedDemoCity(database);
  await database.db.execute(
    sql`insert into units (code, name, short_name, type) values ${sql.join(
      Array.from(
        { length: EXTRA_UNITS },
        (_, i) => sql`(${`BENCH-${i}`}, ${unitName(i)}, ${unitShort(i)}, 'other')`,
      ),
      sql`, `,
    )}`,
  );
  const unitIds = (
    await execRows<{ id: number }>(
      database.db,
      sql`select id from units where code like 'BENCH-%' order by id`,
    )
  ).map((r) => Number(r.id));
  await database.afterCommit();
  const fwFile = await frameworkSheet();
  const taskFile = await assignmentSheet();
  const { base, cookie, csrf, close } = await startBenchApp(database);
  const headers = { cookie, 'x-csrf-token': csrf };
  const campaign = (await (
    await fetch(`${base}/api/campaigns`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `压测创建周期${Date.now()}`,
        cycleStartYear: 2026,
        cycleYears: 3,
        cycleWeights: [15, 25, 60],
        methodWeights: { material: 40, field: 40, survey: 20 },
        surveyFloor: { enabled: true, minRate: 80, effect: 'flag' },
      }),
    })
  ).json()) as { id: number };
  const upload = async (url: string, file: Buffer, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), name);
    const t0 = performance.now();
    const res = await fetch(url, { method: 'POST', headers, body: form });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status >= 300) throw new Error(`${url}: ${res.status} ${body.slice(0, 500)}`);
    return { ms, body: JSON.parse(body) as Record<string, number> };
  };

  console.log(
    `\n== ${label}: ${ITEMS * CONTENTS * STANDARDS} standards, ${ITEMS * CONTENTS * STANDARDS * LEADS_PER_STANDARD} task rows, median of ${RUNS} runs`,
  );
  const fwTimes: number[] = [];
  const taskTimes: number[] = [];
  const rawFwTimes: number[] = [];
  const rawTaskTimes: number[] = [];
  let lastVersion = 0;
  let frameworkId = 0;
  for (let run = 0; run < RUNS; run++) {
    const fw = await upload(
      `${base}/api/campaigns/${campaign.id}/frameworks/import?name=${encodeURIComponent(`压测体系${run}`)}`,
      fwFile,
      'framework.xlsx',
    );
    if (fw.body.standards !== 500 || fw.body.assignments !== 500) {
      throw new Error(`unexpected framework import result ${JSON.stringify(fw.body)}`);
    }
    fwTimes.push(fw.ms);
    lastVersion = fw.body.versionId!;
    frameworkId = fw.body.frameworkId!;
    const tasks = await upload(
      `${base}/api/framework-versions/${lastVersion}/assignments/import`,
      taskFile,
      'tasks.xlsx',
    );
    if (tasks.body.assignments !== 2000)
      throw new Error(`unexpected ${JSON.stringify(tasks.body)}`);
    taskTimes.push(tasks.ms);
    let t0 = performance.now();
    await rawFramework(database, frameworkId, unitIds);
    rawFwTimes.push(performance.now() - t0);
    t0 = performance.now();
    await rawReplaceTasks(database, lastVersion, unitIds);
    rawTaskTimes.push(performance.now() - t0);
  }
  const rawFw = median(rawFwTimes);
  const rawTask = median(rawTaskTimes);
  const line = (name: string, ms: number, base?: number) =>
    `${name.padEnd(58)} ${fmt(ms / 1000, 2).padStart(6)} s${base ? `  (${fmt(ms / base, 1)}× the raw insert)` : ''}${base ? `  target < 5 s: ${ms < 5000 ? 'met' : 'NOT met'}` : ''}`;
  console.log(line('baseline: raw INSERT of 500 nodes + 500 tasks (1 tx)', rawFw));
  console.log(
    line('POST …/frameworks/import, XLSX, 500 standards + 500 tasks', median(fwTimes), rawFw),
  );
  console.log(line('baseline: raw DELETE + INSERT of 2,000 tasks (1 tx)', rawTask));
  console.log(line('POST …/assignments/import, XLSX, 2,000 task rows', median(taskTimes), rawTask));
  const ms = (xs: number[]) => xs.map((x) => fmt(x, 0)).join(', ');
  console.log(
    `runs (ms): framework ${ms(fwTimes)}; raw ${ms(rawFwTimes)}; tasks ${ms(taskTimes)}; raw ${ms(rawTaskTimes)}`,
  );
  console.log(
    `file sizes: framework ${fmt(fwFile.length / 1024, 0)} KB, tasks ${fmt(taskFile.length / 1024, 0)} KB; memory: ${memoryMb()}`,
  );
  await close();
  await database.close();
}

export async function frameworksBench(): Promise<void> {
  const dirs: string[] = [];
  try {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-'));
    dirs.push(dir);
    await runOn('PGlite, PGLITE_DURABILITY=strict', () =>
      openDatabase({ pgliteDir: dir, pgliteDurability: 'strict' }),
    );
    const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
    if (url) {
      const name = `cc_bench_fw_${Date.now().toString(36)}`;
      const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
      await admin.db.execute(sql.raw(`create database ${name}`));
      await admin.close();
      const u = new URL(url);
      u.pathname = `/${name}`;
      try {
        await runOn('PostgreSQL', () => openDatabase({ databaseUrl: u.toString(), poolSize: 10 }));
      } finally {
        await dropDatabaseWhenFree(url, name);
      }
    } else {
      console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    }
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}
