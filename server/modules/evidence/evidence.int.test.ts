import { randomBytes, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TDossier, TEvidenceRow, TEvidenceSummary } from '../../../core/contracts/evidence.js';
import { execRows } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { minimalPdf } from '../../test/pdf.js';

// 档案资料 on the demo campaign: upload with content checks and the evidence window, the statement,
// submission, the office's return and approval with a grade, scoping, completeness.

let t: TestApp;
let office: Agent;
let unit: Agent;
let stranger: Agent;
let fw = 0;
let mine = '';
let notMine = '';
let spare = '';
let maxScore = 0;
let campaignId = 0;
const YEAR = 2026;

const PDF = minimalPdf('创建工作方案');

function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer }) {
  const boundary = `----cc${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), boundary };
}

async function upload(
  agent: Agent,
  key: string,
  file: { name: string; data: Buffer },
  docDate = '2026-06-01',
): Promise<Res> {
  const { payload, boundary } = multipart({ docDate }, file);
  return t.app.inject({
    method: 'POST',
    url: `/api/evidence/${fw}/${YEAR}/${key}/files`,
    headers: {
      cookie: agent.cookie,
      'x-csrf-token': agent.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload,
  });
}

const url = (key: string, tail = '') => `/api/evidence/${fw}/${YEAR}/${key}${tail}`;
const dossier = async (agent: Agent, key: string) => {
  const res = await agent.get(url(key));
  expect(res.statusCode, res.body).toBe(200);
  return res.json<TDossier>();
};

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  office = await t.login('office', DEMO_PASSWORD);
  unit = await t.login('unit', DEMO_PASSWORD);
  const other = await buildUnit(t.database.db, { name: '无关单位' });
  await buildUser(t.database.db, { username: 'stranger', roles: ['unit'], unitId: other.id });
  stranger = await t.login('stranger');
  const unitId = (await unit.get('/api/auth/me')).json().user.unitId as number;
  // Material standards of the published demo framework, with their lead units (if any).
  const rows = await execRows<{
    framework_id: number;
    campaign_id: number;
    version_id: number;
    standard_id: number;
    key: string;
    max_score: string;
    leads: number[] | null;
  }>(
    t.database.db,
    sql`select v.framework_id, f.campaign_id, v.id as version_id, n.id as standard_id, n.key,
               n.max_score,
               (select array_agg(a.lead_unit_id) from assignments a where a.standard_id = n.id) as leads
          from framework_nodes n
          join framework_versions v on v.id = n.version_id and v.status = 'published'
          join frameworks f on f.id = v.framework_id
         where n.method = 'material'
         order by n.id`,
  );
  const free = rows.filter((r) => !(r.leads ?? []).map(Number).includes(unitId));
  const own = free[0]!;
  // The office makes the demo unit the lead of one material standard (任务分解).
  const res = await office.post(`/api/framework-versions/${own.version_id}/assignments`, {
    standardId: Number(own.standard_id),
    leadUnitId: unitId,
    responsibleUnitIds: [],
  });
  expect(res.statusCode, res.body).toBe(201);
  fw = Number(own.framework_id);
  campaignId = Number(own.campaign_id);
  mine = own.key;
  maxScore = Number(own.max_score);
  notMine = free.find((r) => Number(r.framework_id) === fw && r.key !== mine)!.key;
  spare = free.find(
    (r) => Number(r.framework_id) === fw && r.key !== mine && r.key !== notMine,
  )!.key;
});
afterAll(() => t.close());

describe('upload', () => {
  it('a unit sees only its material standards; the office sees all', async () => {
    const list = (await unit.get(`/api/evidence?frameworkId=${fw}&year=${YEAR}`)).json<
      TEvidenceRow[]
    >();
    expect(list.map((r) => r.standardKey)).toContain(mine);
    expect(list.map((r) => r.standardKey)).not.toContain(notMine);
    expect(list.every((r) => r.state === 'none')).toBe(true);
    const all = (await office.get(`/api/evidence?frameworkId=${fw}&year=${YEAR}`)).json<
      TEvidenceRow[]
    >();
    expect(all.length).toBeGreaterThan(list.length);
    expect((await unit.get(url(notMine))).statusCode).toBe(404);
    expect((await upload(unit, notMine, { name: 'a.pdf', data: PDF })).statusCode).toBe(404);
  });

  it('takes a PDF and an Office file dated in the window; refuses disguised files and old dates', async () => {
    const ok = await upload(unit, mine, { name: '创建工作方案.pdf', data: PDF });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<TDossier>()).toEqual(
      expect.objectContaining({ state: 'draft', can: expect.objectContaining({ submit: true }) }),
    );
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRow(['日期', '内容']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await upload(unit, mine, { name: '工作台账.xlsx', data: xlsx })).statusCode).toBe(201);

    const script = Buffer.from('#!/bin/sh\nrm -rf /\n');
    const refused: [string, Buffer, number, RegExp][] = [
      ['脚本.pdf', script, 415, /PDF|Word/],
      ['伪装.docx', PDF, 415, /PDF/],
      ['表格.pdf', xlsx, 415, /XLSX/],
    ];
    for (const [name, data, status, pattern] of refused) {
      const res = await upload(unit, mine, { name, data });
      expect(res.statusCode, name).toBe(status);
      expect(res.json<{ error: { messageZh: string } }>().error.messageZh).toMatch(pattern);
    }
    const old = await upload(unit, mine, { name: '旧文件.pdf', data: PDF }, '2024-01-01');
    expect(old.statusCode).toBe(400);
    expect(old.json<{ error: { messageZh: string } }>().error.messageZh).toContain(
      '2025-11-01 至 2026-10-31',
    );
    const d = await dossier(unit, mine);
    expect(d.files.map((f) => f.title)).toEqual(['创建工作方案.pdf', '工作台账.xlsx']);
    expect(d.window).toEqual(
      expect.objectContaining({ from: '2025-11-01', to: '2026-10-31', assumed: true }),
    );

    // The file is readable by the unit and the office, not by another unit.
    const fileUrl = d.files[0]!.url;
    expect((await unit.get(fileUrl)).statusCode).toBe(200);
    expect((await office.get(fileUrl)).headers['content-type']).toBe('application/pdf');
    expect((await stranger.get(fileUrl)).statusCode).toBe(404);
    const xlsxRes = await office.get(d.files[1]!.url);
    expect(String(xlsxRes.headers['content-disposition'])).toMatch(/^attachment/);
  });
});

describe('review', () => {
  it('statement, submit, return with a comment, resubmit, approve with a grade', async () => {
    let d = await dossier(unit, mine);
    expect(
      (await unit.put(url(mine, '/statement'), { statement: '长'.repeat(501), version: d.version }))
        .statusCode,
    ).toBe(400);
    // Submitting without a statement is refused with a clear message.
    const early = await unit.post(url(mine, '/submit'), { version: d.version });
    expect(early.statusCode).toBe(400);
    expect(early.json<{ error: { code: string } }>().error.code).toBe('no_statement');

    const st = await unit.put(url(mine, '/statement'), {
      statement: '我局按方案开展了创建工作，详见附件。',
      version: d.version,
    });
    expect(st.statusCode, st.body).toBe(200);
    d = st.json<TDossier>();
    expect(
      (await unit.put(url(mine, '/statement'), { statement: '旧版本', version: d.version - 1 }))
        .statusCode,
    ).toBe(409);
    const sub = await unit.post(url(mine, '/submit'), { version: d.version });
    expect(sub.statusCode, sub.body).toBe(200);
    d = sub.json<TDossier>();
    expect(d.state).toBe('submitted');
    expect(d.can).toEqual({ upload: false, submit: false, review: false, poster: false });
    expect((await upload(unit, mine, { name: 'late.pdf', data: PDF })).statusCode).toBe(409);

    // The review queue.
    const queue = (
      await office.get(`/api/evidence?frameworkId=${fw}&year=${YEAR}&state=submitted`)
    ).json<TEvidenceRow[]>();
    expect(queue.map((r) => r.standardKey)).toEqual([mine]);

    expect(
      (await unit.post(url(mine, '/review'), { action: 'approve', grade: 'A', version: d.version }))
        .statusCode,
    ).toBe(403);
    expect(
      (await office.post(url(mine, '/review'), { action: 'return', version: d.version }))
        .statusCode,
    ).toBe(400);
    const ret = await office.post(url(mine, '/review'), {
      action: 'return',
      comment: '缺少会议纪要',
      version: d.version,
    });
    expect(ret.statusCode, ret.body).toBe(200);
    d = ret.json<TDossier>();
    expect(d).toEqual(
      expect.objectContaining({ state: 'returned', returnCount: 1, reviewComment: '缺少会议纪要' }),
    );

    const again = await upload(unit, mine, { name: '会议纪要.pdf', data: PDF }, '2026-09-30');
    expect(again.statusCode).toBe(201);
    d = again.json<TDossier>();
    d = (await unit.post(url(mine, '/submit'), { version: d.version })).json<TDossier>();
    expect(d.state).toBe('submitted');
    const ok = await office.post(url(mine, '/review'), {
      action: 'approve',
      grade: 'B',
      version: d.version,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    d = ok.json<TDossier>();
    expect(d.state).toBe('approved');
    expect(d.grade).toBe('B');
    expect(d.standard.earned).toBeCloseTo(maxScore * 0.8, 2);
    expect(d.timeline.map((e) => e.action)).toEqual([
      'upload',
      'upload',
      'statement',
      'submit',
      'return',
      'upload',
      'submit',
      'approve',
    ]);
    const [audit] = await execRows<{ n: string }>(
      t.database.db,
      sql`select count(*) as n from audit_log where action like 'evidence.%'`,
    );
    expect(Number(audit!.n)).toBe(8);
  });

  it('completeness and the projected material score follow the review', async () => {
    const s = (
      await office.get(`/api/evidence/summary?frameworkId=${fw}&year=${YEAR}`)
    ).json<TEvidenceSummary>();
    expect(s.total.approved).toBe(1);
    expect(s.total.projectedScore).toBeCloseTo(maxScore * 0.8, 2);
    expect(s.total.missing).toBe(s.total.standards - 1);
    expect(s.items.reduce((a, i) => a + i.projectedScore, 0)).toBeCloseTo(
      s.total.projectedScore,
      2,
    );
    const unitSummary = (
      await unit.get(`/api/evidence/summary?frameworkId=${fw}&year=${YEAR}`)
    ).json<TEvidenceSummary>();
    expect(unitSummary.total.standards).toBeLessThan(s.total.standards);
    expect(unitSummary.total.approved).toBe(1);
  });

  it('硬性指标 scale the approved dossier: half the indicators met → half the score', async () => {
    const unitId = (await unit.get('/api/auth/me')).json().user.unitId as number;
    const now = new Date(Date.now() + 8 * 3600_000); // periods are Asia/Shanghai months
    const period = now.toISOString().slice(0, 7);
    const ids: number[] = [];
    for (const name of ['档案指标甲', '档案指标乙']) {
      const r = await office.post('/api/indicators', {
        frameworkId: fw,
        standardKey: mine,
        name,
        measure: '%',
        target: 90,
        direction: 'gte',
        period: 'month',
        startPeriod: period,
        responsibleUnitId: unitId,
      });
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json<{ id: number }>().id);
    }
    const earned = async () => {
      const rows = (await office.get(`/api/evidence?frameworkId=${fw}&year=${YEAR}`)).json<
        TEvidenceRow[]
      >();
      const row = rows.find((r) => r.standardKey === mine)!;
      const sum = (
        await office.get(`/api/evidence/summary?frameworkId=${fw}&year=${YEAR}`)
      ).json<TEvidenceSummary>();
      return { row, total: sum.total.projectedScore };
    };
    // Two indicators, no value yet: none met, the dossier earns nothing for now.
    let e = await earned();
    expect(e.row.compliance).toBe(0);
    expect(e.row.earned).toBe(0);
    expect(e.total).toBe(0);
    const report = await unit.post(`/api/indicators/${ids[0]}/values`, {
      period,
      value: 95,
      clientId: randomUUID(),
    });
    expect(report.statusCode, report.body).toBe(201);
    e = await earned();
    expect(e.row.compliance).toBe(0.5);
    expect(e.row.earned).toBeCloseTo(Math.round(maxScore * 0.8 * 0.5 * 100) / 100, 2);
    expect(e.total).toBeCloseTo(e.row.earned, 2);
  });
});

describe('settings', () => {
  it('the office sets the test date; the window moves and is enforced at submission', async () => {
    const cur = (await office.get(`/api/evidence/settings/${campaignId}`)).json<{
      rules: Record<string, unknown>;
      version: number;
    }>();
    const rules = { ...cur.rules, testDates: { '2026': '2026-08-15' } };
    expect(
      (await unit.put(`/api/evidence/settings/${campaignId}`, { rules, version: cur.version }))
        .statusCode,
    ).toBe(403);
    const put = await office.put(`/api/evidence/settings/${campaignId}`, {
      rules,
      version: cur.version,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(
      (await office.put(`/api/evidence/settings/${campaignId}`, { rules, version: cur.version }))
        .statusCode,
    ).toBe(409);
    // Window now 2025-07-15 … 2026-07-14: the approved dossier's 09-30 file is outside it.
    let d = await dossier(office, mine);
    expect(d.window).toEqual(expect.objectContaining({ from: '2025-07-15', to: '2026-07-14' }));
    d = (
      await office.post(url(mine, '/review'), {
        action: 'return',
        comment: '重新核对',
        version: d.version,
      })
    ).json<TDossier>();
    const sub = await unit.post(url(mine, '/submit'), { version: d.version });
    expect(sub.statusCode).toBe(400);
    expect(sub.json<{ error: { messageZh: string } }>().error.messageZh).toContain('会议纪要.pdf');
  });
});

/** A ZIP of stored (uncompressed) entries, to forge Office packages. */
function storedZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBuf = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const contentTypes = (main: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  `<Override PartName="/word/document.xml" ContentType="${main}"/></Types>`;
const DOCX_MAIN =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';

describe('document content checks (issue #16)', () => {
  it('refuses forged PDFs and Office files, and anything carrying a web page or script', async () => {
    const docx = (doc: string, main = DOCX_MAIN) =>
      storedZip({ '[Content_Types].xml': contentTypes(main), 'word/document.xml': doc });
    const good = docx('<w:document/>');
    const brokenZip = Buffer.from(good);
    brokenZip.writeUInt32LE(1, good.length - 22 + 16); // the central directory is not where it says
    const pdf = minimalPdf('报告');
    const wrongOffset = Buffer.from(
      pdf.toString('latin1').replace(/startxref\n\d+/, 'startxref\n7'),
      'latin1',
    );
    const forged: [string, Buffer, string][] = [
      // the tester's case: a PDF header, then a web page, then an end marker
      [
        'html.pdf',
        Buffer.from('%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n'),
        'invalid_pdf',
      ],
      ['offset.pdf', wrongOffset, 'invalid_pdf'],
      ['noeof.pdf', pdf.subarray(0, pdf.length - 6), 'invalid_pdf'],
      ['script.pdf', minimalPdf('<script>alert(1)</script>'), 'unsafe_content'],
      ['svg.pdf', minimalPdf('<svg onload=alert(1)>'), 'unsafe_content'],
      ['page.docx', docx('<html><script>alert(1)</script></html>'), 'unsafe_content'],
      // a macro-enabled document renamed .docx: the main part is not declared as a docx
      [
        'macro.docx',
        docx(
          '<w:document/>',
          `${DOCX_MAIN.replace('document.main', 'document.macroEnabled.main')}`,
        ),
        'invalid_office_file',
      ],
      ['types.docx', storedZip({ 'word/document.xml': '<w:document/>' }), 'invalid_office_file'],
      ['broken.docx', brokenZip, 'invalid_office_file'],
      ['page.doc', Buffer.from('<!DOCTYPE html><html><script>alert(1)</script>'), 'not_a_document'],
    ];
    for (const [name, data, code] of forged) {
      const res = await upload(office, spare, { name, data });
      expect([name, res.statusCode, res.json().error?.code]).toEqual([name, 415, code]);
      expect(res.json().error.messageZh.length).toBeGreaterThan(4);
      expect(res.json().error.messageEn.length).toBeGreaterThan(4);
    }
    // a well-formed package and PDF pass
    expect((await upload(office, spare, { name: '通知.docx', data: good })).statusCode).toBe(201);
    expect((await upload(office, spare, { name: '报告.pdf', data: pdf })).statusCode).toBe(201);
  });

  it('serves documents as downloads (PDF and images inline), never sniffed', async () => {
    const d = await dossier(office, spare);
    const byName = (n: string) => d.files.find((f) => f.title === n)!;
    const pdf = await office.get(byName('报告.pdf').url);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBeUndefined();
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
    const docx = await office.get(byName('通知.docx').url);
    expect(String(docx.headers['content-disposition'])).toMatch(/^attachment; filename\*=UTF-8''/);
    expect(docx.headers['x-content-type-options']).toBe('nosniff');
  });
});
