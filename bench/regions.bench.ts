import { sql } from 'drizzle-orm';
import { bboxOf, type TAreaGeometry, type TPosition } from '../core/geo/polygon.js';
import { execRows, type Database } from '../server/db/client.js';
import { runMigrations } from '../server/db/migrate.js';
import { seedReferenceData } from '../server/db/seed/reference-data.js';
import { putBoundary } from '../server/modules/org/region-boundaries.service.js';
import { regionAt, replaceWithin, resolvePlace } from '../server/modules/org/region-routing.js';
import { SYSTEM_ACTOR } from '../server/platform/actor.js';
import { withTx } from '../server/platform/tx.js';
import { fmt, insertSpreadProblems, load, memoryMb, onBenchDatabases, row } from './lib.js';

// Region routing by boundary (区划边界, issue #20): a city of 5 districts, 60 streets and 600
// communities whose outlines have realistic vertex counts (every lattice edge a wiggly line of
// BENCH_REGION_EDGE_POINTS points: ~100 a community, ~350 a street, ~1,700 a district), tiling
// the city exactly. Measured, each beside a raw-SQL baseline on PostgreSQL's own polygon type
// (`polygon @> point` on a GiST box index, deepest level first):
// - the region of one intake: resolvePlace on the in-memory index (what every intake runs),
//   and regionAt (the table path: box query, exact test in core);
// - the whole city placed (the work of an import of every boundary);
// - one district's boundary redrawn (PUT /api/regions/:id/boundary's service), which re-derives
//   the located problems in its old and new extents (~50,000 at the default size).

const COLS = 30; // communities across
const ROWS = 20; // communities down
const STREET = { cols: 5, rows: 2 }; // 10 communities a street: 6 × 10 = 60 streets
const DISTRICT = { cols: 30, rows: 4 }; // 12 streets a district: 5 districts
const W = 120.0;
const S = 30.1;
const D = 0.01; // a community is about 1 km × 1.1 km
const K = Number(process.env.BENCH_REGION_EDGE_POINTS ?? 24);
const SCALE = 100_000;
const LOOKUPS = Number(process.env.BENCH_REGION_LOOKUPS ?? 3000);

const frac = (x: number) => x - Math.floor(x);
const hash = (a: number, b: number, c: number) =>
  frac(Math.sin(a * 12.9898 + b * 78.233 + c * 37.719) * 43758.5453);

/** A lattice node, jittered inside the city (the outline of the city stays straight). */
function node(i: number, j: number): TPosition {
  const edge = i === 0 || j === 0 || i === COLS || j === ROWS;
  const jx = edge ? 0 : (hash(i, j, 1) - 0.5) * 0.3 * D;
  const jy = edge ? 0 : (hash(i, j, 2) - 0.5) * 0.3 * D;
  return [round7(W + i * D + jx), round7(S + j * D + jy)];
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

/**
 * The points of a lattice edge from node (i, j) towards +x (`h`) or +y, without its end node: a
 * line wiggling across the straight one (none on the city's outline). Neighbours walk the same
 * points, one of them backwards, so the regions share their edges exactly.
 */
function edgePoints(i: number, j: number, h: boolean): TPosition[] {
  const a = node(i, j);
  const b = h ? node(i + 1, j) : node(i, j + 1);
  const outer = h ? j === 0 || j === ROWS : i === 0 || i === COLS;
  const out: TPosition[] = [];
  for (let k = 0; k < K; k++) {
    const t = k / K;
    const amp = outer || k === 0 ? 0 : (hash(i * 3 + (h ? 1 : 2), j, k) - 0.5) * 0.12 * D;
    const env = Math.sin(Math.PI * t);
    const x = a[0] + (b[0] - a[0]) * t + (h ? 0 : amp * env);
    const y = a[1] + (b[1] - a[1]) * t + (h ? amp * env : 0);
    out.push(k === 0 ? a : [round7(x), round7(y)]);
  }
  return out;
}

/** The outline of the block of communities [c0, c1) × [r0, r1), counter-clockwise, closed. */
function block(c0: number, r0: number, c1: number, r1: number): TAreaGeometry {
  const ring: TPosition[] = [];
  for (let c = c0; c < c1; c++) ring.push(...edgePoints(c, r0, true));
  for (let r = r0; r < r1; r++) ring.push(...edgePoints(c1, r, false));
  for (let c = c1 - 1; c >= c0; c--)
    ring.push(node(c + 1, r1), ...edgePoints(c, r1, true).slice(1).reverse());
  for (let r = r1 - 1; r >= r0; r--)
    ring.push(node(c0, r + 1), ...edgePoints(c0, r, false).slice(1).reverse());
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

interface Made {
  districtIds: number[];
  /** The first district's outline, as drawn. */
  district0: TAreaGeometry;
  vertices: { district: number; street: number; community: number };
}

async function insertRegion(
  database: Database,
  r: { code: string; name: string; level: string; parentId: number | null; parentPath: string },
  geometry: TAreaGeometry | null,
): Promise<{ id: number; path: string }> {
  const b = geometry ? bboxOf(geometry) : null;
  const [row] = await execRows<{ id: number }>(
    database.db,
    sql`insert into regions (code, name, level, parent_id, geometry, min_lat, min_lng, max_lat, max_lng,
          boundary_rev)
        values (${r.code}, ${r.name}, ${r.level}, ${r.parentId},
          ${geometry ? JSON.stringify(geometry) : null}::jsonb, ${b?.minLat ?? null},
          ${b?.minLng ?? null}, ${b?.maxLat ?? null}, ${b?.maxLng ?? null}, ${geometry ? 1 : 0})
        returning id`,
  );
  const id = Number(row!.id);
  const path = `${r.parentPath}${id}/`;
  await database.db.execute(sql`update regions set path = ${path} where id = ${id}`);
  return { id, path };
}

const count = (g: TAreaGeometry) => (g.type === 'Polygon' ? g.coordinates[0]!.length - 1 : 0);

async function makeCity(database: Database): Promise<Made> {
  const city = await insertRegion(
    database,
    { code: '990100', name: '压测市', level: 'city', parentId: null, parentPath: '/' },
    null,
  );
  const made: Made = {
    districtIds: [],
    district0: block(0, 0, 1, 1),
    vertices: { district: 0, street: 0, community: 0 },
  };
  for (let d = 0; d < ROWS / DISTRICT.rows; d++) {
    const r0 = d * DISTRICT.rows;
    const dg = block(0, r0, DISTRICT.cols, r0 + DISTRICT.rows);
    if (d === 0) made.district0 = dg;
    made.vertices.district = Math.max(made.vertices.district, count(dg));
    const dCode = `9901${String(d + 1).padStart(2, '0')}`;
    const district = await insertRegion(
      database,
      {
        code: dCode,
        name: `压测${d + 1}区`,
        level: 'district',
        parentId: city.id,
        parentPath: city.path,
      },
      dg,
    );
    made.districtIds.push(district.id);
    let s = 0;
    for (let sr = r0; sr < r0 + DISTRICT.rows; sr += STREET.rows) {
      for (let sc = 0; sc < COLS; sc += STREET.cols) {
        s++;
        const sg = block(sc, sr, sc + STREET.cols, sr + STREET.rows);
        made.vertices.street = Math.max(made.vertices.street, count(sg));
        const sCode = `${dCode}${String(s).padStart(3, '0')}`;
        const street = await insertRegion(
          database,
          {
            code: sCode,
            name: `压测街道${sCode}`,
            level: 'street',
            parentId: district.id,
            parentPath: district.path,
          },
          sg,
        );
        const values = [];
        let n = 0;
        for (let r = sr; r < sr + STREET.rows; r++) {
          for (let c = sc; c < sc + STREET.cols; c++) {
            n++;
            const cg = block(c, r, c + 1, r + 1);
            made.vertices.community = Math.max(made.vertices.community, count(cg));
            const b = bboxOf(cg);
            values.push(
              sql`(${`${sCode}${String(n).padStart(3, '0')}`}, ${`压测社区${sCode}-${n}`}, 'community',
                ${street.id}, ${street.path}, ${JSON.stringify(cg)}::jsonb, ${b.minLat}, ${b.minLng},
                ${b.maxLat}, ${b.maxLng}, 1)`,
            );
          }
        }
        const ids = await execRows<{ id: number }>(
          database.db,
          sql`insert into regions (code, name, level, parent_id, path, geometry, min_lat, min_lng,
                max_lat, max_lng, boundary_rev)
              values ${sql.join(values, sql`, `)} returning id`,
        );
        await database.db.execute(
          sql`update regions set path = path || id || '/' where id in (${sql.join(
            ids.map((i) => sql`${Number(i.id)}`),
            sql`, `,
          )})`,
        );
      }
    }
  }
  return made;
}

async function setUp(database: Database, n: number): Promise<Made> {
  await runMigrations(database);
  await seedReferenceData(database);
  const started = performance.now();
  const made = await makeCity(database);
  // The baseline's copy of the boundaries in PostgreSQL's polygon type (scaled to ~1 m units, as
  // the grids bench: the geometric types' absolute tolerance misjudges degrees), GiST on the box.
  await database.db.execute(
    sql`create table bench_region_poly (id int primary key, depth int, poly polygon, bb box)`,
  );
  await database.db.execute(sql`insert into bench_region_poly (id, depth, poly)
    select id, case level when 'city' then 0 when 'district' then 1 when 'street' then 2 else 3 end,
      polygon(path(('(' || (select string_agg('(' || (((p->>0)::float8 - ${W}) * ${SCALE})
      || ',' || (((p->>1)::float8 - ${S}) * ${SCALE}) || ')', ',')
      from jsonb_array_elements(geometry->'coordinates'->0) p) || ')')::text))
    from regions where geometry is not null`);
  await database.db.execute(sql`update bench_region_poly set bb = box(poly)`);
  await database.db.execute(sql`create index on bench_region_poly using gist (bb)`);
  // Spread over the city and 2 % beyond it (those fall in no region).
  await insertSpreadProblems(database, n, {
    codePrefix: 'RB',
    channel: 'citizen',
    south: S,
    west: W,
    height: ROWS * D,
    width: COLS * D,
  });
  await database.db.execute(sql`analyze problems`);
  await database.db.execute(sql`analyze regions`);
  await database.db.execute(sql`analyze bench_region_poly`);
  const v = made.vertices;
  console.log(
    `generated 665 regions (largest outline: district ${v.district}, street ${v.street}, community ${v.community} vertices) and ${n.toLocaleString()} problems in ${fmt((performance.now() - started) / 1000)} s`,
  );
  return made;
}

/** The raw-SQL region of a point: the deepest polygon holding it (GiST box, then the polygon). */
const baseRegion = (lat: number, lng: number) => {
  const x = (lng - W) * SCALE;
  const y = (lat - S) * SCALE;
  return sql`select id from bench_region_poly where bb @> point(${x}, ${y}) and poly @> point(${x}, ${y})
    order by depth desc, id limit 1`;
};

/**
 * The raw-SQL placement of the boundary-placed (or unplaced) problems outside grids in a box: the
 * deepest region of each, written where it changed (as ours writes only the changes).
 */
const basePlace = (box: { minLat: number; minLng: number; maxLat: number; maxLng: number }) =>
  sql`with c as (
      select p.id, (select g.id from bench_region_poly g,
          lateral (select point((p.lng - ${W}) * ${SCALE}, (p.lat - ${S}) * ${SCALE}) as pt) q
        where g.bb @> q.pt and g.poly @> q.pt order by g.depth desc, g.id limit 1) as r
      from problems p
      where p.lat between ${box.minLat} and ${box.maxLat} and p.lng between ${box.minLng} and ${box.maxLng}
        and p.grid_id is null and (p.region_source = 'boundary' or p.region_id is null))
    update problems p set region_id = c.r,
      region_source = case when c.r is null then null else 'boundary' end
    from c where p.id = c.id and p.region_id is distinct from c.r`;

async function runOn(label: string, database: Database, n: number) {
  const made = await setUp(database, n);
  console.log(`\n== ${label}: ${n.toLocaleString()} problems × 665 regions`);
  const city = { minLat: S - 1, minLng: W - 1, maxLat: S + 2, maxLng: W + 2 };

  // The whole city placed: raw SQL, then ours (the import's replaceWithin) from no region.
  let t0 = performance.now();
  await database.db.execute(basePlace(city));
  await database.afterCommit();
  const baseS = (performance.now() - t0) / 1000;
  await database.db.execute(
    sql`create table bench_base as select id, region_id from problems where region_id is not null`,
  );
  await database.db.execute(sql`update problems set region_id = null, region_source = null`);
  await database.afterCommit();
  t0 = performance.now();
  const all = await withTx(database, (tx) => replaceWithin(tx, [city]));
  await database.afterCommit();
  const oursS = (performance.now() - t0) / 1000;
  const [diff] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*) filter (where b.region_id is distinct from p.region_id)::int as n
        from problems p left join bench_base b on b.id = p.id`,
  );
  console.log(
    `${'whole city placed, raw SQL polygon @> point'.padEnd(52)} ${fmt(n / baseS, 0).padStart(8)} problems/s  (${fmt(baseS, 2)} s)`,
  );
  console.log(
    `${'whole city placed, replaceWithin (ours)'.padEnd(52)} ${fmt(n / oursS, 0).padStart(8)} problems/s  (${fmt(oursS, 2)} s)  ratio ${fmt(baseS / oursS, 2)}× of baseline`,
  );
  console.log(
    `  scanned ${all.scanned.toLocaleString()}, placed ${all.placed.toLocaleString()}; ${Number(diff!.n)} differ from the baseline (edge points: ours gives the smaller id)`,
  );

  // One district redrawn: the lattice node in the middle of its northern edge moved 300 m north
  // (a bulge into the next district). Communities, which are not redrawn, keep deciding, so few
  // problems change region: the cost is re-deriving every located problem in the old and new
  // extents. The PUT service (transaction, audit, re-derivation) beside a raw UPDATE of the same.
  const districtId = made.districtIds[0]!;
  const moved = JSON.parse(JSON.stringify(made.district0)) as TAreaGeometry;
  const oldBox = bboxOf(made.district0);
  const ring = moved.type === 'Polygon' ? moved.coordinates[0]! : [];
  const [nx, ny] = node(COLS / 2, DISTRICT.rows);
  for (const [k, p] of ring.entries()) {
    if (p[0] === nx && p[1] === ny) ring[k] = [nx, round7(ny + 0.003)];
  }
  const newBox = bboxOf(moved);
  const box = {
    minLat: Math.min(oldBox.minLat, newBox.minLat),
    minLng: Math.min(oldBox.minLng, newBox.minLng),
    maxLat: Math.max(oldBox.maxLat, newBox.maxLat),
    maxLng: Math.max(oldBox.maxLng, newBox.maxLng),
  };
  const [inBox] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from problems where lat between ${box.minLat} and ${box.maxLat}
          and lng between ${box.minLng} and ${box.maxLng}`,
  );
  t0 = performance.now();
  await database.db.execute(basePlace(box));
  await database.afterCommit();
  const baseChangeS = (performance.now() - t0) / 1000;
  const [version] = await execRows<{ version: number }>(
    database.db,
    sql`select version from regions where id = ${districtId}`,
  );
  t0 = performance.now();
  const put = await putBoundary(database, SYSTEM_ACTOR, districtId, {
    geometry: moved,
    version: Number(version!.version),
  });
  const oursChangeS = (performance.now() - t0) / 1000;
  console.log(
    `${'district redrawn, raw SQL UPDATE of its box'.padEnd(52)} ${fmt(Number(inBox!.n) / baseChangeS, 0).padStart(8)} problems/s  (${fmt(baseChangeS * 1000, 0)} ms)`,
  );
  console.log(
    `${'district redrawn, putBoundary (ours)'.padEnd(52)} ${fmt(Number(inBox!.n) / oursChangeS, 0).padStart(8)} problems/s  (${fmt(oursChangeS * 1000, 0)} ms)  ratio ${fmt(baseChangeS / oursChangeS, 2)}× of baseline`,
  );
  console.log(
    `  ${Number(inBox!.n).toLocaleString()} located problems in its extents; placed ${put.placed}, moved ${put.moved}, unplaced ${put.unplaced}`,
  );

  // One intake's region: the in-memory index (every intake), the table path, the raw query.
  const pts = Array.from({ length: LOOKUPS }, (_, i) => ({
    lat: S + ROWS * D * (((i * 7919) % 10007) / 10007),
    lng: W + COLS * D * (((i * 104729) % 9973) / 9973),
  }));
  await resolvePlace(database.db, pts[0]!); // loads the index once
  const base = await load(LOOKUPS, 1, async (i) => {
    await execRows(database.db, baseRegion(pts[i]!.lat, pts[i]!.lng));
  });
  const table = await load(LOOKUPS, 1, async (i) => {
    await regionAt(database.db, pts[i]!.lat, pts[i]!.lng);
  });
  const cached = await load(LOOKUPS, 1, async (i) => {
    await resolvePlace(database.db, pts[i]!);
  });
  console.log(row('intake region, raw SQL polygon @> point', base));
  console.log(row('intake region, regionAt (table, ours)', table, base));
  console.log(row('intake region, resolvePlace (index, ours)', cached, base));
  console.log(
    `  per intake: raw SQL ${fmt((base.seconds / LOOKUPS) * 1000, 3)} ms, regionAt ${fmt((table.seconds / LOOKUPS) * 1000, 3)} ms, resolvePlace ${fmt((cached.seconds / LOOKUPS) * 1000, 3)} ms`,
  );
  console.log(memoryMb());
}

export async function regionsBench(): Promise<void> {
  await onBenchDatabases({
    prefix: 'r',
    poolSize: 4,
    postgres: (database) =>
      runOn('PostgreSQL', database, Number(process.env.BENCH_REGION_PROBLEMS ?? 250_000)),
    pglite: (database) =>
      runOn('PGlite', database, Number(process.env.BENCH_PGLITE_REGION_PROBLEMS ?? 50_000)),
  });
}
