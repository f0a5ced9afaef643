import { useI18n } from '../shared/i18n.js';

/**
 * The citizen pages' tab row (`cz-segments`): one button per tab, the current one marked. The
 * buttons are `<prefix>-tab-<key>` to tests.
 */
export function SegmentTabs<K extends string>({
  tabs,
  current,
  onChange,
  testPrefix,
}: {
  tabs: readonly (readonly [K, { zh: string; en: string }])[];
  current: K;
  onChange: (key: K) => void;
  testPrefix: string;
}) {
  const { t } = useI18n();
  return (
    <div className="cz-segments" role="tablist">
      {tabs.map(([key, label]) => (
        <button
          key={key}
          type="button"
          role="tab"
          aria-selected={current === key}
          className={current === key ? 'active' : ''}
          data-testid={`${testPrefix}-tab-${key}`}
          onClick={() => onChange(key)}
        >
          {t(label)}
        </button>
      ))}
    </div>
  );
}
