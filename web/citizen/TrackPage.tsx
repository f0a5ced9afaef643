import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatShanghai } from '../../core/calendar/working-days.js';
import type { TTrackResponse } from '../../core/contracts/citizen.js';
import { ApiError, apiCall } from '../shared/api.js';
import { useI18n, L } from '../shared/i18n.js';
import { myReports } from './my-reports.js';
import { TrackFeedback } from './TrackFeedback.js';

const formatTime = (iso: string): string => formatShanghai(new Date(iso));

export function TrackPage() {
  const { code } = useParams();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [input, setInput] = useState(code ?? '');
  const [data, setData] = useState<TTrackResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setData(null);
    setError(null);
    if (!code) return;
    apiCall('GET /api/public/track/:code', { params: { code } })
      .then(setData)
      .catch((err: unknown) =>
        setError(
          err instanceof ApiError
            ? lang === 'en'
              ? err.messageEn
              : err.messageZh
            : t({ zh: '查询失败', en: 'lookup failed' }),
        ),
      );
  }, [code, lang, t]);

  function lookup(e: FormEvent) {
    e.preventDefault();
    const c = input.trim().toUpperCase();
    if (c) void navigate(`/track/${c}`);
  }

  const mine = myReports();
  return (
    <div>
      <form className="cz-row cz-lookup" onSubmit={lookup}>
        <input
          className="cz-input"
          placeholder={t({
            zh: '输入查询码，如 SJ7K3M9Q2XPA',
            en: 'Tracking code, e.g. SJ7K3M9Q2XPA',
          })}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          data-testid="track-input"
        />
        <button type="submit" className="cz-button cz-narrow">
          {t({ zh: '查询', en: 'Look up' })}
        </button>
      </form>
      {error && (
        <p className="cz-error" role="alert">
          {error}
        </p>
      )}
      {data && (
        <section className="cz-card" data-testid="track-result">
          <div className="cz-status-line">
            <span className={`cz-status cz-status-${data.status}`} data-testid="track-status">
              {t(data.statusLabel)}
            </span>
            <span className="cz-hint">{data.categoryName}</span>
          </div>
          {data.description && <p>{data.description}</p>}
          {data.address && <p className="cz-hint">📍 {data.address}</p>}
          {data.smsUpdates && (
            <p className="cz-hint" data-testid="sms-updates">
              {t({
                zh: '办理进度将以短信通知您',
                en: 'We text you as the handling moves on',
              })}
            </p>
          )}
          {data.unitName && (
            <p>
              {t({ zh: '责任单位：', en: 'Responsible unit: ' })}
              {data.unitName}
            </p>
          )}
          <ol className="cz-timeline" data-testid="track-timeline">
            {data.timeline.map((e, i) => (
              <li key={i}>
                <div className="cz-time">{formatTime(e.at)}</div>
                <div>{t(e.label)}</div>
                {e.publicNote && <div className="cz-note">{e.publicNote}</div>}
              </li>
            ))}
          </ol>
          {data.photos.length > 0 && (
            <div className="cz-gallery">
              {data.photos.map((p) => (
                <a key={p.url} href={p.url} target="_blank" rel="noreferrer">
                  <img src={p.thumbUrl} alt="" />
                  <span>
                    {p.stage === 'after'
                      ? t(L.problems.after)
                      : t({ zh: '反映时', en: 'Reported' })}
                  </span>
                </a>
              ))}
            </div>
          )}
        </section>
      )}
      {data && code && <TrackFeedback code={data.trackingCode} data={data} onChange={setData} />}
      {!code && mine.length > 0 && (
        <section className="cz-card">
          <h3>{t({ zh: '我在本机提交的反映', en: 'Reports sent from this phone' })}</h3>
          <ul className="cz-list">
            {mine.map((r) => (
              <li key={r.code}>
                <Link to={`/track/${r.code}`}>{r.code}</Link>
                <span className="cz-hint">
                  {r.category} · {formatTime(r.at)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
