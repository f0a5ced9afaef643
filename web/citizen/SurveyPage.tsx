import { useEffect, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import type { TPublicSurvey } from '../../core/contracts/surveys.js';
import { describeRule } from '../../core/survey/eligibility.js';
import type { TAnswerValue } from '../../core/survey/questions.js';
import { ApiError, apiCall } from '../shared/api.js';
import { useI18n } from '../shared/i18n.js';

/**
 * 自填问卷: a quota's questionnaire by its link or QR code — one response per household code, or for
 * a street-interview quota the spot instead; residence is asked only where the group's rule has it.
 */
export function SurveyPage() {
  const { token } = useParams();
  const { t, lang } = useI18n();
  const [survey, setSurvey] = useState<TPublicSurvey | null>(null);
  const [answers, setAnswers] = useState<Record<string, TAnswerValue>>({});
  const [household, setHousehold] = useState('');
  const [spot, setSpot] = useState('');
  const [age, setAge] = useState('');
  const [months, setMonths] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [clientId] = useState(() => crypto.randomUUID());

  const message = (err: unknown) =>
    err instanceof ApiError
      ? lang === 'en'
        ? err.messageEn
        : err.messageZh
      : t({ zh: '网络异常，请稍后重试', en: 'network error; try again' });

  useEffect(() => {
    apiCall('GET /api/public/surveys/:token', { params: { token: token ?? '' } })
      .then(setSurvey)
      .catch((err: unknown) => setError(message(err)));
  }, [token, lang]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const street = survey?.mode === 'street';
      const asksResidence = survey?.eligibility.minResidentMonths !== null;
      await apiCall('POST /api/public/surveys/:token/responses', {
        params: { token: token ?? '' },
        body: {
          clientId,
          ...(street ? { spot } : { householdCode: household }),
          respondent: {
            age: Number(age),
            ...(asksResidence ? { residentMonths: Number(months) } : {}),
          },
          answers,
        },
      });
      setDone(true);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <div className="cz-card cz-done" data-testid="survey-done">
        {t({ zh: '提交成功，感谢您的参与！', en: 'Thank you for taking part!' })}
      </div>
    );
  }
  if (!survey)
    return <div className="cz-card">{error ?? t({ zh: '加载中…', en: 'Loading…' })}</div>;
  const toggle = (id: string, option: string, on: boolean) => {
    const prev = Array.isArray(answers[id]) ? answers[id] : [];
    setAnswers({ ...answers, [id]: on ? [...prev, option] : prev.filter((o) => o !== option) });
  };
  return (
    <form className="cz-form" onSubmit={(e) => void submit(e)} data-testid="public-survey">
      <h3>{survey.title}</h3>
      <p className="cz-intro">
        {survey.regionName} · {survey.intro}
      </p>
      <p className="cz-intro" data-testid="public-survey-rule">
        {t({ zh: '调查对象：', en: 'Who takes part: ' })}
        {t(describeRule(survey.eligibility))}
      </p>
      {survey.mode === 'street' ? (
        <label className="cz-label">
          {t({ zh: '您所在的地点（如 人民广场）', en: 'Where you are (e.g. the square)' })}
          <input
            className="cz-input"
            required
            maxLength={100}
            value={spot}
            data-testid="public-survey-spot"
            onChange={(e) => setSpot(e.target.value)}
          />
        </label>
      ) : (
        <label className="cz-label">
          {t({ zh: '户码（见入户通知单）', en: 'Household code (on your notice)' })}
          <input
            className="cz-input"
            required
            maxLength={40}
            value={household}
            onChange={(e) => setHousehold(e.target.value)}
          />
        </label>
      )}
      <div className="cz-row">
        <label className="cz-label">
          {t({ zh: '年龄', en: 'Age' })}
          <input
            className="cz-input"
            type="number"
            required
            min={0}
            max={120}
            value={age}
            onChange={(e) => setAge(e.target.value)}
          />
        </label>
        {survey.eligibility.minResidentMonths !== null && (
          <label className="cz-label">
            {t({ zh: '本地居住（月）', en: 'Resident (months)' })}
            <input
              className="cz-input"
              type="number"
              required
              min={0}
              max={1200}
              value={months}
              onChange={(e) => setMonths(e.target.value)}
            />
          </label>
        )}
      </div>
      {survey.questions.map((q, i) => (
        <fieldset key={q.id} className="cz-card">
          <legend>
            {i + 1}. {q.text}
          </legend>
          {q.kind === 'text' ? (
            <textarea
              className="cz-input"
              maxLength={500}
              onChange={(e) => setAnswers({ ...answers, [q.id]: e.target.value })}
            />
          ) : q.kind === 'rating' ? (
            Array.from({ length: q.scale ?? 5 }, (_, k) => (
              <label key={k} style={{ marginRight: 12 }}>
                <input
                  type="radio"
                  name={q.id}
                  required
                  onChange={() => setAnswers({ ...answers, [q.id]: k + 1 })}
                />{' '}
                {k + 1}
              </label>
            ))
          ) : (
            q.options.map((o) => (
              <label key={o} style={{ display: 'block', padding: '4px 0' }}>
                <input
                  type={q.kind === 'single' ? 'radio' : 'checkbox'}
                  name={q.id}
                  required={q.kind === 'single'}
                  onChange={(e) =>
                    q.kind === 'single'
                      ? setAnswers({ ...answers, [q.id]: o })
                      : toggle(q.id, o, e.target.checked)
                  }
                />{' '}
                {o}
              </label>
            ))
          )}
        </fieldset>
      ))}
      {error && <div className="cz-error">{error}</div>}
      <button
        type="submit"
        className="cz-button"
        disabled={busy}
        data-testid="public-survey-submit"
      >
        {t({ zh: '提交问卷', en: 'Submit' })}
      </button>
    </form>
  );
}
