import { useState, type FormEvent } from 'react';
import { formatShanghai } from '../../core/calendar/working-days.js';
import { RATING_LABELS, RATINGS, type TRating } from '../../core/citizen/replies.js';
import type { TTrackResponse } from '../../core/contracts/citizen.js';
import { ApiError, apiCall } from '../shared/api.js';
import { useI18n } from '../shared/i18n.js';

const formatTime = (iso: string): string => formatShanghai(new Date(iso));

/**
 * The reporter's part once the problem is closed: rate the result once (满意 / 基本满意 / 不满意,
 * with a comment if they like), and — within the window, once — say it is not fixed and have it
 * reopened, with a reason. The tracking code in the address is the proof; the server decides and
 * the page shows its answer.
 */
export function TrackFeedback(props: {
  code: string;
  data: TTrackResponse;
  onChange: (d: TTrackResponse) => void;
}) {
  const { code, data, onChange } = props;
  const f = data.feedback;
  const { t, lang } = useI18n();
  const [rating, setRating] = useState<TRating | null>(null);
  const [comment, setComment] = useState('');
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!f.canRate && !f.rating && !f.canReopen && !f.reopened) return null;

  async function send(call: () => Promise<TTrackResponse>) {
    setBusy(true);
    setError(null);
    try {
      onChange(await call());
      setReopening(false);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? lang === 'en'
            ? err.messageEn
            : err.messageZh
          : t({ zh: '提交失败，请稍后重试', en: 'sending failed; try again later' }),
      );
    } finally {
      setBusy(false);
    }
  }

  function rate(e: FormEvent) {
    e.preventDefault();
    if (!rating) {
      setError(t({ zh: '请选择满意程度', en: 'choose how satisfied you are' }));
      return;
    }
    void send(() =>
      apiCall('POST /api/public/track/:code/rating', {
        params: { code },
        body: { rating, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      }),
    );
  }

  function reopen(e: FormEvent) {
    e.preventDefault();
    void send(() =>
      apiCall('POST /api/public/track/:code/reopen', {
        params: { code },
        body: { reason },
      }),
    );
  }

  return (
    <section className="cz-card cz-feedback" data-testid="track-feedback">
      {f.rating && (
        <div data-testid="my-rating">
          <h3>{t({ zh: '我的评价', en: 'My rating' })}</h3>
          <p className="cz-done-note">
            {t(RATING_LABELS[f.rating.value])}
            <span className="cz-hint">{formatTime(f.rating.at)}</span>
          </p>
          {f.rating.comment && <p>{f.rating.comment}</p>}
        </div>
      )}
      {f.canRate && (
        <form onSubmit={rate} data-testid="rate-form">
          <h3>{t({ zh: '对办理结果满意吗？', en: 'Are you satisfied with the result?' })}</h3>
          <div className="cz-segments" role="radiogroup">
            {RATINGS.map((r) => (
              <button
                key={r}
                type="button"
                role="radio"
                aria-checked={rating === r}
                className={rating === r ? 'active' : undefined}
                onClick={() => setRating(r)}
                data-testid={`rate-${r}`}
              >
                {t(RATING_LABELS[r])}
              </button>
            ))}
          </div>
          <textarea
            className="cz-input"
            rows={2}
            maxLength={200}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder={t({ zh: '说说您的看法（选填）', en: 'A comment (optional)' })}
            data-testid="rate-comment"
          />
          <button type="submit" className="cz-button" disabled={busy} data-testid="rate-submit">
            {t({ zh: '提交评价', en: 'Send my rating' })}
          </button>
          <p className="cz-hint">
            {t({ zh: '每条反映只能评价一次', en: 'A report can be rated once' })}
          </p>
        </form>
      )}
      {f.reopened && (
        <div data-testid="my-reopen">
          <h3>{t({ zh: '已申请重新办理', en: 'You asked to reopen it' })}</h3>
          <p>
            {f.reopened.reason}
            <span className="cz-hint">{formatTime(f.reopened.at)}</span>
          </p>
        </div>
      )}
      {f.canReopen && !reopening && (
        <button
          type="button"
          className="cz-button cz-secondary"
          onClick={() => setReopening(true)}
          data-testid="reopen-open"
        >
          {t({ zh: '问题没有解决？申请重新办理', en: 'Not fixed? Ask to reopen it' })}
        </button>
      )}
      {f.canReopen && reopening && (
        <form onSubmit={reopen} data-testid="reopen-form">
          <label className="cz-label" htmlFor="cz-reopen-reason">
            {t({ zh: '重新办理的理由', en: 'Why it should be reopened' })}
          </label>
          <textarea
            id="cz-reopen-reason"
            className="cz-input"
            rows={3}
            maxLength={500}
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t({ zh: '例如：垃圾又堆起来了', en: 'e.g. the rubbish is back' })}
            data-testid="reopen-reason"
          />
          <button type="submit" className="cz-button" disabled={busy} data-testid="reopen-submit">
            {t({ zh: '提交申请', en: 'Send' })}
          </button>
        </form>
      )}
      {f.canReopen && f.reopenUntil && (
        <p className="cz-hint" data-testid="reopen-until">
          {t({
            zh: `办结 ${f.reopenWindowDays} 天内可申请一次重新办理（截至 ${formatTime(f.reopenUntil)}）`,
            en: `You may ask once within ${f.reopenWindowDays} days of closing (until ${formatTime(f.reopenUntil)})`,
          })}
        </p>
      )}
      {error && (
        <p className="cz-error" role="alert" data-testid="feedback-error">
          {error}
        </p>
      )}
    </section>
  );
}
