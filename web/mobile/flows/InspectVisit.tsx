import { Button, Card, NavBar, Tag, TextArea } from 'antd-mobile';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import type {
  TMyRound,
  TRatings,
  TVisit,
  TVisitSubmit,
} from '../../../core/contracts/inspections.js';
import { FAR_FROM_POINT_M } from '../../../core/inspection/score.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { offlineQueue, sendOrQueue } from '../../shared/offline-queue.js';
import { positionNow } from '../../shared/patrol-walk.js';
import { QueueBar } from '../QueueBar.js';
import { answersOf, draftsProblem, photosOf } from './inspect-answers.js';
import {
  distanceTo,
  KIND_LABELS,
  metres,
  type CachedItem,
  type Fix,
  type VisitTarget,
} from './inspect-data.js';
import { emptyDraft, InspectItem, type ItemDraft } from './InspectItem.js';

export const RATING_LABELS: Record<keyof TRatings, L> = {
  environment: { zh: '环境卫生', en: 'Cleanliness' },
  civility: { zh: '市民素质', en: 'Civility' },
  facilities: { zh: '公共设施', en: 'Facilities' },
  atmosphere: { zh: '氛围营造', en: 'Atmosphere' },
};
const RATING_KEYS = Object.keys(RATING_LABELS) as (keyof TRatings)[];

/** What became of a submitted visit: sent (with the stored visit) or waiting in the queue. */
export type VisitOutcome = { name: string; clientId: string; pointId: number | null } & (
  | { outcome: 'sent'; visit: TVisit }
  | { outcome: 'queued' }
);

/** 1–5 stars as five buttons (a tap sets, a tap on the value set clears): thumb-sized. */
function Stars(props: { value: number; label: string; onChange: (v: number) => void }) {
  return (
    <span className="m-stars" role="radiogroup" aria-label={props.label}>
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={props.value === n}
          aria-label={`${n}`}
          className={`m-star${n <= props.value ? ' m-star-on' : ''}`}
          onClick={() => props.onChange(props.value === n ? 0 : n)}
        >
          ★
        </button>
      ))}
    </span>
  );
}

const scrollToItem = (i: number) =>
  document.querySelector(`[data-testid=check-item-${i}]`)?.scrollIntoView?.({ block: 'center' });

/**
 * One visit on the phone: the point (type, 包保单位, route, GPS and distance), its checklist item by
 * item, the 整体评价 ratings and a note. Submitted through the offline queue under a client id
 * made here, so a retry never makes a second visit; an added place (随机查看) travels in the
 * same submission. Whatever is wrong is said in words before anything is sent.
 */
export function InspectVisit(props: {
  /** The visit's client id (made here when not given). */
  clientId?: string;
  round: TMyRound;
  target: VisitTarget;
  fix: Fix | null;
  gpsError: string | null;
  onBack: () => void;
  onDone: (outcome: VisitOutcome) => void;
}) {
  const { t, lang } = useI18n();
  const { round, target, fix } = props;
  const checklist: CachedItem[] =
    target.kind === 'drawn' ? target.point.checklist : target.checklist;
  const title = target.kind === 'drawn' ? target.point.name : target.place.name;
  const typeName = target.kind === 'drawn' ? target.point.typeName : target.typeName;
  const route = target.kind === 'drawn' ? target.point.route : target.route;
  const address = target.kind === 'drawn' ? target.point.address : target.place.address;
  const [drafts, setDrafts] = useState<ItemDraft[]>(() => checklist.map(emptyDraft));
  const [ratings, setRatings] = useState<Partial<TRatings>>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ index: number | null; text: string } | null>(null);
  // The client id and the time are the visit's from the moment the form opens: a second tap
  // after a lost answer is the same visit.
  const [clientId] = useState(() => props.clientId ?? crypto.randomUUID());
  const [startedAt] = useState(() => new Date().toISOString());
  const d = target.kind === 'drawn' ? distanceTo(target.point, fix) : null;
  const set = (i: number, patch: Partial<ItemDraft>) => {
    setDrafts((a) => a.map((x, j) => (j === i ? { ...x, ...patch } : x)));
    if (problem?.index === i) setProblem(null);
  };
  const answered = drafts.filter((x) => x.result !== null).length;

  const submit = async () => {
    const wrong = draftsProblem(checklist, drafts);
    if (wrong) {
      setProblem({ index: wrong.index, text: t(wrong.message) });
      if (wrong.index !== null) scrollToItem(wrong.index);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      // The position: the one watched, else a fresh fix if the phone gives one quickly.
      const here = fix ?? (await positionNow(3000).then((p) => p && { ...p, accuracy: null }));
      const allRated = RATING_KEYS.every((k) => ratings[k]);
      const body: TVisitSubmit = {
        clientId,
        roundId: round.id,
        ...(target.kind === 'drawn' ? { pointId: target.point.id } : { addedPoint: target.place }),
        items: answersOf(drafts),
        ratings: allRated ? (ratings as TRatings) : null,
        note: note.trim() || null,
        lat: here?.lat ?? null,
        lng: here?.lng ?? null,
        accuracyM: here?.accuracy ?? null,
        visitedAt: startedAt,
      };
      const res = await sendOrQueue(offlineQueue(), {
        clientId,
        label:
          target.kind === 'drawn'
            ? `${t(L.points.pointVisit)}：${title}`
            : `${t(L.points.added)}：${title}`,
        endpoint: 'POST /api/visits',
        body,
        files: photosOf(drafts),
      });
      // The list says what became of it (DoneNotice in InspectRounds.tsx).
      const about = {
        name: title,
        clientId,
        pointId: target.kind === 'drawn' ? target.point.id : null,
      };
      props.onDone(
        res.outcome === 'sent'
          ? { ...about, outcome: 'sent', visit: res.answer }
          : { ...about, outcome: 'queued' },
      );
    } catch (err) {
      setProblem({ index: null, text: errorText(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="m-flow" data-testid="visit-form">
      <NavBar className="m-navbar" onBack={props.onBack}>
        {t(L.points.pointVisit)}
      </NavBar>
      <QueueBar />
      <div className="m-pad m-form">
        <Card className="m-card" title={title}>
          <div className="m-tags">
            <Tag color="primary" fill="outline">
              {typeName}
            </Tag>
            <Tag fill="outline">
              {t(KIND_LABELS[round.kind] ?? { zh: round.kind, en: round.kind })}
            </Tag>
            {target.kind === 'added' && <Tag color="#722ed1">{t(L.points.added)}</Tag>}
            {target.kind === 'drawn' && target.point.unitName && (
              <Tag color="#2f54eb" fill="outline">
                {target.point.unitName}
              </Tag>
            )}
          </div>
          <div className="m-sub">{round.name}</div>
          {address && <div className="m-sub">{address}</div>}
          {route && (
            <div className="m-sub">
              {t({ zh: '观察路线：', en: 'Route: ' })}
              {route}
            </div>
          )}
          <div className="m-gps" data-testid="visit-gps">
            <EnvironmentOutline />{' '}
            {fix ? (
              <>
                {fix.lat.toFixed(5)}, {fix.lng.toFixed(5)} ±{Math.round(fix.accuracy)} m{' '}
                {d !== null && (
                  <Tag
                    color={d > FAR_FROM_POINT_M ? 'danger' : 'success'}
                    data-testid="visit-distance"
                  >
                    {d > FAR_FROM_POINT_M
                      ? t({ zh: `距点位 ${metres(d)}，偏远`, en: `${metres(d)} away: far` })
                      : t({ zh: `距点位 ${metres(d)}`, en: `${metres(d)} from the point` })}
                  </Tag>
                )}
              </>
            ) : (
              <span className="m-warn">
                {props.gpsError
                  ? t({ zh: '无法获取定位，提交时再试', en: 'No GPS yet: tried again on submit' })
                  : t({ zh: '正在定位…', en: 'Locating…' })}
              </span>
            )}
          </div>
        </Card>
        {checklist.map((item, i) => (
          <InspectItem
            key={i}
            index={i}
            item={item}
            answer={drafts[i]!}
            set={(patch) => set(i, patch)}
            flagged={problem?.index === i}
          />
        ))}
        <Card className="m-card" title={t(L.points.overallRating)}>
          {RATING_KEYS.map((k) => (
            <div key={k} className="m-rating" data-testid={`visit-rating-${k}`}>
              <span>{t(RATING_LABELS[k])}</span>
              <Stars
                value={ratings[k] ?? 0}
                label={t(RATING_LABELS[k])}
                onChange={(v) => setRatings((r) => ({ ...r, [k]: v }))}
              />
            </div>
          ))}
          <TextArea
            className="m-note"
            rows={2}
            maxLength={2000}
            value={note}
            onChange={setNote}
            placeholder={t({ zh: '备注（可选）', en: 'Note (optional)' })}
            data-testid="visit-note"
          />
        </Card>
      </div>
      <div className="m-footbar">
        {problem && (
          <div className="m-footbar-error" role="alert" data-testid="visit-error">
            {problem.text}
          </div>
        )}
        <div className="m-footbar-row">
          <span className="m-footbar-count" data-testid="visit-answered">
            {t({
              zh: `已填 ${answered}/${checklist.length}`,
              en: `${answered}/${checklist.length}`,
            })}
          </span>
          <Button
            color="primary"
            size="large"
            loading={busy}
            onClick={() => void submit()}
            className="m-footbar-btn"
            data-testid="visit-submit"
          >
            {t({ zh: '提交检查结果', en: 'Submit the visit' })}
          </Button>
        </div>
      </div>
    </div>
  );
}
