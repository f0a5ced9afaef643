import { createHmac } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '../../db/client.js';
import { buildRegion, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// 12345 work orders: file import with a column mapping, and the signed webhook.

const SECRET = 'hotline-test-secret';
let t: TestApp;
let office: Agent;

async function xlsx(headers: string[], rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function multipart(file: Buffer, filename: string, fields: Record<string, string> = {}) {
  const boundary = '----cchotline';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function upload(
  agent: Agent,
  file: Buffer,
  filename: string,
  fields: Record<string, string> = {},
) {
  const mp = multipart(file, filename, fields);
  return t.app.inject({
    method: 'POST',
    url: '/api/problems/import-hotline',
    headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf, 'content-type': mp.contentType },
    payload: mp.payload,
  });
}

const count = async () =>
  (
    await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from problems where channel = 'hotline'`,
    )
  )[0]!.n;

beforeAll(async () => {
  t = await createTestApp({ HOTLINE_WEBHOOK_SECRET: SECRET });
  await buildUser(t.database.db, { username: 'hl_office', roles: ['office'] });
  await buildUser(t.database.db, { username: 'hl_grid', roles: ['grid_worker'] });
  await buildRegion(t.database.db, { name: '热线测试区', code: '990999' });
  office = await t.login('hl_office');
});
afterAll(() => t.close());

describe('hotline file import', () => {
  const HEAD = [
    '工单编号',
    '诉求标题',
    '诉求内容',
    '问题类别',
    '所属区域',
    '事发地址',
    '来电人',
    '联系电话',
  ];

  it('rejects a file with bad rows, listing each, and imports nothing', async () => {
    const file = await xlsx(HEAD, [
      [
        'GD001',
        '垃圾未清运',
        '小区门口垃圾三天未清运',
        '暴露垃圾',
        '热线测试区',
        '幸福路1号',
        '张先生',
        '13900001111',
      ],
      ['GD002', '', '路灯坏了', '不存在的类别', '', '', '', ''],
      ['GD001', '重复', '重复工单', 'HJ01', '', '', '', ''],
      ['GD004', '区域不对', '某处问题', 'HJ01', '火星区', '', '', ''],
    ]);
    const res = await upload(office, file, '12345.xlsx');
    expect(res.statusCode).toBe(422);
    const rows = res.json().error.rows as { row: number; column: string }[];
    expect(rows.map((r) => [r.row, r.column])).toEqual([
      [3, '问题类别'],
      [4, '工单编号'],
      [5, '所属区域'],
    ]);
    expect(await count()).toBe(0);
  });

  it('imports a good file, and skips orders already imported when it comes again', async () => {
    const file = await xlsx(HEAD, [
      [
        'GD101',
        '垃圾未清运',
        '小区门口垃圾三天未清运',
        '暴露垃圾',
        '990999',
        '幸福路1号',
        '张先生',
        '13900001111',
      ],
      ['GD102', '', '解放路路灯不亮，晚上很黑', 'SS03', '', '解放路', '', ''],
    ]);
    const first = await upload(office, file, '12345.xlsx');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ imported: 2, created: 2, skipped: 0 });
    const again = await upload(office, file, '12345.xlsx');
    expect(again.json()).toEqual({ imported: 2, created: 0, skipped: 2 });
    const list = (await office.get('/api/problems?channel=hotline&q=路灯')).json();
    expect(list.items[0]).toMatchObject({
      state: 'reported',
      externalRef: 'GD102',
      categoryName: '路灯不亮',
    });
    // a missing title is taken from the content
    expect(list.items[0].title).toContain('解放路路灯不亮');
  });

  it('reads a GB18030 CSV through a column mapping and a default category', async () => {
    // '单号,内容,地点 / HX-9,"绿化带里有很多垃圾，请处理",南山公园' as Chinese Excel saves it (GB18030)
    const gb = Buffer.from(
      'b5a5bac52cc4dac8dd2cb5d8b5e30d0a48582d392c22c2ccbbafb4f8c0efd3d0badcb6e0c0acbbf8a3acc7ebb4a6c0ed222cc4cfc9bdb9abd4b00d0a',
      'hex',
    );
    const res = await upload(office, gb, 'export.csv', {
      mapping: JSON.stringify({ orderNo: '单号', content: '内容', address: '地点' }),
      defaultCategoryId: String(
        (await office.get('/api/problem-categories'))
          .json()
          .items.find((c: { code: string }) => c.code === 'YL01').id,
      ),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toBe(1);
    const p =
      (await office.get('/api/problems?q=HX-9')).json().items[0] ??
      (await office.get('/api/problems?channel=hotline&q=南山公园')).json().items[0];
    expect(p).toMatchObject({ externalRef: 'HX-9', categoryName: '绿地脏乱', address: '南山公园' });
  });

  it('tells what is missing and who may import', async () => {
    const res = await upload(office, await xlsx(['编号'], [['1']]), 'x.xlsx');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.rows.map((r: { column: string }) => r.column)).toEqual([
      '工单编号',
      '诉求内容',
    ]);
    const bad = await upload(office, await xlsx(HEAD, [['A', 'b', 'c', 'HJ01']]), 'x.xlsx', {
      mapping: '{not json',
    });
    expect(bad.statusCode).toBe(400);
    const grid = await t.login('hl_grid');
    expect((await upload(grid, await xlsx(HEAD, []), 'x.xlsx')).statusCode).toBe(403);
  });
});

describe('hotline webhook', () => {
  const send = (body: unknown, o: { secret?: string; ts?: number; raw?: string } = {}) => {
    const raw = o.raw ?? JSON.stringify(body);
    const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
    const sig = createHmac('sha256', o.secret ?? SECRET)
      .update(`${ts}.${raw}`)
      .digest('hex');
    return t.app.inject({
      method: 'POST',
      url: '/api/intake/hotline',
      headers: {
        'content-type': 'application/json',
        'x-timestamp': ts,
        'x-signature': `sha256=${sig}`,
      },
      payload: raw,
    });
  };
  const order = {
    orderNo: 'WH-1',
    content: '西关菜市场门口占道经营严重',
    category: 'ZX01',
    address: '西关菜市场',
  };

  it('accepts a signed order once; the same order again returns the same problem', async () => {
    const first = await send(order);
    expect(first.statusCode, first.body).toBe(201);
    const again = await send(order);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(again.json().created).toBe(false);
    const detail = (await office.get(`/api/problems/${first.json().id}`)).json();
    expect(detail.problem).toMatchObject({
      channel: 'hotline',
      state: 'reported',
      categoryName: '占道经营',
    });
    expect(detail.timeline[0].actorName).toBe('12345热线');
  });

  it('files an order with an unknown category under 待分类', async () => {
    const res = await send({ orderNo: 'WH-2', content: '不知道算什么问题', category: '其他事项' });
    expect(res.statusCode).toBe(201);
    expect((await office.get(`/api/problems/${res.json().id}`)).json().problem.categoryName).toBe(
      '待分类',
    );
  });

  it('refuses a wrong signature, an old timestamp and a bad body', async () => {
    expect((await send(order, { secret: 'wrong' })).statusCode).toBe(401);
    expect((await send(order, { ts: Math.floor(Date.now() / 1000) - 3600 })).statusCode).toBe(401);
    const unsigned = await t.app.inject({
      method: 'POST',
      url: '/api/intake/hotline',
      payload: order,
    });
    expect(unsigned.statusCode).toBe(401);
    expect((await send({ orderNo: 'WH-3' })).statusCode).toBe(400);
    expect((await send(null, { raw: '{"orderNo":' })).statusCode).toBe(400);
  });

  it('is off when no secret is configured', async () => {
    const off = await createTestApp();
    try {
      const res = await off.app.inject({
        method: 'POST',
        url: '/api/intake/hotline',
        payload: order,
      });
      expect(res.statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
