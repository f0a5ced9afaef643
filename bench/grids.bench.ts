import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { TAreaGeometry } from '../core/geo/polygon.js';
import { bboxOf } from '../core/geo/polygon.js';
import {
  dropDatabaseWhenFree,
  execRows,
  openDatabase,
  type Database,
} from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { grids } from '../server/db/schema/index.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { gridAt, reassignAll } from '../server/modules/grids/grid-routing.js';
import { withTx } from '../server/platform/tx.js';
import { fmt, insertSpreadProblems, load, memoryMb, row } from './lib.js';

// Grid routing (issue #6): BENCH_GRID_PROBLEMS located problems (default 1,000,000 on PostgreSQL,
// 100,000 on PGlite) over a 40 × 25 partition of the city into 1,000 irregular octagonal grids.
// Measured: the whole-city assignment (bbox in SQL, exact point-in-polygon in core, changes
// written back through unnest) beside a raw-SQL baseline using PostgreSQL's built-in polygon type
// (`polygon @> point`, GiST index); and the intake-time lookup `gridAt` beside the same raw query.

const COLS = 40;
const ROWS = 25;
const W = 120.0;
const S = 30.1;
const DX = 0.01;
const DY = 0.01;
const SCALE = 100_000;
const LOOKUPS = Number(process.env.BENCH_GRID_LOOKUPS ?? 3000);

/** A deterministic jitter per lattice node, so neighbouring grids share their boundary exactly. */
function node(i: number, j: number): [number, number] {
  const h = Math.sin(i * 12.9898 + j * 78.233) * 43758.5453;
  const k = Math.sin(i * 39.346 + j * 11.135) * 24634.6345;
  const edge = i === 0 || j === 0 || i === 2 * COLS || j === 2 * ROWS;
  const jx = edge ? 0 : (h - Math.floor(h) - 0.5) * 0.3 * (DX / 2);
  const jy = edge ? 0 : (k - Math.floor(k) - 0.5) * 0.3 * (DY / 2);
  return [W + (i * DX) / 2 + jx, S + (j * DY) / 2 + jy];
}

/** Cell (c, r): the 8 half-step lattice nodes around it, counter-clockwise. */
function cell(c: number, r: number): TAreaGeometry {
  const i = 2 * c;
  const j = 2 * r;
  const ring = [
    node(i, j),
    node(i + 1, j),
    node(i + 2, j),
    node(i + 2, j + 1),
    node(i + 2, j + 2),
    node(i + 1, j + 2),
    node(i, j + 2),
    node(i, j + 1),
  ];
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

async function setUp(database: Database, n: number) {
  await runMigrations(database);
  await seedReferenceData(database);
  const [region] = await execRows<{ id: number }>(
    database.db,
    sql`insert into regions (code, name, level, path) values ('990100000000', '压测市', 'city', '/')
        returning id`,
  );
  await database.db.execute(
    sql`update regions set path = '/' || id || '/' where id = ${region!.id}`,
  );
  const values = [];
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) {
      const geometry = cell(c, r);
      const b = bboxOf(geometry);
      values.push({
        code: `99010000${String(r * COLS + c + 1).padStart(7, '0')}`,
        name: `压测网格${r * COLS + c + 1}`,
        regionId: region!.id,
        geometry,
        minLat: b.minLat,
        minLng: b.minLng,
        maxLat: b.maxLat,
        maxLng: b.maxLng,
      });
    }
  }
  for (let k = 0; k < values.length; k += 200) {
    await database.db.insert(grids).values(values.slice(k, k + 200));
  }
  // The baseline's copy of the grids in PostgreSQL's own polygon type, with a GiST index on the
  // box. Coordinates are scaled to ~1 m units from the city's corner: the geometric types compare
  // with an absolute tolerance of 1e-6, which in degrees (≈ 0.1 m… but applied to products of
  // coordinates) misjudged ~5 % of points near edges in a trial.
  await database.db.execute(
    sql`create table bench_grid_poly (id int primary key, poly polygon, bb box)`,
  );
  await database.db.execute(sql`insert into bench_grid_poly (id, poly)
    select id, polygon(path(('(' || (select string_agg('(' || (((p->>0)::float8 - ${W}) * ${SCALE})
      || ',' || (((p->>1)::float8 - ${S}) * ${SCALE}) || ')', ',')
      from jsonb_array_elements(geometry->'coordinates'->0) p) || ')')::text)) from grids`);
  await database.db.execute(sql`update bench_grid_poly set bb = box(poly)`);
  await database.db.execute(sql`create index on bench_grid_poly using gist (bb)`);
  const started = performance.now();
  // Spread over the city and 2 % beyond it (those fall in no grid).
  await insertSpreadProblems(database, n, {
    codePrefix: 'GB',
    channel: 'patrol',
    south: S,
    west: W,
    height: ROWS * DY,
    width: COLS * DX,
  });
  await database.db.execute(sql`analyze problems`);
  await database.db.execute(sql`analyze grids`);
  await database.db.execute(sql`analyze bench_grid_poly`);
  console.log(
    `generated ${n.toLocaleString()} problems and ${COLS * ROWS} grids in ${fmt((performance.now() - started) / 1000)} s`,
  );
}

/** The raw-SQL lookup: box on the GiST index, then the polygon, in the scaled coordinates. */
const baseLookup = (lng: number, lat: number) => {
  const x = (lng - W) * SCALE;
  const y = (lat - S) * SCALE;
  return sql`select id from bench_grid_poly where bb @> point(${x}, ${y}) and poly @> point(${x}, ${y})
    order by id limit 1`;
};

async function runOn(label: string, database: Database, n: number) {
  await setUp(database, n);
  console.log(`\n== ${label}: ${n.toLocaleString()} problems × ${COLS * ROWS} grids`);

  // Baseline: one UPDATE, PostgreSQL's polygon containment with a GiST index.
  let t0 = performance.now();
  await database.db.execute(sql`update problems p set grid_id = (
      select g.id from bench_grid_poly g, lateral (select point((p.lng - ${W}) * ${SCALE}, (p.lat - ${S}) * ${SCALE}) as pt) q
      where g.bb @> q.pt and g.poly @> q.pt order by g.id limit 1)
    where p.lat is not null`);
  await database.afterCommit();
  const baseS = (performance.now() - t0) / 1000;
  await database.db.execute(
    sql`create table bench_base as select id, grid_id from problems where grid_id is not null`,
  );
  await database.db.execute(sql`update problems set grid_id = null`);
  await database.afterCommit();

  t0 = performance.now();
  const out = await withTx(database, (tx) => reassignAll(tx));
  await database.afterCommit();
  const oursS = (performance.now() - t0) / 1000;
  const [diff] = await execRows<{ n: number; assigned: number }>(
    database.db,
    sql`select count(*) filter (where b.grid_id is distinct from p.grid_id)::int as n,
          count(p.grid_id)::int as assigned
        from problems p left join bench_base b on b.id = p.id`,
  );
  console.log(
    `${'whole-city assignment, raw SQL polygon @> point'.padEnd(52)} ${fmt(n / baseS, 0).padStart(8)} problems/s  (${fmt(baseS, 1)} s)`,
  );
  console.log(
    `${'whole-city assignment, reassignAll (ours)'.padEnd(52)} ${fmt(n / oursS, 0).padStart(8)} problems/s  (${fmt(oursS, 1)} s)  ratio ${fmt(baseS / oursS, 2)}× of baseline`,
  );
  console.log(
    `  scanned ${out.scanned.toLocaleString()}, changed ${out.changed.toLocaleString()}, in a grid ${Number(diff!.assigned).toLocaleString()}; ${Number(diff!.n)} differ from the baseline (edge points: ours gives the smaller id)`,
  );

  // Intake-time lookup: one point, one query (bbox on the index) + the exact test in core.
  const pts = Array.from({ length: LOOKUPS }, (_, i) => ({
    lat: S + ROWS * DY * (((i * 7919) % 10007) / 10007),
    lng: W + COLS * DX * (((i * 104729) % 9973) / 9973),
  }));
  const base = await load(LOOKUPS, 1, async (i) => {
    await execRows(database.db, baseLookup(pts[i]!.lng, pts[i]!.lat));
  });
  const ours = await load(LOOKUPS, 1, async (i) => {
    await gridAt(database.db, pts[i]!.lat, pts[i]!.lng);
  });
  console.log(row('intake lookup, raw SQL polygon @> point', base));
  console.log(row('intake lookup, gridAt (ours)', ours, base));
  const base10 = await load(LOOKUPS, 10, async (i) => {
    await execRows(database.db, baseLookup(pts[i]!.lng, pts[i]!.lat));
  });
  const ours10 = await load(LOOKUPS, 10, async (i) => {
    await gridAt(database.db, pts[i]!.lat, pts[i]!.lng);
  });
  console.log(row('intake lookup ×10 concurrent, raw SQL', base10));
  console.log(row('intake lookup ×10 concurrent, gridAt (ours)', ours10, base10));
  console.log(memoryMb());
}

export async function gridsBench(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `cc_bench_g_${Date.now().toString(36)}`;
    const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
    await admin.db.execute(sql.raw(`create database ${name}`));
    await admin.close();
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 12 });
    try {
      await runOn('PostgreSQL', database, Number(process.env.BENCH_GRID_PROBLEMS ?? 1_000_000));
    } finally {
      await database.close();
      await dropDatabaseWhenFree(url, name);
    }
  } else {
    console.log('(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  }
  if (process.env.BENCH_PGLITE !== '0') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-pglite-'));
    const database = await openDatabase({ pgliteDir: dir });
    try {
      await runOn('PGlite', database, Number(process.env.BENCH_PGLITE_GRID_PROBLEMS ?? 100_000));
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
