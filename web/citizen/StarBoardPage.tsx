import { useEffect, useState } from 'react';
import type { TStarBoard, TStarBoardCommunities } from '../../core/contracts/star-households.js';
import { currentStarYear } from '../../core/star-households/stars.js';
import { apiCall } from '../shared/api.js';
import { useI18n, L } from '../shared/i18n.js';

const THIS_YEAR = currentStarYear();

/**
 * 星级文明户公示栏: a community's households rated this year (or last), most stars first. What
 * the board carries is the public part only — 张**户, the building, the stars (no phone, flat or
 * position: the server never sends them).
 */
export function StarBoardPage() {
  const { t, lang } = useI18n();
  const [year, setYear] = useState(THIS_YEAR);
  const [communities, setCommunities] = useState<TStarBoardCommunities['items'] | null>(null);
  const [regionId, setRegionId] = useState<number | null>(null);
  const [board, setBoard] = useState<TStarBoard | null>(null);

  useEffect(() => {
    let live = true;
    void apiCall('GET /api/public/star-board/communities', { query: { year } }).then((r) => {
      if (!live) return;
      setCommunities(r.items);
      setRegionId((old) =>
        old !== null && r.items.some((c) => c.regionId === old)
          ? old
          : (r.items[0]?.regionId ?? null),
      );
    });
    return () => {
      live = false;
    };
  }, [year]);

  useEffect(() => {
    if (regionId === null) {
      setBoard(null);
      return;
    }
    let live = true;
    void apiCall('GET /api/public/star-board', { query: { regionId, year } }).then((b) => {
      if (live) setBoard(b);
    });
    return () => {
      live = false;
    };
  }, [regionId, year]);

  return (
    <div data-testid="star-board">
      <p className="cz-intro">
        {t({
          zh: '十星级文明户评选结果公示：经网格员或社区推荐、街道（社区）审核通过的星级文明户。',
          en: "This year's star-rated civilized households, proposed by the grid or the community and approved by the office.",
        })}
      </p>
      <div className="cz-row">
        <select
          className="cz-input"
          value={year}
          onChange={(e) => setYear(Number(e.target.value))}
          data-testid="star-board-year"
          aria-label={t(L.common.year)}
        >
          {[THIS_YEAR, THIS_YEAR - 1].map((y) => (
            <option key={y} value={y}>
              {t({ zh: `${y} 年度`, en: `${y}` })}
            </option>
          ))}
        </select>
        <select
          className="cz-input"
          value={regionId ?? ''}
          onChange={(e) => setRegionId(Number(e.target.value))}
          data-testid="star-board-community"
          aria-label={t(L.org.community)}
        >
          {(communities ?? []).map((c) => (
            <option key={c.regionId} value={c.regionId}>
              {c.regionName}
            </option>
          ))}
        </select>
      </div>
      {communities && communities.length === 0 && (
        <p className="cz-hint">
          {t({ zh: '本年度暂无公示', en: 'Nothing published for this year' })}
        </p>
      )}
      {board && (
        <p className="cz-hint" data-testid="star-board-summary">
          {t({
            zh: `${board.regionName}：${board.items.length} 户，其中十星级 ${board.items.filter((i) => i.tenStar).length} 户`,
            en: `${board.regionName}: ${board.items.length} households, ${board.items.filter((i) => i.tenStar).length} with ten stars`,
          })}
        </p>
      )}
      {board?.items.map((i) => (
        <article key={i.id} className="cz-card" data-testid="star-board-item">
          <div className="cz-status-line">
            <h3>{i.household}</h3>
            <span className={i.tenStar ? 'cz-stars cz-stars-ten' : 'cz-stars'}>
              {'★'.repeat(Math.min(i.starCount, 10))}
              {i.tenStar && ` ${t({ zh: '十星级文明户', en: 'Ten-star household' })}`}
            </span>
          </div>
          <p className="cz-hint">
            {i.building ?? i.gridName}
            {i.building && ` · ${i.gridName}`}
          </p>
          <div className="cz-tags">
            {i.stars.map((s) => (
              <span key={s.code}>{lang === 'en' ? s.nameEn : s.name}</span>
            ))}
          </div>
        </article>
      ))}
    </div>
  );
}
