import {
  Button,
  Card,
  Dialog,
  Input,
  List,
  NavBar,
  NoticeBar,
  Selector,
  Tag,
  TextArea,
  Toast,
} from 'antd-mobile';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { TServiceOrder } from '../../../core/contracts/service-orders.js';
import { distanceM } from '../../../core/geo/coords.js';
import {
  SERVICE_CATEGORY_LABELS,
  SERVICE_EVENT_LABELS,
  SERVICE_ORDER_STATE_LABELS,
} from '../../../core/service-orders/lifecycle.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { useAuth } from '../../admin/auth.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { offlineQueue, submitOrQueue, type QueuedItem } from '../../shared/offline-queue.js';
import { useOnline, useQueuedItems } from '../../shared/use-offline-queue.js';
import { readKept, useKept } from '../phone-store.js';
import { QueueBar } from '../QueueBar.js';
import { FormError, KeptNote, PhotoPicker, Sheet } from './flow-bits.js';
import { fixWithin, type Fix } from './position.js';
import './survey-checkin.css';

// 点单派单 on the phone. A volunteer (/service-orders): the orders dispatched to their team with a
// seat free, and those they took; one order (/service-orders/:id): 接单, checking in by GPS near
// the address, 服务完成 with a note and a photo. A grid worker (/service-request): an order for a
// resident. Every write goes through the offline queue; a step made offline carries the phone's
// time (`at`), which the server takes for the check-in and the completion — the volunteer's hours.

type Step = 'take' | 'release' | 'check-in' | 'done';

/** A queued step on an order (its id), or null: another flow's write. */
function stepOf(i: QueuedItem): { step: Step; id: number } | null {
  if (!i.params || i.state !== 'queued') return null;
  if (i.endpoint === 'POST /api/service-orders/:id/take') return { step: 'take', id: i.params.id };
  if (i.endpoint === 'POST /api/service-orders/:id/release')
    return { step: 'release', id: i.params.id };
  if (i.endpoint === 'POST /api/service-orders/:id/check-in')
    return { step: 'check-in', id: i.params.id };
  if (i.endpoint === 'POST /api/service-orders/:id/done') return { step: 'done', id: i.params.id };
  return null;
}

const waitingSteps = (items: QueuedItem[], id: number) =>
  new Set(items.flatMap((i) => (stepOf(i)?.id === id ? [stepOf(i)!.step] : [])));

const SENT_OR_KEPT = (sent: boolean, t: (l: L) => string) =>
  sent
    ? t(L.common.saved)
    : t({ zh: '已保存在手机上，联网后自动同步', en: 'Kept on the phone; synced once online' });

function Frame(props: { title: string; onBack: () => void; testId: string; children: ReactNode }) {
  return (
    <div className="m-flow" data-testid={props.testId}>
      <NavBar className="m-navbar" onBack={props.onBack}>
        {props.title}
      </NavBar>
      <QueueBar />
      <div className="m-pad">{props.children}</div>
    </div>
  );
}

/** 点单服务: the team's orders to take, and the volunteer's own. */
export function ServiceTasksFlow() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const items = useQueuedItems();
  const tasks = useKept('GET /api/service-orders/tasks', {}, { reload: items.length });
  const row = (o: TServiceOrder) => (
    <List.Item
      key={o.id}
      onClick={() => void navigate(`/service-orders/${o.id}`)}
      description={
        <>
          {o.placeName} · {o.address}
          {o.deadline ? ` · ${t(L.common.timeLimit)} ${formatTime(o.deadline)}` : ''}
        </>
      }
      extra={
        <Tag color={o.state === 'dispatched' ? 'warning' : 'primary'} fill="outline">
          {t(SERVICE_ORDER_STATE_LABELS[o.state])}
        </Tag>
      }
      data-testid={`svc-row-${o.id}`}
    >
      {o.itemName}
    </List.Item>
  );
  const data = tasks.data;
  return (
    <Frame
      title={t({ zh: '点单服务', en: 'Service orders' })}
      onBack={() => void navigate('/')}
      testId="m-service-tasks"
    >
      <KeptNote answer={tasks} />
      {data && (
        <>
          <Card
            className="m-card"
            title={t({ zh: '待接单', en: 'To take' })}
            extra={data.teamName ?? undefined}
          >
            {data.open.length ? (
              <List className="m-list">{data.open.map(row)}</List>
            ) : (
              <div className="m-empty">
                {t({ zh: '本队暂无待接的点单', en: 'Nothing to take' })}
              </div>
            )}
          </Card>
          <Card className="m-card" title={t({ zh: '我接的单', en: 'Taken by me' })}>
            {data.mine.length ? (
              <List className="m-list">{data.mine.map(row)}</List>
            ) : (
              <div className="m-empty">{t({ zh: '还没有接单', en: 'None yet' })}</div>
            )}
          </Card>
        </>
      )}
    </Frame>
  );
}

/** One order on the volunteer's phone: what and where, and the step open to them now. */
export function ServiceOrderFlow() {
  const { id = '' } = useParams();
  const orderId = Number(id);
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const { user } = useAuth();
  const online = useOnline();
  const items = useQueuedItems();
  const detail = useKept('GET /api/service-orders/:id', { params: { id: orderId } });
  const [fix, setFix] = useState<Fix | null | undefined>(undefined);
  const [busy, setBusy] = useState<Step | 'contact' | null>(null);
  const [finishing, setFinishing] = useState(false);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [contact, setContact] = useState<string | null>(null);
  // Opened offline before this order was ever opened: the task list's copy will do.
  const kept = user ? readKept(user.id, 'GET /api/service-orders/tasks', {})?.data : null;
  const o: TServiceOrder | null =
    detail.data ??
    [...(kept?.open ?? []), ...(kept?.mine ?? [])].find((x) => x.id === orderId) ??
    null;

  useEffect(() => {
    let live = true;
    void fixWithin(8000).then((f) => live && setFix(f));
    return () => {
      live = false;
    };
  }, [orderId]);

  // What the queue sent has reached the server: read the order again.
  const unsent = items.filter((i) => stepOf(i)?.id === orderId).length;
  const seen = useRef(unsent);
  const { reload } = detail;
  useEffect(() => {
    if (unsent < seen.current) reload();
    seen.current = unsent;
  }, [unsent, reload]);

  const back = () => void navigate('/service-orders');
  if (!o) {
    return (
      <Frame title={t({ zh: '点单', en: 'Order' })} onBack={back} testId="m-service-order">
        <KeptNote answer={detail} />
      </Frame>
    );
  }

  const waiting = waitingSteps(items, o.id);
  const can = (s: 'take' | 'release' | 'check_in' | 'finish') => o.actions.includes(s);
  const showTake = can('take') && !waiting.has('take');
  const showRelease = can('release') && !waiting.has('release') && !waiting.has('check-in');
  const showCheckIn =
    (can('check_in') || (waiting.has('take') && !can('finish'))) && !waiting.has('check-in');
  const showFinish = (can('finish') || waiting.has('check-in')) && !waiting.has('done');
  const away =
    fix && o.lat !== null && o.lng !== null ? distanceM(fix.lat, fix.lng, o.lat, o.lng) : null;

  async function write(
    step: Step,
    body: Record<string, unknown>,
    files: { key: string; blob: Blob; name: string }[] = [],
  ) {
    setBusy(step);
    setError(null);
    const clientId = crypto.randomUUID();
    const label = `${t(STEP_LABELS[step])}：${o!.itemName}`;
    const params = { id: o!.id };
    try {
      let outcome: 'sent' | 'queued';
      switch (step) {
        case 'take':
        case 'release':
          outcome = await submitOrQueue(offlineQueue(), {
            clientId,
            label,
            endpoint: `POST /api/service-orders/:id/${step}`,
            params,
            body: { clientId },
          });
          break;
        case 'check-in':
          outcome = await submitOrQueue(offlineQueue(), {
            clientId,
            label,
            endpoint: 'POST /api/service-orders/:id/check-in',
            params,
            body: { clientId, ...(body as { lat: number; lng: number; at: string }) },
          });
          break;
        case 'done':
          outcome = await submitOrQueue(offlineQueue(), {
            clientId,
            label,
            endpoint: 'POST /api/service-orders/:id/done',
            params,
            body: { clientId, ...(body as { note: string; at: string; photoIds: string[] }) },
            files,
          });
          break;
      }
      // At the top, small: the next step's button is where a centred toast would sit.
      Toast.show({ content: SENT_OR_KEPT(outcome === 'sent', t), position: 'top' });
      if (outcome === 'sent') detail.reload();
      return true;
    } catch (err) {
      setError(err);
      void Dialog.alert({
        title: t({ zh: `${STEP_LABELS[step].zh}未成功`, en: `${STEP_LABELS[step].en}: not done` }),
        content: <span data-testid="svc-refused">{errorText(err, lang)}</span>,
        confirmText: t({ zh: '知道了', en: 'OK' }),
      });
      return false;
    } finally {
      setBusy(null);
    }
  }

  async function checkIn() {
    setBusy('check-in');
    const f = await fixWithin(10_000, 15_000);
    setBusy(null);
    if (!f) {
      Toast.show({
        icon: 'fail',
        content: t({
          zh: '无法获取定位，请允许定位后重试',
          en: 'No position: allow the location and retry',
        }),
      });
      return;
    }
    setFix(f);
    await write('check-in', { lat: f.lat, lng: f.lng, at: new Date().toISOString() });
  }

  async function finish() {
    const key = crypto.randomUUID();
    const photo = photos[0];
    const ok = await write(
      'done',
      { note: note.trim(), at: new Date().toISOString(), photoIds: photo ? [`$file:${key}`] : [] },
      photo ? [{ key, blob: photo, name: photo.name || 'service.jpg' }] : [],
    );
    if (ok) {
      setFinishing(false);
      setNote('');
      setPhotos([]);
    }
  }

  async function showContact() {
    setBusy('contact');
    try {
      const c = await apiCall('POST /api/service-orders/:id/contact', { params: { id: o!.id } });
      setContact(`${c.contactName} ${c.contactPhone}`);
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorText(err, lang) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <Frame title={o.itemName} onBack={back} testId="m-service-order">
      <KeptNote answer={detail} />
      <Card className="m-card">
        <div className="m-checkin-head">
          <h2 className="m-checkin-title">{o.itemName}</h2>
          <Tag color="primary" fill="outline" data-testid="svc-order-state">
            {t(SERVICE_ORDER_STATE_LABELS[o.state])}
          </Tag>
        </div>
        <div className="m-sub">
          {o.placeName} · {t(SERVICE_CATEGORY_LABELS[o.category])}
        </div>
        <p className="m-intro">{o.need}</p>
        <div className="m-line">
          <EnvironmentOutline /> {o.address}
        </div>
        {o.preferredTime && (
          <div className="m-line">
            {t({ zh: '期望时间：', en: 'When: ' })}
            {o.preferredTime}
          </div>
        )}
        {o.deadline && (
          <div className="m-line">
            {t(L.common.timeLimit)} {formatTime(o.deadline)}
            {o.overdue && (
              <Tag color="danger" style={{ marginLeft: 6 }}>
                {t({ zh: '已超时', en: 'Overdue' })}
              </Tag>
            )}
          </div>
        )}
        <div className="m-line" data-testid="svc-contact">
          {contact ?? `${o.contactName} ${o.contactPhone}`}
          {!contact && (can('release') || can('check_in') || can('finish')) && online && (
            <Button
              size="mini"
              fill="outline"
              style={{ marginLeft: 8 }}
              loading={busy === 'contact'}
              onClick={() => void showContact()}
              data-testid="svc-show-contact"
            >
              {t({ zh: '查看电话', en: 'Show phone' })}
            </Button>
          )}
        </div>
        <div className="m-sub">
          {t({ zh: '接单', en: 'Seats' })} {o.takers.length}/{o.volunteersNeeded}
          {o.takers.length ? ` · ${o.takers.map((k) => k.name).join('、')}` : ''}
        </div>
        <div className="m-sub" data-testid="svc-distance">
          {o.lat === null
            ? t({ zh: '该单没有服务地点坐标', en: 'No position for this order' })
            : fix === undefined
              ? t({ zh: '定位中…', en: 'Locating…' })
              : away === null
                ? t(L.common.noGps)
                : t({
                    zh: `您距服务地址约 ${Math.round(away)} 米`,
                    en: `About ${Math.round(away)} m from the address`,
                  })}
        </div>
      </Card>

      {waiting.size > 0 && (
        <NoticeBar
          className="m-notice"
          color="alert"
          wrap
          content={t({ zh: '有操作待同步，联网后自动发送', en: 'Steps waiting to sync' })}
          data-testid="svc-waiting"
        />
      )}
      {showTake && (
        <Button
          block
          color="primary"
          size="large"
          className="m-big"
          loading={busy === 'take'}
          disabled={!!busy}
          onClick={() => void write('take', {})}
          data-testid="svc-take"
        >
          {t({ zh: '接单', en: 'Take this order' })}
        </Button>
      )}
      {showCheckIn && (
        <Button
          block
          color="primary"
          size="large"
          className="m-big"
          loading={busy === 'check-in'}
          disabled={!!busy || o.lat === null}
          onClick={() => void checkIn()}
          data-testid="svc-check-in"
        >
          <EnvironmentOutline /> {t({ zh: '到场签到', en: 'Check in on site' })}
        </Button>
      )}
      {showFinish && (
        <Button
          block
          color="success"
          size="large"
          className="m-big"
          disabled={!!busy}
          onClick={() => setFinishing(true)}
          data-testid="svc-finish"
        >
          {t({ zh: '服务完成', en: 'Mark done' })}
        </Button>
      )}
      {showRelease && (
        <Button
          block
          fill="none"
          disabled={!!busy}
          data-testid="svc-release"
          onClick={() =>
            void Dialog.confirm({
              content: t({ zh: '确定退出接单？', en: 'Give up this order?' }),
              confirmText: t({ zh: '退出接单', en: 'Give up' }),
              cancelText: t({ zh: '再想想', en: 'Keep it' }),
            }).then((yes) => yes && void write('release', {}))
          }
        >
          {t({ zh: '退出接单', en: 'Give up this order' })}
        </Button>
      )}
      {o.takers.some((k) => k.creditedMinutes > 0) && (
        <Card className="m-card">
          <div className="m-hours" data-testid="svc-hours">
            <span>{t(L.volunteers.serviceHours)}</span>
            <b>
              {o.takers
                .map(
                  (k) => `${k.name} ${minutesToHours(k.creditedMinutes)} ${t(L.common.hoursUnit)}`,
                )
                .join('，')}
            </b>
          </div>
        </Card>
      )}
      {o.doneNote && (
        <Card className="m-card" title={t({ zh: '服务情况', en: 'What was done' })}>
          {o.doneNote}
        </Card>
      )}
      {detail.data && (
        <Card className="m-card" title={t({ zh: '进度', en: 'Progress' })}>
          <List className="m-list">
            {detail.data.events.map((e, i) => (
              <List.Item key={i} description={formatTime(e.at)}>
                {t(SERVICE_EVENT_LABELS[e.action])}
                {e.by ? ` · ${e.by}` : ''}
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      <Sheet
        open={finishing}
        title={t({ zh: '服务完成', en: 'Mark done' })}
        onClose={() => setFinishing(false)}
        testId="svc-finish-sheet"
        foot={
          <Button
            block
            color="primary"
            size="large"
            loading={busy === 'done'}
            disabled={note.trim().length < 2 || !!busy}
            onClick={() => void finish()}
            data-testid="svc-finish-submit"
          >
            {t({ zh: '提交', en: 'Submit' })}
          </Button>
        }
      >
        <div className="m-field-label">{t({ zh: '服务情况', en: 'What was done' })}</div>
        <TextArea
          rows={3}
          maxLength={500}
          value={note}
          onChange={setNote}
          placeholder={t({
            zh: '如：已陪同老人复诊并送回家中',
            en: 'e.g. went with her to the clinic and home again',
          })}
          data-testid="svc-note"
        />
        <PhotoPicker value={photos} onChange={setPhotos} max={1} testId="svc-photo" />
        <FormError error={error} />
      </Sheet>
    </Frame>
  );
}

const STEP_LABELS: Record<Step, L> = {
  take: { zh: '接单', en: 'Take' },
  release: { zh: '退出接单', en: 'Give up' },
  'check-in': { zh: '到场签到', en: 'Check in' },
  done: { zh: '服务完成', en: 'Mark done' },
};

/**
 * 代居民点单: a grid worker books a station's service for a resident — the service, the need, the
 * address (the phone's position is attached when it gives one), the resident's contact. Through
 * the offline queue with a client id: sent twice, it is one order. Below, the orders they placed.
 */
export function ServiceRequestFlow() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const items = useQueuedItems();
  const menu = useKept('GET /api/service-items', {});
  const mine = useKept(
    'GET /api/service-orders',
    { query: { limit: 20 } },
    { reload: items.length },
  );
  const [placeId, setPlaceId] = useState<number | null>(null);
  const [itemId, setItemId] = useState<number | null>(null);
  const [need, setNeed] = useState('');
  const [when, setWhen] = useState('');
  const [address, setAddress] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const all = menu.data?.items ?? [];
  const places = [...new Map(all.map((i) => [i.placeId, i.placeName])).entries()];
  const offered = all.filter((i) => i.placeId === placeId);

  async function submit() {
    if (!itemId) return;
    setBusy(true);
    setError(null);
    try {
      const fix = await fixWithin(5000);
      const clientId = crypto.randomUUID();
      const item = all.find((i) => i.id === itemId)!;
      const outcome = await submitOrQueue(offlineQueue(), {
        clientId,
        label: t({ zh: `代居民点单：${item.name}`, en: `Order: ${item.name}` }),
        endpoint: 'POST /api/service-orders',
        body: {
          clientId,
          itemId,
          need: need.trim(),
          preferredTime: when.trim(),
          address: address.trim(),
          contactName: name.trim(),
          contactPhone: phone.trim(),
          ...(fix ? { lat: fix.lat, lng: fix.lng } : {}),
        },
      });
      // At the top, small: the next step's button is where a centred toast would sit.
      Toast.show({ content: SENT_OR_KEPT(outcome === 'sent', t), position: 'top' });
      setNeed('');
      setWhen('');
      setAddress('');
      setName('');
      setPhone('');
      setItemId(null);
      if (outcome === 'sent') mine.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Frame
      title={t({ zh: '代居民点单', en: 'Order for a resident' })}
      onBack={() => void navigate('/')}
      testId="m-service-request"
    >
      <KeptNote answer={menu} />
      <Card className="m-card">
        <div className="m-field-label">{t({ zh: '服务站点', en: 'Station' })}</div>
        <Selector
          columns={1}
          options={places.map(([id, n]) => ({ value: id, label: n }))}
          value={placeId === null ? [] : [placeId]}
          onChange={(v) => {
            setPlaceId(v[0] ?? null);
            setItemId(null);
          }}
          data-testid="svc-req-place"
        />
        {placeId !== null && (
          <>
            <div className="m-field-label">{t({ zh: '服务项目', en: 'Service' })}</div>
            <Selector
              columns={2}
              options={offered.map((i) => ({
                value: i.id,
                label: i.name,
                description: t(SERVICE_CATEGORY_LABELS[i.category]),
              }))}
              value={itemId === null ? [] : [itemId]}
              onChange={(v) => setItemId(v[0] ?? null)}
              data-testid="svc-req-item"
            />
          </>
        )}
        <div className="m-field-label">{t({ zh: '需求描述', en: 'What they need' })}</div>
        <TextArea
          rows={3}
          maxLength={500}
          value={need}
          onChange={setNeed}
          data-testid="svc-req-need"
        />
        <div className="m-field-label">{t({ zh: '期望时间（可选）', en: 'When (optional)' })}</div>
        <Input maxLength={100} value={when} onChange={setWhen} data-testid="svc-req-time" />
        <div className="m-field-label">{t({ zh: '服务地址', en: 'Address' })}</div>
        <Input
          maxLength={200}
          value={address}
          onChange={setAddress}
          data-testid="svc-req-address"
        />
        <div className="m-field-label">{t({ zh: '居民姓名', en: 'Resident’s name' })}</div>
        <Input maxLength={40} value={name} onChange={setName} data-testid="svc-req-name" />
        <div className="m-field-label">{t({ zh: '居民电话', en: 'Resident’s phone' })}</div>
        <Input type="tel" value={phone} onChange={setPhone} data-testid="svc-req-phone" />
        <div className="m-gps">
          {t({
            zh: '提交时附上手机定位（如可用）',
            en: 'The phone’s position is attached if available',
          })}
        </div>
        <FormError error={error} />
        <Button
          block
          color="primary"
          size="large"
          loading={busy}
          disabled={
            !itemId || need.trim().length < 5 || !address.trim() || !name.trim() || !phone.trim()
          }
          onClick={() => void submit()}
          data-testid="svc-req-submit"
        >
          {t({ zh: '提交点单', en: 'Send the order' })}
        </Button>
      </Card>
      <Card className="m-card" title={t({ zh: '我代点的单', en: 'Orders I placed' })}>
        <KeptNote answer={mine} />
        {(mine.data?.items ?? []).length ? (
          <List className="m-list">
            {mine.data!.items.map((o) => (
              <List.Item
                key={o.id}
                description={`${o.placeName} · ${o.contactName} · ${formatTime(o.orderedAt)}`}
                extra={<Tag fill="outline">{t(SERVICE_ORDER_STATE_LABELS[o.state])}</Tag>}
                data-testid={`svc-mine-${o.id}`}
              >
                {o.itemName}
              </List.Item>
            ))}
          </List>
        ) : (
          <div className="m-empty">{t({ zh: '暂无', en: 'None yet' })}</div>
        )}
      </Card>
    </Frame>
  );
}
