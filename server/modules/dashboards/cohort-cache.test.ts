import { describe, expect, it } from 'vitest';
import { CohortCache } from './cohort-cache.js';

/** A cache on a hand-moved clock, and a computation that counts its calls. */
function setup() {
  let now = 1_000_000;
  const cache = new CohortCache(() => now, 60_000, 30_000, 3);
  let calls = 0;
  const compute = async (asOf: Date) => {
    calls++;
    return { n: calls, at: asOf.getTime() };
  };
  return {
    cache,
    compute,
    calls: () => calls,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('CohortCache', () => {
  it('serves the figures computed as of a moment until they are a minute old', async () => {
    const s = setup();
    const first = await s.cache.get('k', s.compute);
    expect(first.value).toEqual({ n: 1, at: s.now() });
    expect(first.asOf.getTime()).toBe(s.now());
    s.advance(29_999);
    expect(await s.cache.get('k', s.compute)).toBe(first);
    expect(s.calls()).toBe(1);
    // Past the lifetime: recomputed before answering, never older than 60 s.
    s.advance(30_001);
    const next = await s.cache.get('k', s.compute);
    expect(next.value.n).toBe(2);
    expect(next.asOf.getTime()).toBe(s.now());
  });

  it('refreshes in the background after 30 s, serving the current figures meanwhile', async () => {
    const s = setup();
    await s.cache.get('k', s.compute);
    s.advance(45_000);
    const served = await s.cache.get('k', s.compute);
    expect(served.value.n).toBe(1); // 45 s old: still within the bound
    await settle();
    expect(s.calls()).toBe(2);
    const fresh = await s.cache.get('k', s.compute);
    expect(fresh.value.n).toBe(2);
    expect(fresh.asOf.getTime()).toBe(s.now());
  });

  it('shares one computation among concurrent requests, and keys apart', async () => {
    const s = setup();
    const [a, b] = await Promise.all([s.cache.get('k', s.compute), s.cache.get('k', s.compute)]);
    expect(a).toBe(b);
    expect(s.calls()).toBe(1);
    expect((await s.cache.get('other', s.compute)).value.n).toBe(2);
  });

  it('does not keep a failure, nor figures begun before a clear', async () => {
    const s = setup();
    await expect(s.cache.get('k', () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    );
    expect(s.cache.size).toBe(0);
    let release!: () => void;
    const slow = s.cache.get(
      'k',
      () => new Promise<{ n: number; at: number }>((r) => (release = () => r({ n: -1, at: 0 }))),
    );
    s.cache.clear();
    release();
    expect((await slow).value.n).toBe(-1); // the caller that asked still gets its answer
    expect((await s.cache.get('k', s.compute)).value.n).toBe(1); // but it was not kept
  });

  it('keeps a bounded number of entries, dropping the least recently used', async () => {
    const s = setup();
    for (const k of ['a', 'b', 'c']) await s.cache.get(k, s.compute);
    await s.cache.get('a', s.compute); // a used again
    await s.cache.get('d', s.compute); // evicts b
    expect(s.cache.size).toBe(3);
    const before = s.calls();
    await s.cache.get('a', s.compute);
    await s.cache.get('c', s.compute);
    expect(s.calls()).toBe(before);
    await s.cache.get('b', s.compute);
    expect(s.calls()).toBe(before + 1);
  });
});
