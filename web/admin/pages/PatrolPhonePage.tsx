import { AimOutlined, CameraOutlined, StopOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Drawer,
  Input,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TGrid } from '../../../core/contracts/grids.js';
import { trackLengthM } from '../../../core/geo/coverage.js';
import { get } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { GridMap } from '../../shared/grid-map.js';
import { formatTime, useI18n } from '../../shared/i18n.js';
import { OfflineQueueBar } from '../../shared/OfflineQueueBar.js';
import { offlineQueue, submitOrQueue } from '../../shared/offline-queue.js';
import { useCategories } from '../../shared/use-categories.js';

// The grid worker's phone screen (巡查): start, walk (GPS samples batched into the offline queue),
// report what is found in two taps, end. Everything goes through the offline queue with client
// ids, in order, so a patrol walked without a network arrives whole when the phone is back online.

interface Sample {
  seq: number;
  at: string;
  lat: number;
  lng: number;
  accuracyM: number | null;
}
interface Walk {
  clientId: string;
  gridId: number;
  gridName: string;
  startedAt: string;
  nextSeq: number;
  pending: Sample[];
  path: { lat: number; lng: number }[];
  reported: number;
}

const WALK_KEY = 'cc-patrol-walk';
const GRIDS_KEY = 'cc-patrol-grids';
/** Samples per queued batch: small enough that little is lost if the phone dies. */
const BATCH = 5;

const loadWalk = (): Walk | null => {
  try {
    return JSON.parse(localStorage.getItem(WALK_KEY) ?? 'null') as Walk | null;
  } catch {
    return null;
  }
};

export function PatrolPhonePage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const queue = offlineQueue();
  const categories = useCategories();
  const [grids, setGrids] = useState<TGrid[]>(() => {
    try {
      return JSON.parse(localStorage.getItem(GRIDS_KEY) ?? '[]') as TGrid[];
    } catch {
      return [];
    }
  });
  const [gridId, setGridId] = useState<number | undefined>();
  const [walk, setWalkState] = useState<Walk | null>(loadWalk);
  const walkRef = useRef<Walk | null>(walk);
  const [ended, setEnded] = useState<{ gridName: string; distanceM: number } | null>(null);
  const [sheet, setSheet] = useState(false);
  const [now, setNow] = useState(Date.now());

  const setWalk = useCallback((w: Walk | null) => {
    walkRef.current = w;
    setWalkState(w);
    if (w) localStorage.setItem(WALK_KEY, JSON.stringify(w));
    else localStorage.removeItem(WALK_KEY);
  }, []);

  useEffect(() => {
    get<{ items: TGrid[] }>('/api/grids')
      .then((r) => {
        setGrids(r.items);
        localStorage.setItem(GRIDS_KEY, JSON.stringify(r.items));
      })
      .catch(() => undefined); // offline: the cached list
  }, []);
  useEffect(() => {
    if (gridId === undefined && grids.length) setGridId(grids[0]!.id);
  }, [grids, gridId]);

  /** Queues the samples not yet queued, as one batch. */
  const flushSamples = useCallback(async () => {
    const w = walkRef.current;
    if (!w || !w.pending.length) return;
    const points = w.pending;
    setWalk({ ...w, pending: [] });
    await submitOrQueue(queue, {
      clientId: crypto.randomUUID(),
      label: t({ zh: `巡查轨迹 ${points.length} 点`, en: `Track, ${points.length} samples` }),
      url: `/api/patrols/${w.clientId}/points`,
      body: { clientId: crypto.randomUUID(), points },
    }).catch((err: unknown) => message.error(errorText(err, lang)));
  }, [queue, setWalk, t, message, lang]);

  const onPosition = useCallback(
    (pos: GeolocationPosition) => {
      const w = walkRef.current;
      if (!w) return;
      const { latitude: lat, longitude: lng, accuracy } = pos.coords;
      const last = w.path[w.path.length - 1];
      if (last && last.lat === lat && last.lng === lng) return;
      const sample: Sample = {
        seq: w.nextSeq,
        at: new Date(pos.timestamp || Date.now()).toISOString(),
        lat,
        lng,
        accuracyM: Number.isFinite(accuracy) ? accuracy : null,
      };
      const next = {
        ...w,
        nextSeq: w.nextSeq + 1,
        pending: [...w.pending, sample],
        path: [...w.path, { lat, lng }],
      };
      setWalk(next);
      if (next.pending.length >= BATCH) void flushSamples();
    },
    [setWalk, flushSamples],
  );

  // While walking: follow the GPS, and poll it too (some phones report only on movement).
  useEffect(() => {
    if (!walk || !('geolocation' in navigator)) return;
    const opts = { enableHighAccuracy: true, maximumAge: 0, timeout: 10_000 };
    const watch = navigator.geolocation.watchPosition(onPosition, () => undefined, opts);
    const poll = window.setInterval(() => {
      navigator.geolocation.getCurrentPosition(onPosition, () => undefined, opts);
      setNow(Date.now());
    }, 3000);
    return () => {
      navigator.geolocation.clearWatch(watch);
      window.clearInterval(poll);
    };
    // The walk's identity, not each sample, decides whether to watch.
  }, [walk?.clientId, onPosition]);

  async function start() {
    const grid = grids.find((g) => g.id === gridId);
    if (!grid) return;
    const w: Walk = {
      clientId: crypto.randomUUID(),
      gridId: grid.id,
      gridName: grid.name,
      startedAt: new Date().toISOString(),
      nextSeq: 0,
      pending: [],
      path: [],
      reported: 0,
    };
    setEnded(null);
    setWalk(w);
    await submitOrQueue(queue, {
      clientId: w.clientId,
      label: t({ zh: `开始巡查：${grid.name}`, en: `Patrol started: ${grid.name}` }),
      url: '/api/patrols',
      body: { clientId: w.clientId, gridId: grid.id, startedAt: w.startedAt },
    }).catch((err: unknown) => {
      message.error(errorText(err, lang));
      setWalk(null);
    });
  }

  async function end() {
    const w = walkRef.current;
    if (!w) return;
    await flushSamples();
    await submitOrQueue(queue, {
      clientId: crypto.randomUUID(),
      label: t({ zh: `结束巡查：${w.gridName}`, en: `Patrol ended: ${w.gridName}` }),
      url: `/api/patrols/${w.clientId}/end`,
      body: { clientId: crypto.randomUUID(), endedAt: new Date().toISOString() },
    }).catch((err: unknown) => message.error(errorText(err, lang)));
    setEnded({ gridName: w.gridName, distanceM: trackLengthM(w.path) });
    setWalk(null);
  }

  const grid = grids.find((g) => g.id === (walk?.gridId ?? gridId));
  const minutes = walk ? Math.max(0, Math.floor((now - Date.parse(walk.startedAt)) / 60000)) : 0;
  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }} data-testid="patrol-phone">
      <OfflineQueueBar queue={queue} />
      {!walk ? (
        <Card>
          {ended && (
            <Result
              status="success"
              style={{ padding: 8 }}
              title={t({ zh: '巡查已结束', en: 'Patrol ended' })}
              subTitle={`${ended.gridName} · ${Math.round(ended.distanceM)} m`}
              data-testid="patrol-ended"
            />
          )}
          <Space direction="vertical" style={{ width: '100%' }} size="large">
            <Typography.Title level={4} style={{ margin: 0 }}>
              {t({ zh: '网格巡查', en: 'Grid patrol' })}
            </Typography.Title>
            {grids.length === 0 ? (
              <Alert
                type="warning"
                message={t({ zh: '您尚未被分配网格', en: 'You have no grid assigned' })}
              />
            ) : (
              <Select
                size="large"
                style={{ width: '100%' }}
                value={gridId}
                onChange={setGridId}
                options={grids.map((g) => ({ value: g.id, label: `${g.name}（${g.code}）` }))}
              />
            )}
            <Button
              type="primary"
              size="large"
              block
              icon={<AimOutlined />}
              disabled={!grid}
              onClick={() => void start()}
              style={{ height: 64, fontSize: 20 }}
              data-testid="patrol-start"
            >
              {t({ zh: '开始巡查', en: 'Start patrol' })}
            </Button>
          </Space>
        </Card>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Card size="small">
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Typography.Text strong>{walk.gridName}</Typography.Text>
              <Tag color="green">{t({ zh: '巡查中', en: 'Walking' })}</Tag>
            </Space>
            <Row gutter={8} style={{ marginTop: 8 }}>
              <Col span={6}>
                <Statistic
                  title={t({ zh: '用时', en: 'Time' })}
                  value={minutes}
                  suffix={t({ zh: '分', en: 'min' })}
                  valueStyle={{ fontSize: 20 }}
                />
              </Col>
              <Col span={6}>
                <Statistic
                  title={t({ zh: '里程', en: 'Distance' })}
                  value={Math.round(trackLengthM(walk.path))}
                  suffix="m"
                  valueStyle={{ fontSize: 20 }}
                />
              </Col>
              <Col span={6}>
                <Statistic
                  title={t({ zh: '轨迹点', en: 'Samples' })}
                  value={walk.nextSeq}
                  valueStyle={{ fontSize: 20 }}
                />
              </Col>
              <Col span={6}>
                <Statistic
                  title={t({ zh: '上报', en: 'Reported' })}
                  value={walk.reported}
                  valueStyle={{ fontSize: 20 }}
                />
              </Col>
            </Row>
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t({ zh: '开始于', en: 'Started' })} {formatTime(walk.startedAt)}
              </Typography.Text>
            </div>
          </Card>
          {grid && (
            <GridMap
              height={260}
              areas={[{ id: grid.id, geometry: grid.geometry, selected: true }]}
              tracks={walk.path.length > 1 ? [{ id: 'me', points: walk.path }] : []}
              pins={
                walk.path.length
                  ? [{ id: 'here', ...walk.path[walk.path.length - 1]!, color: '#1677ff' }]
                  : []
              }
            />
          )}
          <Button
            danger
            type="primary"
            size="large"
            block
            icon={<WarningOutlined />}
            style={{ height: 64, fontSize: 20 }}
            onClick={() => setSheet(true)}
            data-testid="patrol-report"
          >
            {t({ zh: '发现问题', en: 'Report a problem' })}
          </Button>
          <Button
            size="large"
            block
            icon={<StopOutlined />}
            style={{ height: 52 }}
            onClick={() => void end()}
            data-testid="patrol-end"
          >
            {t({ zh: '结束巡查', en: 'End patrol' })}
          </Button>
        </Space>
      )}
      <ReportSheet
        open={sheet}
        categories={categories}
        onClose={() => setSheet(false)}
        onSubmit={async (input) => {
          const w = walkRef.current;
          if (!w) return;
          // The track so far is queued before the problem, so it arrives first.
          await flushSamples();
          const here = w.path[w.path.length - 1] ?? null;
          const key = crypto.randomUUID();
          const clientId = crypto.randomUUID();
          const outcome = await submitOrQueue(queue, {
            clientId,
            label: t({ zh: `巡查问题：${input.title}`, en: `Patrol problem: ${input.title}` }),
            url: `/api/patrols/${w.clientId}/problems`,
            body: {
              clientId,
              title: input.title,
              description: input.description || null,
              categoryId: input.categoryId,
              lat: here?.lat ?? null,
              lng: here?.lng ?? null,
              photoIds: input.photo ? [`$file:${key}`] : [],
            },
            files: input.photo ? [{ key, blob: input.photo, name: input.photo.name }] : [],
          });
          setWalk({ ...walkRef.current!, reported: walkRef.current!.reported + 1 });
          setSheet(false);
          message.success(
            outcome === 'sent'
              ? t({ zh: '问题已上报', en: 'Problem reported' })
              : t({ zh: '已保存，联网后自动上报', en: 'Saved; it is sent when back online' }),
          );
        }}
      />
    </div>
  );
}

/** Two taps: a photo and a kind (the title defaults to the kind); a note is optional. */
function ReportSheet(props: {
  open: boolean;
  categories: { id: number; name: string; parentId: number | null }[];
  onClose: () => void;
  onSubmit: (v: {
    title: string;
    categoryId: number;
    description: string;
    photo: File | null;
  }) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [photo, setPhoto] = useState<File | null>(null);
  const [categoryId, setCategoryId] = useState<number | undefined>();
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const subs = props.categories.filter((c) => c.parentId !== null);
  useEffect(() => {
    if (props.open) {
      setPhoto(null);
      setCategoryId(undefined);
      setDescription('');
    }
  }, [props.open]);
  const cat = subs.find((c) => c.id === categoryId);
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      placement="bottom"
      size={520}
      title={t({ zh: '发现问题', en: 'Report a problem' })}
      data-testid="patrol-sheet"
    >
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <input
          ref={fileRef}
          type="file"
          accept="image/*"
          capture="environment"
          style={{ display: 'none' }}
          data-testid="patrol-photo-input"
          onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
        />
        <Button
          size="large"
          block
          icon={<CameraOutlined />}
          style={{ height: 56 }}
          onClick={() => fileRef.current?.click()}
        >
          {photo ? `✓ ${photo.name}` : t({ zh: '拍照', en: 'Take a photo' })}
        </Button>
        <Select
          size="large"
          showSearch
          optionFilterProp="label"
          style={{ width: '100%' }}
          placeholder={t({ zh: '问题类别', en: 'Kind of problem' })}
          value={categoryId}
          onChange={setCategoryId}
          options={subs.map((c) => ({ value: c.id, label: c.name }))}
          data-testid="patrol-category"
        />
        <Input.TextArea
          rows={2}
          placeholder={t({ zh: '补充说明（可选）', en: 'Note (optional)' })}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <Button
          type="primary"
          size="large"
          block
          style={{ height: 56 }}
          disabled={!cat}
          loading={busy}
          data-testid="patrol-submit"
          onClick={() => {
            if (!cat) return;
            setBusy(true);
            props
              .onSubmit({
                title: cat.name.length >= 2 ? cat.name : `${cat.name}问题`,
                categoryId: cat.id,
                description,
                photo,
              })
              .catch((err: unknown) => message.error(errorText(err, lang)))
              .finally(() => setBusy(false));
          }}
        >
          {t({ zh: '上报', en: 'Submit' })}
        </Button>
      </Space>
    </Drawer>
  );
}
