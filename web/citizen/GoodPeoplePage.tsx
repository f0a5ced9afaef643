import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type {
  TPublicBoard,
  TPublicGoodPeopleSetup,
  TPublicGoodPerson,
  TPublicVoting,
} from '../../core/contracts/good-people.js';
import {
  GOOD_PERSON_CATEGORIES,
  GOOD_PERSON_CATEGORY_LABELS,
  UPWARD_LEVEL_LABELS,
  UPWARD_STAGE_LABELS,
  DEEDS_MAX,
} from '../../core/good-people/labels.js';
import { ApiError, apiCall } from '../shared/api.js';
import { useI18n } from '../shared/i18n.js';
import { deviceId } from './device-id.js';

type Tab = 'board' | 'vote' | 'nominate';

/**
 * 身边好人: the month's 好人榜, the shortlist whose vote is open (one vote a person a day), and the
 * form to put someone forward. The nominator's name and phone go to the office only.
 */
export function GoodPeoplePage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('board');
  const tabs: [Tab, { zh: string; en: string }][] = [
    ['board', { zh: '好人榜', en: 'Honour roll' }],
    ['vote', { zh: '投票', en: 'Vote' }],
    ['nominate', { zh: '我要推荐', en: 'Nominate' }],
  ];
  return (
    <div data-testid="good-people">
      <div className="cz-segments" role="tablist">
        {tabs.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={tab === key ? 'active' : ''}
            data-testid={`gp-tab-${key}`}
            onClick={() => setTab(key)}
          >
            {t(label)}
          </button>
        ))}
      </div>
      {tab === 'board' && <Board />}
      {tab === 'vote' && <Voting />}
      {tab === 'nominate' && <NominationForm />}
    </div>
  );
}

function useErrorText() {
  const { t, lang } = useI18n();
  return (err: unknown) =>
    err instanceof ApiError
      ? lang === 'en'
        ? err.messageEn
        : err.messageZh
      : t({ zh: '网络异常，请稍后重试', en: 'network error; try again' });
}

function PersonCard({ p, children }: { p: TPublicGoodPerson; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <article className="cz-card" data-testid="gp-person">
      <div className="cz-status-line">
        <h3>
          {p.rank !== null && <span className="cz-rank">{p.rank}</span>}
          {p.nomineeName}
        </h3>
        <span className="cz-status">{t(GOOD_PERSON_CATEGORY_LABELS[p.category])}</span>
      </div>
      <div className="cz-tags">
        <span>{p.regionName}</span>
        {p.steps.map((s) => (
          <span key={`${s.level}-${s.stage}-${s.on}`} className="cz-esc-red">
            {t(UPWARD_LEVEL_LABELS[s.level])} · {t(UPWARD_STAGE_LABELS[s.stage])}
          </span>
        ))}
      </div>
      {p.thumbUrl && (
        <div className="cz-gallery">
          <a href={p.photoUrl ?? undefined} target="_blank" rel="noreferrer">
            <img src={p.thumbUrl} alt={p.nomineeName} />
          </a>
        </div>
      )}
      <p className="cz-intro">{p.deeds}</p>
      {children}
    </article>
  );
}

function Board() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [board, setBoard] = useState<TPublicBoard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    (month?: string) => {
      apiCall('GET /api/public/good-people/board', { query: { month } })
        .then(setBoard)
        .catch((err: unknown) => setError(errorText(err)));
    },
    [],
  );
  useEffect(() => load(), [load]);
  if (error) return <p className="cz-error">{error}</p>;
  if (!board) return <p className="cz-hint">{t({ zh: '加载中…', en: 'Loading…' })}</p>;
  return (
    <section data-testid="gp-board">
      {board.months.length > 1 && (
        <select
          className="cz-input"
          aria-label={t({ zh: '月份', en: 'Month' })}
          value={board.month ?? ''}
          data-testid="gp-board-month"
          onChange={(e) => load(e.target.value)}
        >
          {board.months.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      )}
      {board.month && board.honoured.length > 0 ? (
        <p className="cz-intro">
          {t({ zh: `${board.month} 身边好人榜`, en: `Good people of ${board.month}` })}
        </p>
      ) : (
        <p className="cz-hint">{t({ zh: '暂无发布的好人榜', en: 'No list published yet' })}</p>
      )}
      {board.honoured.map((p) => (
        <PersonCard key={p.id} p={p} />
      ))}
    </section>
  );
}

function Voting() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [voting, setVoting] = useState<TPublicVoting | null>(null);
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState<number | null>(null);
  useEffect(() => {
    apiCall('GET /api/public/good-people/voting')
      .then(setVoting)
      .catch((err: unknown) => setNotes({ 0: errorText(err) }));
  }, []);

  async function vote(p: TPublicGoodPerson) {
    setBusy(p.id);
    try {
      const res = await apiCall('POST /api/public/good-people/:id/votes', {
        params: { id: p.id },
        body: { deviceId: deviceId() },
      });
      setVoting(
        (v) =>
          v && {
            ...v,
            candidates: v.candidates.map((c) =>
              c.id === p.id ? { ...c, voteCount: res.voteCount } : c,
            ),
          },
      );
      setNotes((n) => ({
        ...n,
        [p.id]: t({ zh: '投票成功，谢谢！', en: 'Thank you for voting!' }),
      }));
    } catch (err) {
      setNotes((n) => ({ ...n, [p.id]: errorText(err) }));
    } finally {
      setBusy(null);
    }
  }

  if (notes[0]) return <p className="cz-error">{notes[0]}</p>;
  if (!voting) return <p className="cz-hint">{t({ zh: '加载中…', en: 'Loading…' })}</p>;
  if (!voting.month)
    return (
      <p className="cz-hint" data-testid="gp-no-vote">
        {t({ zh: '目前没有进行中的投票', en: 'No vote is open at the moment' })}
      </p>
    );
  return (
    <section data-testid="gp-voting">
      <p className="cz-intro">
        {t({
          zh: `${voting.month} 身边好人入围人选，每人每天可为每位候选人投一票。`,
          en: `Shortlisted for ${voting.month}: one vote per candidate per day.`,
        })}
      </p>
      {voting.candidates.map((p) => (
        <PersonCard key={p.id} p={p}>
          <div className="cz-row">
            <span className="cz-votes" data-testid="gp-votes">
              {t({ zh: `${p.voteCount} 票`, en: `${p.voteCount} votes` })}
            </span>
            <button
              type="button"
              className="cz-button"
              disabled={busy === p.id}
              data-testid={`gp-vote-${p.id}`}
              onClick={() => void vote(p)}
            >
              {t({ zh: '投一票', en: 'Vote' })}
            </button>
          </div>
          {notes[p.id] && <p className="cz-note">{notes[p.id]}</p>}
        </PersonCard>
      ))}
    </section>
  );
}

function NominationForm() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [setup, setSetup] = useState<TPublicGoodPeopleSetup | null>(null);
  const [category, setCategory] = useState('');
  const [name, setName] = useState('');
  const [regionId, setRegionId] = useState('');
  const [deeds, setDeeds] = useState('');
  const [nominator, setNominator] = useState('');
  const [phone, setPhone] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [website, setWebsite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    apiCall('GET /api/public/good-people/setup')
      .then(setSetup)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const form = new FormData();
    form.append('category', category);
    form.append('nomineeName', name);
    form.append('regionId', regionId);
    form.append('deeds', deeds);
    form.append('nominatorName', nominator);
    form.append('nominatorPhone', phone);
    form.append('deviceId', deviceId());
    form.append('website', website);
    if (photo) form.append('photo', photo, photo.name);
    setBusy(true);
    try {
      await apiCall('POST /api/public/good-people/nominations', { body: form });
      setDone(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section className="cz-card cz-done" data-testid="gp-nominated">
        <h2>{t({ zh: '推荐已提交，感谢您！', en: 'Thank you — your nomination is in.' })}</h2>
        <p>
          {t({
            zh: '文明办评议后，入围人选将在“投票”中公示。',
            en: 'After review, the shortlist is put to a public vote here.',
          })}
        </p>
      </section>
    );
  }
  if (setup && !setup.nominationsOpen) {
    return (
      <p className="cz-hint" data-testid="gp-closed">
        {t({
          zh: `${setup.month} 的推荐已截止，请下月再来推荐。`,
          en: `Nominations for ${setup.month} have closed; come back next month.`,
        })}
      </p>
    );
  }
  return (
    <form className="cz-form" onSubmit={(e) => void submit(e)} data-testid="gp-form">
      <p className="cz-intro">
        {t({
          zh: '身边有助人为乐、见义勇为、诚实守信、敬业奉献、孝老爱亲的好人好事？推荐给我们。',
          en: 'Know someone who helps others, acts bravely, keeps their word, serves with dedication or cares for their elders? Tell us.',
        })}
      </p>
      <label className="cz-label">
        {t({ zh: '推荐类别', en: 'Category' })}
        <select
          className="cz-input"
          required
          value={category}
          data-testid="gp-category"
          onChange={(e) => setCategory(e.target.value)}
        >
          <option value="">{t({ zh: '请选择', en: 'Choose' })}</option>
          {GOOD_PERSON_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(GOOD_PERSON_CATEGORY_LABELS[c])}
            </option>
          ))}
        </select>
      </label>
      <label className="cz-label">
        {t({ zh: '被推荐人姓名', en: 'Nominee’s name' })}
        <input
          className="cz-input"
          required
          maxLength={40}
          value={name}
          data-testid="gp-name"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="cz-label">
        {t({ zh: '所在地', en: 'Where they live' })}
        <select
          className="cz-input"
          required
          value={regionId}
          data-testid="gp-region"
          onChange={(e) => setRegionId(e.target.value)}
        >
          <option value="">{t({ zh: '请选择', en: 'Choose' })}</option>
          {setup?.regions.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label className="cz-label">
        {t({ zh: '主要事迹', en: 'What they did' })}
        <span className="cz-hint">
          {deeds.length}/{DEEDS_MAX}
        </span>
        <textarea
          className="cz-input"
          required
          minLength={20}
          maxLength={DEEDS_MAX}
          rows={6}
          value={deeds}
          data-testid="gp-deeds"
          onChange={(e) => setDeeds(e.target.value)}
        />
      </label>
      <label className="cz-label">
        {t({ zh: '照片（可选）', en: 'Photo (optional)' })}
        <input
          type="file"
          accept="image/*"
          data-testid="gp-photo"
          onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
        />
      </label>
      <label className="cz-label">
        {t({ zh: '推荐人姓名', en: 'Your name' })}
        <input
          className="cz-input"
          required
          maxLength={40}
          value={nominator}
          data-testid="gp-nominator"
          onChange={(e) => setNominator(e.target.value)}
        />
      </label>
      <label className="cz-label">
        {t({ zh: '推荐人电话', en: 'Your phone' })}
        <span className="cz-hint">
          {t({ zh: '仅供文明办核实，不公开', en: 'for the office to check; never published' })}
        </span>
        <input
          className="cz-input"
          type="tel"
          required
          value={phone}
          data-testid="gp-phone"
          onChange={(e) => setPhone(e.target.value)}
        />
      </label>
      <label className="cz-hp" aria-hidden="true">
        website
        <input tabIndex={-1} value={website} onChange={(e) => setWebsite(e.target.value)} />
      </label>
      {error && (
        <p className="cz-error" data-testid="gp-error">
          {error}
        </p>
      )}
      <button type="submit" className="cz-button" disabled={busy} data-testid="gp-submit">
        {t({ zh: '提交推荐', en: 'Send' })}
      </button>
    </form>
  );
}
