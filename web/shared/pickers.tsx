import { keepPreviousData } from '@tanstack/react-query';
import { Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { TRegion } from '../../core/contracts/org.js';
import { apiCall } from './api.js';
import { useApi } from './api-query.js';
import { referenceData } from './reference-data.js';
import { useI18n } from './i18n.js';

interface TreeNode {
  value: number;
  title: string;
  children: TreeNode[];
}

/** Builds the region tree from the flat list. */
export function regionTree(regions: TRegion[]): TreeNode[] {
  const nodes = new Map<number, TreeNode>();
  for (const r of regions) nodes.set(r.id, { value: r.id, title: r.name, children: [] });
  const roots: TreeNode[] = [];
  for (const r of regions) {
    const n = nodes.get(r.id)!;
    const parent = r.parentId ? nodes.get(r.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

/** A region and everything under it (the list is flat; parents may come after children). */
export function regionSubtreeOf(regions: TRegion[], rootId: number): TRegion[] {
  const inside = new Set([rootId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of regions) {
      if (!inside.has(r.id) && r.parentId !== null && inside.has(r.parentId)) {
        inside.add(r.id);
        grew = true;
      }
    }
  }
  return regions.filter((r) => inside.has(r.id));
}

const allRegions = referenceData(() => apiCall('GET /api/regions').then((r) => r.items));
/** All regions, fetched once per page load (a city has a few hundred). */
export function useRegions(reloadKey = 0): TRegion[] {
  const [regions, setRegions] = useState<TRegion[]>([]);
  useEffect(() => {
    allRegions.load(reloadKey > 0).then(setRegions, () => undefined);
  }, [reloadKey]);
  return regions;
}

export function RegionPicker(props: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
  /**
   * Offer only this region's subtree (a district or street office administers its own: the
   * regions list is reference data every role reads whole, so the picker narrows it here).
   */
  within?: number | null;
}) {
  const regions = useRegions();
  const { within } = props;
  const tree = useMemo(
    () => regionTree(within ? regionSubtreeOf(regions, within) : regions),
    [regions, within],
  );
  return (
    <TreeSelect
      id={props.id}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeData={tree}
      value={props.value ?? undefined}
      onChange={(v: number | undefined) => props.onChange?.(v ?? null)}
      placeholder={props.placeholder}
      style={props.style ?? { width: '100%' }}
      treeDefaultExpandedKeys={tree.map((n) => n.value)}
    />
  );
}

/** Unit selector with server-side search. */
export function UnitPicker(props: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  style?: React.CSSProperties;
  id?: string;
  initialLabel?: string | null;
}) {
  const [q, setQ] = useState('');
  // What is typed is asked for once the typing pauses; the last answer stays until the next.
  const [asked, setAsked] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setAsked(q), 200);
    return () => clearTimeout(timer);
  }, [q]);
  const units = useApi(
    'GET /api/units',
    { query: { q: asked, limit: 30, active: 'true' } },
    { placeholderData: keepPreviousData },
  );
  const options = useMemo(
    () => (units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name })),
    [units.data],
  );
  const withCurrent =
    props.value && props.initialLabel && !options.some((o) => o.value === props.value)
      ? [{ value: props.value, label: props.initialLabel }, ...options]
      : options;
  return (
    <Select
      id={props.id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setQ }}
      options={withCurrent}
      value={props.value ?? undefined}
      onChange={(v: number | undefined) => props.onChange?.(v ?? null)}
      placeholder={props.placeholder}
      style={props.style ?? { width: '100%' }}
    />
  );
}

/**
 * A clearable pick of one value of a fixed list (a type, a state, a theme…), each shown by its
 * label in the UI's language: the list pages' filters.
 */
export function EnumPicker<T extends string>(props: {
  values: readonly T[];
  labels: Record<T, { zh: string; en: string }>;
  id?: string;
  placeholder: string;
  width: number;
  onChange: (value: T | undefined) => void;
}) {
  const { t } = useI18n();
  return (
    <Select<T>
      allowClear
      id={props.id}
      placeholder={props.placeholder}
      style={{ width: props.width }}
      options={props.values.map((v) => ({ value: v, label: t(props.labels[v]) }))}
      onChange={props.onChange}
    />
  );
}
