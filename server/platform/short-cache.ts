/**
 * A per-process cache for lookups an app server may reuse for a few seconds (sessions, the holiday
 * table), kept per owner object (a database handle) so one process can serve several databases.
 *
 * `invalidate()` is called where the cached data changes. Such changes happen inside transactions
 * that commit later, so after an invalidation the cache is bypassed for a while: a lookup running
 * meanwhile cannot store the state from before the commit. Other app servers notice a change
 * within the cache time.
 */
type Entry<V> = { at: number; gen: number; value: V };

export class ShortCache<V> {
  private readonly owners = new WeakMap<object, Map<string, Entry<V>>>();
  private generation = 0;
  private bypassUntil = 0;

  constructor(
    private readonly maxEntries = 10_000,
    private readonly bypassMs = 30_000,
  ) {}

  invalidate = (): void => {
    this.generation++;
    this.bypassUntil = Date.now() + this.bypassMs;
  };

  /** The cached value when younger than `ttlMs`, else `load()`'s (stored unless invalidated). */
  get = async (owner: object, key: string, ttlMs: number, load: () => Promise<V>): Promise<V> => {
    if (ttlMs <= 0) return load();
    let entries = this.owners.get(owner);
    const hit = entries?.get(key);
    if (hit && hit.gen === this.generation && Date.now() - hit.at < ttlMs) return hit.value;
    const gen = this.generation;
    const value = await load();
    if (!entries) {
      entries = new Map<string, Entry<V>>();
      this.owners.set(owner, entries);
    }
    if (value === undefined || value === null || Date.now() < this.bypassUntil) {
      entries.delete(key);
    } else {
      if (entries.size >= this.maxEntries) entries.clear();
      entries.set(key, { at: Date.now(), gen, value });
    }
    return value;
  };
}
