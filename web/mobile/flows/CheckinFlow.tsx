import {
  Button,
  Card,
  Dialog,
  ErrorBlock,
  Input,
  List,
  NavBar,
  NoticeBar,
  Result,
  Tag,
  Toast,
} from 'antd-mobile';
import { EnvironmentOutline, ScanCodeOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import type { TActivity } from '../../../core/contracts/volunteers.js';
import { distanceM } from '../../../core/geo/coords.js';
import {
  countableInterval,
  DEFAULT_HOUR_RULES,
  minutesToHours,
} from '../../../core/volunteers/hours.js';
import { useAuth } from '../../admin/auth.js';
import { ApiError, type ApiArgs, type ApiBody } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { offlineQueue, submitOrQueue, type QueuedItem } from '../../shared/offline-queue.js';
import { useOnline, useQueuedItems } from '../../shared/use-offline-queue.js';
import { readKept, useKept } from '../phone-store.js';
import { QueueBar } from '../QueueBar.js';
import { fixWithin, type Fix } from './position.js';
import './survey-checkin.css';

// 志愿服务 on the phone: the activities a volunteer may join (/activities) and one activity's
// sign-up, check-in and check-out (/checkin/:id, also what the organiser's QR code opens, with its
// token as ?t=). What was last loaded online is kept on the phone, and every write goes through the
// offline queue — a check-in made offline carries the time it was made (`at`), which the server
// takes for the check-in window, the QR code and the hours.

/** From yesterday to a month ahead (what the task list shows too), fixed when the flow opens. */
function useListArgs(): ApiArgs<'GET /api/volunteer-activities'> {
  const [args] = useState(() => {
    const now = Date.now();
    return {
      query: {
        from: new Date(now - 86_400_000).toISOString(),
        to: new Date(now + 30 * 86_400_000).toISOString(),
      },
    };
  });
  return args;
}

type Step = 'sign-up' | 'cancel-sign-up' | 'check-in' | 'check-out';

/** How a check-in or check-out proves presence: the check-in endpoint's body, less its client id. */
type Presence =
  ApiBody<'POST /api/volunteer-activities/:id/check-in'> extends infer B
    ? B extends unknown
      ? Omit<B, 'clientId'>
      : never
    : never;

/** A queued write's step on an activity (its id; a check-in's time), or null: another flow's. */
function stepOf(i: QueuedItem): { step: Step; id: number; at: string | null } | null {
  if (!i.params) return null;
  if (i.endpoint === 'POST /api/volunteer-activities/:id/sign-up')
    return { step: 'sign-up', id: i.params.id, at: null };
  if (i.endpoint === 'POST /api/volunteer-activities/:id/cancel-sign-up')
    return { step: 'cancel-sign-up', id: i.params.id, at: null };
  if (i.endpoint === 'POST /api/volunteer-activities/:id/check-in')
    return { step: 'check-in', id: i.params.id, at: i.body?.at ?? null };
  if (i.endpoint === 'POST /api/volunteer-activities/:id/check-out')
    return { step: 'check-out', id: i.params.id, at: i.body?.at ?? null };
  return null;
}

/** The activity's writes still waiting in the queue, the latest of each kind. */
function waiting(items: QueuedItem[], id: number) {
  const mine = items.flatMap((i) => {
    const s = i.state === 'queued' ? stepOf(i) : null;
    return s?.id === id ? [{ ...s, createdAt: i.createdAt }] : [];
  });
  const last = (...steps: Step[]) => mine.filter((i) => steps.includes(i.step)).at(-1);
  const signUp = last('sign-up', 'cancel-sign-up');
  const at = (i: (typeof mine)[number] | undefined) => (i ? (i.at ?? i.createdAt) : null);
  return {
    any: mine.length > 0,
    signUp: signUp ? signUp.step === 'sign-up' : null,
    checkInAt: at(last('check-in')),
    checkOutAt: at(last('check-out')),
  };
}

/** One of the volunteer's steps on an activity, through the queue (sent now when online). */
function queueStep(
  what: Step,
  id: number,
  label: string,
  presence: Presence | null,
): Promise<'sent' | 'queued'> {
  const clientId = crypto.randomUUID();
  const queue = offlineQueue();
  const params = { id };
  switch (what) {
    case 'sign-up':
      return submitOrQueue(queue, {
        clientId,
        label,
        endpoint: 'POST /api/volunteer-activities/:id/sign-up',
        params,
      });
    case 'cancel-sign-up':
      return submitOrQueue(queue, {
        clientId,
        label,
        endpoint: 'POST /api/volunteer-activities/:id/cancel-sign-up',
        params,
      });
    case 'check-in':
    case 'check-out':
      if (!presence) throw new Error(`${what} needs a proof of presence`);
      return submitOrQueue(queue, {
        clientId,
        label,
        endpoint: `POST /api/volunteer-activities/:id/${what}`,
        params,
        body: { clientId, ...presence },
      });
  }
}

/** The volunteer's own state: the server's, with what waits in the queue on top. */
function stateOf(a: TActivity, items: QueuedItem[]) {
  const w = waiting(items, a.id);
  const mine = a.mine;
  return {
    volunteer: mine !== null,
    signedUp: w.signUp ?? mine?.signedUp ?? false,
    checkInAt: mine?.checkInAt ?? w.checkInAt,
    checkOutAt: mine?.checkOutAt ?? w.checkOutAt,
    /** The check-in or check-out shown has not reached the server yet. */
    unsynced: w.any,
  };
}

/** The activity as the server has it after one of the volunteer's writes was accepted. */
function accepted(a: TActivity, what: Step, at = new Date().toISOString()): TActivity {
  const mine = a.mine ?? { signedUp: false, checkInAt: null, checkOutAt: null };
  switch (what) {
    case 'sign-up':
      return mine.signedUp
        ? a
        : { ...a, signedUp: a.signedUp + 1, mine: { ...mine, signedUp: true } };
    case 'cancel-sign-up':
      return mine.signedUp
        ? { ...a, signedUp: a.signedUp - 1, mine: { ...mine, signedUp: false } }
        : a;
    case 'check-in':
      return { ...a, mine: { ...mine, checkInAt: mine.checkInAt ?? at } };
    case 'check-out':
      return { ...a, mine: { ...mine, checkOutAt: mine.checkOutAt ?? at } };
  }
}

type Phase = 'upcoming' | 'open' | 'over';
function phaseOf(a: TActivity, now = Date.now()): Phase {
  if (now < Date.parse(a.startsAt)) return 'upcoming';
  return now > Date.parse(a.endsAt) ? 'over' : 'open';
}
const PHASE_LABELS: Record<Phase, L> = {
  upcoming: { zh: '未开始', en: 'Not begun' },
  open: { zh: '进行中', en: 'Under way' },
  over: L.common.ended,
};

const hoursText = (minutes: number, t: (l: L) => string) =>
  `${minutesToHours(minutes)} ${t(L.common.hoursUnit)}`;

function Tags({ a, items }: { a: TActivity; items: QueuedItem[] }) {
  const { t } = useI18n();
  const s = stateOf(a, items);
  const tags: ReactNode[] = [];
  if (a.status === 'cancelled') tags.push(<Tag key="c">{t(L.common.cancelled)}</Tag>);
  else if (s.checkOutAt)
    tags.push(
      <Tag key="o" color="success">
        {t({ zh: '已签退', en: 'Checked out' })}
      </Tag>,
    );
  else if (s.checkInAt)
    tags.push(
      <Tag key="i" color="success">
        {t(L.volunteers.checkedIn)}
      </Tag>,
    );
  else if (s.signedUp)
    tags.push(
      <Tag key="s" color="primary" fill="outline">
        {t(L.volunteers.signedUp)}
      </Tag>,
    );
  else if (a.signedUp >= a.capacity)
    tags.push(
      <Tag key="f" color="warning" fill="outline">
        {t({ zh: '名额已满', en: 'Full' })}
      </Tag>,
    );
  if (s.unsynced)
    tags.push(
      <Tag key="u" color="warning">
        {t(L.common.toSync)}
      </Tag>,
    );
  return <span className="m-tags">{tags}</span>;
}

/** When the phone is offline and shows what it kept: since when. */
function Kept({ at }: { at: string | null }) {
  const { t } = useI18n();
  const online = useOnline();
  if (online || !at) return null;
  return (
    <div className="m-muted m-cached" data-testid="checkin-cached">
      {t({ zh: '离线，显示的是 ', en: 'Offline: as of ' })}
      {formatTime(at)}
      {t({ zh: ' 保存的信息', en: '' })}
    </div>
  );
}

/** 志愿活动: the activities of the coming month, the volunteer's own first, and their hours. */
export function ActivitiesFlow() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const items = useQueuedItems();
  // Kept as the last list, whatever its window: it opens offline on another day too.
  const list = useKept('GET /api/volunteer-activities', useListArgs(), { keepAs: {} });
  const ledger = useKept('GET /api/volunteers/me/ledger', {});
  const all = [...(list.data ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const mine = all.filter((a) => stateOf(a, items).signedUp);
  const others = all.filter((a) => !stateOf(a, items).signedUp && a.status === 'published');
  const row = (a: TActivity) => (
    <List.Item
      key={a.id}
      data-testid={`activity-${a.id}`}
      onClick={() => void navigate(`/checkin/${a.id}`)}
      description={
        <>
          {formatTime(a.startsAt)} — {formatTime(a.endsAt).slice(11)} ·{' '}
          {a.placeName ?? a.address ?? ''}
          <br />
          {t(L.volunteers.seats)} {a.signedUp}/{a.capacity}
          {a.organiserTeamName || a.organiserUnitName
            ? ` · ${a.organiserTeamName ?? a.organiserUnitName}`
            : ''}
        </>
      }
      extra={<Tags a={a} items={items} />}
    >
      {a.title}
    </List.Item>
  );
  return (
    <div className="m-flow" data-testid="m-activities">
      <NavBar className="m-navbar" onBack={() => void navigate('/')}>
        {t(L.volunteers.activity)}
      </NavBar>
      <QueueBar />
      <div className="m-pad">
        <Kept at={list.at} />
        {ledger.data && (
          <Card className="m-card">
            <div className="m-hours" data-testid="my-hours">
              <span>{t({ zh: '我的累计服务时长', en: 'My service hours' })}</span>
              <b>{hoursText(ledger.data.totalMinutes, t)}</b>
            </div>
          </Card>
        )}
        {list.data === null ? (
          !list.loading && (
            <ErrorBlock
              status="disconnected"
              title={
                list.error instanceof ApiError
                  ? errorText(list.error, 'zh')
                  : t({ zh: '离线，暂无保存的活动', en: 'Offline, no activities kept yet' })
              }
              description=""
            />
          )
        ) : (
          <>
            <Card className="m-card" title={t({ zh: '我报名的活动', en: 'Signed up for' })}>
              {mine.length ? (
                <List className="m-list">{mine.map(row)}</List>
              ) : (
                <div className="m-empty">
                  {t({ zh: '近期没有报名的活动', en: 'No activities signed up for' })}
                </div>
              )}
            </Card>
            <Card className="m-card" title={t({ zh: '可报名的活动', en: 'Open for sign-up' })}>
              {others.length ? (
                <List className="m-list">{others.map(row)}</List>
              ) : (
                <div className="m-empty">{t({ zh: '近期没有活动', en: 'Nothing coming up' })}</div>
              )}
            </Card>
          </>
        )}
      </div>
    </div>
  );
}

/**
 * One activity on the volunteer's phone: what and where, signing up, checking in and out — by
 * the QR code's token (?t=), the six digits shown on site, or the phone's position — and the
 * hours it brought.
 */
export function CheckinFlow() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const token = params.get('t');
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  // Opened from the list or the task list: back there; opened by a QR code: the task list.
  const back = () => void (location.key === 'default' ? navigate('/') : navigate(-1));
  const items = useQueuedItems();
  const { user } = useAuth();
  const detail = useKept('GET /api/volunteer-activities/:id', { params: { id: Number(id) } });
  const ledger = useKept('GET /api/volunteers/me/ledger', {});
  const [busy, setBusy] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [fix, setFix] = useState<Fix | null | undefined>(undefined);
  // Opened offline before this activity was ever opened: the task list's copy will do.
  const a =
    detail.data ??
    (user && readKept(user.id, 'GET /api/volunteer-activities', {}))?.data.find(
      (x) => String(x.id) === id,
    ) ??
    null;

  useEffect(() => {
    let live = true;
    void fixWithin(8000).then((f) => live && setFix(f));
    return () => {
      live = false;
    };
  }, [id]);

  // What the queue sent reaches the server: read the activity and the hours again.
  const unsent = items.filter((i) => String(stepOf(i)?.id) === id).length;
  const seen = useRef(unsent);
  const { reload: reloadDetail } = detail;
  const { reload: reloadLedger } = ledger;
  useEffect(() => {
    if (unsent < seen.current) {
      reloadDetail();
      reloadLedger();
    }
    seen.current = unsent;
  }, [unsent, reloadDetail, reloadLedger]);

  if (!a) {
    return (
      <Frame onBack={back}>
        {detail.loading ? null : (
          <ErrorBlock
            status={detail.error instanceof ApiError ? 'default' : 'disconnected'}
            title={
              detail.error instanceof ApiError
                ? errorText(detail.error, lang)
                : t({ zh: '离线，暂无该活动的信息', en: 'Offline, this activity is not kept' })
            }
            description=""
          />
        )}
      </Frame>
    );
  }

  const s = stateOf(a, items);
  const step: 'check-in' | 'check-out' = s.checkInAt ? 'check-out' : 'check-in';
  const phase = phaseOf(a);
  const full = a.signedUp >= a.capacity;
  const place = a.lat !== null && a.lng !== null ? { lat: a.lat, lng: a.lng } : null;
  const away = place && fix ? distanceM(fix.lat, fix.lng, place.lat, place.lng) : null;
  const entry = ledger.data?.entries.find((e) => e.kind === 'attendance' && e.activityId === a.id);
  // The ledger's hours for a check-out count once the server has that check-out.
  const final = entry && (!s.checkOutAt || entry.checkOutAt) ? entry : undefined;

  /** One write through the queue: sent now when online, else kept until the phone is. */
  async function write(what: Step, body: Presence | null, label: L, by: string) {
    setBusy(by);
    try {
      const outcome = await queueStep(
        what,
        a!.id,
        t({ zh: `${label.zh}：${a!.title}`, en: `${label.en}: ${a!.title}` }),
        body,
      );
      // A scanned token proves presence once: checking out takes a fresh scan or the position.
      if (token && body?.method === 'qr' && body.token) setParams({}, { replace: true });
      if (what === 'check-in' || what === 'check-out') setCode('');
      Toast.show(
        outcome === 'sent'
          ? { icon: 'success', content: t(label) + t({ zh: '成功', en: ': done' }) }
          : {
              content: t({
                zh: '已保存在手机上，联网后自动同步',
                en: 'Kept on the phone; synced once online',
              }),
            },
      );
      if (outcome === 'sent') {
        // What the server now holds, shown at once (and kept) even if the reload cannot reach it.
        if (detail.data) detail.update((x) => accepted(x, what, body?.at));
        detail.reload();
        ledger.reload();
      }
    } catch (err) {
      void Dialog.alert({
        title: t({ zh: `${label.zh}未成功`, en: `${label.en}: not done` }),
        content: <span data-testid="checkin-refused">{errorText(err, lang)}</span>,
        confirmText: t({ zh: '知道了', en: 'OK' }),
      });
    } finally {
      setBusy(null);
    }
  }

  const stepLabel: L = step === 'check-in' ? L.volunteers.checkIn : L.volunteers.checkOut;
  const now = () => new Date().toISOString();

  async function byGps() {
    setBusy('gps');
    const f = await fixWithin(10_000, 15_000);
    if (!f) {
      setBusy(null);
      Toast.show({
        icon: 'fail',
        content: t({
          zh: '无法获取定位，请允许定位，或输入现场 6 位数字码',
          en: 'No position: allow the location, or enter the 6-digit code on site',
        }),
      });
      return;
    }
    setFix(f);
    await write(step, { method: 'gps', lat: f.lat, lng: f.lng, at: now() }, stepLabel, 'gps');
  }

  // The hours: the ledger's once the server has them; a check-out not yet synced, estimated.
  const estimate =
    s.checkInAt && s.checkOutAt && !final
      ? Math.floor(
          (() => {
            const c = countableInterval(
              {
                id: 0,
                checkInAt: Date.parse(s.checkInAt),
                checkOutAt: Date.parse(s.checkOutAt),
                windowStart: Date.parse(a.startsAt),
                windowEnd: Date.parse(a.endsAt),
              },
              DEFAULT_HOUR_RULES,
            );
            return (c.end - c.start) / 60_000;
          })(),
        )
      : null;

  return (
    <Frame onBack={back}>
      <Kept at={detail.at} />
      <Card className="m-card">
        <div className="m-checkin-head">
          <h2 className="m-checkin-title" data-testid="checkin-title">
            {a.title}
          </h2>
          <Tag color={phase === 'open' ? 'success' : 'default'} fill="outline">
            {t(PHASE_LABELS[phase])}
          </Tag>
        </div>
        <div className="m-line">
          {formatTime(a.startsAt)} — {formatTime(a.endsAt).slice(11)}
        </div>
        <div className="m-line">
          <EnvironmentOutline /> {a.placeName ?? ''} {a.address ?? ''}
        </div>
        {a.description && <p className="m-intro">{a.description}</p>}
        <div className="m-sub">
          {t(L.volunteers.seats)} {a.signedUp}/{a.capacity}
          {a.organiserTeamName || a.organiserUnitName
            ? ` · ${a.organiserTeamName ?? a.organiserUnitName}`
            : ''}
        </div>
        <div className="m-sub" data-testid="checkin-distance">
          {!place
            ? t({
                zh: '该活动没有设置地点坐标，请扫码或输入现场数字码签到',
                en: 'No location set: check in with the QR code or the 6-digit code',
              })
            : fix === undefined
              ? t({ zh: '定位中…', en: 'Locating…' })
              : away === null
                ? t(L.common.noGps)
                : t({
                    zh: `您距活动地点约 ${Math.round(away)} 米`,
                    en: `About ${Math.round(away)} m from the place`,
                  })}
        </div>
      </Card>

      {a.status === 'cancelled' ? (
        <NoticeBar
          className="m-notice"
          color="alert"
          wrap
          content={t({ zh: '活动已取消', en: 'This activity was cancelled' })}
        />
      ) : !s.volunteer ? (
        <NoticeBar
          className="m-notice"
          color="alert"
          wrap
          data-testid="checkin-not-volunteer"
          content={t({
            zh: '您的账号未关联志愿者登记信息，请联系创建办',
            en: 'Your account is not linked to a volunteer record; ask the office',
          })}
        />
      ) : s.checkInAt && s.checkOutAt ? (
        <Result
          status="success"
          title={t({ zh: '已签退，感谢您的服务！', en: 'Checked out — thank you!' })}
          description={
            <span data-testid="checkin-hours">
              {formatTime(s.checkInAt).slice(11)} — {formatTime(s.checkOutAt).slice(11)}
              {final
                ? ` · ${t(L.volunteers.serviceHours)} ${hoursText(final.minutes, t)}`
                : estimate !== null
                  ? ` · ${t({ zh: '约', en: 'about' })} ${hoursText(estimate, t)}${t({ zh: '（同步后核定）', en: ' (confirmed once synced)' })}`
                  : ''}
            </span>
          }
          data-testid="checkin-done"
        />
      ) : !s.signedUp ? (
        <Button
          block
          color="primary"
          size="large"
          className="m-big"
          loading={busy === 'sign-up'}
          disabled={phase === 'over' || full || !!busy}
          onClick={() => void write('sign-up', null, L.volunteers.signUp, 'sign-up')}
          data-testid="checkin-sign-up"
        >
          {phase === 'over'
            ? t({ zh: '活动已结束', en: 'Over' })
            : full
              ? t({ zh: '名额已满', en: 'Full' })
              : t({ zh: '报名本活动', en: 'Sign up for this activity' })}
        </Button>
      ) : (
        <>
          {s.checkInAt ? (
            <NoticeBar
              className="m-notice"
              color="success"
              wrap
              data-testid="checked-in"
              content={
                <>
                  <b>
                    {t({
                      zh: `已于 ${formatTime(s.checkInAt).slice(11)} 签到`,
                      en: `Checked in at ${formatTime(s.checkInAt).slice(11)}`,
                    })}
                  </b>
                  {s.unsynced && t({ zh: '（待同步）', en: ' (to sync)' })}
                  <br />
                  {t({
                    zh: '活动结束时请再次扫码或定位签退；未签退的按活动计划结束时间计时，以创建办核定为准。',
                    en: 'Check out when you leave. Without a check-out, hours count to the scheduled end, subject to the office.',
                  })}
                </>
              }
            />
          ) : (
            <div className="m-sub m-signed" data-testid="checkin-signed-up">
              {t({ zh: '您已报名', en: 'You are signed up' })}
              {s.unsynced && t({ zh: '（待同步）', en: ' (to sync)' })}
            </div>
          )}
          {token && (
            <Button
              block
              color="primary"
              size="large"
              className="m-big"
              loading={busy === 'qr'}
              disabled={!!busy}
              onClick={() => void write(step, { method: 'qr', token, at: now() }, stepLabel, 'qr')}
              data-testid="checkin-qr-submit"
            >
              <ScanCodeOutline />{' '}
              {step === 'check-in'
                ? t({ zh: '扫码签到', en: 'Check in' })
                : t({ zh: '扫码签退', en: 'Check out' })}
            </Button>
          )}
          <Button
            block
            color={token ? 'default' : 'primary'}
            size="large"
            className="m-big"
            loading={busy === 'gps'}
            disabled={!place || !!busy}
            onClick={() => void byGps()}
            data-testid="checkin-gps"
          >
            <EnvironmentOutline />{' '}
            {step === 'check-in'
              ? t({ zh: '定位签到', en: 'Check in by location' })
              : t({ zh: '定位签退', en: 'Check out by location' })}
          </Button>
          <Card className="m-card" title={t({ zh: '现场数字码', en: 'Code on site' })}>
            <div className="m-code">
              <Input
                className="m-code-input"
                inputMode="numeric"
                maxLength={6}
                value={code}
                onChange={(v) => setCode(v.replace(/\D/g, ''))}
                placeholder={t({ zh: '输入现场 6 位数字码', en: '6-digit code on site' })}
                data-testid="checkin-code"
              />
              <Button
                color="primary"
                disabled={code.length !== 6 || !!busy}
                loading={busy === 'code'}
                onClick={() =>
                  void write(step, { method: 'qr', shortCode: code, at: now() }, stepLabel, 'code')
                }
                data-testid="checkin-code-submit"
              >
                {step === 'check-in' ? t(L.volunteers.checkIn) : t(L.volunteers.checkOut)}
              </Button>
            </div>
          </Card>
          {!s.checkInAt && (
            <Button
              block
              fill="none"
              className="m-cancel-sign-up"
              disabled={!!busy}
              data-testid="checkin-cancel-sign-up"
              onClick={() =>
                void Dialog.confirm({
                  content: t({ zh: '确定取消报名？', en: 'Cancel your sign-up?' }),
                  confirmText: t(L.volunteers.cancelSignUp),
                  cancelText: t({ zh: '再想想', en: 'Keep it' }),
                }).then((ok) => {
                  if (ok) void write('cancel-sign-up', null, L.volunteers.cancelSignUp, 'cancel');
                })
              }
            >
              {t(L.volunteers.cancelSignUp)}
            </Button>
          )}
        </>
      )}

      {ledger.data && (
        <Card className="m-card">
          <div className="m-hours" data-testid="my-hours">
            <span>{t({ zh: '我的累计服务时长', en: 'My service hours' })}</span>
            <b>{hoursText(ledger.data.totalMinutes, t)}</b>
          </div>
          {final && (
            <div className="m-sub" data-testid="activity-hours">
              {t({ zh: '本次活动', en: 'This activity' })} {hoursText(final.minutes, t)}
              {final.estimated &&
                t({
                  zh: '（未签退，按计划结束时间计）',
                  en: ' (no check-out: counted to the scheduled end)',
                })}
            </div>
          )}
        </Card>
      )}
    </Frame>
  );
}

function Frame({ children, onBack }: { children: ReactNode; onBack: () => void }) {
  const { t } = useI18n();
  return (
    <div className="m-flow" data-testid="m-checkin">
      <NavBar className="m-navbar" onBack={onBack}>
        {t({ zh: '志愿签到', en: 'Check-in' })}
      </NavBar>
      <QueueBar />
      <div className="m-pad">{children}</div>
    </div>
  );
}
