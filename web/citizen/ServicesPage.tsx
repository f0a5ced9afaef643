import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatShanghai } from '../../core/calendar/working-days.js';
import type {
  TPublicServiceMenu,
  TPublicServiceTrack,
} from '../../core/contracts/service-orders.js';
import { distanceM } from '../../core/geo/coords.js';
import {
  SERVICE_CATEGORY_LABELS,
  SERVICE_EVENT_LABELS,
  SERVICE_ORDER_STATE_LABELS,
} from '../../core/service-orders/lifecycle.js';
import { apiCall } from '../shared/api.js';
import { useI18n, L } from '../shared/i18n.js';
import { deviceId } from './device-id.js';
import { useErrorText } from './GoodPeopleForm.js';

// 点单服务: a resident orders a service from a 新时代文明实践站 (the station nearby or one picked by
// its area), describes the need, and gets a tracking code; the tracking page shows each step and,
// once the service is done, takes the resident's verdict. Loaded when opened (not in the 随手拍
// page's first load).

type Station = TPublicServiceMenu['stations'][number];
interface Position {
  lat: number;
  lng: number;
}

const KEY = 'cc.myServiceOrders';
interface MyOrder {
  code: string;
  at: string;
  item: string;
}
function myOrders(): MyOrder[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as MyOrder[]) : [];
  } catch {
    return [];
  }
}
function rememberOrder(o: MyOrder): void {
  localStorage.setItem(KEY, JSON.stringify([o, ...myOrders()].slice(0, 20)));
}

const formatTime = (iso: string) => formatShanghai(new Date(iso));

/** The phone's position, or null when it cannot be had (no permission, no GPS, 10 s). */
function locate(): Promise<Position | null> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  });
}

const km = (m: number) => (m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`);

/** The order form: station, service, need, where and when, contact. */
export function ServicesPage() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [menu, setMenu] = useState<TPublicServiceMenu | null>(null);
  const [area, setArea] = useState('');
  const [here, setHere] = useState<Position | null>(null);
  const [locating, setLocating] = useState(false);
  const [stationId, setStationId] = useState<number | null>(null);
  const [itemId, setItemId] = useState<number | null>(null);
  const [need, setNeed] = useState('');
  const [preferredTime, setPreferredTime] = useState('');
  const [address, setAddress] = useState('');
  const [at, setAt] = useState<Position | null>(null);
  const [contactName, setContactName] = useState('');
  const [phone, setPhone] = useState('');
  const [website, setWebsite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    apiCall('GET /api/public/service-menu')
      .then(setMenu)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  const areas = useMemo(
    () => [...new Set((menu?.stations ?? []).map((s) => s.regionName ?? ''))].filter(Boolean),
    [menu],
  );
  const away = (s: Station) =>
    here && s.lat !== null && s.lng !== null ? distanceM(here.lat, here.lng, s.lat, s.lng) : null;
  const stations = (menu?.stations ?? [])
    .filter((s) => !area || s.regionName === area)
    .map((s) => ({ s, d: away(s) }))
    .sort((a, b) => (a.d ?? Infinity) - (b.d ?? Infinity));
  const station = menu?.stations.find((s) => s.id === stationId) ?? null;

  async function nearby() {
    setLocating(true);
    const p = await locate();
    setLocating(false);
    if (!p) {
      setError(t({ zh: '无法获取定位，请按区域选择站点', en: 'No position: choose by area' }));
      return;
    }
    setError(null);
    setArea('');
    setHere(p);
    setAt((old) => old ?? p);
  }

  async function attachPosition() {
    setLocating(true);
    const p = await locate();
    setLocating(false);
    if (p) setAt(p);
    else
      setError(t({ zh: '无法获取定位，可不附位置直接提交', en: 'No position; send without it' }));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!itemId) {
      setError(t({ zh: '请选择服务站点和服务项目', en: 'Choose a station and a service' }));
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const out = await apiCall('POST /api/public/service-orders', {
        body: {
          itemId,
          need,
          preferredTime,
          address,
          ...(at ? { lat: at.lat, lng: at.lng } : {}),
          contactName,
          contactPhone: phone,
          deviceId: deviceId(),
          website,
        },
      });
      const item = station?.items.find((i) => i.id === itemId)?.name ?? '';
      rememberOrder({ code: out.trackingCode, at: out.orderedAt, item });
      setDone(out.trackingCode);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section className="cz-card cz-done" data-testid="svc-ordered">
        <h2>{t({ zh: '点单成功', en: 'Your order is in' })}</h2>
        <p>
          {t({
            zh: '服务站点派单后，志愿者会与您联系。请保存查询码：',
            en: 'Once the station dispatches it, a volunteer will contact you. Keep this code:',
          })}
        </p>
        <div className="cz-code" data-testid="svc-code">
          {done}
        </div>
        <Link className="cz-button" to={`/services/track/${done}`} data-testid="svc-track-link">
          {t({ zh: '查看进度', en: 'Follow it' })}
        </Link>
      </section>
    );
  }

  return (
    <form className="cz-form" onSubmit={(e) => void submit(e)} data-testid="svc-form">
      <p className="cz-intro">
        {t({
          zh: '新时代文明实践站的志愿者为您上门服务：助老、助残、环境、文化、法律、医疗……选一个站点，告诉我们您的需要。',
          en: 'Volunteers of the civilization practice stations come to help: elderly care, disability help, environment, culture, legal, health. Pick a station and tell us what you need.',
        })}
      </p>
      <div className="cz-label">{t({ zh: '服务站点', en: 'Station' })}</div>
      <div className="cz-row">
        <button
          type="button"
          className="cz-button cz-secondary"
          disabled={locating}
          onClick={() => void nearby()}
          data-testid="svc-nearby"
        >
          {t({ zh: '附近的站点', en: 'Nearby' })}
        </button>
        <select
          className="cz-input"
          value={area}
          onChange={(e) => setArea(e.target.value)}
          data-testid="svc-area"
          aria-label={t({ zh: '按区域', en: 'By area' })}
        >
          <option value="">{t({ zh: '全部区域', en: 'All areas' })}</option>
          {areas.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <ul className="cz-choices" data-testid="svc-stations">
        {stations.map(({ s, d }) => (
          <li key={s.id}>
            <label className={stationId === s.id ? 'cz-choice cz-chosen' : 'cz-choice'}>
              <input
                type="radio"
                name="station"
                checked={stationId === s.id}
                onChange={() => {
                  setStationId(s.id);
                  setItemId(null);
                }}
                data-testid={`svc-station-${s.id}`}
              />
              <span>
                <b>{s.name}</b>
                <span className="cz-hint">
                  {[s.regionName, s.address, d === null ? null : km(d)].filter(Boolean).join(' · ')}
                </span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {station && (
        <>
          <div className="cz-label">{t({ zh: '服务项目', en: 'Service' })}</div>
          <ul className="cz-choices" data-testid="svc-items">
            {station.items.map((i) => (
              <li key={i.id}>
                <label className={itemId === i.id ? 'cz-choice cz-chosen' : 'cz-choice'}>
                  <input
                    type="radio"
                    name="item"
                    checked={itemId === i.id}
                    onChange={() => setItemId(i.id)}
                    data-testid={`svc-item-${i.id}`}
                  />
                  <span>
                    <b>{i.name}</b>
                    <span className="cz-hint">
                      {t(SERVICE_CATEGORY_LABELS[i.category])}
                      {i.description ? ` · ${i.description}` : ''}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
      <label className="cz-label">
        {t({ zh: '需求描述', en: 'What you need' })}
        <textarea
          className="cz-input"
          required
          minLength={5}
          maxLength={500}
          rows={4}
          value={need}
          onChange={(e) => setNeed(e.target.value)}
          data-testid="svc-need"
        />
      </label>
      <label className="cz-label">
        {t({ zh: '期望时间（可选）', en: 'When (optional)' })}
        <input
          className="cz-input"
          maxLength={100}
          placeholder={t({ zh: '如：周三上午', en: 'e.g. Wednesday morning' })}
          value={preferredTime}
          onChange={(e) => setPreferredTime(e.target.value)}
          data-testid="svc-time"
        />
      </label>
      <label className="cz-label">
        {t({ zh: '服务地址', en: 'Address' })}
        <input
          className="cz-input"
          required
          maxLength={200}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          data-testid="svc-address"
        />
      </label>
      <div className="cz-row cz-position">
        <span className="cz-hint" data-testid="svc-position">
          {at
            ? t({ zh: '已附上当前位置，方便志愿者找到您', en: 'Your position is attached' })
            : t({ zh: '未附位置（可选）', en: 'No position attached (optional)' })}
        </span>
        <button
          type="button"
          className="cz-button cz-secondary"
          disabled={locating}
          onClick={() => (at ? setAt(null) : void attachPosition())}
          data-testid="svc-locate"
        >
          {at ? t({ zh: '不附位置', en: 'Remove' }) : t({ zh: '附上当前位置', en: 'Attach' })}
        </button>
      </div>
      <label className="cz-label">
        {t(L.common.contact)}
        <input
          className="cz-input"
          required
          maxLength={40}
          value={contactName}
          onChange={(e) => setContactName(e.target.value)}
          data-testid="svc-name"
        />
      </label>
      <label className="cz-label">
        {t(L.common.contactPhone)}
        <span className="cz-hint">
          {t({
            zh: '仅服务站点和接单志愿者可见',
            en: 'seen only by the station and the volunteers serving you',
          })}
        </span>
        <input
          className="cz-input"
          type="tel"
          required
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          data-testid="svc-phone"
        />
      </label>
      <label className="cz-hp" aria-hidden="true">
        website
        <input tabIndex={-1} value={website} onChange={(e) => setWebsite(e.target.value)} />
      </label>
      {error && (
        <p className="cz-error" role="alert" data-testid="svc-error">
          {error}
        </p>
      )}
      <button type="submit" className="cz-button" disabled={busy} data-testid="svc-submit">
        {t({ zh: '提交点单', en: 'Send the order' })}
      </button>
      <p className="cz-hint">
        <Link to="/services/track">{t({ zh: '查询我的点单', en: 'My orders' })}</Link>
      </p>
    </form>
  );
}

/** An order's progress by its code; once done, the resident says whether they are satisfied. */
export function ServiceTrackPage() {
  const { code } = useParams();
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [input, setInput] = useState(code ?? '');
  const [data, setData] = useState<TPublicServiceTrack | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [satisfied, setSatisfied] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  /** 撤销点单 asked for: the reason field and the second, confirming tap. */
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');

  useEffect(() => {
    setData(null);
    setError(null);
    if (!code) return;
    apiCall('GET /api/public/service-orders/:code', { params: { code } })
      .then(setData)
      .catch((err: unknown) => setError(errorText(err)));
  }, [code]);

  async function confirm(e: FormEvent) {
    e.preventDefault();
    if (!code || satisfied === null) return;
    setBusy(true);
    setError(null);
    try {
      setData(
        await apiCall('POST /api/public/service-orders/:code/confirm', {
          params: { code },
          body: { satisfied, comment },
        }),
      );
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function cancel(e: FormEvent) {
    e.preventDefault();
    if (!code) return;
    setBusy(true);
    setError(null);
    try {
      setData(
        await apiCall('POST /api/public/service-orders/:code/cancel', {
          params: { code },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      );
      setCancelling(false);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const mine = myOrders();
  return (
    <div data-testid="svc-track">
      <form
        className="cz-row cz-lookup"
        onSubmit={(e) => {
          e.preventDefault();
          const c = input.trim().toUpperCase();
          if (c) void navigate(`/services/track/${c}`);
        }}
      >
        <input
          className="cz-input"
          placeholder={t({
            zh: '输入查询码，如 FW7K3M9Q2XPA',
            en: 'Tracking code, e.g. FW7K3M9Q2XPA',
          })}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          data-testid="svc-track-input"
        />
        <button type="submit" className="cz-button cz-narrow">
          {t({ zh: '查询', en: 'Look up' })}
        </button>
      </form>
      {error && (
        <p className="cz-error" role="alert" data-testid="svc-error">
          {error}
        </p>
      )}
      {data && (
        <section className="cz-card" data-testid="svc-track-result">
          <div className="cz-status-line">
            <h3>{data.itemName}</h3>
            <span className={`cz-status cz-svc-${data.state}`} data-testid="svc-state">
              {t(SERVICE_ORDER_STATE_LABELS[data.state])}
            </span>
          </div>
          <p className="cz-hint">
            {data.stationName}
            {data.teamName ? ` · ${data.teamName}` : ''}
          </p>
          <p>{data.need}</p>
          <p className="cz-hint">
            📍 {data.address}
            {data.preferredTime ? ` · ${data.preferredTime}` : ''} · {data.contactName}{' '}
            {data.contactPhone}
          </p>
          <ol className="cz-timeline" data-testid="svc-timeline">
            {data.timeline.map((e, i) => (
              <li key={i}>
                <div className="cz-time">{formatTime(e.at)}</div>
                <div>{t(SERVICE_EVENT_LABELS[e.action])}</div>
                {e.note && <div className="cz-note">{e.note}</div>}
              </li>
            ))}
          </ol>
          {data.doneNote && (
            <p className="cz-note">
              {t({ zh: '服务情况：', en: 'What was done: ' })}
              {data.doneNote}
            </p>
          )}
          {data.state === 'confirmed' && data.confirmedBy === 'requester' && (
            <p data-testid="svc-verdict">
              {data.satisfied
                ? t({ zh: '您的评价：满意', en: 'Your verdict: satisfied' })
                : t({ zh: '您的评价：不满意', en: 'Your verdict: not satisfied' })}
              {data.comment ? ` · ${data.comment}` : ''}
            </p>
          )}
          {data.canConfirm && (
            <form onSubmit={(e) => void confirm(e)} data-testid="svc-confirm">
              <div className="cz-label">{t({ zh: '服务评价', en: 'Your verdict' })}</div>
              <div className="cz-segments">
                <button
                  type="button"
                  className={satisfied === true ? 'active' : ''}
                  onClick={() => setSatisfied(true)}
                  data-testid="svc-satisfied"
                >
                  {t({ zh: '满意', en: 'Satisfied' })}
                </button>
                <button
                  type="button"
                  className={satisfied === false ? 'active' : ''}
                  onClick={() => setSatisfied(false)}
                  data-testid="svc-unsatisfied"
                >
                  {t({ zh: '不满意', en: 'Not satisfied' })}
                </button>
              </div>
              <textarea
                className="cz-input"
                maxLength={300}
                rows={3}
                placeholder={t({ zh: '说说您的感受（可选）', en: 'Anything to add (optional)' })}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                data-testid="svc-comment"
              />
              <button
                type="submit"
                className="cz-button"
                disabled={busy || satisfied === null}
                data-testid="svc-confirm-submit"
              >
                {t({ zh: '确认服务完成', en: 'Confirm' })}
              </button>
            </form>
          )}
          {data.canCancel && !cancelling && (
            <button
              type="button"
              className="cz-button cz-secondary"
              onClick={() => setCancelling(true)}
              data-testid="svc-cancel"
            >
              {t({ zh: '撤销点单', en: 'Cancel this order' })}
            </button>
          )}
          {data.canCancel && cancelling && (
            <form onSubmit={(e) => void cancel(e)} data-testid="svc-cancel-form">
              <div className="cz-label">
                {t({
                  zh: '撤销后服务站点和志愿者不再上门。',
                  en: 'Once cancelled, nobody will come for it.',
                })}
              </div>
              <textarea
                className="cz-input"
                maxLength={200}
                rows={2}
                placeholder={t({ zh: '撤销原因（可选）', en: 'Why (optional)' })}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="svc-cancel-reason"
              />
              <div className="cz-row">
                <button
                  type="button"
                  className="cz-button cz-secondary"
                  onClick={() => setCancelling(false)}
                >
                  {t({ zh: '不撤销', en: 'Keep it' })}
                </button>
                <button
                  type="submit"
                  className="cz-button"
                  disabled={busy}
                  data-testid="svc-cancel-submit"
                >
                  {t({ zh: '确认撤销', en: 'Cancel it' })}
                </button>
              </div>
            </form>
          )}
        </section>
      )}
      {!code && mine.length > 0 && (
        <section className="cz-card">
          <h3>{t({ zh: '我在本机的点单', en: 'Orders from this phone' })}</h3>
          <ul className="cz-list">
            {mine.map((o) => (
              <li key={o.code}>
                <Link to={`/services/track/${o.code}`}>{o.code}</Link>
                <span className="cz-hint">
                  {o.item} · {formatTime(o.at)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p className="cz-hint">
        <Link to="/services">{t({ zh: '我要点单', en: 'Order a service' })}</Link>
      </p>
    </div>
  );
}
