import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TProblemDetail } from '../../../core/contracts/problems.js';
import type {
  TSimulationCheck,
  TSimulationCheckList,
  TSimulationTarget,
} from '../../../core/contracts/simulations.js';
import { execRows } from '../../db/client.js';
import { DEMO_PASSWORD } from '../../db/seed/demo-city.data.js';
import { seedDemoCity } from '../../db/seed/demo-city.js';
import { seedDemoFramework } from '../../db/seed/demo-framework.js';
import { buildUser } from '../../test/factories.js';
import { createTestApp, type Agent, type Res, type TestApp } from '../../test/harness.js';
import { testJpeg } from '../../test/images.js';

// 实景模拟验证 through the API on the demo city: the office sets what to call for the demo's
// simulation standards (I3.2.1 12348 → 司法局, I5.3.2 12315 → 市场监管局), inspectors record calls,
// a failed call becomes a problem dispatched to the target's unit, corrections are versioned, and
// each party sees what its role and unit allow.

let t: TestApp;
let office: Agent;
let inspector: Agent;
let inspector2: Agent;
let leader: Agent;
let justice: Agent; // a 司法局 unit user
let cityMgmt: Agent; // the demo unit user (城管局): none of these targets
let frameworkId = 0;
const keys = { legal: '', consumer: '', field: '' };
const units = { justice: 0, market: 0 };
let inspectorId = 0;

async function one<T>(q: ReturnType<typeof sql>): Promise<T> {
  const [r] = await execRows<T>(t.database.db, q);
  return r!;
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function expectInvalid(res: Res, path: string) {
  expect(res.statusCode, res.body).toBe(400);
  const e = res.json().error;
  // The contract's errors name `body.<field>`, the service's `<field>`.
  const paths = e.fields.map((f: { path: string }) => f.path.replace(/^body\./, ''));
  expect(paths).toContain(path);
  // Both languages, never an empty message.
  expect(e.messageZh).toBeTruthy();
  expect(e.messageEn).toBeTruthy();
}

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCity(t.database);
  await seedDemoFramework(t.database);
  const std = (code: string) =>
    one<{ framework_id: number; key: string }>(sql`select v.framework_id, n.key
      from framework_nodes n join framework_versions v on v.id = n.version_id
      where v.status = 'published' and n.code = ${code} order by v.id limit 1`);
  const legal = await std('I3.2.1');
  frameworkId = Number(legal.framework_id);
  keys.legal = legal.key;
  keys.consumer = (await std('I5.3.2')).key;
  keys.field = (await std('I3.2.2')).key;
  units.justice = (await one<{ id: number }>(sql`select id from units where code = 'SZF-SFJ'`)).id;
  units.market = (await one<{ id: number }>(sql`select id from units where code = 'SZF-SCJ'`)).id;
  const db = t.database.db;
  const j = await buildUser(db, { roles: ['unit'], unitId: units.justice, name: '司法局联络员' });
  const i2 = await buildUser(db, { roles: ['inspector'], name: '第二测评员' });
  office = await t.login('office', DEMO_PASSWORD);
  inspector = await t.login('inspector', DEMO_PASSWORD);
  leader = await t.login('leader', DEMO_PASSWORD);
  cityMgmt = await t.login('unit', DEMO_PASSWORD);
  justice = await t.login(j.username);
  inspector2 = await t.login(i2.username);
  inspectorId = (await inspector.get('/api/auth/me')).json().user.id as number;
});
afterAll(() => t.close());

const targets = async (a: Agent) =>
  (await a.get(`/api/simulation-targets?frameworkId=${frameworkId}`)).json<{
    items: TSimulationTarget[];
  }>().items;
const checks = async (a: Agent, query = '') =>
  (await a.get(`/api/simulation-checks${query}`)).json<TSimulationCheckList>();

const hotline = () => ({
  frameworkId,
  standardKey: keys.legal,
  name: '12348 公共法律服务热线',
  contact: '12348',
  unitId: units.justice,
  script: '咨询劳动合同纠纷如何申请法律援助',
});

let legalTarget: TSimulationTarget;
let consumerTarget: TSimulationTarget;

describe('simulation targets', () => {
  it('the office adds a target to a simulation standard; the default limit is 5 rings', async () => {
    const res = await office.post('/api/simulation-targets', hotline());
    expect(res.statusCode, res.body).toBe(201);
    legalTarget = res.json<TSimulationTarget>();
    expect(legalTarget).toMatchObject({
      standardCode: 'I3.2.1',
      unitName: '市司法局',
      maxRings: 5,
      requireCorrect: true,
      callbackDays: null,
      active: true,
      version: 1,
      criteria: { zh: '接通≤5声且答复准确', en: 'answered within 5 rings, answer correct' },
    });
    const consumer = await office.post('/api/simulation-targets', {
      frameworkId,
      standardKey: keys.consumer,
      name: '12315 消费维权热线',
      contact: '12315',
      unitId: units.market,
      maxRings: 6,
      callbackDays: 7,
      script: '投诉网购商品质量问题，要求处理并回复',
    });
    expect(consumer.statusCode, consumer.body).toBe(201);
    consumerTarget = consumer.json<TSimulationTarget>();
    expect(consumerTarget.criteria.zh).toBe('接通≤6声且答复准确且承诺回复7个工作日内到达');
  });

  it('refuses what is not a simulation standard, unknown keys and units, duplicates; never 500', async () => {
    expectInvalid(
      await office.post('/api/simulation-targets', { ...hotline(), standardKey: keys.field }),
      'standardKey',
    );
    expectInvalid(
      await office.post('/api/simulation-targets', { ...hotline(), standardKey: 'no-such-key' }),
      'standardKey',
    );
    expectInvalid(
      await office.post('/api/simulation-targets', { ...hotline(), unitId: 999_999 }),
      'unitId',
    );
    expectInvalid(
      await office.post('/api/simulation-targets', { ...hotline(), frameworkId: 999_999 }),
      'frameworkId',
    );
    expect(
      (await office.post('/api/simulation-targets', { ...hotline(), maxRings: 0 })).statusCode,
    ).toBe(400);
    expect(
      (await office.post('/api/simulation-targets', { ...hotline(), name: 'x' })).statusCode,
    ).toBe(400);
    const dup = await office.post('/api/simulation-targets', hotline());
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.messageEn).toContain('already has');
    expect((await inspector.post('/api/simulation-targets', hotline())).statusCode).toBe(403);
    expect((await justice.post('/api/simulation-targets', hotline())).statusCode).toBe(403);
  });

  it('edits with the version (stale → 409); each role sees what it may', async () => {
    const edited = await office.patch(`/api/simulation-targets/${legalTarget.id}`, {
      maxRings: 4,
      version: 1,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ maxRings: 4, version: 2 });
    const stale = await office.patch(`/api/simulation-targets/${legalTarget.id}`, {
      maxRings: 3,
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(
      (await office.patch('/api/simulation-targets/999999', { maxRings: 3, version: 1 }))
        .statusCode,
    ).toBe(404);
    legalTarget = edited.json();
    const [audit] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_log where entity_type = 'simulation_target'`,
    );
    expect(audit!.n).toBe(3);

    expect((await targets(office)).map((x) => x.name)).toEqual([
      '12348 公共法律服务热线',
      '12315 消费维权热线',
    ]);
    expect(await targets(leader)).toHaveLength(2);
    expect(await targets(inspector)).toHaveLength(2);
    expect((await targets(justice)).map((x) => x.name)).toEqual(['12348 公共法律服务热线']);
    expect(await targets(cityMgmt)).toEqual([]);
  });
});

const call = (over: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  targetId: legalTarget.id,
  calledAt: ago(30),
  answered: true,
  rings: 2,
  answer: 'yes',
  notes: '接线员告知可到区法律援助中心申请，所需材料讲解清楚',
  ...over,
});

let passedCheck: TSimulationCheck;

describe('simulation checks', () => {
  it('an inspector records a call; a retry returns it; the same id from someone else is a 409', async () => {
    const body = call();
    const res = await inspector.post('/api/simulation-checks', body);
    expect(res.statusCode, res.body).toBe(201);
    passedCheck = res.json<TSimulationCheck>();
    expect(passedCheck).toMatchObject({
      verdict: 'pass',
      value: 1,
      reasons: [],
      callerName: '钱测评',
      standardCode: 'I3.2.1',
      problemId: null,
      version: 1,
    });
    const retry = await inspector.post('/api/simulation-checks', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(passedCheck.id);
    expect((await inspector2.post('/api/simulation-checks', body)).statusCode).toBe(409);
    const [n] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from simulation_checks`,
    );
    expect(n!.n).toBe(1);
  });

  it('validates in both languages: no answer without answering, the wait and answer the target judges, no future calls', async () => {
    expectInvalid(
      await inspector.post('/api/simulation-checks', call({ answered: false, rings: null })),
      'answer',
    );
    expectInvalid(await inspector.post('/api/simulation-checks', call({ rings: null })), 'rings');
    expectInvalid(await inspector.post('/api/simulation-checks', call({ answer: null })), 'answer');
    expectInvalid(
      await inspector.post(
        '/api/simulation-checks',
        call({ calledAt: new Date(Date.now() + 3_600_000).toISOString() }),
      ),
      'calledAt',
    );
    expectInvalid(
      await inspector.post('/api/simulation-checks', call({ callbackOnTime: true })),
      'callbackOnTime',
    );
    expectInvalid(
      await inspector.post('/api/simulation-checks', call({ targetId: 999_999 })),
      'targetId',
    );
    expectInvalid(
      await inspector.post('/api/simulation-checks', call({ fileIds: [randomUUID()] })),
      'fileIds',
    );
    expectInvalid(
      await inspector.post('/api/simulation-checks', call({ roundId: 999_999 })),
      'roundId',
    );
    for (const bad of [
      { calledAt: '昨天下午' },
      { rings: -1 },
      { answer: 'maybe' },
      { clientId: 'x' },
    ]) {
      expect((await inspector.post('/api/simulation-checks', call(bad))).statusCode).toBe(400);
    }
    expect((await justice.post('/api/simulation-checks', call())).statusCode).toBe(403);
    expect((await leader.post('/api/simulation-checks', call())).statusCode).toBe(403);
  });

  it('a call in a round needs an inspector named in it; the office records in any round', async () => {
    const round = await one<{ id: number }>(sql`insert into rounds
      (name, kind, state, plan, region_ids, inspector_ids)
      values ('模拟测评（含热线拨测）', 'mock', 'planned', '[]'::jsonb, '{}', ${`{${inspectorId}}`})
      returning id`);
    const inRound = await inspector.post('/api/simulation-checks', call({ roundId: round.id }));
    expect(inRound.statusCode, inRound.body).toBe(201);
    expect(inRound.json()).toMatchObject({ roundName: '模拟测评（含热线拨测）' });
    const other = await inspector2.post('/api/simulation-checks', call({ roundId: round.id }));
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('not_round_inspector');
    expect(
      (
        await office.post(
          '/api/simulation-checks',
          call({ roundId: round.id, callerName: '志愿者小陈' }),
        )
      ).statusCode,
    ).toBe(201);
    const list = await checks(office, `?roundId=${round.id}`);
    expect(list.items.map((c) => c.callerName).sort()).toEqual(['钱测评', '志愿者小陈'].sort());
  });

  it('a failed call becomes a problem dispatched to the target unit, once', async () => {
    const res = await inspector.post(
      '/api/simulation-checks',
      call({ answered: false, rings: null, answer: null, notes: '连拨三次均无人接听' }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const failed = res.json<TSimulationCheck>();
    expect(failed).toMatchObject({ verdict: 'fail', value: 0, reasons: ['not_answered'] });
    expect(failed.problemId).not.toBeNull();
    expect(failed.problemCode).toMatch(/^\w/);
    const problem = (await office.get(`/api/problems/${failed.problemId}`)).json<TProblemDetail>();
    expect(problem.problem).toMatchObject({
      state: 'dispatched',
      unitId: units.justice,
      channel: 'inspection',
      externalRef: `simulation-${failed.id}`,
    });
    expect(problem.problem.title).toContain('12348 公共法律服务热线：模拟验证不合格（未接通）');
    expect(problem.problem.description).toContain('连拨三次均无人接听');
    // The 司法局 sees the problem in its ledger and the check on the simulation page.
    expect((await justice.get(`/api/problems/${failed.problemId}`)).statusCode).toBe(200);
    const mine = await checks(justice);
    expect(mine.items.map((c) => c.id)).toContain(failed.id);
    expect(await checks(cityMgmt)).toEqual({ items: [], standards: [] });

    // Told not to: a failed call stays a record only.
    const quiet = await inspector.post(
      '/api/simulation-checks',
      call({ answer: 'no', raiseProblem: false }),
    );
    expect(quiet.json()).toMatchObject({ verdict: 'fail', problemId: null });
  });

  it('corrections: the recorder or the office, with the reason and the version; audited', async () => {
    const url = `/api/simulation-checks/${passedCheck.id}`;
    const fix = {
      calledAt: passedCheck.calledAt,
      answered: true,
      rings: 2,
      answer: 'partly',
      notes: '复听录音：申请条件讲对，所需材料漏讲',
      reason: '复听录音后更正答复情况',
      version: 1,
    };
    expect((await inspector2.patch(url, fix)).statusCode).toBe(403);
    expect((await justice.patch(url, fix)).statusCode).toBe(403);
    const fixed = await inspector.patch(url, fix);
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({
      verdict: 'partial',
      value: 0.5,
      reasons: ['partly_correct'],
      version: 2,
      problemId: null,
    });
    expect((await inspector.patch(url, fix)).statusCode).toBe(409);
    expect((await inspector.patch(url, { ...fix, reason: '' })).statusCode).toBe(400);
    expect((await inspector.patch('/api/simulation-checks/999999', fix)).statusCode).toBe(404);
    // The office corrects anyone's check; one that now fails raises its problem.
    const wrong = await office.patch(url, { ...fix, answer: 'no', version: 2 });
    expect(wrong.statusCode, wrong.body).toBe(200);
    expect(wrong.json<TSimulationCheck>().problemId).not.toBeNull();
    const [audit] = await execRows<{ n: number; reason: string }>(
      t.database.db,
      sql`select count(*)::int as n, max(after->>'reason') as reason from audit_log
          where action = 'simulation_check.correct'`,
    );
    expect(audit).toEqual({ n: 2, reason: '复听录音后更正答复情况' });
  });

  it('a promised call-back is awaited, then counts; the list gives each standard its share', async () => {
    const base = {
      clientId: randomUUID(),
      targetId: consumerTarget.id,
      calledAt: ago(60),
      answered: true,
      waitSeconds: 20,
      answer: 'yes',
      callbackPromised: true,
    };
    const awaited = await inspector.post('/api/simulation-checks', base);
    expect(awaited.statusCode, awaited.body).toBe(201);
    expect(awaited.json()).toMatchObject({
      verdict: 'pending',
      value: null,
      reasons: ['callback_awaited'],
    });
    expect(awaited.json().callbackDue).not.toBeNull();
    const late = await inspector.post('/api/simulation-checks', {
      ...base,
      clientId: randomUUID(),
      callbackOnTime: false,
    });
    expect(late.json()).toMatchObject({ verdict: 'fail', reasons: ['callback_late'] });
    const slow = await inspector.post('/api/simulation-checks', {
      ...base,
      clientId: randomUUID(),
      waitSeconds: 45,
      callbackPromised: null,
    });
    expect(slow.json()).toMatchObject({ verdict: 'fail', reasons: ['too_slow'] });
    const onTime = await inspector.post('/api/simulation-checks', {
      ...base,
      clientId: randomUUID(),
      callbackOnTime: true,
    });
    expect(onTime.json()).toMatchObject({ verdict: 'pass', value: 1 });

    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    const list = await checks(office, `?year=${year}&frameworkId=${frameworkId}`);
    const consumer = list.standards.find((s) => s.standardKey === keys.consumer)!;
    // 4 checks: pending (left out), late 0, slow 0, on time 1 → 1 ÷ 3.
    expect(consumer).toMatchObject({
      standardCode: 'I5.3.2',
      checks: 4,
      passed: 1,
      failed: 2,
      pending: 1,
    });
    expect(consumer.share).toBeCloseTo(1 / 3, 10);
    expect((await checks(office, `?year=${year - 5}`)).items).toEqual([]);
    expect((await checks(office, `?targetId=${consumerTarget.id}`)).items).toHaveLength(4);
    // The 司法局 sees no 12315 checks.
    expect((await checks(justice)).standards.map((s) => s.standardCode)).toEqual(['I3.2.1']);
  });

  it('evidence is read as the check is: the target unit yes, another unit no', async () => {
    const up = await inspector.upload(
      '/api/files',
      await testJpeg({ color: '#225588' }),
      'log.jpg',
    );
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().id as string;
    const res = await inspector.post('/api/simulation-checks', call({ fileIds: [fileId] }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().fileIds).toEqual([fileId]);
    expect((await justice.get(`/api/files/${fileId}`)).statusCode).toBe(200);
    expect((await leader.get(`/api/files/${fileId}`)).statusCode).toBe(200);
    expect((await cityMgmt.get(`/api/files/${fileId}`)).statusCode).toBe(404);
  });

  it('a retired target keeps its checks and takes no new ones', async () => {
    const c = await office.post('/api/simulation-targets', {
      ...hotline(),
      name: '区法律援助中心窗口',
      contact: '示范区人民路 18 号',
      maxRings: null,
      requireCorrect: true,
    });
    const target = c.json<TSimulationTarget>();
    expect(target.criteria.zh).toBe('接通且答复准确');
    const visit = await inspector.post(
      '/api/simulation-checks',
      call({ targetId: target.id, rings: null }),
    );
    expect(visit.json()).toMatchObject({ verdict: 'pass' });
    const retired = await office.patch(`/api/simulation-targets/${target.id}`, {
      active: false,
      version: 1,
    });
    expect(retired.json()).toMatchObject({ active: false, version: 2 });
    expectInvalid(
      await inspector.post('/api/simulation-checks', call({ targetId: target.id })),
      'targetId',
    );
    expect((await checks(office, `?targetId=${target.id}`)).items).toHaveLength(1);
  });
});
