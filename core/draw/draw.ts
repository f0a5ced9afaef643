/**
 * The verifiable random draw (抽签) of inspection points. Before the draw the office publishes
 * SHA-256(seed); the draw is a pure function of the seed and the frozen, ordered list of eligible
 * points; afterwards the seed is revealed and anyone can re-run this same code (the server and the
 * browser page share it) and get the identical list.
 *
 * The random stream: block i is SHA-256(seed ‖ ":" ‖ i) for i = 0, 1, 2…, read as 32-bit big-endian
 * words. A uniform integer below n takes words and rejects those ≥ the largest multiple of n below
 * 2^32 (no modulo bias). Per point type, in the order the plan lists the types: `all` (mandatory)
 * takes every point; `random` takes N by a partial Fisher–Yates shuffle of that type's points in the
 * frozen order. Uses WebCrypto (Node ≥ 20 and every browser).
 */

export interface DrawPoint {
  id: number;
  /** The point type's code, e.g. P03 农贸市场. */
  type: string;
}

export type DrawRule =
  | { type: string; mode: 'all' }
  | { type: string; mode: 'random'; count: number };

export interface DrawResult {
  /** Drawn point ids per type, in draw order. */
  byType: { type: string; ids: number[] }[];
  /** All drawn ids in draw order. */
  ids: number[];
}

const enc = new TextEncoder();

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  // A copy typed as backed by a plain ArrayBuffer, as WebCrypto's signature wants.
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The commitment published before the draw: hex SHA-256 of the seed's UTF-8 bytes. */
export async function commitmentOf(seed: string): Promise<string> {
  return hex(await sha256(enc.encode(seed)));
}

/**
 * The frozen list's fingerprint: SHA-256 over "type:id" lines in the list's order. Published with
 * the commitment, so a list changed after the commitment is detected.
 */
export async function listFingerprint(points: readonly DrawPoint[]): Promise<string> {
  return hex(await sha256(enc.encode(points.map((p) => `${p.type}:${p.id}`).join('\n'))));
}

/** The seeded stream of 32-bit words. */
export class SeededStream {
  private block = 0;
  private words: number[] = [];

  constructor(private readonly seed: string) {}

  private async refill(): Promise<void> {
    const digest = await sha256(enc.encode(`${this.seed}:${this.block++}`));
    const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
    for (let i = 0; i < 32; i += 4) this.words.push(view.getUint32(i, false));
  }

  async nextWord(): Promise<number> {
    if (this.words.length === 0) await this.refill();
    return this.words.shift()!;
  }

  /** A uniform integer in [0, n), without modulo bias. */
  async below(n: number): Promise<number> {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`bad bound ${n}`);
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const w = await this.nextWord();
      if (w < limit) return w % n;
    }
  }
}

/** Draws points by the plan. Throws when a random rule asks for more points than the type has. */
export async function drawPoints(
  seed: string,
  points: readonly DrawPoint[],
  plan: readonly DrawRule[],
): Promise<DrawResult> {
  const stream = new SeededStream(seed);
  const byType: DrawResult['byType'] = [];
  const seen = new Set<string>();
  for (const rule of plan) {
    if (seen.has(rule.type))
      throw new RangeError(`point type ${rule.type} appears twice in the plan`);
    seen.add(rule.type);
    const pool = points.filter((p) => p.type === rule.type).map((p) => p.id);
    if (rule.mode === 'all') {
      byType.push({ type: rule.type, ids: pool });
      continue;
    }
    if (!Number.isInteger(rule.count) || rule.count < 0) {
      throw new RangeError(`draw count for ${rule.type} must be a whole number ≥ 0`);
    }
    if (rule.count > pool.length) {
      throw new RangeError(
        `asked for ${rule.count} points of type ${rule.type} but only ${pool.length} are eligible`,
      );
    }
    // Partial Fisher–Yates: the first `count` positions are a uniform sample in uniform order.
    const a = [...pool];
    for (let i = 0; i < rule.count; i++) {
      const j = i + (await stream.below(a.length - i));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    byType.push({ type: rule.type, ids: a.slice(0, rule.count) });
  }
  return { byType, ids: byType.flatMap((b) => b.ids) };
}

/**
 * What a plan will draw from a list, per type in plan order: how many points (every eligible one
 * for `all`, N for `random`) out of how many eligible — what the office confirms before drawing.
 */
export function plannedCounts(
  points: readonly DrawPoint[],
  plan: readonly DrawRule[],
): { type: string; mode: DrawRule['mode']; count: number; eligible: number }[] {
  return plan.map((rule) => {
    const eligible = points.filter((p) => p.type === rule.type).length;
    return {
      type: rule.type,
      mode: rule.mode,
      count: rule.mode === 'all' ? eligible : rule.count,
      eligible,
    };
  });
}

/** Checks a revealed seed against the commitment and re-runs the draw. */
export async function verifyDraw(
  input: {
    seed: string;
    commitment: string;
    fingerprint: string;
    points: readonly DrawPoint[];
    plan: readonly DrawRule[];
  },
  claimed: readonly number[],
): Promise<{ ok: boolean; reasons: string[]; ids: number[] }> {
  const reasons: string[] = [];
  if ((await commitmentOf(input.seed)) !== input.commitment) {
    reasons.push('种子与事先公布的承诺值不符 / the seed does not match the published commitment');
  }
  if ((await listFingerprint(input.points)) !== input.fingerprint) {
    reasons.push('点位清单在承诺后被改动 / the point list changed after the commitment');
  }
  const { ids } = await drawPoints(input.seed, input.points, input.plan);
  if (ids.length !== claimed.length || ids.some((id, i) => id !== claimed[i])) {
    reasons.push('重新抽取的结果与公布结果不一致 / re-running the draw gives a different list');
  }
  return { ok: reasons.length === 0, reasons, ids };
}
