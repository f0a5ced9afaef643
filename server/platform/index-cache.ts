import type { DbOrTx } from '../db/client.js';

/**
 * An in-memory index per database (every transaction of a Drizzle instance shares its dialect
 * object), loaded on first use — one load at a time — and again after `invalidate`. Used by the
 * routing indexes (grids, region boundaries), which every intake statement checks against the
 * table, so an index loaded from uncommitted rows only costs retries.
 */
export class IndexCache<T> {
  private readonly entries = new WeakMap<
    object,
    { index?: T; loading?: Promise<T>; loads: number }
  >();

  constructor(private readonly load: (db: DbOrTx) => Promise<T>) {}

  private key(db: DbOrTx): object {
    return (db as unknown as { dialect?: object }).dialect ?? db;
  }

  async get(db: DbOrTx): Promise<T> {
    const key = this.key(db);
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { loads: 0 }));
    if (entry.index) return entry.index;
    if (!entry.loading) {
      const e = entry;
      e.loads++;
      // A load overtaken by an invalidation does not install its (possibly older) result.
      const loading: Promise<T> = this.load(db).then(
        (index) => {
          if (e.loading === loading) {
            e.index = index;
            e.loading = undefined;
          }
          return index;
        },
        (err: unknown) => {
          if (e.loading === loading) e.loading = undefined;
          throw err;
        },
      );
      e.loading = loading;
      return loading;
    }
    return entry.loading;
  }

  /** How often this database's index was loaded (tests, metrics). */
  loads(db: DbOrTx): number {
    return this.entries.get(this.key(db))?.loads ?? 0;
  }

  /**
   * Drops the index an intake found stale: the next intake reloads it. Only that index — when it
   * was replaced already, or a load is in flight (started after a statement saw the change), the
   * many intakes of a batch that found it stale together cause one reload, not one each.
   */
  invalidate(db: DbOrTx, stale: T): void {
    const entry = this.entries.get(this.key(db));
    if (entry?.index === stale) entry.index = undefined;
  }
}
