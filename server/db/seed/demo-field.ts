import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import type { TItemAnswer, TRatings } from '../../../core/contracts/inspections.js';
import type { ChecklistItem } from '../../../core/inspection/score.js';
import { uploadImage } from '../../modules/files/files.service.js';
import {
  commitRound,
  createRound,
  drawRound,
  revealRound,
} from '../../modules/rounds/rounds.service.js';
import { submitVisit } from '../../modules/rounds/visits.service.js';
import type { Actor } from '../../platform/actor.js';
import type { FileStorage } from '../../platform/storage.js';
import { shanghaiDate, addDays } from '../../../core/calendar/working-days.js';
import { execRows, type Database } from '../client.js';
import { demoActor } from './demo-actors.js';

/*
 * The demo's field part: 第二次模拟测评 under way. The office planned it by the demo framework's
 * point types (mandatory types: every point; random types: 3 each), committed, drew and revealed
 * the draw as the rounds page does; the inspector has visited most drawn points today, on the
 * phone's checklist with GPS, a photo of every failure and the 整体评价 ratings. Each failed visit
 * became a problem dispatched to the point's 包保单位 by the same service the phone calls. The
 * results are made-up but stable, and uneven on purpose: 农贸市场 and 背街小巷 fail more, 医院
 * and 政务服务大厅 less, so the round report, the field part of the score and the rankings have
 * something to say.
 */

export const DEMO_FIELD_ROUND = '第二次模拟测评（实地考察）';

/** Share of items failed, by point type (our demo's story, not data). */
const FAIL_RATE: Record<string, number> = {
  P02: 0.3,
  P03: 0.28,
  P11: 0.25,
  P10: 0.2,
  P04: 0.15,
  P07: 0.05,
  P09: 0.04,
};
const DEFAULT_FAIL_RATE = 0.12;
/** Drawn points left for tomorrow: the round is under way, not finished. */
const LEFT_FOR_TOMORROW = 4;
/** Minutes between visits (the inspector's day, ending an hour ago). */
const MINUTES_APART = 9;

/** A stable number in [0, 1) for a key: the same demo every time it is seeded. */
function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

/** A photo of a failure: a plain street-coloured frame with a marked spot, different per item. */
async function failurePhoto(key: string): Promise<Buffer> {
  const hue = Math.floor(unit(`${key}:h`) * 360);
  const x = 80 + Math.floor(unit(`${key}:x`) * 400);
  const y = 80 + Math.floor(unit(`${key}:y`) * 260);
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
      <rect width="640" height="480" fill="hsl(${hue},12%,62%)"/>
      <rect y="300" width="640" height="180" fill="hsl(${hue},6%,38%)"/>
      <circle cx="${x}" cy="${y}" r="46" fill="none" stroke="#e53935" stroke-width="8"/>
    </svg>`,
  );
  return sharp(svg).jpeg({ quality: 70 }).toBuffer();
}

interface DrawnPoint {
  id: number;
  name: string;
  type_code: string;
  lat: number | null;
  lng: number | null;
  checklist: ChecklistItem[];
}

/** The inspector's answers at one point, with a photo for every failure. */
async function answersAt(
  database: Database,
  storage: FileStorage,
  inspector: Actor,
  p: DrawnPoint,
): Promise<TItemAnswer[]> {
  const rate = FAIL_RATE[p.type_code] ?? DEFAULT_FAIL_RATE;
  const out: TItemAnswer[] = [];
  for (const [index, item] of p.checklist.entries()) {
    const key = `${p.id}:${index}`;
    const fail = unit(key) < rate;
    const answer: TItemAnswer = { index, result: fail ? 'fail' : 'pass', photoIds: [] };
    const q = item.quantity;
    if (q?.kind === 'count') answer.count = fail ? Math.max(0, q.min - 2) : q.min + 1;
    else if (q?.kind === 'ratio') {
      answer.total = 20;
      answer.count = fail ? 17 : 20;
    }
    if (fail) {
      const photo = await uploadImage(database, storage, inspector, {
        data: await failurePhoto(key),
        filename: `IMG_${p.id}_${index + 1}.jpg`,
      });
      answer.photoIds = [photo.id];
      answer.note = item.serious ? '现场发现，已拍照留证' : null;
    }
    out.push(answer);
  }
  return out;
}

/** 整体评价 at one point: mostly 4, with some 3 and 5. */
function ratingsAt(p: DrawnPoint): TRatings {
  const r = (k: string) => 3 + Math.floor(unit(`${p.id}:${k}`) * 2.6);
  return {
    environment: r('env'),
    civility: r('civ'),
    facilities: r('fac'),
    atmosphere: r('atm'),
  };
}

/**
 * Seeds the demo's field round (see above) once: nothing happens when it exists or the demo's
 * office or inspector is missing. Returns the visits made.
 */
export async function seedDemoField(
  database: Database,
  storage: FileStorage,
  now = new Date(),
): Promise<number> {
  const [have] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from rounds where name = ${DEMO_FIELD_ROUND}`,
  );
  if (have!.n > 0) return 0;
  const office = await demoActor(database, 'office');
  const inspector = await demoActor(database, 'inspector');
  if (!office || !inspector) return 0;
  const types = await execRows<{ code: string; sampling: string; n: number }>(
    database.db,
    sql`select t.code, t.sampling, count(p.id)::int as n from point_types t
          join points p on p.type_id = t.id and p.added_in_round_id is null
         group by t.code, t.sampling order by t.code`,
  );
  if (types.length === 0) return 0;
  const today = shanghaiDate(now);
  let round = await createRound(database, office, {
    name: DEMO_FIELD_ROUND,
    kind: 'mock',
    handDown: false,
    startsOn: today,
    endsOn: addDays(today, 1),
    plan: types.map((t) =>
      t.sampling === 'mandatory'
        ? { type: t.code, mode: 'all' as const }
        : { type: t.code, mode: 'random' as const, count: Math.min(3, t.n) },
    ),
    regionIds: [],
    inspectorIds: [inspector.id!],
  });
  await commitRound(database, office, round.id);
  await drawRound(database, office, round.id);
  round = await revealRound(database, office, round.id);
  const ids = round.drawnIds ?? [];
  const drawn = await execRows<DrawnPoint>(
    database.db,
    sql`select p.id, p.name, t.code as type_code, p.lat, p.lng, t.checklist
          from points p join point_types t on t.id = p.type_id
         where p.id in (${sql.join(
           ids.map((id) => sql`${id}`),
           sql`, `,
         )})`,
  );
  const byId = new Map(drawn.map((p) => [Number(p.id), p]));
  const visiting = ids.slice(0, Math.max(0, ids.length - LEFT_FOR_TOMORROW));
  let n = 0;
  for (const [k, id] of visiting.entries()) {
    const p = byId.get(id);
    if (!p) continue;
    const at = new Date(now.getTime() - (60 + (visiting.length - k) * MINUTES_APART) * 60_000);
    // A phone's fix a few metres off the point, as real ones are.
    const dLat = (unit(`${id}:lat`) - 0.5) * 0.0003;
    const dLng = (unit(`${id}:lng`) - 0.5) * 0.0003;
    await submitVisit(database, inspector, {
      clientId: randomUUID(),
      roundId: round.id,
      pointId: id,
      items: await answersAt(database, storage, inspector, p),
      ratings: ratingsAt(p),
      note: null,
      lat: p.lat === null ? null : Math.round((p.lat + dLat) * 1e6) / 1e6,
      lng: p.lng === null ? null : Math.round((p.lng + dLng) * 1e6) / 1e6,
      accuracyM: 6 + Math.round(unit(`${id}:acc`) * 20),
      visitedAt: at.toISOString(),
    });
    n++;
  }
  return n;
}

export const DEMO_DISTRICT_ROUND = '东湖区十二月督查';

/**
 * 东湖区创建办's own round (its 督查 on its own points): planned and committed — its list frozen,
 * the commitment published — so the district office's next step in the demo is the draw itself.
 * Once (by name); nothing without the district office or points in its district.
 */
export async function seedDemoDistrictRound(database: Database, now = new Date()): Promise<number> {
  const [have] = await execRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from rounds where name = ${DEMO_DISTRICT_ROUND}`,
  );
  if (have!.n > 0) return 0;
  const district = await demoActor(database, 'district');
  if (!district?.regionId) return 0;
  // Its random types with points in the district: two of each (or all it has).
  const types = await execRows<{ code: string; n: number }>(
    database.db,
    sql`select t.code, count(p.id)::int as n from point_types t
          join points p on p.type_id = t.id and p.added_in_round_id is null
          join regions r on r.id = p.region_id
         where t.sampling = 'random'
           and r.path like (select path from regions where id = ${district.regionId}) || '%'
         group by t.code order by t.code`,
  );
  if (types.length === 0) return 0;
  const today = shanghaiDate(now);
  const round = await createRound(database, district, {
    name: DEMO_DISTRICT_ROUND,
    kind: 'supervision',
    handDown: false,
    startsOn: today,
    endsOn: addDays(today, 3),
    plan: types.map((t) => ({ type: t.code, mode: 'random' as const, count: Math.min(2, t.n) })),
    regionIds: [],
    inspectorIds: [],
  });
  await commitRound(database, district, round.id);
  return 1;
}
