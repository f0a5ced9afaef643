import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../../test/factories.js';
import { createTestApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
});
afterAll(() => t.close());

describe('platform', () => {
  it('answers health with the driver in use', async () => {
    const res = await t.app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: process.env.TEST_DB, version: 'test' });
  });

  it('serves OpenAPI generated from the zod contracts', async () => {
    const res = await t.app.inject('/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/units', '/api/users', '/api/auth/login']),
    );
    const create = doc.paths['/api/units'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['code', 'name', 'type']));
    const ui = await t.app.inject('/api/docs');
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('tells the web apps the map settings before sign-in', async () => {
    const res = await t.app.inject('/api/settings/public');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      map: { kind: 'none', coords: 'wgs84', layers: [] },
      mapTileUrl: null,
      mapAttribution: '',
      mapCoords: 'wgs84',
    });
  });

  it('sets security headers', async () => {
    const res = await t.app.inject('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    // Videos play from the app; a video being uploaded is read from a blob: for its poster frame.
    expect(res.headers['content-security-policy']).toContain("media-src 'self' blob:;");
    expect(res.headers['x-frame-options']).toBeDefined();
  });

  it('answers unknown routes with a bilingual 404', async () => {
    const agent = await t.login('office1');
    const res = await agent.get('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.messageZh).toBeTruthy();
    expect(res.json().error.messageEn).toContain('not found');
  });

  it('rejects malformed JSON, wrong content types and oversized bodies with 4xx', async () => {
    const agent = await t.login('office1');
    const headers = { cookie: agent.cookie, 'x-csrf-token': agent.csrf };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"code": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.messageEn).toMatch(/JSON/);
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    const big = await t.app.inject({
      method: 'POST',
      url: '/api/units',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ code: 'X1', name: 'x'.repeat(2 * 1024 * 1024), type: 'other' }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.messageZh).toContain('过大');
  });

  it('answers in English when the client prefers it', async () => {
    const res = await t.app.inject({
      url: '/api/units',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toBe('please sign in first');
  });
});
