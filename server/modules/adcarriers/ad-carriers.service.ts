import { evaluateCoverage } from '../../../core/adcarriers/coverage.js';
import {
  CARRIER_KIND_LABELS,
  CARRIER_PROBLEM_STATES,
  CARRIER_STATE_LABELS,
  CARRIER_STATES,
  CARRIER_THEMES,
  CARRIERS_MAP_LIMIT,
  COVERAGE_POINT_LIMIT,
  type TCarrier,
  type TCarrierParsed,
  type TCarrierPatch,
  type TCarrierRuleInput,
  type TCarriersDashboard,
  type TCarriersMap,
  type TCarriersMapQuery,
  type TCarrierState,
  type TCarrierToProblem,
  type TCoverage,
  type TCoverageQuery,
  type TListCarriersQuery,
  type TPointCoverage,
  type TPointMeasureInput,
} from '../../../core/contracts/ad-carriers.js';
import { OPEN_STATES, type TProblemState } from '../../../core/problems/lifecycle.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx, Tx } from '../../db/client.js';
import { officeRegionOf, requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors, isUniqueViolation } from '../../platform/errors.js';
import { pageOf } from '../../platform/pagination.js';
import { withTx } from '../../platform/tx.js';
import { requireCityLevel, requireRegionWithin, requireUnitWithin } from '../org/jurisdiction.js';
import { resolvePlace } from '../org/region-routing.js';
import { regionWithin } from '../org/regions.repo.js';
import { dispatchToUnit } from '../problems/dispatch-to-unit.js';
import { ensureCodeSequences, intakeProblem } from '../problems/problems.service.js';
import { presentCarrier, presentRule } from './ad-carriers.present.js';
import * as repo from './ad-carriers.repo.js';

// 公益广告阵地 (issue #23, items 1–2 and the carriers' dashboard). Read with adcarrier.read and
// written with adcarrier.write (office, inspectors and grid workers in the field); the rules per
// point type are the city office's configuration (inspection.manage at the city, like the point-type
// catalogue); 转为问题 is the office's part of the loop (problem.manage). By level: a district or
// street office reads and writes the carriers placed in its subtree; another district's is not
// there for it (404).

export const CARRIER_CODE_KEY = 'ad_carriers_code_uq';
const CARRIER_CLIENT_KEY = 'ad_carriers_client_uq';

const duplicateCode = (code: string) =>
  new AppError('duplicate', 409, {
    zh: `阵地编号“${code}”已存在`,
    en: `a carrier with code "${code}" already exists`,
  });

const invalidField = (path: string, zh: string, en: string) =>
  errors.invalid({ zh, en }, [{ path, message: `${zh} / ${en}` }]);

/** A carrier a district or street office may see: one placed in its subtree (the city: all). */
async function carrierOfLevel(db: DbOrTx, actor: Actor, c: { regionId: number | null }) {
  const own = officeRegionOf(actor);
  return own === null || (c.regionId !== null && (await regionWithin(db, c.regionId, own)));
}

async function carrierFor(db: DbOrTx, actor: Actor, id: number) {
  const c = await repo.findCarrier(db, id);
  if (!c || !(await carrierOfLevel(db, actor, c))) throw errors.notFound('adCarrier', id);
  return c;
}

export async function listCarriers(database: Database, actor: Actor, q: TListCarriersQuery) {
  requirePermission(actor, Permission.AdCarrierRead);
  const { total, rows } = await repo.carrierPage(database.db, {
    ...q,
    within: officeRegionOf(actor),
  });
  const page = pageOf(rows, q.limit, (c) => c.id);
  return { items: page.items.map(presentCarrier), nextCursor: page.nextCursor, total };
}

export async function getCarrier(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.AdCarrierRead);
  return presentCarrier(await carrierFor(database.db, actor, id));
}

/**
 * Where a carrier is: its grid from the position (as a problem's), its region from the grid or the
 * region boundaries, else its point's region, else the district office's own. Refused outside the
 * actor's jurisdiction. The point and unit named must exist (400), the unit within reach.
 */
async function placeCarrier(
  tx: DbOrTx,
  actor: Actor,
  v: { lat: number; lng: number; pointId: number | null; unitId: number | null },
) {
  const point = v.pointId === null ? null : await repo.findPoint(tx, v.pointId);
  if (v.pointId !== null && !point) {
    throw invalidField('pointId', `点位不存在（${v.pointId}）`, `no such point (${v.pointId})`);
  }
  if (v.unitId !== null) {
    if (!(await repo.findUnit(tx, v.unitId))) {
      throw invalidField('unitId', `单位不存在（${v.unitId}）`, `no such unit (${v.unitId})`);
    }
    await requireUnitWithin(tx, actor, v.unitId);
  }
  const place = await resolvePlace(tx, { lat: v.lat, lng: v.lng }, false);
  const regionId = place.regionId ?? point?.regionId ?? officeRegionOf(actor);
  await requireRegionWithin(tx, actor, regionId);
  return { gridId: place.gridId, regionId };
}

/** The photo's id and date: the date given, else its EXIF time, else when it was uploaded. */
async function photoOf(tx: DbOrTx, photoId: string | null, takenAt: string | null | undefined) {
  if (photoId === null) return { photoId: null, photoTakenAt: null };
  const f = await repo.findFile(tx, photoId);
  if (!f) throw invalidField('photoId', '照片不存在，请重新上传', 'no such photo: upload it again');
  return {
    photoId,
    photoTakenAt: takenAt ? new Date(takenAt) : (f.exifTakenAt ?? f.createdAt),
  };
}

async function uniqueCode<T>(code: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (code && isUniqueViolation(err, CARRIER_CODE_KEY)) throw duplicateCode(code);
    throw err;
  }
}

/** A code for a carrier registered without one: GG and its id (GG00042). */
export const generatedCode = (id: number) => `GG${String(id).padStart(5, '0')}`;

/** The stored columns of a full input, besides place and photo. */
export function carrierValues(input: TCarrierParsed) {
  return {
    kind: input.kind,
    widthCm: input.widthCm,
    heightCm: input.heightCm,
    lat: input.lat,
    lng: input.lng,
    address: input.address || null,
    pointId: input.pointId ?? null,
    unitId: input.unitId ?? null,
    theme: input.theme,
    designTitle: input.designTitle || null,
    state: input.state,
    fixed: input.fixed,
    cluster: input.cluster || null,
    remarks: input.remarks || null,
  };
}

/** Registers a carrier in the caller's transaction (the API and imports); returns its id. */
export async function insertCarrierTx(
  tx: Tx,
  actor: Actor,
  input: TCarrierParsed & { clientId?: string | undefined },
) {
  const values = carrierValues(input);
  const place = await placeCarrier(tx, actor, values);
  const photo = await photoOf(tx, input.photoId ?? null, input.photoTakenAt);
  const row = {
    ...values,
    ...place,
    ...photo,
    code: input.code || `tmp-${crypto.randomUUID()}`,
    clientId: input.clientId ?? null,
    createdBy: actor.id,
  };
  const id = await repo.insertCarrier(tx, row);
  if (!input.code) {
    row.code = generatedCode(id);
    await repo.setCarrierCode(tx, id, row.code);
  }
  await writeAudit(tx, actor, {
    action: 'adcarrier.create',
    entityType: 'adCarrier',
    entityId: id,
    after: row,
  });
  return id;
}

/**
 * Registers a carrier. A phone's offline registration carries its client id: sent again (a retry
 * after a lost answer), it answers the carrier already registered (`created: false`).
 */
export async function createCarrier(
  database: Database,
  actor: Actor,
  input: TCarrierParsed & { clientId?: string | undefined },
): Promise<{ carrier: TCarrier; created: boolean }> {
  requirePermission(actor, Permission.AdCarrierWrite);
  const known = async () =>
    input.clientId ? repo.carrierIdByClientId(database.db, input.clientId) : undefined;
  const prior = await known();
  if (prior !== undefined)
    return { carrier: await getCarrier(database, actor, prior), created: false };
  try {
    const id = await uniqueCode(input.code, () =>
      withTx(database, (tx) => insertCarrierTx(tx, actor, input)),
    );
    return { carrier: await getCarrier(database, actor, id), created: true };
  } catch (err) {
    // The same submission sent twice at once: the second answers the first's carrier.
    const raced = isUniqueViolation(err, CARRIER_CLIENT_KEY) ? await known() : undefined;
    if (raced === undefined) throw err;
    return { carrier: await getCarrier(database, actor, raced), created: false };
  }
}

export async function updateCarrier(
  database: Database,
  actor: Actor,
  id: number,
  input: TCarrierPatch,
) {
  requirePermission(actor, Permission.AdCarrierWrite);
  const { version, reason, ...patch } = input;
  await uniqueCode(patch.code, () =>
    withTx(database, async (tx) => {
      const before = await carrierFor(tx, actor, id);
      const defined = Object.fromEntries(
        Object.entries(patch).filter(([, v]) => v !== undefined),
      ) as Partial<TCarrierParsed>;
      const merged: TCarrierParsed = {
        ...before,
        photoTakenAt: undefined,
        clientId: undefined,
        ...defined,
        code: defined.code || before.code,
      };
      const values = carrierValues(merged);
      const moved =
        patch.lat !== undefined ||
        patch.lng !== undefined ||
        patch.pointId !== undefined ||
        patch.unitId !== undefined;
      const place = moved
        ? await placeCarrier(tx, actor, values)
        : { gridId: before.gridId, regionId: before.regionId };
      const photo =
        patch.photoId !== undefined || patch.photoTakenAt !== undefined
          ? await photoOf(tx, merged.photoId ?? null, patch.photoTakenAt)
          : { photoId: before.photoId, photoTakenAt: before.photoTakenAt };
      const ok = await repo.updateCarrier(tx, id, version, {
        ...values,
        ...place,
        ...photo,
        code: merged.code!,
      });
      if (!ok) throw errors.staleVersion('adCarrier');
      await writeAudit(tx, actor, {
        action: 'adcarrier.update',
        entityType: 'adCarrier',
        entityId: id,
        before,
        after: patch,
      });
      if (values.state !== before.state) {
        await writeAudit(tx, actor, {
          action: 'adcarrier.state',
          entityType: 'adCarrier',
          entityId: id,
          before: { state: before.state },
          after: {
            state: values.state,
            label: CARRIER_STATE_LABELS[values.state].zh,
            reason: reason ?? null,
          },
        });
      }
    }),
  );
  return getCarrier(database, actor, id);
}

/** The carriers for the map layer (a district office: its subtree's). */
export async function carriersMap(
  database: Database,
  actor: Actor,
  q: TCarriersMapQuery,
): Promise<TCarriersMap> {
  requirePermission(actor, Permission.AdCarrierRead);
  const rows = await repo.carrierMarkers(
    database.db,
    { ...q, within: officeRegionOf(actor) },
    CARRIERS_MAP_LIMIT,
  );
  return {
    items: rows.slice(0, CARRIERS_MAP_LIMIT),
    truncated: rows.length > CARRIERS_MAP_LIMIT,
  };
}

// ---- 转为问题 ----------------------------------------------------------------------------------

/**
 * A damaged, missing or outdated carrier becomes a problem, registered and dispatched to its
 * maintainer in one transaction (as an inspection finding is), and linked to the carrier. While
 * that problem is open a second is refused (409 naming it); once it is closed a new one may be
 * raised. Without an active maintainer the problem stays registered for the office to dispatch.
 */
export async function carrierToProblem(
  database: Database,
  actor: Actor,
  id: number,
  input: TCarrierToProblem,
) {
  requirePermission(actor, Permission.AdCarrierRead);
  requirePermission(actor, Permission.ProblemManage);
  await ensureCodeSequences(database);
  const out = await withTx(database, async (tx) => {
    await repo.lockCarrier(tx, id);
    const c = await carrierFor(tx, actor, id);
    if (c.version !== input.version) throw errors.staleVersion('adCarrier');
    if (!CARRIER_PROBLEM_STATES.includes(c.state)) {
      throw new AppError('carrier_intact', 409, {
        zh: `阵地状态为“${CARRIER_STATE_LABELS[c.state].zh}”，只有破损、缺失或过期的阵地可转为问题`,
        en: `the carrier is ${CARRIER_STATE_LABELS[c.state].en.toLowerCase()}: only damaged, missing or outdated ones become problems`,
      });
    }
    if (c.problemId !== null && OPEN_STATES.includes(c.problemState as TProblemState)) {
      throw new AppError('problem_open', 409, {
        zh: `该阵地已有未办结的问题 ${c.problemCode}，不再重复生成`,
        en: `the carrier already has an open problem (${c.problemCode})`,
      });
    }
    const categoryId = await repo.categoryByCodes(
      tx,
      c.state === 'missing' ? ['XC01', 'XC02', 'QT01'] : ['XC02', 'XC01', 'QT01'],
    );
    if (categoryId === undefined) throw errors.notFound('category');
    const kind = CARRIER_KIND_LABELS[c.kind].zh;
    const stateLabel = CARRIER_STATE_LABELS[c.state].zh;
    const { detail } = await intakeProblem(
      tx,
      actor,
      {
        title: `${c.pointName ?? c.address ?? ''}公益广告${kind}${stateLabel}（${c.code}）`.slice(
          0,
          100,
        ),
        description: [
          `公益广告阵地 ${c.code}（${kind}，${c.widthCm}×${c.heightCm}cm）${stateLabel}。`,
          c.designTitle ? `画面：${c.designTitle}` : null,
          input.note ?? null,
        ]
          .filter(Boolean)
          .join('\n')
          .slice(0, 2000),
        categoryId,
        severity: 'normal',
        channel: 'office',
        lat: c.lat,
        lng: c.lng,
        address: c.address,
        regionId: c.regionId,
        register: true,
        photoIds: [],
      },
      { duplicateRadiusM: 0, recurrenceDays: 90 },
      { pointId: c.pointId },
    );
    const problem = detail.problem;
    let dispatched = false;
    const unit = c.unitId === null ? undefined : await repo.findUnit(tx, c.unitId);
    if (unit?.active) {
      const own = officeRegionOf(actor);
      const reachable =
        own === null || (unit.regionId !== null && (await regionWithin(tx, unit.regionId, own)));
      if (reachable) {
        dispatched = await dispatchToUnit(tx, actor, {
          problemId: problem.id,
          version: problem.version,
          categoryId,
          severity: 'normal',
          unit,
          note: '公益广告阵地破损缺失，派往维护单位',
        });
      }
    }
    await repo.updateCarrier(tx, id, c.version, { problemId: problem.id });
    await writeAudit(tx, actor, {
      action: 'adcarrier.problem',
      entityType: 'adCarrier',
      entityId: id,
      before: { problemId: c.problemId },
      after: { problemId: problem.id, problemCode: problem.code, dispatched },
    });
    return { problemId: problem.id, problemCode: problem.code, dispatched };
  });
  return { ...out, carrier: await getCarrier(database, actor, id) };
}

// ---- rules, measures, coverage ----------------------------------------------------------------

export async function listRules(database: Database, actor: Actor) {
  requirePermission(actor, Permission.AdCarrierRead);
  return { items: (await repo.listRules(database.db)).map(presentRule) };
}

/** Sets a point type's rule (the city office: the catalogue is the city's). */
export async function putRule(database: Database, actor: Actor, input: TCarrierRuleInput) {
  requirePermission(actor, Permission.InspectionManage);
  requireCityLevel(actor, { zh: '公益广告设置规则', en: 'The carrier rules' });
  if ((input.perLengthCount == null) !== (input.perLengthM == null)) {
    throw invalidField(
      'perLengthM',
      '按长度计数须同时填写数量和米数',
      'a per-length rule needs both the count and the metres',
    );
  }
  const seen = new Set<string>();
  for (const t of input.themeMins) {
    if (seen.has(t.theme)) {
      throw invalidField('themeMins', '同一主题只能设置一次', 'a theme is set once');
    }
    seen.add(t.theme);
  }
  await withTx(database, async (tx) => {
    const type = await repo.findPointType(tx, input.pointTypeId);
    if (!type) throw errors.notFound('point_type', input.pointTypeId);
    const v = {
      pointTypeId: input.pointTypeId,
      minCount: input.minCount ?? null,
      themeMins: input.themeMins,
      minWidthCm: input.minWidthCm ?? null,
      minHeightCm: input.minHeightCm ?? null,
      fixedOnly: input.fixedOnly,
      perLengthCount: input.perLengthCount ?? null,
      perLengthM: input.perLengthM ?? null,
      minHoardingPct: input.minHoardingPct ?? null,
      basis: input.basis || null,
    };
    await repo.upsertRule(tx, v);
    await writeAudit(tx, actor, {
      action: 'adcarrier.rule',
      entityType: 'pointType',
      entityId: input.pointTypeId,
      after: v,
    });
  });
  return listRules(database, actor);
}

export async function deleteRule(database: Database, actor: Actor, pointTypeId: number) {
  requirePermission(actor, Permission.InspectionManage);
  requireCityLevel(actor, { zh: '公益广告设置规则', en: 'The carrier rules' });
  await withTx(database, async (tx) => {
    if (!(await repo.deleteRule(tx, pointTypeId))) throw errors.notFound('point_type', pointTypeId);
    await writeAudit(tx, actor, {
      action: 'adcarrier.rule_delete',
      entityType: 'pointType',
      entityId: pointTypeId,
    });
  });
}

/** Records a point's road length and measured hoarding share for the coverage check. */
export async function putPointMeasure(
  database: Database,
  actor: Actor,
  pointId: number,
  input: TPointMeasureInput,
) {
  requirePermission(actor, Permission.AdCarrierWrite);
  await withTx(database, async (tx) => {
    const point = await repo.findPoint(tx, pointId);
    const own = officeRegionOf(actor);
    if (
      !point ||
      (own !== null && (point.regionId === null || !(await regionWithin(tx, point.regionId, own))))
    ) {
      throw errors.notFound('point', pointId);
    }
    await repo.upsertMeasure(tx, pointId, input);
    await writeAudit(tx, actor, {
      action: 'adcarrier.measure',
      entityType: 'point',
      entityId: pointId,
      after: input,
    });
  });
}

/**
 * The coverage view: every point whose type has a rule, its carriers evaluated against the rule
 * (core/adcarriers/coverage.ts), and per street how many points break one. Computed here, on
 * the server, from the stored carriers.
 */
export async function coverage(
  database: Database,
  actor: Actor,
  q: TCoverageQuery,
): Promise<TCoverage> {
  requirePermission(actor, Permission.AdCarrierRead);
  const own = officeRegionOf(actor);
  const db = database.db;
  if (q.regionId !== undefined && own !== null && !(await regionWithin(db, q.regionId, own))) {
    throw errors.forbidden();
  }
  const rows = await repo.coveragePoints(
    db,
    { within: own, regionId: q.regionId, pointTypeId: q.pointTypeId },
    COVERAGE_POINT_LIMIT,
  );
  const truncated = rows.length > COVERAGE_POINT_LIMIT;
  const pts = rows.slice(0, COVERAGE_POINT_LIMIT);
  const carriers = await repo.carriersOfPoints(
    db,
    pts.map((p) => Number(p.pointId)),
  );
  const byPoint = new Map<number, typeof carriers>();
  for (const c of carriers) {
    const list = byPoint.get(c.pointId!) ?? [];
    list.push(c);
    byPoint.set(c.pointId!, list);
  }
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const evaluated: TPointCoverage[] = pts.map((p) => {
    const mine = byPoint.get(Number(p.pointId)) ?? [];
    const result = evaluateCoverage(
      mine,
      {
        minCount: num(p.minCount),
        themeMins: p.themeMins ?? [],
        minWidthCm: num(p.minWidthCm),
        minHeightCm: num(p.minHeightCm),
        fixedOnly: p.fixedOnly,
        perLengthCount: num(p.perLengthCount),
        perLengthM: num(p.perLengthM),
        minHoardingPct: num(p.minHoardingPct),
      },
      { lengthM: num(p.lengthM), hoardingPct: num(p.hoardingPct) },
    );
    return {
      pointId: Number(p.pointId),
      pointName: p.pointName,
      pointTypeId: Number(p.pointTypeId),
      pointTypeName: p.pointTypeName,
      regionId: num(p.regionId),
      regionName: p.regionName,
      streetId: num(p.streetId),
      streetName: p.streetName,
      carriers: mine.length,
      counted: result.counted,
      countedUnits: result.countedUnits,
      checks: result.checks,
      met: result.checks.every((c) => c.result !== 'unmet'),
    };
  });
  const streets = new Map<string, TCoverage['streets'][number]>();
  for (const p of evaluated) {
    const key = String(p.streetId);
    const s = streets.get(key) ?? {
      streetId: p.streetId,
      streetName: p.streetName,
      points: 0,
      unmet: 0,
    };
    s.points++;
    if (!p.met) s.unmet++;
    streets.set(key, s);
  }
  return {
    points: q.unmetOnly === 'true' ? evaluated.filter((p) => !p.met) : evaluated,
    streets: [...streets.values()],
    truncated,
  };
}

// ---- dashboard ------------------------------------------------------------------------------

/** Carriers by state and theme, and the damaged or missing ones with no open problem. */
export async function carriersDashboard(
  database: Database,
  actor: Actor,
  q: { regionId?: number | undefined },
): Promise<TCarriersDashboard> {
  requirePermission(actor, Permission.AdCarrierRead);
  const own = officeRegionOf(actor);
  const db = database.db;
  if (q.regionId !== undefined && own !== null && !(await regionWithin(db, q.regionId, own))) {
    throw errors.forbidden();
  }
  const f = { regionId: q.regionId, within: own };
  const [counts, awaiting] = await Promise.all([
    repo.themeStateCounts(db, f),
    repo.awaitingProblemCount(db, f),
  ]);
  const zero = () =>
    Object.fromEntries(CARRIER_STATES.map((s) => [s, 0])) as Record<TCarrierState, number>;
  const byState = zero();
  const byTheme = CARRIER_THEMES.map((theme) => {
    const states = zero();
    for (const c of counts) {
      if (c.theme === theme) states[c.state] += c.n;
    }
    return { theme, total: Object.values(states).reduce((a, b) => a + b, 0), byState: states };
  });
  for (const c of counts) byState[c.state] += c.n;
  return {
    total: Object.values(byState).reduce((a, b) => a + b, 0),
    byState,
    byTheme,
    awaitingProblem: awaiting,
  };
}
