import { EnvironmentOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { TMyRound, TVisitSubmit } from '../../../core/contracts/inspections.js';
import { shanghaiDate } from '../../../core/calendar/working-days.js';
import { get } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';
import { OfflineQueueBar, useQueuedItems } from '../../shared/OfflineQueueBar.js';
import { AddPlaceForm } from './InspectAddPlace.js';
import { distanceTo, metres, VisitForm, type Fix, type VisitTarget } from './InspectVisitForm.js';
import { VisitCorrectionDrawer } from './VisitCorrectionDrawer.js';

/** The rounds as last loaded, so the inspector can open them with no network. */
const CACHE_KEY = 'cc-inspections-mine';

const VISIT_LABELS = {
  pass: { label: { zh: '合格', en: 'Passed' }, color: 'green' },
  fail: { label: { zh: '不合格', en: 'Failed' }, color: 'orange' },
  serious: { label: { zh: '严重不合格', en: 'Serious' }, color: 'red' },
} as const;

/**
 * Drawn by day (按城区分日抽签): a round's points under the day whose districts hold them, days
 * by date; points of no scheduled district (a place added across the boundary) last.
 */
function byDay(r: TMyRound) {
  const days = r.days ?? [];
  const groups = days.map((day) => ({
    key: String(day.id),
    day,
    points: r.points.filter((p) => p.dayId === day.id),
  }));
  const other = r.points.filter((p) => !days.some((d) => d.id === p.dayId));
  return other.length ? [...groups, { key: 'other', day: null, points: other }] : groups;
}

/** The phone's position, watched while the screen is open (null until the first fix). */
function usePosition(): { fix: Fix | null; error: string | null } {
  const [fix, setFix] = useState<Fix | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Some browsers (and test DOMs) expose the property as null.
    if (!navigator.geolocation) {
      setError('no geolocation');
      return;
    }
    const id = navigator.geolocation.watchPosition(
      (p) =>
        setFix({
          lat: p.coords.latitude,
          lng: p.coords.longitude,
          accuracy: p.coords.accuracy,
          at: new Date(p.timestamp).toISOString(),
        }),
      (e) => setError(e.message),
      { enableHighAccuracy: true, maximumAge: 30_000, timeout: 20_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, []);
  return { fix, error };
}

/**
 * 实地检查 on a phone: the inspector's drawn points (distance, navigation), then a point's checklist
 * item by item with counts, notes and photos, GPS and time, and the overall rating; and 随机查看 —
 * a place of an allowed kind added on the spot and checked the same way. Works offline: the rounds
 * (with the addable types) are kept from the last load, submissions go through the offline queue.
 */
export function InspectPage() {
  const { t, lang } = useI18n();
  const [rounds, setRounds] = useState<TMyRound[] | null>(null);
  const [stale, setStale] = useState(false);
  const [open, setOpen] = useState<{ round: TMyRound; target: VisitTarget } | null>(null);
  const [adding, setAdding] = useState<TMyRound | null>(null);
  const [correcting, setCorrecting] = useState<number | null>(null);
  const { fix, error: gpsError } = usePosition();
  const queued = useQueuedItems();
  const today = shanghaiDate(new Date());

  const load = useCallback(async () => {
    try {
      const res = await get<{ items: TMyRound[] }>('/api/inspections/mine');
      localStorage.setItem(CACHE_KEY, JSON.stringify(res.items));
      setRounds(res.items);
      setStale(false);
    } catch (err) {
      const cached = localStorage.getItem(CACHE_KEY);
      if (cached) {
        setRounds(JSON.parse(cached) as TMyRound[]);
        setStale(true);
      } else {
        setRounds([]);
        setStale(true);
        console.warn(errorText(err, lang));
      }
    }
  }, [lang]);
  useEffect(() => void load(), [load]);
  // Once opened online, this page opens again offline (web/public/inspect-sw.js, scope /inspect).
  useEffect(() => {
    navigator.serviceWorker
      ?.register('/inspect-sw.js', { scope: '/inspect' })
      .catch((err: unknown) => console.warn('service worker not registered', err));
  }, []);
  // After a sync the server knows more (results, problems): reload when the queue empties.
  const waiting = queued.length;
  useEffect(() => {
    if (waiting === 0 && navigator.onLine) void load();
  }, [waiting, load]);

  const pendingPoints = useMemo(
    () =>
      new Set(
        queued.map((q) => {
          const b = q.body as Partial<TVisitSubmit>;
          return `${b.roundId}:${b.pointId}`;
        }),
      ),
    [queued],
  );
  /** Places added offline, still in the queue, by round. */
  const pendingAdded = useMemo(
    () =>
      queued.flatMap((q) => {
        const b = q.body as Partial<TVisitSubmit>;
        return b.addedPoint && b.roundId !== undefined
          ? [{ clientId: q.clientId, roundId: b.roundId, place: b.addedPoint, state: q.state }]
          : [];
      }),
    [queued],
  );

  /** A round's points, nearest first, each with its state (visited, waiting to sync, to do). */
  function pointList(r: TMyRound, points: TMyRound['points']) {
    return (
      <List
        dataSource={[...points].sort(
          (a, b) => (distanceTo(a, fix) ?? Infinity) - (distanceTo(b, fix) ?? Infinity),
        )}
        renderItem={(p) => {
          const d = distanceTo(p, fix);
          const pending = pendingPoints.has(`${r.id}:${p.id}`);
          const done = p.visitResult ? VISIT_LABELS[p.visitResult] : null;
          return (
            <List.Item
              data-testid={`inspect-point-${p.id}`}
              style={{ cursor: pending ? 'default' : 'pointer', minHeight: 56 }}
              onClick={() => {
                if (pending) return;
                // A submitted visit opens its history and the correction form (online only).
                if (p.visitId !== null) {
                  if (navigator.onLine) setCorrecting(p.visitId);
                } else setOpen({ round: r, target: { kind: 'drawn', point: p } });
              }}
              actions={
                p.lat !== null && p.lng !== null
                  ? [
                      <a
                        key="nav"
                        href={`https://uri.amap.com/marker?position=${p.lng},${p.lat}&name=${encodeURIComponent(p.name)}&coordinate=wgs84`}
                        target="_blank"
                        rel="noreferrer"
                        onClick={(e) => e.stopPropagation()}
                      >
                        {t({ zh: '导航', en: 'Navigate' })}
                      </a>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={p.name}
                description={
                  <Space size={4} wrap>
                    <Tag>{p.typeName}</Tag>
                    {p.districtName && <span>{p.districtName}</span>}
                    {p.added && <Tag color="purple">{t({ zh: '随机增加', en: 'Added' })}</Tag>}
                    {d !== null && <span>{metres(d)}</span>}
                    {done && (
                      <Tag color={done.color}>
                        {t(done.label)}
                        {p.visitScore !== null && ` ${Math.round(p.visitScore * 100)}%`}
                      </Tag>
                    )}
                    {pending && (
                      <Tag color="orange">{t({ zh: '待同步', en: 'Waiting to sync' })}</Tag>
                    )}
                    {!done && !pending && (
                      <Tag color="blue">{t({ zh: '未检查', en: 'To do' })}</Tag>
                    )}
                  </Space>
                }
              />
            </List.Item>
          );
        }}
      />
    );
  }

  if (rounds === null) return <Spin />;
  if (open) {
    return (
      <VisitForm
        round={open.round}
        target={open.target}
        fix={fix}
        gpsError={gpsError}
        onDone={() => setOpen(null)}
      />
    );
  }
  if (adding) {
    return (
      <AddPlaceForm
        round={adding}
        types={adding.addableTypes ?? []}
        fix={fix}
        gpsError={gpsError}
        onCancel={() => setAdding(null)}
        onNext={(target) => {
          setAdding(null);
          setOpen({ round: adding, target });
        }}
      />
    );
  }
  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }} data-testid="inspect-page">
      <OfflineQueueBar />
      {stale && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          message={t({
            zh: '当前无网络，显示的是上次加载的点位',
            en: 'Offline: showing the points as last loaded',
          })}
        />
      )}
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
        <EnvironmentOutlined />{' '}
        {fix
          ? t({
              zh: `当前位置精度 ±${Math.round(fix.accuracy)} 米`,
              en: `Position ±${Math.round(fix.accuracy)} m`,
            })
          : t({ zh: '正在定位…', en: 'Locating…' })}
      </Typography.Text>
      {rounds.length === 0 && (
        <Empty description={t({ zh: '暂无分配给您的测评任务', en: 'No rounds assigned to you' })} />
      )}
      {rounds.map((r) => (
        <Card
          key={r.id}
          size="small"
          title={r.name}
          data-testid={`inspect-round-${r.id}`}
          style={{ marginBottom: 12 }}
          extra={
            <Typography.Text type="secondary">
              {t({
                zh: `已查 ${r.points.filter((p) => p.visitId !== null).length}/${r.points.length}`,
                en: `${r.points.filter((p) => p.visitId !== null).length}/${r.points.length} done`,
              })}
            </Typography.Text>
          }
          actions={
            (r.addableTypes ?? []).length > 0
              ? [
                  <Button
                    key="add"
                    type="link"
                    icon={<PlusOutlined />}
                    onClick={() => setAdding(r)}
                    data-testid={`inspect-add-${r.id}`}
                  >
                    {t({ zh: '随机增加点位', en: 'Add a place (随机查看)' })}
                  </Button>,
                ]
              : undefined
          }
        >
          {(r.days ?? []).length === 0
            ? pointList(r, r.points)
            : byDay(r).map(({ key, day, points }) => (
                <div key={key} data-testid={`inspect-day-${key}`} style={{ marginTop: 8 }}>
                  <Space size={4} wrap>
                    <Typography.Text strong>
                      {day
                        ? `${day.date} · ${day.districtNames.join('、')}`
                        : t({
                            zh: '其他（不在日程城区内）',
                            en: 'Other (outside the scheduled districts)',
                          })}
                    </Typography.Text>
                    {day?.date === today && <Tag color="red">{t({ zh: '今天', en: 'Today' })}</Tag>}
                    {day && (day.state === 'planned' || day.state === 'committed') && (
                      <Tag>{t({ zh: '尚未抽签', en: 'Not drawn yet' })}</Tag>
                    )}
                  </Space>
                  {points.length > 0 && pointList(r, points)}
                </div>
              ))}
          {pendingAdded
            .filter((x) => x.roundId === r.id)
            .map((x) => (
              <div
                key={x.clientId}
                style={{ padding: '8px 0', borderTop: '1px solid #f0f0f0' }}
                data-testid={`inspect-added-pending-${x.clientId}`}
              >
                <Space size={4} wrap>
                  <span>{x.place.name}</span>
                  <Tag color="purple">{t({ zh: '随机增加', en: 'Added' })}</Tag>
                  {x.state === 'failed' ? (
                    <Tag color="red">{t({ zh: '被拒绝', en: 'Refused' })}</Tag>
                  ) : (
                    <Tag color="orange">{t({ zh: '待同步', en: 'Waiting to sync' })}</Tag>
                  )}
                </Space>
              </div>
            ))}
        </Card>
      ))}
      <VisitCorrectionDrawer
        visitId={correcting}
        onClose={() => setCorrecting(null)}
        onSaved={() => void load()}
      />
    </div>
  );
}
