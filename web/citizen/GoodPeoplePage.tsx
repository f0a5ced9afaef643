import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type {
  TPublicBoard,
  TPublicGoodPerson,
  TPublicVoting,
} from '../../core/contracts/good-people.js';
import {
  GOOD_PERSON_CATEGORY_LABELS,
  UPWARD_LEVEL_LABELS,
  UPWARD_STAGE_LABELS,
} from '../../core/good-people/labels.js';
import { apiCall } from '../shared/api.js';
import { SegmentTabs } from './Segments.js';
import { useI18n } from '../shared/i18n.js';
import { deviceId } from './device-id.js';
import { NominationForm, useErrorText } from './GoodPeopleForm.js';

type Tab = 'board' | 'vote' | 'nominate';

/**
 * 身边好人: the month's 好人榜, the shortlist whose vote is open (one vote a person a day), and the
 * form to put someone forward. The nominator's name and phone go to the office only.
 */
export function GoodPeoplePage() {
  const [tab, setTab] = useState<Tab>('board');
  const tabs: [Tab, { zh: string; en: string }][] = [
    ['board', { zh: '好人榜', en: 'Honour roll' }],
    ['vote', { zh: '投票', en: 'Vote' }],
    ['nominate', { zh: '我要推荐', en: 'Nominate' }],
  ];
  return (
    <div data-testid="good-people">
      <SegmentTabs tabs={tabs} current={tab} onChange={setTab} testPrefix="gp" />
      {tab === 'board' && <Board />}
      {tab === 'vote' && <Voting />}
      {tab === 'nominate' && <NominationForm />}
    </div>
  );
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
  const load = useCallback((month?: string) => {
    apiCall('GET /api/public/good-people/board', { query: { month } })
      .then(setBoard)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);
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
