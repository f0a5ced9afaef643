import { canonicalJson } from './canonical-json.js';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * The top-level fields an audited write changed (before/after snapshots), in sorted order; values
 * compared as canonical JSON; bookkeeping fields (version, timestamps by default) left out.
 */
export function fieldChanges(
  before: unknown,
  after: unknown,
  ignore: readonly string[] = ['version', 'createdAt', 'updatedAt'],
): FieldChange[] {
  const obj = (v: unknown): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const b = obj(before);
  const a = obj(after);
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => !ignore.includes(k))
    .sort()
    .filter((k) => canonicalJson(b[k] ?? null) !== canonicalJson(a[k] ?? null))
    .map((k) => ({ field: k, before: b[k] ?? null, after: a[k] ?? null }));
}
