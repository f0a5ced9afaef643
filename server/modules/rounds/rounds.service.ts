import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import {
  commitmentOf,
  drawPoints,
  listFingerprint,
  verifyDraw,
  type DrawPoint,
  type DrawRule,
} from '../../../core/draw/draw.js';
import { Permission } from '../../../core/permissions.js';
import type { Database, DbOrTx } from '../../db/client.js';
import { points, pointTypes, rounds } from '../../db/schema/index.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { AppError, errors } from '../../platform/errors.js';
import { withTx } from '../../platform/tx.js';
import { regionSubtree } from '../org/regions.repo.js';

type RoundRow = typeof rounds.$inferSelect;
type State = RoundRow['state'];

export interface RoundInput {
  name: string;
  kind: RoundRow['kind'];
  startsOn?: string | null | undefined;
  endsOn?: string | null | undefined;
  plan: DrawRule[];
  regionIds: number[];
  inspectorIds: number[];
}

function wrongState(round: RoundRow, wanted: State, doing: { zh: string; en: string }) {
  return new AppError('illegal_transition', 409, {
    zh: `本轮当前为“${STATE_LABELS[round.state].zh}”，不能${doing.zh}（需为“${STATE_LABELS[wanted].zh}”）`,
    en: `this round is ${STATE_LABELS[round.state].en}; cannot ${doing.en} (it must be ${STATE_LABELS[wanted].en})`,
  });
}

const STATE_LABELS: Record<State, { zh: string; en: string }> = {
  planned: { zh: '待抽签', en: 'planned' },
  committed: { zh: '已公布承诺值', en: 'committed' },
  drawn: { zh: '已抽取', en: 'drawn' },
  revealed: { zh: '已公开种子', en: 'revealed' },
};

/** What anyone may see of a round; the drawn points of a secret round only its inspectors. */
export function presentRound(actor: Actor, r: RoundRow) {
  const office = requirePermission(actor, Permission.ProblemRead).kind === 'all';
  const mayKnowPoints =
    r.kind !== 'secret' || office || (actor.id !== null && r.inspectorIds.includes(actor.id));
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    state: r.state,
    stateLabel: STATE_LABELS[r.state],
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    plan: r.plan as DrawRule[],
    regionIds: r.regionIds,
    inspectorIds: r.inspectorIds,
    commitment: r.commitment,
    fingerprint: r.fingerprint,
    frozenList: mayKnowPoints ? ((r.frozenList as DrawPoint[] | null) ?? null) : null,
    drawnIds: mayKnowPoints ? r.drawnIds : null,
    seed: r.state === 'revealed' ? r.seed : null,
    committedAt: r.committedAt?.toISOString() ?? null,
    drawnAt: r.drawnAt?.toISOString() ?? null,
    revealedAt: r.revealedAt?.toISOString() ?? null,
  };
}

async function findRound(db: DbOrTx, id: number, lock = false): Promise<RoundRow> {
  const q = db.select().from(rounds).where(eq(rounds.id, id));
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw errors.notFound('round', id);
  return r;
}

export async function createRound(database: Database, actor: Actor, input: RoundInput) {
  requirePermission(actor, Permission.ProblemManage);
  const types = new Set(
    (await database.db.select({ code: pointTypes.code }).from(pointTypes)).map((t) => t.code),
  );
  const unknown = input.plan.find((p) => !types.has(p.type));
  if (unknown) {
    throw errors.invalid({
      zh: `抽签方案中的点位类型“${unknown.type}”不存在`,
      en: `the plan names an unknown point type "${unknown.type}"`,
    });
  }
  return withTx(database, async (tx) => {
    const [row] = await tx
      .insert(rounds)
      .values({ ...input, createdBy: actor.id })
      .returning();
    await writeAudit(tx, actor, {
      action: 'round.create',
      entityType: 'round',
      entityId: row!.id,
      after: input,
    });
    return presentRound(actor, row!);
  });
}

/** The eligible points, frozen in id order: active points of the plan's types in the scope. */
async function eligible(db: DbOrTx, r: RoundRow): Promise<DrawPoint[]> {
  const codes = (r.plan as DrawRule[]).map((p) => p.type);
  const inScope = r.regionIds.length
    ? or(...r.regionIds.map((id) => sql`${points.regionId} in ${regionSubtree(id)}`))
    : undefined;
  const rows = await db
    .select({ id: points.id, type: pointTypes.code })
    .from(points)
    .innerJoin(pointTypes, eq(pointTypes.id, points.typeId))
    .where(and(eq(points.active, true), inArray(pointTypes.code, codes), inScope))
    .orderBy(asc(points.id));
  return rows;
}

/**
 * Step 1: the server draws a secret seed, freezes the eligible list, and publishes SHA-256(seed)
 * and the list's fingerprint. Nothing about the result is known to anyone yet.
 */
export async function commitRound(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.ProblemManage);
  return withTx(database, async (tx) => {
    const r = await findRound(tx, id, true);
    if (r.state !== 'planned') throw wrongState(r, 'planned', { zh: '公布承诺值', en: 'commit' });
    const list = await eligible(tx, r);
    // Fail now, not at draw time, when the plan cannot be met.
    await drawPoints('feasibility-check', list, r.plan as DrawRule[]).catch((err: Error) => {
      throw errors.invalid({ zh: `抽签方案无法执行：${err.message}`, en: err.message });
    });
    const seed = randomBytes(32).toString('hex');
    const values = {
      state: 'committed' as const,
      seed,
      commitment: await commitmentOf(seed),
      fingerprint: await listFingerprint(list),
      frozenList: list,
      committedAt: new Date(),
    };
    const [row] = await tx.update(rounds).set(values).where(eq(rounds.id, id)).returning();
    await writeAudit(tx, actor, {
      action: 'round.commit',
      entityType: 'round',
      entityId: id,
      after: {
        commitment: values.commitment,
        fingerprint: values.fingerprint,
        points: list.length,
      },
    });
    return presentRound(actor, row!);
  });
}

/** Step 2: the draw, from the committed seed and frozen list. */
export async function drawRound(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.ProblemManage);
  return withTx(database, async (tx) => {
    const r = await findRound(tx, id, true);
    if (r.state !== 'committed') throw wrongState(r, 'committed', { zh: '抽签', en: 'draw' });
    const { ids } = await drawPoints(r.seed!, r.frozenList as DrawPoint[], r.plan as DrawRule[]);
    const [row] = await tx
      .update(rounds)
      .set({ state: 'drawn', drawnIds: ids, drawnAt: new Date() })
      .where(eq(rounds.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'round.draw',
      entityType: 'round',
      entityId: id,
      after: { drawnIds: ids },
    });
    return presentRound(actor, row!);
  });
}

/** Step 3: the seed is made public so anyone can re-run the draw. */
export async function revealRound(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.ProblemManage);
  return withTx(database, async (tx) => {
    const r = await findRound(tx, id, true);
    if (r.state !== 'drawn') throw wrongState(r, 'drawn', { zh: '公开种子', en: 'reveal' });
    const [row] = await tx
      .update(rounds)
      .set({ state: 'revealed', revealedAt: new Date() })
      .where(eq(rounds.id, id))
      .returning();
    await writeAudit(tx, actor, {
      action: 'round.reveal',
      entityType: 'round',
      entityId: id,
      after: { seed: r.seed },
    });
    return presentRound(actor, row!);
  });
}

export async function listRounds(database: Database, actor: Actor) {
  requirePermission(actor, Permission.ProblemRead);
  const rows = await database.db.select().from(rounds).orderBy(desc(rounds.id)).limit(200);
  return { items: rows.map((r) => presentRound(actor, r)) };
}

export async function getRound(database: Database, actor: Actor, id: number) {
  // The permission before the lookup: a caller without it learns nothing about which rounds exist.
  requirePermission(actor, Permission.ProblemRead);
  return presentRound(actor, await findRound(database.db, id));
}

/** Anyone signed in may re-run a revealed draw from what was published. */
export async function verifyRound(database: Database, actor: Actor, id: number) {
  requirePermission(actor, Permission.ProblemRead);
  const r = await findRound(database.db, id);
  if (r.state !== 'revealed') throw wrongState(r, 'revealed', { zh: '核验', en: 'verify' });
  return verifyDraw(
    {
      seed: r.seed!,
      commitment: r.commitment!,
      fingerprint: r.fingerprint!,
      points: r.frozenList as DrawPoint[],
      plan: r.plan as DrawRule[],
    },
    r.drawnIds ?? [],
  );
}
