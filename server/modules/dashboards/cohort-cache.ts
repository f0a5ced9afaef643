import type { Database } from '../../db/client.js';

/**
 * A short-lived, per-server cache of the dashboards' cohort figures (the breakdowns by region or
 * unit, and the unit ranking behind the ranking card and every unit's standing) and of the points'
 * latest visits. Each of the cohort figures is an aggregate over the whole 30-day cohort (~140,000
 * problems at 5M) that cannot be narrowed by an index; the points are ~10,000 rows. The figures are computed exactly, as of a moment, and served with that moment (`asOf`),
 * never older than `ttlMs` (60 s). An entry older than `refreshMs` (30 s) is still served but
 * recomputed in the background, so a dashboard in steady use never waits for the aggregate.
 * Concurrent requests for one key share one computation. App servers stay stateless: each keeps
 * its own cache, and the staleness bound holds on each (see docs/decisions.md, 2026-12-03).
 */
export const COHORT_TTL_MS = 60_000;
export const COHORT_REFRESH_MS = 30_000;
const MAX_ENTRIES = 500;

export interface Cached<T> {
  value: T;
  /** When the figures were computed: they are exact as of this moment. */
  asOf: Date;
}

export class CohortCache {
  private readonly entries = new Map<string, Cached<unknown>>();
  private readonly loading = new Map<string, Promise<Cached<unknown>>>();
  private generation = 0;

  constructor(
    /** The clock (milliseconds); tests move it. */
    public clock: () => number = Date.now,
    readonly ttlMs = COHORT_TTL_MS,
    readonly refreshMs = COHORT_REFRESH_MS,
    readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** The cached figures of `key`, or `compute(asOf)` (which must count as of `asOf`). */
  async get<T>(key: string, compute: (asOf: Date) => Promise<T>): Promise<Cached<T>> {
    const hit = this.entries.get(key) as Cached<T> | undefined;
    const age = hit ? this.clock() - hit.asOf.getTime() : Infinity;
    if (hit && age >= 0 && age < this.ttlMs) {
      // Most recently used last (eviction takes the first).
      this.entries.delete(key);
      this.entries.set(key, hit);
      // A failed background refresh leaves the entry to expire; the next miss reports the error.
      if (age >= this.refreshMs) this.load(key, compute).catch(() => undefined);
      return hit;
    }
    this.entries.delete(key);
    return this.load(key, compute);
  }

  private load<T>(key: string, compute: (asOf: Date) => Promise<T>): Promise<Cached<T>> {
    const running = this.loading.get(key) as Promise<Cached<T>> | undefined;
    if (running) return running;
    const asOf = new Date(this.clock());
    const generation = this.generation;
    const p = compute(asOf)
      .then((value) => {
        const entry: Cached<T> = { value, asOf };
        const current = this.entries.get(key);
        // Never keep figures begun before a clear, nor replace newer figures with older ones.
        if (generation === this.generation && (!current || current.asOf <= asOf)) {
          this.entries.delete(key);
          this.entries.set(key, entry);
        }
        while (this.entries.size > this.maxEntries) {
          this.entries.delete(this.entries.keys().next().value!);
        }
        return entry;
      })
      .finally(() => {
        if (this.loading.get(key) === p) this.loading.delete(key);
      });
    this.loading.set(key, p);
    return p;
  }

  /** Drops every entry (the next request recomputes). */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const caches = new WeakMap<Database, CohortCache>();

/** The cohort cache of one database (one per app server process). */
export function cohortCache(database: Database): CohortCache {
  let c = caches.get(database);
  if (!c) {
    c = new CohortCache();
    caches.set(database, c);
  }
  return c;
}
