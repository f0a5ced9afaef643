import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TOpen311Request } from '../../../core/contracts/open311.js';
import { execRows } from '../../db/client.js';
import { buildUnit, buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { detailOf, step } from '../../test/problems-kit.js';

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

  it('lists citizens’ requests only, with public fields and no personal data', async () => {
    const res = await get('/open311/v2/requests.json?page_size=1000');
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
      await get(`/open311/v2/requests.json?service_request_id=${open},${rejected}`)
    ).json<TOpen311Request[]>();
    expect(byId.map((r) => r.service_request_id).sort()).toEqual([open, rejected].sort());
    const closed = (await get('/open311/v2/requests.json?status=closed')).json<TOpen311Request[]>();
    expect(closed.map((r) => r.service_request_id)).toEqual([rejected]);
    const hj02 = (await get('/open311/v2/requests.json?service_code=HJ02')).json<
      TOpen311Request[]
    >();
    expect(hj02.map((r) => r.service_request_id)).toEqual([rejected]);
    const future = (
      await get(
        '/open311/v2/requests.json?start_date=2099-01-01T00:00:00Z&end_date=2099-02-01T00:00:00Z',
      )
    ).json<TOpen311Request[]>();
    expect(future).toEqual([]);
    const all = (await get('/open311/v2/requests.json')).json<TOpen311Request[]>();
    const p1 = (await get('/open311/v2/requests.json?page_size=2&page=1')).json<
      TOpen311Request[]
    >();
    const p2 = (await get('/open311/v2/requests.json?page_size=2&page=2')).json<
      TOpen311Request[]
    >();
    expect([...p1, ...p2].map((r) => r.service_request_id)).toEqual(
      all.slice(0, 4).map((r) => r.service_request_id),
    );
  });

  it('one request in both formats; bad filters and unknown ids are errors in the spec format', async () => {
    const one = (await get(`/open311/v2/requests/${open}.json`)).json<TOpen311Request[]>();
    expect(one).toHaveLength(1);
    expect(one[0]!.service_request_id).toBe(open);
    const xml = await get(`/open311/v2/requests/${open}.xml`);
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

describe('limits', () => {
  it('a client past its per-minute limit gets a 429 in the spec format with Retry-After', async () => {
    let res: Res | undefined;
    for (let i = 0; i < 45; i++) {
      res = await postForm('/open311/v2/requests.json', {
        ...base(),
        api_key: apiKey,
        service_code: 'ZZ99',
      });
      if (res.statusCode === 429) break;
    }
    expectJsonError(res!, 429);
    expect(Number(res!.headers['retry-after'])).toBeGreaterThan(0);
  });
});
