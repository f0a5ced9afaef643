import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TOpen311Request } from '../../../core/contracts/open311.js';
import { execRows } from '../../db/client.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';
import { detailOf, step } from '../../test/problems-kit.js';
import { elementsNamed, parseXml, textOf, type XmlNode } from './open311-xml.test-kit.js';

// Open311 GeoReport v2: discovery, services, requests in JSON and XML, keys, every error case.

let t: TestApp;
let office: Agent;
let apiKey: string;
let clientId: number;

const JURISDICTION = {
  name: '示范市',
  geometry: {
    type: 'Polygon' as const,
    coordinates: [
      [
        [120.0, 30.1],
        [120.4, 30.1],
        [120.4, 30.4],
        [120.0, 30.4],
        [120.0, 30.1],
      ],
    ],
  },
};

function postForm(url: string, fields: Record<string, string>, headers = {}): Promise<Res> {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(fields).toString(),
  });
}

function get(url: string, headers = {}): Promise<Res> {
  return t.app.inject({ method: 'GET', url, headers });
}

/** A read with the client's key in the X-Api-Key header. */
function getKeyed(url: string, key = apiKey): Promise<Res> {
  return get(url, { 'x-api-key': key });
}

const base = () => ({
  api_key: apiKey,
  service_code: 'HJ01',
  lat: '30.25',
  long: '120.2',
  description: '人行道上堆满建筑垃圾',
  address_string: '人民路 12 号',
});

async function problemIdOf(code: string): Promise<number> {
  const [row] = await execRows<{ problem_id: string }>(
    t.database.db,
    sql`select problem_id from citizen_reports where tracking_code = ${code}`,
  );
  return Number(row!.problem_id);
}

/** The spec's error body in JSON: one error with the status as its code. */
function expectJsonError(res: Res, status: number, pattern?: RegExp) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json<{ code: number; description: string }[]>();
  expect(body).toHaveLength(1);
  expect(body[0]!.code).toBe(status);
  if (pattern) expect(body[0]!.description).toMatch(pattern);
}

beforeAll(async () => {
  t = await createTestApp({ OPEN311_REQUESTS_PER_MINUTE: '40', OPEN311_READS_PER_MINUTE: '1000' });
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  const unit = await buildUnit(t.database.db, { name: '城管局' });
  await buildUser(t.database.db, { username: 'unit1', roles: ['unit'], unitId: unit.id });
  office = await t.login('office1');
  expect((await office.put('/api/settings/jurisdiction', JURISDICTION)).statusCode).toBe(200);
  const res = await office.post('/api/open311/clients', {
    name: '12345 热线网关',
    channel: 'hotline',
  });
  expect(res.statusCode, res.body).toBe(201);
  apiKey = res.json<{ apiKey: string }>().apiKey;
  clientId = res.json<{ client: { id: number } }>().client.id;
});
afterAll(() => t.close());

describe('keys', () => {
  it('the key is shown once; the list shows only its last characters', async () => {
    expect(apiKey).toMatch(/^o311_[A-Za-z0-9_-]{32}$/);
    const list = (await office.get('/api/open311/clients')).json<
      { id: number; keyHint: string; channel: string; active: boolean }[]
    >();
    expect(list).toEqual([
      expect.objectContaining({ id: clientId, keyHint: apiKey.slice(-4), channel: 'hotline' }),
    ]);
    expect(JSON.stringify(list)).not.toContain(apiKey);
    const [stored] = await execRows<{ key_hash: string }>(
      t.database.db,
      sql`select key_hash from open311_clients where id = ${clientId}`,
    );
    expect(stored!.key_hash).not.toContain(apiKey);
  });

  it('only the office manages clients; bad input is a 400', async () => {
    const unitAgent = await t.login('unit1');
    expect((await unitAgent.get('/api/open311/clients')).statusCode).toBe(403);
    expect(
      (await unitAgent.post('/api/open311/clients', { name: 'x网关', channel: 'citizen' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await office.post('/api/open311/clients', { name: 'x网关', channel: 'office' })).statusCode,
    ).toBe(400);
  });
});

describe('discovery and services', () => {
  it('discovery in both formats', async () => {
    const json = await get('/open311/v2/discovery.json');
    expect(json.statusCode).toBe(200);
    expect(json.json<{ endpoints: { formats: string[]; url: string }[] }>().endpoints[0]).toEqual(
      expect.objectContaining({ formats: ['text/xml', 'application/json'] }),
    );
    const xml = await get('/open311/v2/discovery.xml');
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.body).toContain('<discovery><changeset>');
    expect(xml.body).toContain(
      '<formats><format>text/xml</format><format>application/json</format></formats>',
    );
  });

  it('services are the active subcategories, grouped by their class', async () => {
    const list = (await get('/open311/v2/services.json')).json<
      { service_code: string; group: string; metadata: boolean }[]
    >();
    const hj01 = list.find((s) => s.service_code === 'HJ01');
    expect(hj01).toEqual(expect.objectContaining({ metadata: true }));
    expect(hj01!.group.length).toBeGreaterThan(0);
    // Classes (top level) are groups, not services.
    expect(list.some((s) => s.service_code === 'HJ')).toBe(false);
    const xml = await get('/open311/v2/services.xml');
    expect(xml.body).toMatch(/<services><service><service_code>[A-Z]+\d+<\/service_code>/);
  });

  it('a service definition lists its attributes; an unknown one is a 404 in the spec format', async () => {
    const def = (await get('/open311/v2/services/HJ01.json')).json<{
      service_code: string;
      attributes: { code: string; values?: { key: string }[] }[];
    }>();
    expect(def.service_code).toBe('HJ01');
    expect(def.attributes.map((a) => a.code)).toEqual(['order_no', 'urgency']);
    expect(def.attributes[1]!.values!.map((v) => v.key)).toEqual(['normal', 'urgent']);
    const xml = await get('/open311/v2/services/HJ01.xml');
    expect(xml.body).toContain('<values><value><key>normal</key>');
    expectJsonError(await get('/open311/v2/services/NOPE.json'), 404, /NOPE/);
    const xmlErr = await get('/open311/v2/services/NOPE.xml');
    expect(xmlErr.statusCode).toBe(404);
    expect(xmlErr.body).toMatch(/<errors><error><code>404<\/code><description>.*NOPE/);
    expectJsonError(await get('/open311/v2/services.csv'), 404);
    expectJsonError(await get('/open311/v2/nothing-here.json'), 404);
  });
});

describe('POST requests', () => {
  it('files a request as a problem on the client’s channel, idempotent on the order number', async () => {
    const fields = { ...base(), 'attribute[order_no]': 'GD-0001', 'attribute[urgency]': 'urgent' };
    const res = await postForm('/open311/v2/requests.json', fields);
    expect(res.statusCode, res.body).toBe(201);
    const [out] = res.json<{ service_request_id: string; service_notice: string }[]>();
    expect(out!.service_request_id).toMatch(/^SJ[2-9A-HJ-NP-Z]{10}$/);
    expect(out!.service_notice).toContain(`/track/${out!.service_request_id}`);

    const id = await problemIdOf(out!.service_request_id);
    const p = (await detailOf(office, id)).problem;
    expect(p).toEqual(
      expect.objectContaining({ channel: 'hotline', severity: 'urgent', state: 'reported' }),
    );
    expect(p.title).toContain('12345 热线网关');

    const again = await postForm('/open311/v2/requests.json', fields);
    expect(again.statusCode).toBe(200);
    expect(again.json<{ service_request_id: string }[]>()[0]!.service_request_id).toBe(
      out!.service_request_id,
    );

    // The same new order twice at once: one problem.
    const race = { ...base(), 'attribute[order_no]': 'GD-0002' };
    const [a, b] = await Promise.all([
      postForm('/open311/v2/requests.json', race),
      postForm('/open311/v2/requests.json', race),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json<{ service_request_id: string }[]>()[0]!.service_request_id).toBe(
      b.json<{ service_request_id: string }[]>()[0]!.service_request_id,
    );

    // The citizen's tracking page knows the code.
    const track = await get(`/api/public/track/${out!.service_request_id}`);
    expect(track.statusCode).toBe(200);
  });

  it('takes JSON bodies and answers in XML', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.xml',
      payload: { ...base(), attribute: { order_no: 'GD-JSON' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).toMatch(
      /<service_requests><request><service_request_id>SJ\w{10}<\/service_request_id><service_notice>/,
    );
    expect(res.body).toContain('<account_id/>');
  });

  it('an address without coordinates is accepted; media_url is linked, not fetched', async () => {
    const { lat: _lat, long: _long, ...noCoords } = base();
    const res = await postForm('/open311/v2/requests.json', {
      ...noCoords,
      media_url: 'https://example.org/photo.jpg',
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = await problemIdOf(
      res.json<{ service_request_id: string }[]>()[0]!.service_request_id,
    );
    const p = (await detailOf(office, id)).problem;
    expect(p.lat).toBeNull();
    expect(p.description).toContain('https://example.org/photo.jpg');
  });

  it('refuses with the spec’s errors and files nothing', async () => {
    const [{ n: before }] = (await execRows<{ n: string }>(
      t.database.db,
      sql`select count(*) as n from problems`,
    )) as [{ n: string }];
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...base(), api_key: '' }, 403, /api_key/],
      [{ ...base(), api_key: 'o311_not-a-key' }, 403, /api_key/],
      [{ ...base(), service_code: '' }, 400, /service_code/],
      [{ ...base(), service_code: 'ZZ99' }, 400, /ZZ99/],
      [{ ...base(), long: '' }, 400, /lat/],
      [{ ...base(), lat: 'north' }, 400, /lat/],
      [{ ...base(), lat: '95', long: '120.2' }, 400, /lat/],
      [{ api_key: apiKey, service_code: 'HJ01', description: '没有位置' }, 400, /location|位置/],
      [{ ...base(), lat: '31.5', long: '121.5' }, 400, /示范市/],
      [{ ...base(), 'attribute[urgency]': 'asap' }, 400, /urgency/],
      [{ ...base(), 'attribute[colour]': 'red' }, 400, /colour/],
      [{ ...base(), 'attribute[order_no]': 'x'.repeat(41) }, 400, /order_no/],
      [{ ...base(), media_url: 'javascript:alert(1)' }, 400, /media_url/],
      [{ ...base(), description: '长'.repeat(2001) }, 400, /description/],
    ];
    for (const [fields, status, pattern] of cases) {
      expectJsonError(await postForm('/open311/v2/requests.json', fields), status, pattern);
    }
    const xml = await postForm('/open311/v2/requests.xml', { ...base(), api_key: 'bad' });
    expect(xml.statusCode).toBe(403);
    expect(xml.body).toMatch(/<errors><error><code>403<\/code>/);
    const en = await postForm(
      '/open311/v2/requests.json',
      { ...base(), api_key: 'bad' },
      { 'accept-language': 'en-US' },
    );
    expect(en.json<{ description: string }[]>()[0]!.description).toBe('invalid api_key');
    const [{ n: after }] = (await execRows<{ n: string }>(
      t.database.db,
      sql`select count(*) as n from problems`,
    )) as [{ n: string }];
    expect(after).toBe(before);
  });

  it('a revoked key stops at once', async () => {
    const res = await office.post('/api/open311/clients', { name: '临时网关', channel: 'citizen' });
    const { apiKey: key, client } = res.json<{ apiKey: string; client: { id: number } }>();
    expect(
      (await postForm('/open311/v2/requests.json', { ...base(), api_key: key })).statusCode,
    ).toBe(201);
    const revoked = await office.post(`/api/open311/clients/${client.id}/revoke`);
    expect(revoked.json<{ active: boolean; requests: number }>()).toEqual(
      expect.objectContaining({ active: false, requests: 1 }),
    );
    expectJsonError(await postForm('/open311/v2/requests.json', { ...base(), api_key: key }), 403);
  });
});

describe('GET requests', () => {
  let open: string;
  let rejected: string;
  let officeProblemCode: string;

  beforeAll(async () => {
    const mk = async (order: string, code = 'HJ01') => {
      const res = await postForm('/open311/v2/requests.json', {
        ...base(),
        service_code: code,
        phone: '13800138000',
        first_name: '小明',
        last_name: '王',
        'attribute[order_no]': order,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ service_request_id: string }[]>()[0]!.service_request_id;
    };
    open = await mk('GET-1');
    rejected = await mk('GET-2', 'HJ02');
    const id = await problemIdOf(rejected);
    await step(office, (await detailOf(office, id)).problem, 'reject', {
      note: '不属于城市管理范围',
    });
    const made = await office.post('/api/problems', {
      title: '内部发现的问题',
      categoryId: (await detailOf(office, id)).problem.categoryId,
      lat: 30.2,
      lng: 120.2,
    });
    officeProblemCode = made.json<{ problem: { code: string } }>().problem.code;
  });

  it('a client’s key lists its own requests in full, with no personal data', async () => {
    const res = await get(`/open311/v2/requests.json?page_size=1000&api_key=${apiKey}`);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<TOpen311Request[]>();
    const ids = list.map((r) => r.service_request_id);
    expect(ids).toContain(open);
    expect(ids).toContain(rejected);
    expect(res.body).not.toContain(officeProblemCode);
    expect(res.body).not.toContain('13800138000');
    expect(res.body).not.toContain('小明');
    const one = list.find((r) => r.service_request_id === open)!;
    expect(one).toEqual(
      expect.objectContaining({
        status: 'open',
        service_code: 'HJ01',
        lat: 30.25,
        long: 120.2,
        address: '人民路 12 号',
      }),
    );
    const closed = list.find((r) => r.service_request_id === rejected)!;
    expect(closed.status).toBe('closed');
    expect(closed.status_notes).toContain('不属于城市管理范围');
  });

  it('filters by id, service, status and dates, and pages', async () => {
    const byId = (
      await getKeyed(`/open311/v2/requests.json?service_request_id=${open},${rejected}`)
    ).json<TOpen311Request[]>();
    expect(byId.map((r) => r.service_request_id).sort()).toEqual([open, rejected].sort());
    const closed = (await getKeyed('/open311/v2/requests.json?status=closed')).json<
      TOpen311Request[]
    >();
    expect(closed.map((r) => r.service_request_id)).toEqual([rejected]);
    const hj02 = (await getKeyed('/open311/v2/requests.json?service_code=HJ02')).json<
      TOpen311Request[]
    >();
    expect(hj02.map((r) => r.service_request_id)).toEqual([rejected]);
    const future = (
      await getKeyed(
        '/open311/v2/requests.json?start_date=2099-01-01T00:00:00Z&end_date=2099-02-01T00:00:00Z',
      )
    ).json<TOpen311Request[]>();
    expect(future).toEqual([]);
    const all = (await getKeyed('/open311/v2/requests.json')).json<TOpen311Request[]>();
    const p1 = (await getKeyed('/open311/v2/requests.json?page_size=2&page=1')).json<
      TOpen311Request[]
    >();
    const p2 = (await getKeyed('/open311/v2/requests.json?page_size=2&page=2')).json<
      TOpen311Request[]
    >();
    expect([...p1, ...p2].map((r) => r.service_request_id)).toEqual(
      all.slice(0, 4).map((r) => r.service_request_id),
    );
  });

  it('one request in both formats; bad filters and unknown ids are errors in the spec format', async () => {
    const one = (await getKeyed(`/open311/v2/requests/${open}.json`)).json<TOpen311Request[]>();
    expect(one).toHaveLength(1);
    expect(one[0]!.service_request_id).toBe(open);
    const xml = await getKeyed(`/open311/v2/requests/${open}.xml`);
    expect(xml.body).toContain(`<service_requests><request><service_request_id>${open}`);
    expect(xml.body).toContain('<status>open</status>');
    expectJsonError(await get('/open311/v2/requests/SJ2222222222.json'), 404);
    expectJsonError(await get('/open311/v2/requests.json?page_size=1001'), 400, /page_size/);
    expectJsonError(await get('/open311/v2/requests.json?status=pending'), 400, /status/);
    expectJsonError(await get('/open311/v2/requests.json?start_date=yesterday'), 400, /start_date/);
    expectJsonError(
      await get(
        '/open311/v2/requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z',
      ),
      400,
      /start_date/,
    );
    const xmlErr = await get('/open311/v2/requests.xml?page=0');
    expect(xmlErr.statusCode).toBe(400);
    expect(xmlErr.body).toContain('<errors><error><code>400</code>');
  });
});

// ----- Issue #16: who reads what, hostile text in the XML, hostile paths ------------------------

let ipSeq = 0;
const freshIp = () => `10.31.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

/** A 随手拍 report through the public page's route (multipart, with one photo). */
async function citizenReport(description: string, lat: number, lng: number): Promise<string> {
  const boundary = `----o311${randomBytes(8).toString('hex')}`;
  const field = (name: string, value: string) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
  const categoryId = (await detailOf(office, await problemIdOf(await anyCode()))).problem
    .categoryId;
  const payload = Buffer.concat([
    field('categoryId', String(categoryId)),
    field('description', description),
    field('lat', String(lat)),
    field('lng', String(lng)),
    field('address', '人民路 88 号门前'),
    field('phone', '13900139000'),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    ),
    await testJpeg(),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    remoteAddress: freshIp(),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ trackingCode: string }>().trackingCode;
}

async function anyCode(): Promise<string> {
  const [row] = await execRows<{ code: string }>(
    t.database.db,
    sql`select tracking_code as code from citizen_reports limit 1`,
  );
  return row!.code;
}

async function photoOf(problemId: number): Promise<string> {
  const [row] = await execRows<{ file_id: string }>(
    t.database.db,
    sql`select file_id from problem_photos where problem_id = ${problemId} and stage = 'before'`,
  );
  return row!.file_id;
}

/** Registers a reported problem and puts it on the 曝光台 with the office's wording. */
async function publish(problemId: number, title: string, note: string | null) {
  await step(office, (await detailOf(office, problemId)).problem, 'register');
  const res = await office.put(`/api/problems/${problemId}/exposure`, { title, note });
  expect(res.statusCode, res.body).toBe(204);
}

/** An XML answer read by a strict parser: it throws on anything that is not well-formed. */
function xmlOf(res: Res, status = 200): XmlNode {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/xml/);
  return parseXml(res.body);
}

/** XML 1.0's characters only (what the XML writer keeps of a stored text). */
function representable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

describe('who reads what (issue #16)', () => {
  let own: string; // filed by the client with apiKey, not published
  let pubCode: string; // a citizen's report, published
  let pubId: number;
  let hiddenCode: string; // a citizen's report, not published
  let hiddenId: number;
  let otherKey: string;

  beforeAll(async () => {
    const res = await postForm('/open311/v2/requests.json', {
      ...base(),
      lat: '30.25123',
      long: '120.20987',
      description: '自己的工单：王先生 13700137000 反映',
      'attribute[order_no]': 'POL-1',
    });
    expect(res.statusCode, res.body).toBe(201);
    own = res.json<{ service_request_id: string }[]>()[0]!.service_request_id;
    pubCode = await citizenReport(
      '我家楼下 3 单元门口的垃圾堆了一周了，臭气熏天',
      30.30123,
      120.30987,
    );
    pubId = await problemIdOf(pubCode);
    await publish(pubId, '人民路垃圾堆积', '已责令限期清理');
    hiddenCode = await citizenReport('邻居 402 室在楼道里堆放杂物，没人管', 30.31, 120.31);
    hiddenId = await problemIdOf(hiddenCode);
    const other = await office.post('/api/open311/clients', {
      name: '城市 App',
      channel: 'citizen',
    });
    otherKey = other.json<{ apiKey: string }>().apiKey;
  });

  it('without a key: only published requests, in the office’s words, rounded, no tracking code', async () => {
    const res = await get('/open311/v2/requests.json?page_size=1000');
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<TOpen311Request[]>();
    expect(list.map((r) => r.service_request_id)).toEqual([String(pubId)]);
    for (const code of [own, pubCode, hiddenCode]) expect(res.body).not.toContain(code);
    expect(res.body).not.toContain('臭气熏天');
    expect(res.body).not.toContain('13900139000');
    expect(res.body).not.toContain('人民路 88 号');
    const [pub] = list;
    expect(pub).toEqual(
      expect.objectContaining({
        description: '人民路垃圾堆积\n已责令限期清理',
        address: null,
        lat: 30.301,
        long: 120.31,
        status: 'open',
      }),
    );
    expect(pub!.media_url).toBe(
      `${t.config.publicUrl}/api/public/exposure/${pubId}/photos/${await photoOf(pubId)}`,
    );
    // The same in XML, read by a strict parser.
    const xml = xmlOf(await get('/open311/v2/requests.xml?page_size=1000'));
    expect(elementsNamed(xml, 'service_request_id').map(textOf)).toEqual([String(pubId)]);
  });

  it('without a key, one request: published by its number, anything else 404 in the spec format', async () => {
    const one = await get(`/open311/v2/requests/${pubId}.json`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json<TOpen311Request[]>()[0]!.description).toBe('人民路垃圾堆积\n已责令限期清理');
    expectJsonError(await get(`/open311/v2/requests/${hiddenId}.json`), 404);
    // Tracking codes are not public ids, not even of a published request.
    expectJsonError(await get(`/open311/v2/requests/${pubCode}.json`), 404);
    expectJsonError(await get(`/open311/v2/requests/${hiddenCode}.json`), 404);
    expectJsonError(await get(`/open311/v2/requests/${own}.json`), 404);
    const xml = xmlOf(await get(`/open311/v2/requests/${hiddenCode}.xml`), 404);
    expect(xml.name).toBe('errors');
    expect(textOf(elementsNamed(xml, 'code')[0]!)).toBe('404');
    const byIds = await get(
      `/open311/v2/requests.json?service_request_id=${hiddenId},${own},${hiddenCode},${pubId}`,
    );
    expect(byIds.json<TOpen311Request[]>().map((r) => r.service_request_id)).toEqual([
      String(pubId),
    ]);
  });

  it('with a key: the client’s own requests in full, others only when published and in public form', async () => {
    const mine = (await getKeyed('/open311/v2/requests.json?page_size=1000')).json<
      TOpen311Request[]
    >();
    const ownRow = mine.find((r) => r.service_request_id === own)!;
    expect(ownRow).toEqual(
      expect.objectContaining({
        description: '自己的工单：王先生 13700137000 反映',
        lat: 30.25123,
        long: 120.20987,
        address: '人民路 12 号',
      }),
    );
    const pubRow = mine.find((r) => r.service_request_id === String(pubId))!;
    expect(pubRow).toEqual(expect.objectContaining({ address: null, lat: 30.301 }));
    expect(JSON.stringify(mine)).not.toContain(hiddenCode);
    expect(JSON.stringify(mine)).not.toContain(pubCode);
    expect(mine.some((r) => r.service_request_id === String(hiddenId))).toBe(false);
    // By tracking code, its own only; also with the key as the spec's api_key parameter.
    const byCode = await get(`/open311/v2/requests/${own}.xml?api_key=${apiKey}`);
    expect(elementsNamed(xmlOf(byCode), 'lat').map(textOf)).toEqual(['30.25123']);
    expectJsonError(await getKeyed(`/open311/v2/requests/${hiddenCode}.json`), 404);
    expectJsonError(await getKeyed(`/open311/v2/requests/${pubCode}.json`), 404);

    // Another client sees none of the first one’s requests, only the published one.
    const theirs = await getKeyed('/open311/v2/requests.json?page_size=1000', otherKey);
    expect(theirs.json<TOpen311Request[]>().map((r) => r.service_request_id)).toEqual([
      String(pubId),
    ]);
    expectJsonError(await getKeyed(`/open311/v2/requests/${own}.json`, otherKey), 404);
  });

  it('a wrong or revoked key is refused, not read as anonymous', async () => {
    expectJsonError(await getKeyed('/open311/v2/requests.json', 'o311_nope'), 403, /api_key/);
    expectJsonError(await get('/open311/v2/requests/1.json?api_key=o311_nope'), 403, /api_key/);
    const made = await office.post('/api/open311/clients', { name: '将停用', channel: 'media' });
    const { apiKey: key, client } = made.json<{ apiKey: string; client: { id: number } }>();
    expect((await getKeyed('/open311/v2/requests.json', key)).statusCode).toBe(200);
    await office.post(`/api/open311/clients/${client.id}/revoke`);
    expectJsonError(await getKeyed('/open311/v2/requests.json', key), 403);
  });

  it('no photo of an unpublished problem can be had through what a reader is given', async () => {
    const anon = (await get('/open311/v2/requests.json?page_size=1000')).json<TOpen311Request[]>();
    const hiddenPhoto = await photoOf(hiddenId);
    const pubPhoto = await photoOf(pubId);
    for (const body of [
      JSON.stringify(anon),
      (await getKeyed('/open311/v2/requests.json?page_size=1000', otherKey)).body,
      (await getKeyed('/open311/v2/requests.json?page_size=1000')).body,
    ]) {
      expect(body).not.toContain(hiddenPhoto);
      expect(body).not.toContain('/api/public/track/');
    }
    const url = anon[0]!.media_url!.replace(t.config.publicUrl, '');
    const ok = await get(url);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('image/jpeg');
    // The published problem's URL with the unpublished photo's id, the unpublished problem's own
    // board URL, and the file routes without a session: all refused.
    expect((await get(url.replace(pubPhoto, hiddenPhoto))).statusCode).toBe(404);
    expect((await get(`/api/public/exposure/${hiddenId}/photos/${hiddenPhoto}`)).statusCode).toBe(
      404,
    );
    expect((await get(`/api/files/${hiddenPhoto}`)).statusCode).toBe(401);
    expect((await get(`/api/files/${hiddenPhoto}/thumb`)).statusCode).toBe(401);
  });
  it('unpublishing takes a request out of the anonymous answers, and its photo with it', async () => {
    const [pub] = (await get('/open311/v2/requests.json')).json<TOpen311Request[]>();
    expect(pub!.service_request_id).toBe(String(pubId));
    expect((await office.delete(`/api/problems/${pubId}/exposure`)).statusCode).toBe(204);
    expect((await get('/open311/v2/requests.json')).json()).toEqual([]);
    expectJsonError(await get(`/open311/v2/requests/${pubId}.json`), 404);
    expect((await get(pub!.media_url!.replace(t.config.publicUrl, ''))).statusCode).toBe(404);
    // The client that filed a request keeps reading its own in full.
    expect(
      (await getKeyed(`/open311/v2/requests/${own}.json`)).json<TOpen311Request[]>()[0]!
        .service_request_id,
    ).toBe(own);
  });
});

describe('hostile text in the XML (issue #16)', () => {
  const HOSTILE = 'A\u000BB\u0001C\r\nD]]>E<&\'"F';

  it('stored control characters, CR LF, ]]> and markup never break a document', async () => {
    // Through the Open311 intake and the 随手拍 page, and as rows stored before input was
    // normalised (written directly).
    const res = await postForm('/open311/v2/requests.json', {
      ...base(),
      description: `工单${HOSTILE}`,
      'attribute[order_no]': 'XML-1',
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json<{ service_request_id: string }[]>()[0]!.service_request_id;
    const citizenCode = await citizenReport(`市民反映${HOSTILE}`, 30.33, 120.33);
    const citizenId = await problemIdOf(citizenCode);
    await publish(citizenId, `曝光${HOSTILE}`, `说明${HOSTILE}`);
    const legacy = await postForm('/open311/v2/requests.json', {
      ...base(),
      'attribute[order_no]': 'XML-2',
    });
    const legacyCode = legacy.json<{ service_request_id: string }[]>()[0]!.service_request_id;
    const raw = `旧数据${HOSTILE}\u0002\u001F\uFFFF`;
    await t.database.db.execute(
      sql`update problems set description = ${raw}, address = ${raw}
           where id = ${await problemIdOf(legacyCode)}`,
    );

    for (const [url, key] of [
      ['/open311/v2/requests.xml?page_size=1000', apiKey],
      ['/open311/v2/requests.xml?page_size=1000', undefined],
      [`/open311/v2/requests/${code}.xml`, apiKey],
      [`/open311/v2/requests/${legacyCode}.xml`, apiKey],
      [`/open311/v2/requests/${citizenId}.xml`, undefined],
    ] as const) {
      const read = (u: string) => (key ? getKeyed(u, key) : get(u));
      const doc = xmlOf(await read(url));
      // Every description reads back as the JSON answer's, less what XML cannot carry.
      const json = (await read(url.replace('.xml', '.json'))).json<TOpen311Request[]>();
      expect(elementsNamed(doc, 'description').map(textOf)).toEqual(
        json.map((r) => representable(r.description ?? '')),
      );
      expect(elementsNamed(doc, 'address').map(textOf)).toEqual(
        json.map((r) => representable(r.address ?? '')),
      );
    }
    const legacyXml = xmlOf(await getKeyed(`/open311/v2/requests/${legacyCode}.xml`));
    expect(textOf(elementsNamed(legacyXml, 'description')[0]!)).toBe('旧数据ABC\r\nD]]>E<&\'"F');
    const pubXml = xmlOf(await get(`/open311/v2/requests/${citizenId}.xml`));
    expect(textOf(elementsNamed(pubXml, 'description')[0]!)).toMatch(
      /^曝光A.*B.*C\r\nD]]>E<&'"F\n说明A/s,
    );
  });

  it('services, a service definition, discovery and errors parse too', async () => {
    const [cat] = await execRows<{ id: number; name: string }>(
      t.database.db,
      sql`select id, name from problem_categories where code = 'HJ01'`,
    );
    try {
      await t.database.db.execute(
        sql`update problem_categories set name = ${`${cat!.name}${HOSTILE}`} where id = ${cat!.id}`,
      );
      const services = xmlOf(await get('/open311/v2/services.xml'));
      expect(elementsNamed(services, 'service_name').map(textOf)).toContain(
        `${cat!.name}ABC\r\nD]]>E<&'"F`,
      );
      xmlOf(await get('/open311/v2/services/HJ01.xml'));
      xmlOf(await get('/open311/v2/discovery.xml'));
      // An error that repeats what the path held.
      const err = xmlOf(await get('/open311/v2/services/%3C%26%5D%5D%3E%0B%01.xml'), 404);
      expect(textOf(elementsNamed(err, 'description')[0]!)).toContain('<&]]>');
    } finally {
      await t.database.db.execute(
        sql`update problem_categories set name = ${cat!.name} where id = ${cat!.id}`,
      );
    }
  });
});

describe('hostile paths (issue #16)', () => {
  it('a %-escape that decodes to a malformed one is an unknown id, not a 500', async () => {
    expectJsonError(await get('/open311/v2/services/%25ZZ.json'), 404, /%ZZ/);
    const xml = xmlOf(await get('/open311/v2/requests/%25E4.xml'), 404);
    expect(textOf(elementsNamed(xml, 'code')[0]!)).toBe('404');
    expectJsonError(await get('/open311/v2/requests/%25.json'), 404);
  });

  it('a malformed escape is a 400 in the spec’s format, in the format the path asked for', async () => {
    expectJsonError(await get('/open311/v2/services/%ZZ.json'), 400);
    expectJsonError(await get('/open311/v2/%ZZ'), 400);
    expectJsonError(await get('/open311/v2/services/%E4.csv'), 400);
    const xml = xmlOf(await get('/open311/v2/requests/%E4.xml'), 400);
    expect(textOf(elementsNamed(xml, 'code')[0]!)).toBe('400');
    const en = await get('/open311/v2/requests/%ZZ.json', { 'accept-language': 'en' });
    expectJsonError(en, 400, /escape/);
  });
});

describe('limits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a client past its per-minute limit gets a 429 in the spec format with Retry-After', async () => {
    // The limit counts fixed one-minute windows. The clock is held still at the start of a fresh
    // window, so a slow machine crossing a minute boundary cannot reset the count mid-loop.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 10 * 60_000));
    const statuses: number[] = [];
    let res: Res | undefined;
    for (let i = 0; i < 41; i++) {
      res = await postForm('/open311/v2/requests.json', {
        ...base(),
        api_key: apiKey,
        service_code: 'ZZ99',
      });
      statuses.push(res.statusCode);
    }
    // The limit is 40 a minute: forty answers about the unknown code, then the refusal.
    expect(statuses.slice(0, 40)).toEqual(Array(40).fill(400));
    expectJsonError(res!, 429);
    expect(Number(res!.headers['retry-after'])).toBe(60);
  });
});
