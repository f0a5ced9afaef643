import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { DEFAULT_RANKING_CONFIG, type TSnapshot } from '../../../core/contracts/rankings.js';
import {
  parseRankingPeriod,
  previousRankingPeriod,
  rankingPeriodOf,
} from '../../../core/ranking/periods.js';
import { takeMonthlySnapshot } from '../../modules/rankings/snapshot-job.js';
import { createTestApp, type Agent, type TestApp } from '../../test/harness.js';
import { bboxOf, pointInArea, type TAreaGeometry } from '../../../core/geo/polygon.js';
import { resolvePlace } from '../../modules/org/region-routing.js';
import { execRows } from '../client.js';
import { DEMO_PASSWORD } from './demo-city.data.js';
import { monthOf, previousMonth } from '../../../core/good-people/months.js';
import { seedDemoAdCarriers } from './demo-ad-carriers.js';
import { seedDemoAll } from './demo-all.js';
import type { TCarriersDashboard, TCoverage } from '../../../core/contracts/ad-carriers.js';
import { seedDemoCellChecks } from './demo-cell-checks.js';
import { seedDemoCredits } from './demo-credits.js';
import { seedDemoGoodPeople } from './demo-good-people.js';
import { DEMO_DISTRICT_ROUND } from './demo-field.js';
import { DEMO_HISTORY_UNITS, seedDemoHistory } from './demo-history.js';
import { DEMO_MINORS_NAME, seedDemoMinors } from './demo-minors.js';
import type { TCellsDashboard } from '../../../core/contracts/honours.js';
import { seedDemoStarHouseholds } from './demo-star-households.js';
import type { TBulletinData } from '../../../core/contracts/rankings.js';
import type { TMockEvaluation, TProjection } from '../../../core/contracts/scoring.js';

// The demo city (SEED=demo) has last month handled, so that its ranking under the default rules
// (minimum sample 5) shows 流动红旗 and 黑牌 — and still leaves units with too few cases out.

let t: TestApp;
let office: Agent;
const lastMonth = previousRankingPeriod(parseRankingPeriod(rankingPeriodOf(new Date(), 'month'))!);

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoAll(t.database, t.storage);
  office = await t.login('office', DEMO_PASSWORD);
});
afterAll(() => t.close());

describe('demo history', () => {
  it('seeds last month once, every problem handled inside the month', async () => {
    expect(await seedDemoHistory(t.database)).toBe(0);
    const [m] = await execRows<{
      n: number;
      outside: number;
      open: number;
      late: number;
      reworked: number;
    }>(
      t.database.db,
      sql`select count(*)::int as n,
                 count(*) filter (where created_at < ${lastMonth.from} or closed_at >= ${lastMonth.to}
                                    or deadline >= ${lastMonth.to})::int as outside,
                 count(*) filter (where state <> 'closed')::int as open,
                 count(*) filter (where closed_at > deadline)::int as late,
                 count(*) filter (where rework_count > 0)::int as reworked
            from problems where dispatched_at >= ${lastMonth.from} and dispatched_at < ${lastMonth.to}
             and unit_id in (select id from units where code in (${sql.join(
               DEMO_HISTORY_UNITS.map((c) => sql`${c}`),
               sql`, `,
             )}))`,
    );
    expect(m).toMatchObject({ n: 60, outside: 0, open: 0 });
    expect(m!.late).toBeGreaterThan(0);
    expect(m!.reworked).toBeGreaterThan(0);
    // The timeline follows the moved times: the approval closes it, at the closing time.
    const [e] = await execRows<{ mismatched: number }>(
      t.database.db,
      sql`select count(*)::int as mismatched from problems p
            join problem_events e on e.problem_id = p.id and e.action = 'approve'
           where p.dispatched_at >= ${lastMonth.from} and p.dispatched_at < ${lastMonth.to}
             and e.at <> p.closed_at`,
    );
    expect(e!.mismatched).toBe(0);
    // The dashboards' daily counts (kept by triggers) moved with them.
    const [d] = await execRows<{ registered: number; closed: number }>(
      t.database.db,
      sql`select coalesce(sum(registered), 0)::int as registered,
                 coalesce(sum(closed), 0)::int as closed
            from problem_daily_counts
           where day >= ${shanghaiDate(lastMonth.from)}::date and day < ${shanghaiDate(lastMonth.to)}::date`,
    );
    // Besides the history, early in a month last month also holds the current demo's overdue
    // problems (registered then, still open).
    const [q] = await execRows<{ registered: number; closed: number }>(
      t.database.db,
      sql`select count(*) filter (where registered_at >= ${lastMonth.from}
                                   and registered_at < ${lastMonth.to})::int as registered,
                 count(*) filter (where closed_at >= ${lastMonth.from}
                                   and closed_at < ${lastMonth.to})::int as closed
            from problems`,
    );
    expect(q!.closed).toBe(60);
    expect(q!.registered).toBeGreaterThanOrEqual(60);
    expect(d).toEqual(q);
  });

  it('ranks last month under the default rules with a red flag and a black card', async () => {
    const rules = (await office.get('/api/rankings/rules')).json();
    expect(rules.version).toBe(0);
    expect(rules.rules.minSample).toBe(DEFAULT_RANKING_CONFIG.minSample);
    expect(DEFAULT_RANKING_CONFIG.minSample).toBeGreaterThanOrEqual(5);

    // The monthly job takes it as the server would on the demo's first hour.
    expect(await takeMonthlySnapshot(t.database)).toBe(lastMonth.period);
    const [summary] = (await office.get('/api/rankings/snapshots?ownerRegionId=city')).json()
      .items as {
      id: number;
      period: string;
      red: number;
      black: number;
    }[];
    expect(summary).toMatchObject({ period: lastMonth.period });
    expect(summary!.red).toBeGreaterThanOrEqual(1);
    expect(summary!.black).toBeGreaterThanOrEqual(1);

    const snap = (await office.get(`/api/rankings/snapshots/${summary!.id}`)).json<TSnapshot>();
    const rows = snap.classes.flatMap((c) => c.rows);
    const name = (flag: 'red' | 'black') =>
      rows.filter((r) => r.flag === flag).map((r) => r.unitName);
    // Districts and departments each have a best and a worst unit.
    for (const key of ['district', 'department']) {
      const c = snap.classes.find((x) => x.key === key)!;
      expect(
        c.rows.some((r) => r.flag === 'red'),
        key,
      ).toBe(true);
      expect(
        c.rows.some((r) => r.flag === 'black'),
        key,
      ).toBe(true);
    }
    expect(name('red')).toContain('东湖区人民政府');
    expect(name('black')).toEqual(expect.arrayContaining(['西城区人民政府', '市住房和城乡建设局']));
    // The rule still bites: a unit with two cases, and the streets outside 东湖区, are not ranked.
    const scj = rows.find((r) => r.unitName === '市市场监督管理局')!;
    expect(scj).toMatchObject({ sample: 2, rank: null, excluded: 'small_sample' });
    const ranked = snap.classes
      .find((c) => c.key === 'street')!
      .rows.filter((r) => r.rank !== null)
      .map((r) => r.unitName);
    expect(ranked.sort()).toEqual(
      ['东湖区樱花街道办事处', '东湖区湖滨街道办事处', '东湖区解放路街道办事处'].sort(),
    );
  });

  it("gives 东湖区's office its own ranking of last month: its streets, a red flag and a black card", async () => {
    const district = await t.login('district', DEMO_PASSWORD);
    const own = (await district.get('/api/rankings/snapshots')).json<{
      items: { id: number; period: string; ownerName: string | null }[];
    }>().items;
    const mine = own.find((s) => s.period === lastMonth.period && s.ownerName === '东湖区');
    expect(mine, JSON.stringify(own)).toBeDefined();
    const snap = (await district.get(`/api/rankings/snapshots/${mine!.id}`)).json<TSnapshot>();
    const streets = snap.classes.find((c) => c.key === 'street')!.rows;
    const flag = (f: 'red' | 'black') => streets.filter((r) => r.flag === f).map((r) => r.unitName);
    expect(flag('red')).toEqual(['东湖区湖滨街道办事处']);
    expect(flag('black')).toEqual(['东湖区解放路街道办事处']);
    expect(streets.find((r) => r.unitName === '东湖区新港镇人民政府')).toMatchObject({
      sample: 2,
      rank: null,
      excluded: 'small_sample',
    });
    // Nothing of another district in it.
    expect(snap.classes.flatMap((c) => c.rows).some((r) => r.unitName.startsWith('西城区'))).toBe(
      false,
    );
  });
});

// The minors' test beside the city framework (BRIEF §1.1: scored on 100 separately, 20 % of the
// total, under 85 a city cannot apply): the demo projection shows the combination and the gate.
describe('demo minors’ test', () => {
  it('is seeded once, with this year’s dossiers approved: 96 of 100, over the gate of 85', async () => {
    expect((await seedDemoMinors(t.database)).seeded).toBe(false);
    const campaigns = (await office.get('/api/campaigns')).json<{
      items: { id: number; frameworks: { name: string; rules: object }[]; combineIssues: [] }[];
    }>().items;
    const c = campaigns[0]!;
    expect(c.frameworks.map((f) => [f.name, f.rules])).toEqual([
      ['全国文明城市测评体系（演示）', expect.objectContaining({ share: 80 })],
      [DEMO_MINORS_NAME, { share: 20, gate: 85 }],
    ]);
    expect(c.combineIssues).toEqual([]);
    const p = (await office.get(`/api/scoring/projection?campaignId=${c.id}`)).json<TProjection>();
    const [city, minors] = p.combined!.parts;
    expect(minors).toMatchObject({
      score: 96,
      share: 20,
      gate: 85,
      gatePassed: true,
      points: 19.2,
      // Not judged by the residents' survey: it has no survey standard.
      status: 'ok',
    });
    expect(city).toMatchObject({ share: 80, gate: null });
    expect(p.combined!.total).toBeCloseTo(0.8 * city!.score + 19.2, 1);
    expect(p.combined!.gatesFailed).toEqual([]);
  });
});

// Issue #19 item 12: the demo city tells one story — every part of the score has something in
// it, the year is not vetoed, and what the phone found reached the units answering for the places.
describe('demo city story', () => {
  it('projects this year from all three parts: dossiers, the field round under way, the second survey round', async () => {
    const c = (await office.get('/api/campaigns')).json<{ items: { id: number }[] }>().items[0]!;
    const p = (await office.get(`/api/scoring/projection?campaignId=${c.id}`)).json<TProjection>();
    for (const part of p.parts) expect(part.earned, part.bucket).toBeGreaterThan(0);
    expect(p.sources.fieldRound).toMatchObject({ name: '第二次模拟测评（实地考察）' });
    expect(p.sources.fieldRound!.visits).toBeGreaterThanOrEqual(20);
    // September's round found 参与率 under the floor of 80 %; the second round is over it.
    expect(p.sources.surveyRound).toMatchObject({ name: '第二次模拟测评' });
    expect(p.yearScore.floor.below).toEqual([]);
    expect(p.yearScore.status).toBe('ok');
    const first = (
      await office.get(
        `/api/scoring/projection?campaignId=${c.id}&surveyRoundId=${p.sources.surveyRound!.id - 1}`,
      )
    ).json<TProjection>();
    expect(first.yearScore.floor.below).toEqual(['participation']);
    expect(first.yearScore.status).toBe('vetoed');
  });

  it('has dossiers at every step of review, each with files dated in the window', async () => {
    const rows = await execRows<{ state: string; grade: string | null; files: number }>(
      t.database.db,
      sql`select d.state, d.grade,
                 (select count(*)::int from evidence_files f where f.dossier_id = d.id) as files
            from evidence_dossiers d join frameworks f on f.id = d.framework_id
           where f.position = 0`,
    );
    const states = new Set(rows.map((r) => r.state));
    for (const s of ['approved', 'submitted', 'returned', 'draft']) expect(states).toContain(s);
    expect(new Set(rows.filter((r) => r.grade).map((r) => r.grade))).toEqual(
      new Set(['A', 'B', 'C']),
    );
    for (const r of rows) expect(r.files).toBeGreaterThan(0);
  });

  it('gives every declared point its 包保单位, and the field round’s failures were dispatched to them', async () => {
    const [pts] = await execRows<{ n: number; without: number }>(
      t.database.db,
      sql`select count(*)::int as n, count(*) filter (where unit_id is null)::int as without
            from points where added_in_round_id is null`,
    );
    expect(pts!.n).toBeGreaterThan(0);
    expect(pts!.without).toBe(0);
    const visits = await execRows<{
      failed: number;
      problem_state: string | null;
      problem_unit: number | null;
      point_unit: number;
      photos: number;
    }>(
      t.database.db,
      sql`select v.failed, pr.state as problem_state, pr.unit_id as problem_unit,
                 p.unit_id as point_unit,
                 (select count(*)::int from jsonb_array_elements(v.items) i
                   where i->>'result' = 'fail' and jsonb_array_length(i->'photoIds') > 0) as photos
            from inspection_visits v join points p on p.id = v.point_id
            left join problems pr on pr.id = v.problem_id`,
    );
    const failed = visits.filter((v) => v.failed > 0);
    expect(failed.length).toBeGreaterThan(3);
    expect(visits.length - failed.length).toBeGreaterThan(3);
    for (const v of failed) {
      expect(v).toMatchObject({ problem_state: 'dispatched', problem_unit: v.point_unit });
      // Every failure carries its photo.
      expect(v.photos).toBe(v.failed);
    }
  });
});

// Issue #19 item 4: the bulletin and the mock evaluation say the year's standing beside their own
// figures — the combination of the two frameworks, the minors' gate, and any veto.
describe('outlook beside the bulletin and the mock evaluation', () => {
  it('a bulletin made from last month’s ranking carries the campaign outlook, frozen with it', async () => {
    const [summary] = (await office.get('/api/rankings/snapshots?ownerRegionId=city')).json()
      .items as {
      id: number;
    }[];
    const created = await office.post('/api/bulletins', { snapshotId: summary!.id });
    expect(created.statusCode, created.body).toBe(201);
    const o = created.json<{ data: TBulletinData }>().data.outlook!;
    const c = (await office.get('/api/campaigns')).json<{ items: { id: number }[] }>().items[0]!;
    const p = (await office.get(`/api/scoring/projection?campaignId=${c.id}`)).json<TProjection>();
    expect(o).toMatchObject({
      status: 'ok',
      yearScore: p.yearScore.score,
      combined: { total: p.combined!.total },
      fieldRound: '第二次模拟测评（实地考察）',
      surveyRound: '第二次模拟测评',
    });
    expect(o.text.zh).toContain(`综合得分 ${p.combined!.total} 分`);
    expect(o.text.zh).toContain('达到 85 分的申报门槛');
    // 文明细胞 at the city's level, frozen with it: the dashboard's figures and last month's
    // negative-list hit (the demo records one a month back).
    const cells = created.json<{ data: TBulletinData }>().data.cells!;
    const dash = (await office.get('/api/dashboards/cells')).json<TCellsDashboard>();
    expect(cells.held).toBe(dash.held);
    expect(cells.held).toBeGreaterThan(20);
    expect(cells.atRisk.map((h) => h.holderName)).toEqual(
      dash.atRisk.items.map((h) => h.holderName),
    );
    expect(cells.hits).toEqual([
      expect.objectContaining({ holderName: '西城区青少年宫', severe: false, action: null }),
    ]);
    const xlsx = await office.get(`/api/bulletins/${created.json<{ id: number }>().id}/xlsx`);
    expect(xlsx.statusCode).toBe(200);
  });

  it('the mock evaluation answers with the campaign outlook beside its field figures', async () => {
    const res = await office.post('/api/scoring/mock-evaluation', {
      plan: [{ type: 'P03', mode: 'all' }],
      runs: 200,
    });
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json<TMockEvaluation>();
    expect(m.outlook).toMatchObject({ status: 'ok', campaign: { name: expect.any(String) } });
    expect(m.outlook!.text.en).toContain('combined score is projected at');
  });
});

describe('demo boundaries', () => {
  it("every demo point and every demo grid's centroid lies in its region's nearest boundary", async () => {
    // The nearest region up the tree (itself first) that has a boundary.
    const bounded = sql`(select b.geometry from regions b
        where b.geometry is not null and r.path like b.path || '%'
        order by length(b.path) desc limit 1)`;
    const points = await execRows<{ name: string; lat: number; lng: number; g: TAreaGeometry }>(
      t.database.db,
      sql`select p.name, p.lat, p.lng, ${bounded} as g
          from points p join regions r on r.id = p.region_id where p.lat is not null`,
    );
    const grids = await execRows<{ name: string; geometry: TAreaGeometry; g: TAreaGeometry }>(
      t.database.db,
      sql`select gr.name, gr.geometry, ${bounded} as g
          from grids gr join regions r on r.id = gr.region_id`,
    );
    expect(points.length).toBeGreaterThanOrEqual(40);
    expect(grids.length).toBe(6);
    const outside = [
      ...points.filter((p) => !p.g || !pointInArea(Number(p.lng), Number(p.lat), p.g)),
      ...grids.filter((gr) => {
        const b = bboxOf(gr.geometry);
        return !gr.g || !pointInArea((b.minLng + b.maxLng) / 2, (b.minLat + b.maxLat) / 2, gr.g);
      }),
    ].map((x) => x.name);
    expect(outside).toEqual([]);
    // Every district, street and community of the demo has one.
    const [n] = await execRows<{ missing: number }>(
      t.database.db,
      sql`select count(*)::int as missing from regions
          where level in ('district', 'street', 'community') and geometry is null`,
    );
    expect(n!.missing).toBe(0);
  });

  it('every demo point and every located demo problem has the region its place resolves to', async () => {
    // As an intake without a region would be placed: the grid there, else the deepest boundary.
    const rows = await execRows<{
      what: string;
      region_id: number | null;
      lat: number;
      lng: number;
    }>(
      t.database.db,
      sql`select 'point ' || name as what, region_id, lat, lng from points where lat is not null
          union all
          select 'problem ' || code, region_id, lat, lng from problems where lat is not null`,
    );
    expect(rows.filter((r) => r.what.startsWith('problem ')).length).toBeGreaterThan(60);
    const wrong: string[] = [];
    const levels = new Map<number, string>();
    for (const r of rows) {
      const place = await resolvePlace(
        t.database.db,
        { lat: Number(r.lat), lng: Number(r.lng) },
        false,
      );
      if (place.regionId !== (r.region_id === null ? null : Number(r.region_id)))
        wrong.push(r.what);
      if (place.regionId !== null) levels.set(place.regionId, '');
    }
    expect(wrong).toEqual([]);
    // …and that region is a community: the demo places everything down to the community.
    const [notCommunity] = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from regions where id in (${sql.join(
        [...levels.keys()].map((id) => sql`${id}`),
        sql`, `,
      )}) and level <> 'community'`,
    );
    expect(notCommunity!.n).toBe(0);
  });

  it('each demo 门前三包 holder runs past the demo problem it was placed by', async () => {
    for (const [title, holder] of [
      ['解放路菜市场门口垃圾堆积', '湖滨便利店'],
      ['湖滨路人行道电动车乱停放', '老街面馆'],
      ['西关社区宣传栏内容过期', '市供电公司营业厅'],
    ] as const) {
      const found = await office.get(`/api/problems?q=${encodeURIComponent(title)}&limit=1`);
      const id = found.json<{ items: { id: number }[] }>().items[0]!.id;
      const res = await office.get(`/api/problems/${id}/frontage-duties`);
      expect(res.statusCode).toBe(200);
      const names = res.json<{ holderName: string }[]>().map((h) => h.holderName);
      expect(names, title).toContain(holder);
    }
  });
});

describe("东湖区创建办's own round in the demo", () => {
  it('is committed, its own, and drawn by the district office on its own points', async () => {
    const district = await t.login('district', DEMO_PASSWORD);
    const mine = (await district.get('/api/rounds')).json<{
      items: { id: number; name: string; state: string; ownerName: string | null; kind: string }[];
    }>().items;
    expect(mine.map((r) => [r.name, r.state, r.ownerName, r.kind])).toEqual([
      [DEMO_DISTRICT_ROUND, 'committed', '东湖区', 'supervision'],
    ]);
    const cityView = (await office.get(`/api/rounds?ownerRegionId=city`)).json<{
      items: { name: string }[];
    }>().items;
    expect(cityView.map((r) => r.name)).not.toContain(DEMO_DISTRICT_ROUND);
    const drawn = await district.post(`/api/rounds/${mine[0]!.id}/draw`);
    expect(drawn.statusCode, drawn.body).toBe(200);
    const ids = drawn.json<{ drawnIds: number[] }>().drawnIds;
    expect(ids.length).toBeGreaterThan(0);
    const outside = await execRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from points p join regions r on r.id = p.region_id
           where p.id in (${sql.join(
             ids.map((id) => sql`${id}`),
             sql`, `,
           )}) and r.path not like (select path from regions where name = '东湖区') || '%'`,
    );
    expect(outside[0]!.n).toBe(0);
  });
});

describe('文明细胞 dynamic management in the demo', () => {
  it('has the lists, checked holders and a hit, once; the library’s record shows problems nearby', async () => {
    expect(await seedDemoCellChecks(t.database)).toBe(0);
    const lists = (await office.get('/api/cell-check-lists?cellType=unit')).json<
      { standards: unknown[] }[]
    >();
    expect(lists[0]!.standards).toHaveLength(20);
    const neg = (await office.get('/api/cell-negative-lists?cellType=unit')).json<
      { items: { severe: boolean }[] }[]
    >();
    expect(neg[0]!.items).toHaveLength(10);
    expect(neg[0]!.items.filter((i) => i.severe).length).toBeGreaterThan(0);
    const holders = (await office.get('/api/honours?q=东湖区图书馆')).json<{
      items: { id: number }[];
    }>().items;
    const rec = (await office.get(`/api/honours/${holders[0]!.id}/management`)).json<{
      checks: unknown[];
      problems: unknown[];
    }>();
    expect(rec.checks).toHaveLength(2);
    expect(rec.problems.length).toBeGreaterThan(0);
    const youth = (await office.get('/api/honours?q=西城区青少年宫')).json<{
      items: { id: number }[];
    }>().items;
    const hits = (await office.get(`/api/honours/${youth[0]!.id}/management`)).json<{
      hits: { points: number }[];
    }>().hits;
    expect(hits.map((h) => h.points)).toEqual([2]);
  });
});

describe('demo 十星级文明户', () => {
  it('seeds the stars and 15 households once, with ratings at every step and a ten-star one', async () => {
    expect(await seedDemoStarHouseholds(t.database)).toBe(0);
    const grid = await t.login('grid', DEMO_PASSWORD);
    const mine = (await grid.get('/api/star-households?limit=50')).json<{
      items: { regionName: string; rating: { status: string; tenStar: boolean } | null }[];
    }>().items;
    // The grid worker's own grid: 湖滨一网格's nine households.
    expect(mine).toHaveLength(9);
    expect(new Set(mine.map((h) => h.regionName))).toEqual(new Set(['湖滨社区']));
    const statuses = mine.map((h) => h.rating?.status ?? 'unrated');
    for (const s of ['approved', 'proposed', 'returned', 'unrated']) expect(statuses).toContain(s);
    expect(mine.filter((h) => h.rating?.tenStar)).toHaveLength(1);
    const all = (await office.get('/api/star-households?limit=50')).json<{ total: number }>();
    expect(all.total).toBe(15);
    const communities = (
      await t.app.inject({ method: 'GET', url: '/api/public/star-board/communities' })
    ).json<{ items: { regionName: string; tenStar: number }[] }>().items;
    expect(communities.map((c) => c.regionName).sort()).toEqual(['柳岸社区', '湖滨社区'].sort());
  });
});

describe('身边好人 in the demo', () => {
  it("has last month's 好人榜 published and this month's nominations, seeded once", async () => {
    expect(await seedDemoGoodPeople(t.database)).toBe(0);
    const board = (
      await t.app.inject({ method: 'GET', url: '/api/public/good-people/board' })
    ).json<{
      month: string;
      honoured: { nomineeName: string; rank: number; voteCount: number; steps: unknown[] }[];
    }>();
    expect(board.month).toBe(previousMonth(monthOf(new Date())));
    expect(board.honoured.map((h) => [h.rank, h.nomineeName])).toEqual([
      [1, '陈建国'],
      [2, '刘秀英'],
      [3, '王志强'],
    ]);
    expect(board.honoured[0]!.voteCount).toBe(236);
    expect(board.honoured[0]!.steps).toHaveLength(1);
    const now = (await office.get(`/api/good-people?month=${monthOf(new Date())}`)).json<{
      items: { status: string; source: string }[];
    }>().items;
    expect(now.map((n) => n.status).sort()).toEqual(['shortlisted', 'submitted', 'submitted']);
    expect(new Set(now.map((n) => n.source))).toEqual(new Set(['unit', 'citizen', 'community']));
    // The district office reviews its own: 东湖区's nominees, not 西城区's.
    const district = await t.login('district', DEMO_PASSWORD);
    const mine = (await district.get('/api/good-people')).json<{
      items: { nomineeName: string }[];
    }>();
    expect(mine.items.map((n) => n.nomineeName)).not.toContain('孙德明');
    expect(mine.items.map((n) => n.nomineeName)).toContain('陈建国');
  });
});

describe('公益广告阵地 in the demo', () => {
  it('has ~30 carriers at demo points, some broken, the rules, a 换版 half done; once', async () => {
    expect(await seedDemoAdCarriers(t.database, t.storage)).toBe(0);
    const d = (await office.get('/api/ad-carriers/dashboard')).json<TCarriersDashboard>();
    expect(d.total).toBeGreaterThanOrEqual(25);
    expect(d.byState.damaged + d.byState.missing).toBeGreaterThanOrEqual(3);
    const rules = (await office.get('/api/ad-carrier-rules')).json<{ items: unknown[] }>();
    expect(rules.items).toHaveLength(4);
    const campaigns = (await office.get('/api/ad-campaigns')).json<{
      items: { name: string; percent: number }[];
    }>();
    expect(campaigns.items).toEqual([
      expect.objectContaining({ name: '春节主题换版', percent: 50 }),
    ]);
    const cov = (await office.get('/api/ad-carriers/coverage')).json<TCoverage>();
    expect(cov.points.some((p) => !p.met)).toBe(true);
  });
});

describe('文明积分 in the demo', () => {
  it('has rules, points for hours, ratings and reports, shops, the shop login; once', async () => {
    expect(await seedDemoCredits(t.database, t.storage)).toBe(false);
    const rules = (await office.get('/api/credits/rules')).json<{ current: { version: number } }>();
    expect(rules.current.version).toBe(1);
    const volunteers = (
      await t.app.inject({ method: 'GET', url: '/api/public/credits/ranking?board=volunteer' })
    ).json<{ items: { name: string; points: number }[] }>();
    expect(volunteers.items.length).toBeGreaterThanOrEqual(5);
    const residents = (
      await t.app.inject({ method: 'GET', url: '/api/public/credits/ranking?board=resident' })
    ).json<{ items: { name: string; points: number }[] }>();
    // The opted-in resident by name; the households by surname only.
    expect(residents.items.map((i) => i.name)).toContain('陈晓燕');
    expect(residents.items.some((i) => /^.\*\*$/.test(i.name))).toBe(true);
    const shops = (await office.get('/api/credits/shops')).json<{
      items: { name: string; items: unknown[]; staff: { username: string }[] }[];
    }>();
    expect(shops.items.map((s) => s.name)).toEqual(['湖滨社区爱心超市', '湖滨书店', '便民理发店']);
    expect(shops.items[0]!.staff.map((s) => s.username)).toEqual(['shop']);
    const shop = await t.login('shop', DEMO_PASSWORD);
    expect((await shop.get('/api/credits/shop')).json()).toMatchObject({
      name: '湖滨社区爱心超市',
    });
    const used = (await office.get('/api/credits/redemptions?status=used')).json<{
      items: { itemName: string; usedByName: string }[];
    }>();
    expect(used.items).toEqual([
      expect.objectContaining({ itemName: '环保购物袋', usedByName: '林店长' }),
    ]);
  });
});
