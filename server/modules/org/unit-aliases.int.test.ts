import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TUnit } from '../../../core/contracts/org.js';
import { buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';

// A unit's short name (简称) and aliases (别名) through the API: kept tidy, searchable, and never
// shared by two units, so that a sheet's name matches one unit.

let t: TestApp;
let office: Agent;

beforeAll(async () => {
  t = await createTestApp();
  await buildUser(t.database.db, { username: 'office1', roles: ['office'] });
  office = await t.login('office1');
});
afterAll(() => t.close());

async function create(body: Record<string, unknown>): Promise<TUnit> {
  const res = await office.post('/api/units', { type: 'other', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<TUnit>();
}

describe('unit aliases', () => {
  let cg: TUnit;

  it('creates a unit with aliases, trimmed and each once, without its own names', async () => {
    cg = await create({
      code: 'ALI-CG',
      name: '别名市城市管理局',
      shortName: ' 城管局 ',
      aliases: [' 城管 ', '城管', 'ＣＧ', 'cg', '城管局', '别名市城市管理局', '', '市城管局'],
    });
    expect(cg).toMatchObject({ shortName: '城管局', aliases: ['城管', 'ＣＧ', '市城管局'] });
    expect((await office.get(`/api/units/${cg.id}`)).json<TUnit>().aliases).toEqual(cg.aliases);
  });

  it('a unit without aliases has an empty list; an empty short name is none', async () => {
    const u = await create({ code: 'ALI-NONE', name: '别名无别名单位', shortName: '' });
    expect(u).toMatchObject({ shortName: null, aliases: [] });
  });

  it('finds units by an alias in the list search', async () => {
    const res = await office.get(`/api/units?q=${encodeURIComponent('市城管')}`);
    expect(res.json<{ items: TUnit[] }>().items.map((u) => u.code)).toEqual(['ALI-CG']);
  });

  it('refuses an alias that is another unit’s name, short name or alias, naming the unit', async () => {
    const other = await create({ code: 'ALI-JY', name: '别名市教育局', shortName: '教育局' });
    // Its own names are dropped, not refused.
    const own = await office.patch(`/api/units/${other.id}`, {
      aliases: ['教育', '教育局', '别名市教育局'],
      version: other.version,
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<TUnit>().aliases).toEqual(['教育']);
    const res = await office.patch(`/api/units/${other.id}`, {
      aliases: ['教育', '  市城管局'],
      version: own.json<TUnit>().version,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'alias_taken',
      message: '别名“市城管局”已是单位“别名市城市管理局”的别名，不能再用作本单位的别名',
      messageEn: 'alias "市城管局" is already the alias of unit "别名市城市管理局"',
    });
    expect((await office.get(`/api/units/${other.id}`)).json<TUnit>().aliases).toEqual(['教育']);
    const clash = await office.post('/api/units', {
      code: 'ALI-X',
      name: '别名冲突单位',
      type: 'other',
      aliases: ['教育局'],
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.messageEn).toBe(
      'alias "教育局" is already the short name of unit "别名市教育局"',
    );
    expect((await office.get('/api/units?q=ALI-X')).json<{ total: number }>().total).toBe(0);
  });

  it('validates aliases: one name each, at most 30 characters, at most 20', async () => {
    const bad = async (aliases: unknown) => {
      const res = await office.post('/api/units', {
        code: 'ALI-BAD',
        name: '别名校验单位',
        type: 'other',
        aliases,
      });
      expect(res.statusCode, res.body).toBe(400);
      return res.json().error as { fields: { path: string; message: string }[] };
    };
    expect((await bad(['城管、城管局'])).fields[0]).toMatchObject({
      path: expect.stringContaining('aliases'),
      message: expect.stringContaining('不能含'),
    });
    expect((await bad(['长'.repeat(31)])).fields[0]!.message).toContain('30');
    const many = Array.from({ length: 21 }, (_, i) => `别名${i}`);
    expect((await bad(many)).fields[0]!.message).toContain('别名最多 20 个');
    expect((await bad('城管')).fields[0]!.path).toContain('aliases');
    const short = await office.post('/api/units', {
      code: 'ALI-BAD',
      name: '别名校验单位',
      type: 'other',
      shortName: '城管/城管局',
    });
    expect(short.statusCode).toBe(400);
  });

  it('keeps aliases through other edits and replaces them when sent', async () => {
    let res = await office.patch(`/api/units/${cg.id}`, {
      contactName: '王五',
      version: cg.version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TUnit>().aliases).toEqual(['城管', 'ＣＧ', '市城管局']);
    // A short name changed to one of its aliases takes it out of the aliases.
    res = await office.patch(`/api/units/${cg.id}`, {
      shortName: '城管',
      version: res.json<TUnit>().version,
    });
    expect(res.json<TUnit>()).toMatchObject({ shortName: '城管', aliases: ['ＣＧ', '市城管局'] });
    res = await office.patch(`/api/units/${cg.id}`, {
      aliases: ['城管执法局'],
      version: res.json<TUnit>().version,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<TUnit>().aliases).toEqual(['城管执法局']);
    res = await office.patch(`/api/units/${cg.id}`, {
      aliases: [],
      version: res.json<TUnit>().version,
    });
    expect(res.json<TUnit>().aliases).toEqual([]);
  });
});
