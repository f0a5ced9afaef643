import { Selector } from 'antd-mobile';
import type { TCategory } from '../../../core/contracts/problems.js';

/** The problem kinds under their groups, one tap each (a patrol's report, a visit's concern). */
export function CategoryPicker(props: {
  categories: TCategory[];
  value: number | undefined;
  onChange: (id: number | undefined) => void;
}) {
  const { categories, value, onChange } = props;
  return categories
    .filter((c) => c.parentId === null)
    .map((g) => (
      <div key={g.id} className="m-cat-group">
        <div className="m-cat-title">{g.name}</div>
        <Selector
          columns={3}
          value={value === undefined ? [] : [value]}
          onChange={(v) => onChange(v[0])}
          options={categories
            .filter((c) => c.parentId === g.id)
            .map((c) => ({ value: c.id, label: c.name }))}
        />
      </div>
    ));
}
