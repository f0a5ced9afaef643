import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../test/harness.js';

// Regressions for issue #16: NUL characters, malformed multipart bodies and malformed path escapes
// answered 500 (or dropped the connection) instead of a 400 with a readable message.

let t: TestApp;
let office: Agent;
beforeAll(async () => {
  t = await createTestApp();
  const u = await buildUser(t.database.db, { roles: ['office'] });
  office = await t.login(u.username);
});
afterAll(async () => {
  await t.close();
});

function expectClientError(
  res: { statusCode: number; json<T>(): T },
  status: number,
  code?: string,
): { code: string; messageZh: string; messageEn: string; fields?: { path: string }[] } {
  expect(res.statusCode).toBe(status);
  const err = res.json<{
    error: { code: string; messageZh: string; messageEn: string; fields?: { path: string }[] };
  }>().error;
  if (code) expect(err.code).toBe(code);
  expect(err.messageZh.length).toBeGreaterThan(0);
  expect(err.messageEn.length).toBeGreaterThan(0);
  return err;
}

describe('NUL characters (U+0000) are refused with 400, never 500', () => {
  it('in the anonymous sign-in body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a\u0000b', password: 'x' },
    });
    const err = expectClientError(res, 400, 'invalid_text');
    expect(err.fields?.[0]?.path).toBe('body.username');
    expect(err.messageZh).toContain('U+0000');
  });

  it('in a search query, and in an XLSX export query (which used to drop the connection)', async () => {
    expectClientError(await office.get('/api/problems?q=%00'), 400, 'invalid_text');
    expectClientError(await office.get('/api/units?q=a%00b'), 400, 'invalid_text');
    for (const url of [
      '/api/problems/export.xlsx?q=%00',
      '/api/units/export.xlsx?q=%00',
      '/api/users/export.xlsx?q=%00',
    ]) {
      const res = await office.get(url);
      expectClientError(res, 400, 'invalid_text');
    }
  });

  it('in a path parameter and in an object key, however deep', async () => {
    expectClientError(await office.get('/api/problems/1%00'), 400, 'invalid_text');
    const res = await office.post('/api/units', {
      code: 'NUL01',
      name: '测试单位',
      type: 'government_department',
      extra: { nested: [{ 'k\u0000': 1 }] },
    });
    expectClientError(res, 400, 'invalid_text');
  });
});

describe('other control characters are normalised, not stored', () => {
  it('vertical tab becomes a line break, other C0 controls and U+FFFF are dropped', async () => {
    const res = await office.post('/api/units', {
      code: 'CTRL01',
      name: '城市\u0001管理\uffff局',
      address: '人民路\u000b1号\u0007',
      type: 'government_department',
    });
    expect(res.statusCode).toBe(201);
    const unit = res.json<{ id: number; name: string; address: string }>();
    expect(unit.name).toBe('城市管理局');
    expect(unit.address).toBe('人民路\n1号');
    const again = await office.get(`/api/units/${unit.id}`);
    expect(again.json<{ name: string }>().name).toBe('城市管理局');
  });
});

describe('nesting deeper than the limit is refused', () => {
  it('answers 400 for a 200-level body', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = { a: deep };
    const res = await office.post('/api/units', deep);
    expectClientError(res, 400, 'too_deep');
  });
});

describe('malformed multipart bodies answer 400', () => {
  const bodies: [string, string, string][] = [
    ['no boundary', 'multipart/form-data', 'xx'],
    [
      'a part cut short',
      'multipart/form-data; boundary=XX',
      '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\nabc',
    ],
    [
      'headers never ended',
      'multipart/form-data; boundary=XX',
      '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nabc',
    ],
    ['garbage', 'multipart/form-data; boundary=XX', 'garbage'],
  ];
  for (const [what, contentType, payload] of bodies) {
    it(`${what}: signed-in upload and the anonymous citizen report`, async () => {
      const signedIn = await t.app.inject({
        method: 'POST',
        url: '/api/files',
        headers: {
          cookie: office.cookie,
          'x-csrf-token': office.csrf,
          'content-type': contentType,
        },
        payload,
      });
      expect([400, 406]).toContain(signedIn.statusCode);
      expectClientError(signedIn, signedIn.statusCode);
      const anonymous = await t.app.inject({
        method: 'POST',
        url: '/api/public/reports',
        headers: { 'content-type': contentType },
        payload,
      });
      expect(anonymous.statusCode).toBeGreaterThanOrEqual(400);
      expect(anonymous.statusCode).toBeLessThan(500);
      expectClientError(anonymous, anonymous.statusCode);
    });
  }
});

describe('malformed escapes in the path', () => {
  it('answer 400 with the usual error body', async () => {
    const res = await office.get('/api/problems/%ZZ');
    expectClientError(res, 400, 'fst_err_bad_url');
  });
});

describe('an XLSX export whose first query fails', () => {
  it('answers a JSON 400 instead of cutting the connection after the headers', async () => {
    // 2147483648 does not fit the integer column: PostgreSQL refuses the first query (22003).
    for (const url of [
      '/api/problems/export.xlsx?categoryId=2147483648',
      '/api/volunteers/export.xlsx?regionId=2147483648',
    ]) {
      const res = await office.get(url);
      expectClientError(res, 400);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.headers['content-disposition']).toBeUndefined();
    }
  });
});

describe('multipart form fields and file names follow the same rule', () => {
  it('a NUL in a form field or a file name is a 400; a vertical tab in a field becomes a line break', async () => {
    const form = (parts: string) => ({
      headers: {
        cookie: office.cookie,
        'x-csrf-token': office.csrf,
        'content-type': 'multipart/form-data; boundary=XX',
      },
      payload: parts + '--XX--\r\n',
    });
    const field = (name: string, value: string) =>
      `--XX\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const file = (filename: string) =>
      `--XX\r\nContent-Disposition: form-data; name="photo"; filename="${filename}"\r\n` +
      'Content-Type: image/jpeg\r\n\r\nnot really a photo\r\n';
    const withNulField = await t.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      ...form(field('description', 'a\u0000b') + file('a.jpg')),
    });
    expectClientError(withNulField, 400, 'invalid_text');
    const withNulName = await t.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      ...form(field('description', '路灯坏了') + file('a\u0000.jpg')),
    });
    expectClientError(withNulName, 400, 'invalid_text');
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/files',
      ...form(file('x\u0000.jpg').replace('name="photo"', 'name="file"')),
    });
    expectClientError(upload, 400, 'invalid_text');
  });
});
