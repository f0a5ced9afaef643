import { Select } from 'antd';
import type { TOwnerFilter } from '../../../core/contracts/rankings.js';
import { useApi } from '../../shared/api-query.js';
import { L, useI18n } from '../../shared/i18n.js';

/**
 * Whose rankings and bulletins the city office looks at: 全市 (the city's own) or a district's
 * (each district runs its own; "district results upward").
 */
export function LevelFilter({
  value,
  onChange,
}: {
  value: TOwnerFilter;
  onChange: (v: TOwnerFilter) => void;
}) {
  const { t } = useI18n();
  // Without the list the city's own still shows.
  const districts = useApi('GET /api/regions', { query: { level: 'district' } }).data?.items ?? [];
  return (
    <Select<TOwnerFilter>
      style={{ width: 160 }}
      value={value}
      onChange={onChange}
      data-testid="level-filter"
      aria-label={t(L.common.level)}
      options={[
        { value: 'city', label: t(L.org.city) },
        ...districts.map((d) => ({ value: d.id, label: d.name })),
      ]}
    />
  );
}
