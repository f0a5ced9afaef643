import { Button, Card, ErrorBlock, List, NavBar, NoticeBar, Tag, Toast } from 'antd-mobile';
import { AddOutline, EnvironmentOutline } from 'antd-mobile-icons';
import { useNavigate } from 'react-router';
import type { TAssignedPoint, TMyRound } from '../../../core/contracts/inspections.js';
import { L, useI18n } from '../../shared/i18n.js';
import { QueueBar } from '../QueueBar.js';
import { shanghaiToday } from '../tasks.js';
import {
  byDay,
  distanceTo,
  KIND_LABELS,
  metres,
  underWay,
  VISIT_LABELS,
  type Fix,
  type MyRounds,
  type PendingVisit,
} from './inspect-data.js';
import type { From } from './InspectFlow.js';
import type { VisitOutcome } from './InspectVisit.js';

const FROM_LIST: { from: From } = { from: 'list' };

/**
 * The inspector's rounds, those under way first: each with its drawn points — under their day
 * when drawn by district — nearest first, each with its state (visited and how, waiting to sync,
 * to do), the places added offline still in the queue, and 随机增加 where the round allows it.
 */
export function InspectRounds(props: {
  data: MyRounds;
  fix: Fix | null;
  /** The visit just submitted. */
  done: VisitOutcome | null;
  onHome: () => void;
}) {
  const { t } = useI18n();
  const { rounds, stale, pending } = props.data;
  const { done } = props;
  const today = shanghaiToday();
  const ordered = [...(rounds ?? [])].sort(
    (a, b) => Number(underWay(b, today)) - Number(underWay(a, today)),
  );
  return (
    <div className="m-flow" data-testid="inspect-page">
      <NavBar className="m-navbar" onBack={props.onHome}>
        {t(L.points.fieldInspection)}
      </NavBar>
      <QueueBar />
      {stale && rounds !== null && (
        <NoticeBar
          color="alert"
          wrap
          data-testid="inspect-stale"
          content={
            navigator.onLine === false
              ? t({
                  zh: '当前无网络，显示的是上次加载的点位',
                  en: 'Offline: showing the points as last loaded',
                })
              : t({
                  zh: '暂时连不上服务器，显示的是上次加载的点位',
                  en: 'The server does not answer: showing the points as last loaded',
                })
          }
        />
      )}
      {done && <DoneNotice done={done} rounds={rounds ?? []} pending={pending} />}
      <div className="m-gps m-pad0" data-testid="inspect-gps">
        <EnvironmentOutline />{' '}
        {props.fix
          ? t({
              zh: `当前位置精度 ±${Math.round(props.fix.accuracy)} 米`,
              en: `Position ±${Math.round(props.fix.accuracy)} m`,
            })
          : t({ zh: '正在定位…', en: 'Locating…' })}
      </div>
      {rounds === null ? null : rounds.length === 0 ? (
        <ErrorBlock
          status="empty"
          title={t({ zh: '暂无分配给您的测评任务', en: 'No rounds assigned to you' })}
          description={
            stale
              ? t({
                  zh: '离线，暂无保存的任务；联网后自动显示',
                  en: 'Offline and nothing saved yet; shown once back online',
                })
              : ''
          }
        />
      ) : (
        ordered.map((r) => (
          <RoundCard key={r.id} round={r} today={today} fix={props.fix} pending={pending} />
        ))
      )}
    </div>
  );
}

/**
 * What became of the visit just submitted: its result and the problem its failed items raised;
 * or queued — then, once the queue has sent it, synced with the result the server now shows.
 */
function DoneNotice(props: { done: VisitOutcome; rounds: TMyRound[]; pending: PendingVisit[] }) {
  const { t } = useI18n();
  const { done } = props;
  if (done.outcome === 'queued' && !props.pending.some((p) => p.clientId === done.clientId)) {
    const point = props.rounds
      .flatMap((r) => r.points)
      .find((p) => p.id === done.pointId && p.visitResult !== null);
    return (
      <NoticeBar
        color="info"
        wrap
        data-testid="inspect-done"
        content={
          <>
            {t({ zh: `${done.name}：已同步`, en: `${done.name}: synced` })}
            {point?.visitResult &&
              `，${t(VISIT_LABELS[point.visitResult].label)}${
                point.visitScore !== null ? ` ${Math.round(point.visitScore * 100)}%` : ''
              }`}
          </>
        }
      />
    );
  }
  if (done.outcome === 'queued')
    return (
      <NoticeBar
        color="info"
        wrap
        data-testid="inspect-done"
        content={t({
          zh: `${done.name}：已保存在本机，联网后自动同步`,
          en: `${done.name}: saved on this phone; it syncs when online`,
        })}
      />
    );
  const v = done.visit;
  const label = VISIT_LABELS[v.result];
  return (
    <NoticeBar
      color={v.result === 'pass' ? 'info' : 'alert'}
      wrap
      data-testid="inspect-done"
      content={
        <>
          {t({ zh: `${done.name}：已提交，`, en: `${done.name}: submitted, ` })}
          {t(label.label)}
          {v.score !== null && ` ${Math.round(v.score * 100)}%`}
          {v.problemCode &&
            t({
              zh: `；不合格项已生成问题 ${v.problemCode}`,
              en: `; the failed items raised problem ${v.problemCode}`,
            })}
        </>
      }
    />
  );
}

function RoundCard(props: {
  round: TMyRound;
  today: string;
  fix: Fix | null;
  pending: PendingVisit[];
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { round: r, today } = props;
  const visited = r.points.filter((p) => p.visitId !== null).length;
  const added = props.pending.filter((x) => x.roundId === r.id && x.addedPoint);
  const ended = r.endsOn !== null && r.endsOn < today;
  return (
    <Card
      className="m-card"
      data-testid={`inspect-round-${r.id}`}
      title={
        <div>
          <div>{r.name}</div>
          <div className="m-tags m-top4">
            <Tag fill="outline">{t(KIND_LABELS[r.kind] ?? { zh: r.kind, en: r.kind })}</Tag>
            {(r.startsOn || r.endsOn) && (
              <span className="m-small">
                {r.startsOn ?? '…'} ~ {r.endsOn ?? '…'}
              </span>
            )}
            {ended && <Tag color="default">{t(L.common.ended)}</Tag>}
          </div>
        </div>
      }
      extra={
        <span className="m-muted" data-testid={`inspect-round-${r.id}-count`}>
          {t({
            zh: `已查 ${visited}/${r.points.length}`,
            en: `${visited}/${r.points.length} done`,
          })}
        </span>
      }
    >
      {(r.days ?? []).length === 0 ? (
        <Points round={r} points={r.points} fix={props.fix} pending={props.pending} />
      ) : (
        byDay(r).map(({ key, day, points }) => (
          <div key={key} className="m-day" data-testid={`inspect-day-${key}`}>
            <div className="m-day-head">
              <b>
                {day
                  ? `${day.date} · ${day.districtNames.join('、')}`
                  : t({
                      zh: '其他（不在日程城区内）',
                      en: 'Other (outside the scheduled districts)',
                    })}
              </b>
              {day?.date === today && <Tag color="danger">{t(L.common.today)}</Tag>}
              {day && (day.state === 'planned' || day.state === 'committed') && (
                <Tag color="default">{t({ zh: '尚未抽签', en: 'Not drawn yet' })}</Tag>
              )}
            </div>
            {points.length > 0 && (
              <Points round={r} points={points} fix={props.fix} pending={props.pending} />
            )}
          </div>
        ))
      )}
      {added.map((x) => (
        <div
          key={x.clientId}
          className="m-added"
          data-testid={`inspect-added-pending-${x.clientId}`}
        >
          <span>{x.addedPoint!.name}</span>
          <Tag color="#722ed1">{t(L.points.added)}</Tag>
          {x.state === 'failed' ? (
            <Tag color="danger">{t(L.common.refused)}</Tag>
          ) : (
            <Tag color="warning">{t(L.common.toSync)}</Tag>
          )}
        </div>
      ))}
      {(r.addableTypes ?? []).length > 0 && (
        <Button
          block
          fill="outline"
          color="primary"
          className="m-cta"
          onClick={() => void navigate(`/inspect/${r.id}/add`, { state: FROM_LIST })}
          data-testid={`inspect-add-${r.id}`}
        >
          <AddOutline /> {t({ zh: '随机增加点位', en: 'Add a place (随机查看)' })}
        </Button>
      )}
    </Card>
  );
}

/** A group of points, nearest first, each with its state; tapping opens its form or record. */
function Points(props: {
  round: TMyRound;
  points: TAssignedPoint[];
  fix: Fix | null;
  pending: PendingVisit[];
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { round: r, fix } = props;
  const sorted = [...props.points].sort(
    (a, b) => (distanceTo(a, fix) ?? Infinity) - (distanceTo(b, fix) ?? Infinity),
  );
  return (
    <List className="m-list">
      {sorted.map((p) => {
        const d = distanceTo(p, fix);
        const queued = props.pending.find(
          (x) =>
            (x.roundId === r.id && x.pointId === p.id) ||
            (p.visitId !== null && x.correcting === p.visitId),
        );
        const result = p.visitResult ? VISIT_LABELS[p.visitResult] : null;
        return (
          <List.Item
            key={p.id}
            data-testid={`inspect-point-${p.id}`}
            arrow={!queued}
            onClick={() => {
              if (queued && p.visitId === null) return;
              if (p.visitId !== null) {
                // A submitted visit opens its record and 更正, which need the network.
                if (!navigator.onLine) {
                  Toast.show({
                    content: t({
                      zh: '联网后可查看检查记录和更正',
                      en: 'The record and its correction need the network',
                    }),
                  });
                  return;
                }
                void navigate(`/inspect/visits/${p.visitId}`, { state: FROM_LIST });
              } else void navigate(`/inspect/${r.id}/points/${p.id}`, { state: FROM_LIST });
            }}
            description={
              <div className="m-tags">
                <Tag fill="outline">{p.typeName}</Tag>
                {p.districtName && <span>{p.districtName}</span>}
                {p.added && <Tag color="#722ed1">{t(L.points.added)}</Tag>}
                {d !== null && <span>{metres(d)}</span>}
                {result && (
                  <Tag color={result.color}>
                    {t(result.label)}
                    {p.visitScore !== null && ` ${Math.round(p.visitScore * 100)}%`}
                  </Tag>
                )}
                {queued &&
                  (queued.state === 'failed' ? (
                    <Tag color="danger">{t(L.common.refused)}</Tag>
                  ) : (
                    <Tag color="warning">
                      {queued.correcting
                        ? t({ zh: '更正待同步', en: 'Correction waiting' })
                        : t(L.common.toSync)}
                    </Tag>
                  ))}
                {!result && !queued && (
                  <Tag color="primary" fill="outline">
                    {t(L.points.notVisited)}
                  </Tag>
                )}
              </div>
            }
            extra={
              p.lat !== null && p.lng !== null ? (
                <a
                  className="m-nav-link"
                  href={`https://uri.amap.com/marker?position=${p.lng},${p.lat}&name=${encodeURIComponent(p.name)}&coordinate=wgs84`}
                  target="_blank"
                  rel="noreferrer"
                  onClick={(e) => e.stopPropagation()}
                >
                  {t({ zh: '导航', en: 'Navigate' })}
                </a>
              ) : undefined
            }
          >
            {p.name}
          </List.Item>
        );
      })}
    </List>
  );
}
