/**
 * Reference data every page reads the same (regions, problem categories, map settings), fetched
 * once per page load and shared by every component that asks. A failed fetch is forgotten, so
 * the next component to mount asks again.
 */
const all = new Set<{ forget(): void }>();

export interface ReferenceData<T> {
  /** The shared answer; `fresh` asks the server again (after an edit of the data). */
  load(fresh?: boolean): Promise<T>;
  forget(): void;
}

export function referenceData<T>(fetch: () => Promise<T>): ReferenceData<T> {
  let pending: Promise<T> | null = null;
  const data: ReferenceData<T> = {
    load(fresh = false) {
      if (fresh) pending = null;
      const p = (pending ??= fetch());
      p.catch(() => {
        if (pending === p) pending = null;
      });
      return p;
    },
    forget() {
      pending = null;
    },
  };
  all.add(data);
  return data;
}

/**
 * Forget every shared answer. The component tests call it after each test: their files share a
 * module graph (vitest `isolate: false`) and each mocks its own regions and categories.
 */
export function forgetReferenceData(): void {
  for (const d of all) d.forget();
}
