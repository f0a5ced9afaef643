import { EnvironmentOutlined, LeftOutlined } from '@ant-design/icons';
import { App, Button, Card, Input, Rate, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type {
  TAddedPoint,
  TAssignedPoint,
  TMyRound,
  TRatings,
  TVisitSubmit,
} from '../../../core/contracts/inspections.js';
import { distanceM } from '../../../core/geo/coords.js';
import { visitAnswersProblem } from '../../../core/inspection/answer-check.js';
import { FAR_FROM_POINT_M } from '../../../core/inspection/score.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, type L } from '../../shared/i18n.js';
import { OfflineQueueBar } from '../../shared/OfflineQueueBar.js';
import { offlineQueue, submitOrQueue } from '../../shared/offline-queue.js';
import { ItemCard, type Answer, type CachedItem } from './InspectItemCard.js';

export interface Fix {
  lat: number;
  lng: number;
  accuracy: number;
  at: string;
}

export const metres = (m: number) =>
  m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${Math.round(m)} m`;

export function distanceTo(
  p: { lat: number | null; lng: number | null },
  fix: Fix | null,
): number | null {
  return fix && p.lat !== null && p.lng !== null ? distanceM(fix.lat, fix.lng, p.lat, p.lng) : null;
}

export const RATING_LABELS: Record<keyof TRatings, L> = {
  environment: { zh: '环境卫生', en: 'Cleanliness' },
  civility: { zh: '市民素质', en: 'Civility' },
  facilities: { zh: '公共设施', en: 'Facilities' },
  atmosphere: { zh: '氛围营造', en: 'Atmosphere' },
};

/** Where the visit is: a drawn point, or a place being added (随机查看). */
export type VisitTarget =
  | { kind: 'drawn'; point: TAssignedPoint }
  | {
      kind: 'added';
      place: TAddedPoint;
      typeName: string;
      route: string | null;
      checklist: CachedItem[];
    };

/**
 * One visit on the phone: the checklist item by item (counts, notes, photos — a severe failure
 * asks for its photo before saving), GPS and time, the overall rating. Submitted through the
 * offline queue, the same client id making a retry harmless; an added place (随机查看) travels in
 * the same submission.
 */
export function VisitForm(props: {
  round: TMyRound;
  target: VisitTarget;
  fix: Fix | null;
  gpsError: string | null;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { round, target, fix } = props;
  const checklist: CachedItem[] =
    target.kind === 'drawn' ? target.point.checklist : target.checklist;
  const title = target.kind === 'drawn' ? target.point.name : target.place.name;
  const typeName = target.kind === 'drawn' ? target.point.typeName : target.typeName;
  const route = target.kind === 'drawn' ? target.point.route : target.route;
  const [answers, setAnswers] = useState<Answer[]>(() =>
    checklist.map(() => ({
      result: null,
      note: '',
      count: null,
      total: null,
      severe: false,
      photos: [],
    })),
  );
  const [ratings, setRatings] = useState<Partial<TRatings>>({});
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [startedAt] = useState(() => new Date().toISOString());
  const d = target.kind === 'drawn' ? distanceTo(target.point, fix) : null;
  const set = (i: number, patch: Partial<Answer>) =>
    setAnswers((a) => a.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const missing = answers.findIndex((a) => a.result === null);

  const submit = async () => {
    if (missing >= 0) {
      message.warning(
        t({ zh: `第 ${missing + 1} 项尚未填写`, en: `Item ${missing + 1} has no answer` }),
      );
      document.querySelector(`[data-testid=check-item-${missing}]`)?.scrollIntoView();
      return;
    }
    const items = answers.map((a, index) => ({
      index,
      result: a.result!,
      note: a.note.trim() || null,
      count: a.count,
      ...(a.total !== null ? { total: a.total } : {}),
      ...(a.severe && a.result === 'fail' ? { severe: true } : {}),
      photoIds: a.photos.map((p) => `$file:${p.key}`),
    }));
    // The server's own rules (core/inspection/answer-check.ts): the count, a severe failure's photo.
    const wrong = visitAnswersProblem(checklist, items);
    if (wrong) {
      message.error(t(wrong));
      const at = /(\d+)/.exec(wrong.en);
      if (at)
        document.querySelector(`[data-testid=check-item-${Number(at[1]) - 1}]`)?.scrollIntoView();
      return;
    }
    const allRated = (Object.keys(RATING_LABELS) as (keyof TRatings)[]).every((k) => ratings[k]);
    const body: TVisitSubmit = {
      clientId: crypto.randomUUID(),
      roundId: round.id,
      ...(target.kind === 'drawn' ? { pointId: target.point.id } : { addedPoint: target.place }),
      items,
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
        label:
          target.kind === 'drawn'
            ? `${t({ zh: '点位检查', en: 'Visit' })}：${title}`
            : `${t({ zh: '随机增加', en: 'Added place' })}：${title}`,
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
          {title}
        </Typography.Title>
        <Space size={4} wrap style={{ marginTop: 4 }}>
          <Tag>{typeName}</Tag>
          {target.kind === 'added' && (
            <Tag color="purple">{t({ zh: '随机增加', en: 'Added on the spot' })}</Tag>
          )}
          {target.kind === 'drawn' && target.point.unitName && (
            <Tag color="geekblue">{target.point.unitName}</Tag>
          )}
        </Space>
        {target.kind === 'added' && target.place.address && (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {target.place.address}
          </Typography.Paragraph>
        )}
        {route && (
          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
            {t({ zh: '观察路线：', en: 'Route: ' })}
            {route}
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
      {checklist.map((item, i) => (
        <ItemCard
          key={i}
          index={i}
          item={item}
          answer={answers[i]!}
          set={(patch) => set(i, patch)}
        />
      ))}
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
