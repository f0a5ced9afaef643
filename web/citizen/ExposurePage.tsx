import { useCallback, useEffect, useState } from 'react';
import type { TExposureItem } from '../../core/contracts/citizen.js';
import { apiCall } from '../shared/api.js';
import { useI18n, L } from '../shared/i18n.js';

const ESCALATION = {
  none: null,
  blue: L.common.dueSoon,
  yellow: { zh: '已超期', en: 'Overdue' },
  red: { zh: '严重超期', en: 'Seriously overdue' },
} as const;

export function ExposurePage() {
  const { t } = useI18n();
  const [items, setItems] = useState<TExposureItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  const load = useCallback(async (from: string | null) => {
    const page = await apiCall('GET /api/public/exposure', {
      query: { cursor: from ?? undefined },
    });
    setItems((old) => (from ? [...old, ...page.items] : page.items));
    setCursor(page.nextCursor);
    setLoaded(true);
  }, []);

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <div data-testid="exposure">
      <p className="cz-intro">
        {t({
          zh: '曝光台公开督办中的突出问题及整改进展，接受市民监督。',
          en: 'Problems under public supervision and how their fixing is going.',
        })}
      </p>
      {loaded && items.length === 0 && (
        <p className="cz-hint">{t({ zh: '暂无曝光内容', en: 'Nothing published yet' })}</p>
      )}
      {items.map((i) => {
        const esc = ESCALATION[i.escalation];
        const before = i.photos.find((p) => p.stage === 'before');
        const after = i.photos.find((p) => p.stage === 'after');
        return (
          <article key={i.id} className="cz-card cz-exposure" data-testid="exposure-item">
            <div className="cz-status-line">
              <h3>{i.title}</h3>
              <span className={`cz-status cz-status-${i.status}`}>{t(i.statusLabel)}</span>
            </div>
            <div className="cz-tags">
              <span>{i.categoryName}</span>
              {esc && <span className={`cz-esc cz-esc-${i.escalation}`}>{t(esc)}</span>}
              {i.recurrence && (
                <span className="cz-esc cz-esc-red">{t(L.problems.recurrence)}</span>
              )}
            </div>
            {(before || after) && (
              <div className="cz-gallery">
                {before && (
                  <a href={before.url} target="_blank" rel="noreferrer">
                    <img src={before.thumbUrl} alt="" />
                    <span>{t(L.problems.problem)}</span>
                  </a>
                )}
                {after && (
                  <a href={after.url} target="_blank" rel="noreferrer">
                    <img src={after.thumbUrl} alt="" />
                    <span>{t(L.problems.after)}</span>
                  </a>
                )}
              </div>
            )}
            {i.note && <p>{i.note}</p>}
            <p className="cz-hint">
              {i.address && <>📍 {i.address} · </>}
              {t({ zh: '责任单位：', en: 'Unit: ' })}
              {i.unitName ?? t({ zh: '待定', en: 'to be assigned' })}
            </p>
          </article>
        );
      })}
      {cursor && (
        <button type="button" className="cz-button cz-secondary" onClick={() => void load(cursor)}>
          {t(L.common.loadMore)}
        </button>
      )}
    </div>
  );
}
