import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDossier } from '../../../core/contracts/evidence.js';
import type { TFilingCompleteness, TFilingStandard } from '../../../core/contracts/filing.js';
import { execRows } from '../../db/client.js';
import { regions } from '../../db/schema/index.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { getAs, VIDEO_FIXTURE } from '../../test/media.js';
import { minimalPdf } from '../../test/pdf.js';
import { zipEntries } from '../files/documents.js';

// 网上申报: completeness of a year's filing (filed, outside the window, not approved, statement) and
// the package read back: entries and names, stored vs deflated, the index, the submission form,
// the completeness report; who may read it.

let t: TestApp;
let office: Agent;
let unit: Agent;
let leader: Agent;
let districtOffice: Agent;
let inspector: Agent;
let fw = 0;
let campaignId = 0;
const YEAR = 2026;
/** A: approved, three files (one later outside the window); B: submitted; C: draft without a
 * statement; D: nothing at all. */
const key = { A: '', B: '', C: '', D: '' };
const code = { A: '', B: '', C: '', D: '' };
const text = { A: '' };

const PDF = minimalPdf('创建工作方案');
let PNG: Buffer;
let XLSX: Buffer;
let MP4: Buffer;

/** A part of a multipart body: a field, or a file under its field name. */
type Part = { field: string; value: string } | { field: string; name: string; data: Buffer };

function multipartParts(parts: Part[]) {
  const boundary = `----cc${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"\r\n\r\n${p.value}\r\n`,
        ),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${p.field}"; filename="${p.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        p.data,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), boundary };
}

function multipart(fields: Record<string, string>, file: { name: string; data: Buffer }) {
  return multipartParts([
    ...Object.entries(fields).map(([field, value]) => ({ field, value })),
    { field: 'file', ...file },
  ]);
}

/** Sends a multipart body (fields, poster, file in the order given) as the agent. */
function send(agent: Agent, method: 'POST' | 'PUT', url: string, parts: Part[]): Promise<Res> {
  const { payload, boundary } = multipartParts(parts);
  return t.app.inject({
    method,
    url,
    headers: {
      cookie: agent.cookie,
      'x-csrf-token': agent.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload,
  });
}

async function upload(
  agent: Agent,
  k: string,
  file: { name: string; data: Buffer },
  docDate: string,
  title?: string,
): Promise<Res> {
  const { payload, boundary } = multipart({ docDate, ...(title ? { title } : {}) }, file);
  return t.app.inject({
    method: 'POST',
    url: `/api/evidence/${fw}/${YEAR}/${k}/files`,
    headers: {
      cookie: agent.cookie,
      'x-csrf-token': agent.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload,
  });
}

const dossierUrl = (k: string, tail = '') => `/api/evidence/${fw}/${YEAR}/${k}${tail}`;

async function ok(res: Promise<Res>, status = 200): Promise<TDossier> {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json<TDossier>();
}

const completeness = async (agent: Agent = office) => {
  const res = await agent.get(`/api/filing/${YEAR}/completeness?frameworkId=${fw}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TFilingCompleteness>();
};
const row = (c: TFilingCompleteness, k: string): TFilingStandard =>
  c.standards.find((s) => s.key === k)!;

async function sheetRows(data: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((r) => {
    const values = (r.values as unknown[])
      .slice(1)
      .map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : ''));
    out.push(values);
  });
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  office = await t.login('office', DEMO_PASSWORD);
  unit = await t.login('unit', DEMO_PASSWORD);
  leader = await t.login('leader', DEMO_PASSWORD);
  inspector = await t.login('inspector', DEMO_PASSWORD);
  const [city] = await t.database.db
    .select()
    .from(regions)
    .where(eq(regions.level, 'city'))
    .orderBy(regions.id)
    .limit(1);
  const district = await buildRegion(t.database.db, {
    name: '申报测试区',
    level: 'district',
    parent: city!,
  });
  await buildUser(t.database.db, {
    username: 'district-office',
    roles: ['office'],
    regionId: district.id,
  });
  districtOffice = await t.login('district-office');
  PNG = await sharp({
    create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 30, b: 30 } },
  })
    .png()
    .toBuffer();
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('统计').addRow(['街道', '数量']);
  XLSX = Buffer.from(await wb.xlsx.writeBuffer());
  MP4 = VIDEO_FIXTURE;

  const unitId = (await unit.get('/api/auth/me')).json().user.unitId as number;
  const rows = await execRows<{
    framework_id: number;
    campaign_id: number;
    version_id: number;
    standard_id: number;
    key: string;
    code: string;
    text: string;
  }>(
    t.database.db,
    sql`select v.framework_id, f.campaign_id, v.id as version_id, n.id as standard_id, n.key,
               n.code, n.text
          from framework_nodes n
          join framework_versions v on v.id = n.version_id and v.status = 'published'
          join frameworks f on f.id = v.framework_id
         where n.method = 'material' and n.kind = 'standard'
         order by n.id`,
  );
  fw = Number(rows[0]!.framework_id);
  campaignId = Number(rows[0]!.campaign_id);
  const mine = rows.filter((r) => Number(r.framework_id) === fw).slice(0, 4);
  // The demo unit leads A, B and C (任务分解); D is left to whoever leads it.
  for (const r of mine.slice(0, 3)) {
    await execRows(
      t.database.db,
      sql`delete from assignments where standard_id = ${r.standard_id}`,
    );
    const res = await office.post(`/api/framework-versions/${r.version_id}/assignments`, {
      standardId: Number(r.standard_id),
      leadUnitId: unitId,
      responsibleUnitIds: [],
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  (['A', 'B', 'C', 'D'] as const).forEach((k, i) => {
    key[k] = mine[i]!.key;
    code[k] = mine[i]!.code;
  });
  text.A = mine[0]!.text;

  // A: a PDF, a photo, a table dated early in the window and a video; statement; approved.
  await ok(upload(unit, key.A, { name: '方案.pdf', data: PDF }, '2026-06-01', '工作方案'), 201);
  await ok(upload(unit, key.A, { name: '现场.png', data: PNG }, '2026-05-01', '现场照片'), 201);
  await ok(upload(unit, key.A, { name: '统计.xlsx', data: XLSX }, '2025-11-05', '年度统计'), 201);
  let d = await ok(
    upload(unit, key.A, { name: '宣传片.mp4', data: MP4 }, '2026-07-01', '宣传视频'),
    201,
  );
  d = await ok(
    unit.put(dossierUrl(key.A, '/statement'), { statement: '已按要求落实。', version: d.version }),
  );
  d = await ok(unit.post(dossierUrl(key.A, '/submit'), { version: d.version }));
  await ok(
    office.post(dossierUrl(key.A, '/review'), {
      action: 'approve',
      grade: 'A',
      version: d.version,
    }),
  );
  // B: submitted, not reviewed yet.
  d = await ok(upload(unit, key.B, { name: '台账.pdf', data: PDF }, '2026-03-01', '台账'), 201);
  d = await ok(
    unit.put(dossierUrl(key.B, '/statement'), { statement: '台账齐全。', version: d.version }),
  );
  await ok(unit.post(dossierUrl(key.B, '/submit'), { version: d.version }));
  // C: a file, no statement (draft).
  await ok(upload(unit, key.C, { name: '通知.pdf', data: PDF }, '2026-04-01', '通知'), 201);

  // The test date is announced for 2027-01-01: the window moves to 2025-12-01 … 2026-11-30, and
  // A's table (2025-11-05) falls outside it.
  const settings = (await office.get(`/api/evidence/settings/${campaignId}`)).json<{
    rules: Record<string, unknown>;
    version: number;
  }>();
  const put = await office.put(`/api/evidence/settings/${campaignId}`, {
    rules: { ...settings.rules, testDates: { [String(YEAR)]: '2027-01-01' } },
    version: settings.version,
  });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(() => t.close());

describe('completeness', () => {
  it('counts per standard what is filed, outside the window, not approved, and the statement', async () => {
    const c = await completeness();
    expect(c.window).toMatchObject({
      from: '2025-12-01',
      to: '2026-11-30',
      testDate: '2027-01-01',
    });
    expect(row(c, key.A)).toMatchObject({
      state: 'approved',
      filed: 3,
      outsideWindow: 1,
      unapproved: 0,
      hasStatement: true,
      missingFiles: false,
      complete: true,
      folder: expect.stringMatching(new RegExp(`^${code.A.replace(/\./g, '\\.')} `)),
    });
    expect(row(c, key.A).bytes).toBeGreaterThan(PDF.length + MP4.length);
    expect(row(c, key.B)).toMatchObject({
      state: 'submitted',
      filed: 0,
      unapproved: 1,
      hasStatement: true,
      missingFiles: true,
      complete: false,
    });
    expect(row(c, key.C)).toMatchObject({
      state: 'draft',
      filed: 0,
      unapproved: 1,
      hasStatement: false,
      complete: false,
    });
    expect(row(c, key.D)).toMatchObject({
      state: 'none',
      filed: 0,
      outsideWindow: 0,
      unapproved: 0,
      hasStatement: false,
      missingFiles: true,
    });
  });

  it('rolls up per item and per lead unit, adding up to the total', async () => {
    const c = await completeness();
    const sum = (k: 'filed' | 'complete' | 'standards' | 'missingStatement') =>
      c.items.reduce((n, i) => n + i[k], 0);
    expect(sum('standards')).toBe(c.standards.length);
    expect(sum('filed')).toBe(c.total.filed);
    expect(sum('complete')).toBe(c.total.complete);
    expect(c.total.missingStatement).toBe(c.standards.filter((s) => !s.hasStatement).length);
    const demoUnit = c.units.find((u) => row(c, key.A).leadUnits.some((l) => l.id === u.unitId))!;
    expect(demoUnit).toMatchObject({ filed: 3, outsideWindow: 1, unapproved: 2, complete: 1 });
    expect(demoUnit.standards).toBeGreaterThanOrEqual(3);
  });

  it('is the city’s: leaders read it; units, district offices and inspectors do not', async () => {
    expect((await completeness(leader)).standards.length).toBeGreaterThan(3);
    for (const a of [unit, districtOffice, inspector]) {
      const res = await a.get(`/api/filing/${YEAR}/completeness?frameworkId=${fw}`);
      expect(res.statusCode, res.body).toBe(403);
      const zip = await a.get(`/api/filing/${YEAR}/package.zip?frameworkId=${fw}`);
      expect(zip.statusCode).toBe(403);
    }
  });

  it('refuses an unknown edition and framework with 4xx', async () => {
    const e = await office.get(`/api/filing/${YEAR}/completeness?frameworkId=${fw}&edition=1999`);
    expect(e.statusCode).toBe(400);
    const f = await office.get(`/api/filing/${YEAR}/completeness?frameworkId=999999`);
    expect(f.statusCode).toBe(404);
  });
});

describe('package', () => {
  let zipData: Buffer;
  let zip: JSZip;
  let c: TFilingCompleteness;
  beforeAll(async () => {
    c = await completeness();
    const res = await office.get(`/api/filing/${YEAR}/package.zip?frameworkId=${fw}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(String(res.headers['content-disposition'])).toContain(
      encodeURIComponent('网上申报材料'),
    );
    expect(Number(res.headers['x-filing-bytes'])).toBe(c.total.bytes);
    zipData = res.rawPayload;
    zip = await JSZip.loadAsync(zipData);
  });

  it('has the index and report at the root and a folder per standard named by its number', () => {
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
    expect(names).toContain('材料索引.xlsx');
    expect(names).toContain('完整性报告.txt');
    const folderA = row(c, key.A).folder;
    expect(folderA.startsWith(`${code.A} `)).toBe(true);
    expect(folderA).toContain([...text.A].slice(0, 10).join(''));
    const inA = names.filter((n) => n.startsWith(`${folderA}/`)).sort();
    // Files in date order: the photo (05-01), the PDF (06-01), the video (07-01); the table is
    // outside the window and left out.
    const pngOrJpg = inA.find((n) => n.startsWith(`${folderA}/${code.A}-1.`))!;
    expect(pngOrJpg).toMatch(/\.(png|jpg|jpeg|webp)$/);
    expect(inA).toEqual(
      [
        pngOrJpg,
        `${folderA}/${code.A}-2.pdf`,
        `${folderA}/${code.A}-3.mp4`,
        `${folderA}/${code.A}-情况说明.txt`,
        `${folderA}/${code.A}-测评材料提交表.xlsx`,
      ].sort(),
    );
    // Every material standard has its form, even one with nothing filed.
    for (const s of c.standards) {
      expect(names).toContain(`${s.folder}/${s.code}-测评材料提交表.xlsx`);
    }
    // Nothing of B (not approved) or C (draft) is filed.
    expect(names.filter((n) => n.startsWith(`${row(c, key.B).folder}/${code.B}-1`))).toEqual([]);
    expect(names.filter((n) => n.startsWith(`${row(c, key.C).folder}/${code.C}-1`))).toEqual([]);
  });

  it('carries the files unchanged; media stored as they are, text deflated', async () => {
    const folderA = row(c, key.A).folder;
    const pdf = await zip.file(`${folderA}/${code.A}-2.pdf`)!.async('nodebuffer');
    expect(pdf.equals(PDF)).toBe(true);
    const video = await zip.file(`${folderA}/${code.A}-3.mp4`)!.async('nodebuffer');
    expect(video.equals(MP4)).toBe(true);
    const methods = new Map(zipEntries(zipData)!.map((e) => [e.name, e.method]));
    expect(methods.get(`${folderA}/${code.A}-3.mp4`)).toBe(0);
    expect(methods.get(`${folderA}/${code.A}-2.pdf`)).toBe(0);
    expect(methods.get('完整性报告.txt')).toBe(8);
    expect(methods.get(`${folderA}/${code.A}-情况说明.txt`)).toBe(8);
    const statement = await zip.file(`${folderA}/${code.A}-情况说明.txt`)!.async('string');
    expect(statement).toContain('已按要求落实。');
  });

  it('indexes every filed file with its standard, type, date, size and unit', async () => {
    const rows = await sheetRows(await zip.file('材料索引.xlsx')!.async('nodebuffer'));
    expect(rows[0]).toEqual([
      '测评标准编号',
      '测评标准',
      '文件名',
      '材料名称',
      '材料类型',
      '形成日期',
      '大小（字节）',
      '时长',
      '提供单位',
      '包内路径',
    ]);
    expect(rows.length - 1).toBe(c.total.filed);
    const ofA = rows.filter((r) => r[0] === code.A);
    expect(ofA.map((r) => [r[2]!.replace(/\.\w+$/, ''), r[3], r[4], r[5]])).toEqual([
      [`${code.A}-1`, '现场照片', '实景图片', '2026-05-01'],
      [`${code.A}-2`, '工作方案', '文件资料', '2026-06-01'],
      [`${code.A}-3`, '宣传视频', '音视频', '2026-07-01'],
    ]);
    expect(ofA[1]![6]).toBe(String(PDF.length));
    expect(ofA[2]![6]).toBe(String(MP4.length));
    // The video's length, read from its movie header at upload; documents have none.
    expect(ofA.map((r) => r[7] ?? '')).toEqual(['', '', '0:01']);
    const unitName = row(c, key.A).leadUnits[0]!.name;
    expect(ofA.every((r) => r[8] === unitName)).toBe(true);
    expect(ofA[1]![9]).toBe(`${row(c, key.A).folder}/${code.A}-2.pdf`);
  });

  it('fills each standard’s 测评材料提交表', async () => {
    const folderA = row(c, key.A).folder;
    const rows = await sheetRows(
      await zip.file(`${folderA}/${code.A}-测评材料提交表.xlsx`)!.async('nodebuffer'),
    );
    expect(rows[0]![0]).toBe('测评材料提交表');
    const heading = new Map(rows.slice(1, 6).map((r) => [r[0], r[1]]));
    expect(heading.get('测评标准编号')).toBe(code.A);
    expect(heading.get('测评标准')).toBe(text.A);
    expect(heading.get('牵头单位')).toBe(row(c, key.A).leadUnits[0]!.name);
    expect(heading.get('情况说明')).toBe('已按要求落实。');
    const header = rows.findIndex((r) => r[0] === '序号');
    const files = rows.slice(header + 1);
    expect(files.map((r) => [r[0], r[2], r[3]])).toEqual([
      ['1', '现场照片', '实景图片'],
      ['2', '工作方案', '文件资料'],
      ['3', '宣传视频', '音视频'],
    ]);
    expect(files[1]![1]).toBe(`${code.A}-2.pdf`);
  });

  it('reports what is missing, outside the window or not approved', async () => {
    const report = await zip.file('完整性报告.txt')!.async('string');
    expect(report).toContain('材料有效期：2025-12-01 至 2026-11-30');
    expect(report).toContain('有效期外：年度统计（2025-11-05）');
    expect(report).toContain('档案未通过审核（待审核）：台账（2026-03-01）');
    const cBlock = report.split('\r\n').findIndex((l) => l.startsWith(`${code.C} `));
    expect(
      report
        .split('\r\n')
        .slice(cBlock, cBlock + 4)
        .join('\n'),
    ).toContain('缺少情况说明');
    expect(report).toContain(`${code.D} `);
  });

  it('lists a file that storage lost in the report and leaves it out, rather than failing', async () => {
    const [f] = await execRows<{ storage_key: string }>(
      t.database.db,
      sql`select f.storage_key from evidence_files ef join files f on f.id = ef.file_id
           where f.mime = 'application/pdf' and ef.title = '工作方案'`,
    );
    const saved = (await t.storage.get(f!.storage_key))!;
    await t.storage.delete(f!.storage_key);
    try {
      const res = await office.get(`/api/filing/${YEAR}/package.zip?frameworkId=${fw}`);
      expect(res.statusCode).toBe(200);
      const z = await JSZip.loadAsync(res.rawPayload);
      expect(z.file(`${row(c, key.A).folder}/${code.A}-2.pdf`)).toBeNull();
      const report = await z.file('完整性报告.txt')!.async('string');
      expect(report).toContain(`存储中找不到文件，未纳入：${code.A}-2.pdf（工作方案）`);
    } finally {
      await t.storage.put(f!.storage_key, saved, 'application/pdf');
    }
  });
});

describe('audio and video as evidence', () => {
  const mp3 = () =>
    Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), randomBytes(2048)]);

  it('takes MP3 and MP4 by their bytes and stores them as they came', async () => {
    const data = mp3();
    const d = await ok(
      upload(unit, key.C, { name: '广播.mp3', data }, '2026-04-02', '广播稿录音'),
      201,
    );
    const f = d.files.find((x) => x.title === '广播稿录音')!;
    expect(f).toBeDefined();
    const [row] = await execRows<{ mime: string; size: number; storage_key: string }>(
      t.database.db,
      sql`select f.mime, f.size, f.storage_key from evidence_files ef join files f on f.id = ef.file_id
           where ef.title = '广播稿录音'`,
    );
    expect(row).toMatchObject({ mime: 'audio/mpeg', size: data.length });
    expect((await t.storage.get(row!.storage_key))!.equals(data)).toBe(true);
    // Served back as it came (streamed from storage), to those who may read the dossier.
    const back = await office.get(`/api/files/${f.fileId}`);
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('audio/mpeg');
    expect(back.headers['content-length']).toBe(String(data.length));
    expect(back.rawPayload.equals(data)).toBe(true);
  });

  it('refuses a name that lies about the type, and bytes that are no media', async () => {
    const lie = await upload(unit, key.C, { name: '录音.mp3', data: MP4 }, '2026-04-02');
    expect(lie.statusCode, lie.body).toBe(415);
    expect(lie.json().error.code).toBe('type_mismatch');
    const junk = await upload(
      unit,
      key.C,
      { name: '视频.mp4', data: randomBytes(4096) },
      '2026-04-02',
    );
    expect(junk.statusCode, junk.body).toBe(415);
    expect(junk.json().error.messageZh).toContain('音视频');
  });

  it('refuses media over the media limit (413) and keeps nothing of it', async () => {
    const small = await createTestApp(
      { MEDIA_UPLOAD_LIMIT_BYTES: String(64 * 1024) },
      { sharing: t },
    );
    try {
      const before = await execRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from files`,
      );
      const big = Buffer.concat([MP4.subarray(0, 32), randomBytes(200 * 1024)]);
      const a = await small.login('unit', DEMO_PASSWORD);
      const { payload, boundary } = multipart(
        { docDate: '2026-04-03' },
        { name: '大视频.mp4', data: big },
      );
      const res = await small.app.inject({
        method: 'POST',
        url: `/api/evidence/${fw}/${YEAR}/${key.C}/files`,
        headers: {
          cookie: a.cookie,
          'x-csrf-token': a.csrf,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload,
      });
      expect(res.statusCode, res.body).toBe(413);
      const after = await execRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from files`,
      );
      expect(after[0]!.n).toBe(before[0]!.n);
    } finally {
      await small.close();
    }
  });
});

describe('video poster frames', () => {
  const filesUrl = (k: string) => dossierUrl(k, '/files');
  const posterUrl = (k: string, id: number) => dossierUrl(k, `/files/${id}/poster`);
  const frame = (color: string, format: 'png' | 'jpeg' | 'gif' = 'png') =>
    sharp({ create: { width: 64, height: 64, channels: 3, background: color } })
      .toFormat(format)
      .toBuffer();
  const fileRow = async (id: string) =>
    (
      await execRows<{ duration_ms: number | null; poster_file_id: string | null; mime: string }>(
        t.database.db,
        sql`select duration_ms, poster_file_id, mime from files where id = ${id}`,
      )
    )[0]!;
  const count = async (table: 'files' | 'evidence_files') =>
    (
      await execRows<{ n: number }>(
        t.database.db,
        sql`select count(*)::int as n from ${sql.raw(table)}`,
      )
    )[0]!.n;

  it('takes a video with the poster its uploader’s browser drew: checked, stored, linked', async () => {
    const d = await ok(
      send(unit, 'POST', filesUrl(key.C), [
        { field: 'docDate', value: '2026-04-05' },
        { field: 'title', value: '志愿服务短片' },
        { field: 'poster', name: 'poster.jpg', data: await frame('#2a6', 'jpeg') },
        { field: 'file', name: '短片.mp4', data: VIDEO_FIXTURE },
      ]),
      201,
    );
    const f = d.files.find((x) => x.title === '志愿服务短片')!;
    expect(f).toMatchObject({ mime: 'video/mp4', size: VIDEO_FIXTURE.length, durationMs: 1000 });
    expect(f.posterUrl).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);
    expect(f.posterThumbUrl).toBe(`${f.posterUrl}/thumb`);
    const posterId = f.posterUrl!.split('/').pop()!;
    expect(await fileRow(f.fileId)).toEqual({
      duration_ms: 1000,
      poster_file_id: posterId,
      mime: 'video/mp4',
    });
    // The poster is an image like any photo (re-encoded JPEG with a thumbnail), read as the
    // video is: the dossier's readers, not others.
    for (const agent of [office, unit]) {
      const img = await agent.get(f.posterUrl!);
      expect(img.statusCode).toBe(200);
      expect(img.headers['content-type']).toBe('image/jpeg');
      expect((await sharp(img.rawPayload).metadata()).width).toBe(64);
      expect((await agent.get(f.posterThumbUrl!)).statusCode).toBe(200);
    }
    for (const agent of [leader, inspector, districtOffice]) {
      const video = (await agent.get(f.url)).statusCode;
      expect((await agent.get(f.posterUrl!)).statusCode).toBe(video);
    }
    expect((await inspector.get(f.posterUrl!)).statusCode).toBe(404);
    // The video seeks: a byte range of it.
    const part = await getAs(t, office, f.url, { range: 'bytes=0-7' });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(VIDEO_FIXTURE.subarray(0, 8))).toBe(true);
  });

  it('links a poster sent after the file to it', async () => {
    const d = await ok(
      send(unit, 'POST', filesUrl(key.C), [
        { field: 'docDate', value: '2026-04-06' },
        { field: 'title', value: '后附封面' },
        { field: 'file', name: 'late.mp4', data: VIDEO_FIXTURE },
        { field: 'poster', name: 'poster.png', data: await frame('#a26') },
      ]),
      201,
    );
    const f = d.files.find((x) => x.title === '后附封面')!;
    expect(f.posterUrl).not.toBeNull();
    expect((await fileRow(f.fileId)).poster_file_id).toBe(f.posterUrl!.split('/').pop());
  });

  it('refuses a poster that is no JPEG or PNG (415), or on a file that is no video (400), adding nothing', async () => {
    const before = { files: await count('files'), evidence: await count('evidence_files') };
    const cases: [Buffer, string, string, number, string][] = [
      [await frame('#26a', 'gif'), 'v.mp4', 'video', 415, 'not_a_poster'],
      [randomBytes(2048), 'v.mp4', 'video', 415, 'not_a_poster'],
      [await frame('#26a'), 'a.pdf', 'pdf', 400, 'not_a_video'],
      [await frame('#26a'), 'a.mp3', 'mp3', 400, 'not_a_video'],
    ];
    for (const [poster, name, kind, status, codeWanted] of cases) {
      const data =
        kind === 'pdf'
          ? PDF
          : kind === 'mp3'
            ? Buffer.concat([
                Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'),
                randomBytes(512),
              ])
            : VIDEO_FIXTURE;
      const res = await send(unit, 'POST', filesUrl(key.C), [
        { field: 'docDate', value: '2026-04-07' },
        { field: 'poster', name: 'poster.png', data: poster },
        { field: 'file', name, data },
      ]);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().error.code).toBe(codeWanted);
    }
    expect(await count('files')).toBe(before.files);
    expect(await count('evidence_files')).toBe(before.evidence);
  });

  it('refuses a poster over the upload limit (413)', async () => {
    const small = await createTestApp({ UPLOAD_LIMIT_BYTES: String(4096) }, { sharing: t });
    try {
      const a = await small.login('unit', DEMO_PASSWORD);
      const noise = await sharp(randomBytes(128 * 128 * 3), {
        raw: { width: 128, height: 128, channels: 3 },
      })
        .png()
        .toBuffer();
      expect(noise.length).toBeGreaterThan(4096);
      const { payload, boundary } = multipartParts([
        { field: 'docDate', value: '2026-04-08' },
        { field: 'poster', name: 'poster.png', data: noise },
        { field: 'file', name: 'v.mp4', data: VIDEO_FIXTURE },
      ]);
      const res = await small.app.inject({
        method: 'POST',
        url: filesUrl(key.C),
        headers: {
          cookie: a.cookie,
          'x-csrf-token': a.csrf,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        payload,
      });
      expect(res.statusCode, res.body).toBe(413);
    } finally {
      await small.close();
    }
  });

  it('lets the office set and replace a poster at any time; the unit only while it can edit', async () => {
    const approved = await ok(office.get(dossierUrl(key.A)));
    expect(approved.state).toBe('approved');
    const video = approved.files.find((x) => x.title === '宣传视频')!;
    expect(video.posterUrl).toBeNull();
    expect(video.durationMs).toBe(1000);
    expect(approved.can.poster).toBe(true);
    expect((await ok(unit.get(dossierUrl(key.A)))).can.poster).toBe(false);

    // The unit, once the dossier is approved: 409.
    const late = await send(unit, 'PUT', posterUrl(key.A, video.id), [
      { field: 'file', name: 'p.png', data: await frame('#555') },
    ]);
    expect(late.statusCode, late.body).toBe(409);

    const first = await ok(
      send(office, 'PUT', posterUrl(key.A, video.id), [
        { field: 'file', name: 'p1.png', data: await frame('#c33') },
      ]),
    );
    const p1 = first.files.find((x) => x.id === video.id)!.posterUrl!;
    expect(p1).toBeTruthy();
    expect(first.timeline.at(-1)).toMatchObject({ action: 'poster', comment: '宣传视频' });
    expect(first.version).toBe(approved.version);
    const second = await ok(
      send(office, 'PUT', posterUrl(key.A, video.id), [
        { field: 'file', name: 'p2.jpg', data: await frame('#33c', 'jpeg') },
      ]),
    );
    const p2 = second.files.find((x) => x.id === video.id)!.posterUrl!;
    expect(p2).not.toBe(p1);
    // The old poster is unlinked: the unit (which reads the video) reads the new one only.
    expect((await unit.get(p2)).statusCode).toBe(200);
    expect((await unit.get(p1)).statusCode).toBe(404);
    const audit = await execRows<{ after: { posterFileId: string } }>(
      t.database.db,
      sql`select after from audit_log where action = 'evidence.poster' order by id desc limit 1`,
    );
    expect(audit[0]!.after.posterFileId).toBe(p2.split('/').pop());

    // Not a video, not an image, no such file.
    const pdf = approved.files.find((x) => x.mime === 'application/pdf')!;
    const notVideo = await send(office, 'PUT', posterUrl(key.A, pdf.id), [
      { field: 'file', name: 'p.png', data: await frame('#555') },
    ]);
    expect(notVideo.statusCode, notVideo.body).toBe(400);
    const gif = await send(office, 'PUT', posterUrl(key.A, video.id), [
      { field: 'file', name: 'p.gif', data: await frame('#555', 'gif') },
    ]);
    expect(gif.statusCode, gif.body).toBe(415);
    const none = await send(office, 'PUT', posterUrl(key.A, 999_999), [
      { field: 'file', name: 'p.png', data: await frame('#555') },
    ]);
    expect(none.statusCode).toBe(404);
  });

  it('lets the unit set a poster on its own video while the dossier is a draft', async () => {
    const d = await ok(unit.get(dossierUrl(key.C)));
    expect(d.can.poster).toBe(true);
    const plain = await ok(
      upload(unit, key.C, { name: '无封面.mp4', data: VIDEO_FIXTURE }, '2026-04-09', '无封面'),
      201,
    );
    const f = plain.files.find((x) => x.title === '无封面')!;
    expect(f.posterUrl).toBeNull();
    expect(f.durationMs).toBe(1000);
    const set = await ok(
      send(unit, 'PUT', posterUrl(key.C, f.id), [
        { field: 'file', name: 'p.png', data: await frame('#3a3') },
      ]),
    );
    expect(set.files.find((x) => x.id === f.id)!.posterUrl).not.toBeNull();
  });
});
