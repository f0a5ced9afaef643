import {
  CameraOutlined,
  DeleteOutlined,
  EnvironmentOutlined,
  LeftOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Input,
  InputNumber,
  List,
  Radio,
  Rate,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type {
  TAssignedPoint,
  TMyRound,
  TRatings,
  TVisitSubmit,
} from '../../../core/contracts/inspections.js';
import { distanceM } from '../../../core/geo/coords.js';
import { FAR_FROM_POINT_M, type TItemResult } from '../../../core/inspection/score.js';
import { get } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, type L } from '../../shared/i18n.js';
import { OfflineQueueBar, useQueuedItems } from '../../shared/OfflineQueueBar.js';
import { offlineQueue, submitOrQueue } from '../../shared/offline-queue.js';
import { VisitCorrectionDrawer } from './VisitCorrectionDrawer.js';

/** The rounds as last loaded, so the inspector can open them with no network. */
const CACHE_KEY = 'cc-inspections-mine';

const RESULT_LABELS: Record<TItemResult, L> = {
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
  na: { zh: '不适用', en: 'N/A' },
};
/** Pass green, fail red, n/a grey: not the theme's red for every choice. */
const RESULT_COLOURS: Record<TItemResult, string> = {
  pass: '#389e0d',
  fail: '#cf1322',
  na: '#8c8c8c',
};
const VISIT_LABELS = {
  pass: { label: { zh: '合格', en: 'Passed' }, color: 'green' },
  fail: { label: { zh: '不合格', en: 'Failed' }, color: 'orange' },
  serious: { label: { zh: '严重不合格', en: 'Serious' }, color: 'red' },
} as const;
const RATING_LABELS: Record<keyof TRatings, L> = {
  environment: { zh: '环境卫生', en: 'Cleanliness' },
  civility: { zh: '市民素质', en: 'Civility' },
  facilities: { zh: '公共设施', en: 'Facilities' },
  atmosphere: { zh: '氛围营造', en: 'Atmosphere' },
};

interface Fix {
  lat: number;
  lng: number;
  accuracy: number;
  at: string;
}

/** The phone's position, watched while the screen is open (null until the first fix). */
function usePosition(): { fix: Fix | null; error: string | null } {
  const [fix, setFix] = useState<Fix | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!('geolocation' in navigator)) {
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

const metres = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`);

function distanceTo(p: TAssignedPoint, fix: Fix | null): number | null {
  return fix && p.lat !== null && p.lng !== null ? distanceM(fix.lat, fix.lng, p.lat, p.lng) : null;
}

/**
 * 实地检查 on a phone: the inspector's drawn points (distance, navigation), then a point's checklist
 * item by item with notes and photos, GPS and time, and the overall rating. Works offline: the
 * rounds are kept from the last load, submissions go through the offline queue.
 */
export function InspectPage() {
  const { t, lang } = useI18n();
  const [rounds, setRounds] = useState<TMyRound[] | null>(null);
  const [stale, setStale] = useState(false);
  const [open, setOpen] = useState<{ round: TMyRound; point: TAssignedPoint } | null>(null);
  const [correcting, setCorrecting] = useState<number | null>(null);
  const { fix, error: gpsError } = usePosition();
  const queued = useQueuedItems();

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

  if (rounds === null) return <Spin />;
  if (open) {
    return (
      <VisitForm
        round={open.round}
        point={open.point}
        fix={fix}
        gpsError={gpsError}
        onDone={() => setOpen(null)}
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
          style={{ marginBottom: 12 }}
          extra={
            <Typography.Text type="secondary">
              {t({
                zh: `已查 ${r.points.filter((p) => p.visitId !== null).length}/${r.points.length}`,
                en: `${r.points.filter((p) => p.visitId !== null).length}/${r.points.length} done`,
              })}
            </Typography.Text>
          }
        >
          <List
            dataSource={[...r.points].sort(
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
                    } else setOpen({ round: r, point: p });
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

interface Photo {
  key: string;
  blob: Blob;
  name: string;
  url: string;
}
interface Answer {
  result: TItemResult | null;
  note: string;
  count: number | null;
  photos: Photo[];
}

/** An item with a counting rule ("不少于5处") asks for the count seen. */
/**
 * An item asks for a count when it has a counting rule, or its wording sets a minimum (a round
 * cached offline before counting rules existed has no countRule at all).
 */
const counts = (item: { text: string; countRule?: string | null }) =>
  Boolean(item.countRule) || /不少于|至少|≥/.test(item.text);

function VisitForm(props: {
  round: TMyRound;
  point: TAssignedPoint;
  fix: Fix | null;
  gpsError: string | null;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { point, round, fix } = props;
  const [answers, setAnswers] = useState<Answer[]>(() =>
    point.checklist.map(() => ({ result: null, note: '', count: null, photos: [] })),
  );
  const [ratings, setRatings] = useState<Partial<TRatings>>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [startedAt] = useState(() => new Date().toISOString());
  const d = distanceTo(point, fix);
  const set = (i: number, patch: Partial<Answer>) =>
    setAnswers((a) => a.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const missing = answers.findIndex((a) => a.result === null);

  const submit = async () => {
    if (missing >= 0) {
      message.warning(
        t({ zh: `第 ${missing + 1} 项尚未填写`, en: `Item ${missing + 1} has no answer` }),
      );
      return;
    }
    const allRated = (Object.keys(RATING_LABELS) as (keyof TRatings)[]).every((k) => ratings[k]);
    const body: TVisitSubmit = {
      clientId: crypto.randomUUID(),
      roundId: round.id,
      pointId: point.id,
      items: answers.map((a, index) => ({
        index,
        result: a.result!,
        note: a.note.trim() || null,
        count: a.count,
        photoIds: a.photos.map((p) => `$file:${p.key}`),
      })),
      ratings: allRated ? (ratings as TRatings) : null,
      note: note.trim() || null,
      lat: fix?.lat ?? null,
      lng: fix?.lng ?? null,
      accuracyM: fix?.accuracy ?? null,
      visitedAt: startedAt,
    };
    setBusy(true);
    try {
      const how = await submitOrQueue(offlineQueue(), {
        clientId: body.clientId,
        label: `${t({ zh: '点位检查', en: 'Visit' })}：${point.name}`,
        url: '/api/visits',
        body,
        files: answers.flatMap((a) =>
          a.photos.map((p) => ({ key: p.key, blob: p.blob, name: p.name })),
        ),
      });
      message.success(
        how === 'sent'
          ? t({ zh: '已提交', en: 'Submitted' })
          : t({
              zh: '已保存在本机，联网后自动同步',
              en: 'Saved on this phone; it syncs when online',
            }),
      );
      props.onDone();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }} data-testid="visit-form">
      <OfflineQueueBar />
      <Button type="link" icon={<LeftOutlined />} onClick={props.onDone} style={{ padding: 0 }}>
        {t({ zh: '返回点位列表', en: 'Back to points' })}
      </Button>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {point.name}
        </Typography.Title>
        <Space size={4} wrap style={{ marginTop: 4 }}>
          <Tag>{point.typeName}</Tag>
          {point.unitName && <Tag color="geekblue">{point.unitName}</Tag>}
        </Space>
        {point.route && (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {t({ zh: '观察路线：', en: 'Route: ' })}
            {point.route}
          </Typography.Paragraph>
        )}
        <div style={{ marginTop: 6 }} data-testid="visit-gps">
          {fix ? (
            <Space size={4} wrap>
              <EnvironmentOutlined />
              <span>
                {fix.lat.toFixed(5)}, {fix.lng.toFixed(5)} ±{Math.round(fix.accuracy)} m
              </span>
              {d !== null && (
                <Tag color={d > FAR_FROM_POINT_M ? 'red' : 'green'} data-testid="visit-distance">
                  {d > FAR_FROM_POINT_M
                    ? t({ zh: `距点位 ${metres(d)}，偏远`, en: `${metres(d)} from the point: far` })
                    : t({ zh: `距点位 ${metres(d)}`, en: `${metres(d)} from the point` })}
                </Tag>
              )}
            </Space>
          ) : (
            <Typography.Text type="warning">
              {props.gpsError
                ? t({ zh: '无法获取定位', en: 'No GPS position' })
                : t({ zh: '正在定位…', en: 'Locating…' })}
            </Typography.Text>
          )}
        </div>
      </Card>
      {point.checklist.map((item, i) => {
        const a = answers[i]!;
        return (
          <Card
            key={i}
            size="small"
            style={{
              marginBottom: 8,
              borderColor: a.result === 'fail' ? '#ff7875' : undefined,
            }}
            data-testid={`check-item-${i}`}
          >
            <Typography.Text strong>
              {i + 1}. {item.text}
            </Typography.Text>
            {item.serious && (
              <Tag color="red" style={{ marginLeft: 6 }}>
                {t({ zh: '严重项', en: 'Serious' })}
              </Tag>
            )}
            {item.guidance && (
              <Typography.Paragraph
                type="secondary"
                style={{ margin: '2px 0 0', fontSize: 12 }}
                data-testid={`check-${i}-guidance`}
              >
                {t({ zh: '口径：', en: 'How to judge: ' })}
                {item.guidance}
              </Typography.Paragraph>
            )}
            {item.countRule && (
              <Typography.Paragraph
                style={{ margin: '2px 0 0', fontSize: 12, color: '#722ed1' }}
                data-testid={`check-${i}-count-rule`}
              >
                {t({ zh: '计数规则：', en: 'Counting rule: ' })}
                {item.countRule}
              </Typography.Paragraph>
            )}
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              value={a.result}
              onChange={(e) => set(i, { result: e.target.value as TItemResult })}
              style={{ display: 'flex', marginTop: 8 }}
              options={(['pass', 'fail', 'na'] as const).map((r) => ({
                value: r,
                label: (
                  <span data-testid={`check-${i}-${r}`} style={{ display: 'block' }}>
                    {t(RESULT_LABELS[r])}
                  </span>
                ),
                style: {
                  flex: 1,
                  textAlign: 'center',
                  height: 40,
                  lineHeight: '38px',
                  ...(a.result === r
                    ? {
                        background: RESULT_COLOURS[r],
                        borderColor: RESULT_COLOURS[r],
                        color: '#fff',
                      }
                    : {}),
                },
              }))}
            />
            {counts(item) && (
              <InputNumber
                min={0}
                value={a.count}
                onChange={(v) => set(i, { count: v })}
                placeholder={t({ zh: '实际计数', en: 'Count seen' })}
                style={{ width: '100%', marginTop: 8 }}
              />
            )}
            {a.result === 'fail' && (
              <Input.TextArea
                rows={2}
                maxLength={500}
                value={a.note}
                onChange={(e) => set(i, { note: e.target.value })}
                placeholder={t({ zh: '问题描述（位置、情况）', en: 'What and where' })}
                style={{ marginTop: 8 }}
                data-testid={`check-${i}-note`}
              />
            )}
            <Space wrap style={{ marginTop: 8 }}>
              {a.photos.map((p) => (
                <div key={p.key} style={{ position: 'relative' }}>
                  <img
                    src={p.url}
                    alt=""
                    style={{ width: 64, height: 64, objectFit: 'cover', borderRadius: 4 }}
                  />
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t({ zh: '删除照片', en: 'Remove photo' })}
                    style={{ position: 'absolute', top: 0, right: 0, background: '#fffc' }}
                    onClick={() => set(i, { photos: a.photos.filter((x) => x.key !== p.key) })}
                  />
                </div>
              ))}
              {a.photos.length < 6 && (
                <label
                  style={{
                    display: 'inline-flex',
                    alignItems: 'center',
                    gap: 4,
                    padding: '8px 12px',
                    border: '1px dashed #bbb',
                    borderRadius: 6,
                    cursor: 'pointer',
                  }}
                >
                  <CameraOutlined />
                  {t({ zh: '拍照', en: 'Photo' })}
                  <input
                    type="file"
                    accept="image/*"
                    capture="environment"
                    style={{ display: 'none' }}
                    data-testid={`check-${i}-photo`}
                    onChange={(e) => {
                      const f = e.target.files?.[0];
                      e.target.value = '';
                      if (!f) return;
                      const key = crypto.randomUUID();
                      set(i, {
                        photos: [
                          ...a.photos,
                          { key, blob: f, name: f.name, url: URL.createObjectURL(f) },
                        ],
                      });
                    }}
                  />
                </label>
              )}
            </Space>
          </Card>
        );
      })}
      <Card size="small" title={t({ zh: '整体评价', en: 'Overall rating' })}>
        {(Object.keys(RATING_LABELS) as (keyof TRatings)[]).map((k) => (
          <div key={k} style={{ display: 'flex', alignItems: 'center', gap: 8, minHeight: 36 }}>
            <span style={{ width: 80 }}>{t(RATING_LABELS[k])}</span>
            <Rate value={ratings[k] ?? 0} onChange={(v) => setRatings((r) => ({ ...r, [k]: v }))} />
          </div>
        ))}
        <Input.TextArea
          rows={2}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t({ zh: '备注', en: 'Note' })}
          style={{ marginTop: 8 }}
        />
      </Card>
      <Button
        type="primary"
        size="large"
        block
        loading={busy}
        onClick={() => void submit()}
        style={{ marginTop: 12, marginBottom: 24, height: 48 }}
        data-testid="visit-submit"
      >
        {t({ zh: '提交检查结果', en: 'Submit the visit' })}
      </Button>
    </div>
  );
}
