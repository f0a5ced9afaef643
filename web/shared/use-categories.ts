import { useEffect, useState } from 'react';
import type { TCategory } from '../../core/contracts/problems.js';
import { apiCall } from './api.js';
import { referenceData } from './reference-data.js';

const categories = referenceData(() => apiCall('GET /api/problem-categories').then((r) => r.items));

/** Problem categories, fetched once per page load. */
export function useCategories(): TCategory[] {
  const [items, setItems] = useState<TCategory[]>([]);
  useEffect(() => {
    categories.load().then(setItems, () => undefined);
  }, []);
  return items;
}

/** Tree data for a category TreeSelect / Cascader. */
export function categoryTree(items: TCategory[]) {
  return items
    .filter((c) => c.parentId === null)
    .map((m) => ({
      value: m.id,
      title: m.name,
      children: items
        .filter((c) => c.parentId === m.id)
        .map((c) => ({ value: c.id, title: c.name })),
    }));
}
