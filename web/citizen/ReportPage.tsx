import { lazy, Suspense, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { pointInArea } from '../../core/geo/polygon.js';
import { ApiError, apiCall, type ApiResponse } from '../shared/api.js';
import { useI18n, L } from '../shared/i18n.js';
import { deviceId } from './device-id.js';
import { rememberReport } from './my-reports.js';

// The map (Leaflet, the base map) loads after the form: the page's first load stays small.
const PickMap = lazy(() => import('./PickMap.js'));

type Setup = ApiResponse<'GET /api/public/setup'>;

export function ReportPage() {
  const { t, lang } = useI18n();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const [where, setWhere] = useState<{ lat: number; lng: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [address, setAddress] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [description, setDescription] = useState('');
  const [phone, setPhone] = useState('');
  const [smsOptIn, setSmsOptIn] = useState(false);
  const [website, setWebsite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    apiCall('GET /api/public/setup')
      .then(setSetup)
      .catch(() =>
        setError(t({ zh: '加载失败，请刷新重试', en: 'could not load; reload the page' })),
      );
  }, [t]);

  const previews = useMemo(() => photos.map((f) => URL.createObjectURL(f)), [photos]);
  useEffect(() => () => previews.forEach((u) => URL.revokeObjectURL(u)), [previews]);

  const groups = useMemo(() => {
    const m = new Map<string, Setup['categories']>();
    for (const c of setup?.categories ?? []) {
      const g = c.group ?? '';
      m.set(g, [...(m.get(g) ?? []), c]);
    }
    return [...m.entries()];
  }, [setup]);

  const outside =
    where && setup?.jurisdiction
      ? !pointInArea(where.lng, where.lat, setup.jurisdiction.geometry)
      : false;

  function locate() {
    if (!navigator.geolocation) {
      setError(t({ zh: '此浏览器无法定位，请在地图上点选', en: 'no location here; tap the map' }));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        setWhere({ lat: pos.coords.latitude, lng: pos.coords.longitude });
      },
      () => {
        setLocating(false);
        setError(
          t({ zh: '定位失败，请在地图上点选位置', en: 'could not locate you; tap the map' }),
        );
      },
      { enableHighAccuracy: true, timeout: 10_000 },
    );
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!where) {
      setError(
        t({ zh: '请定位或在地图上点选问题位置', en: 'locate the problem or tap it on the map' }),
      );
      return;
    }
    const form = new FormData();
    form.append('categoryId', categoryId);
    form.append('description', description);
    form.append('lat', String(where.lat));
    form.append('lng', String(where.lng));
    if (address) form.append('address', address);
    if (phone) form.append('phone', phone);
    if (phone && smsOptIn) form.append('smsOptIn', 'true');
    form.append('deviceId', deviceId());
    form.append('website', website);
    for (const p of photos) form.append('photo', p, p.name);
    setBusy(true);
    try {
      const res = await apiCall('POST /api/public/reports', { body: form });
      const category = setup?.categories.find((c) => String(c.id) === categoryId)?.name ?? '';
      rememberReport({ code: res.trackingCode, at: res.submittedAt, category });
      setDone(res.trackingCode);
    } catch (err) {
      setError(
        err instanceof ApiError
          ? lang === 'en'
            ? err.messageEn
            : err.messageZh
          : t({ zh: '提交失败，请稍后重试', en: 'sending failed; try again later' }),
      );
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section className="cz-card cz-done" data-testid="report-done">
        <h2>{t({ zh: '提交成功，感谢您的参与！', en: 'Thank you — your report is in.' })}</h2>
        <p>{t({ zh: '请记下查询码，可随时查看办理进度：', en: 'Keep this code to follow it:' })}</p>
        <div className="cz-code" data-testid="tracking-code">
          {done}
        </div>
        <Link className="cz-button" to={`/track/${done}`}>
          {t({ zh: '查看办理进度', en: 'See the progress' })}
        </Link>
        <button
          type="button"
          className="cz-button cz-secondary"
          onClick={() => {
            setDone(null);
            setPhotos([]);
            setDescription('');
            setWhere(null);
            setAddress('');
          }}
        >
          {t({ zh: '再拍一个', en: 'Report another' })}
        </button>
      </section>
    );
  }

  return (
    <form className="cz-form" onSubmit={(e) => void submit(e)} data-testid="report-form">
      <p className="cz-intro">
        {t({
          zh: `发现乱堆乱放、设施损坏、不文明行为？拍下来告诉我们${setup?.jurisdiction ? `（限${setup.jurisdiction.name}范围内）` : ''}。`,
          en: `Seen litter, broken facilities or uncivil behaviour? Take a photo and tell us${setup?.jurisdiction ? ` (within ${setup.jurisdiction.name})` : ''}.`,
        })}
      </p>

      <label className="cz-label">
        {t({ zh: '现场照片', en: 'Photos' })}
        <span className="cz-hint">
          {t({ zh: `最多 ${setup?.maxPhotos ?? 3} 张`, en: `up to ${setup?.maxPhotos ?? 3}` })}
        </span>
      </label>
      <div className="cz-photos">
        {previews.map((u, i) => (
          <div key={u} className="cz-photo">
            <img src={u} alt="" />
            <button
              type="button"
              aria-label={t(L.common.deletePhoto)}
              onClick={() => setPhotos(photos.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        ))}
        {photos.length < (setup?.maxPhotos ?? 3) && (
          <label className="cz-photo cz-add">
            <span>＋</span>
            <input
              type="file"
              accept="image/*"
              capture="environment"
              multiple
              data-testid="photo-input"
              onChange={(e) => {
                const picked = [...(e.target.files ?? [])];
                setPhotos([...photos, ...picked].slice(0, setup?.maxPhotos ?? 3));
                e.target.value = '';
              }}
            />
          </label>
        )}
      </div>

      <label className="cz-label">{t({ zh: '问题位置', en: 'Location' })}</label>
      <div className="cz-row">
        <button
          type="button"
          className="cz-button cz-secondary"
          onClick={locate}
          disabled={locating}
        >
          {locating
            ? t({ zh: '定位中…', en: 'Locating…' })
            : t({ zh: '使用当前位置', en: 'Use my position' })}
        </button>
        <span className="cz-hint" data-testid="picked">
          {where
            ? `${where.lat.toFixed(5)}, ${where.lng.toFixed(5)}`
            : t({ zh: '或在地图上点选', en: 'or tap the map' })}
        </span>
      </div>
      <Suspense fallback={<div className="cz-map cz-map-loading" />}>
        <PickMap value={where} onChange={setWhere} jurisdiction={setup?.jurisdiction ?? null} />
      </Suspense>
      {outside && (
        <p className="cz-warn" role="alert">
          {t({ zh: '所选位置不在受理范围内', en: 'This place is outside the area we handle' })}
        </p>
      )}
      <input
        className="cz-input"
        placeholder={t({ zh: '详细地址或参照物（选填）', en: 'Address or landmark (optional)' })}
        value={address}
        maxLength={200}
        onChange={(e) => setAddress(e.target.value)}
      />

      <label className="cz-label" htmlFor="cz-category">
        {t(L.problems.problemCategory)}
      </label>
      <select
        id="cz-category"
        className="cz-input"
        required
        value={categoryId}
        onChange={(e) => setCategoryId(e.target.value)}
        data-testid="category"
      >
        <option value="">{t({ zh: '请选择', en: 'Choose…' })}</option>
        {groups.map(([group, cats]) => (
          <optgroup key={group} label={group}>
            {cats.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>

      <label className="cz-label" htmlFor="cz-description">
        {t(L.problems.description)}
      </label>
      <textarea
        id="cz-description"
        className="cz-input"
        required
        minLength={5}
        maxLength={500}
        rows={4}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        placeholder={t({ zh: '至少 5 个字', en: 'at least 5 characters' })}
        data-testid="description"
      />

      <label className="cz-label" htmlFor="cz-phone">
        {t({ zh: '联系电话（选填）', en: 'Phone (optional)' })}
        <span className="cz-hint">
          {t({ zh: '仅用于回访，不会公开', en: 'for a call-back only; never shown' })}
        </span>
      </label>
      <input
        id="cz-phone"
        className="cz-input"
        type="tel"
        inputMode="tel"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        data-testid="phone"
      />
      {/* Texts need the number: the box waits for one. */}
      <label className="cz-check">
        <input
          type="checkbox"
          checked={smsOptIn && phone.trim() !== ''}
          disabled={phone.trim() === ''}
          onChange={(e) => setSmsOptIn(e.target.checked)}
          data-testid="sms-opt-in"
        />
        {t({ zh: '接收办理进度短信', en: 'Text me updates' })}
        <span className="cz-hint">
          {phone.trim() === ''
            ? t({ zh: '填写手机号后可选', en: 'enter a mobile number first' })
            : t({
                zh: '立案、派单、整改、办结时各发一条',
                en: 'one text per step of the handling',
              })}
        </span>
      </label>

      {/* A field people do not see; bots fill it in. */}
      <div className="cz-hp" aria-hidden="true">
        <label>
          Website
          <input
            name="website"
            tabIndex={-1}
            autoComplete="off"
            value={website}
            onChange={(e) => setWebsite(e.target.value)}
          />
        </label>
      </div>

      {error && (
        <p className="cz-error" role="alert" data-testid="report-error">
          {error}
        </p>
      )}
      <button type="submit" className="cz-button" disabled={busy || outside} data-testid="submit">
        {busy ? t({ zh: '提交中…', en: 'Sending…' }) : t({ zh: '提交', en: 'Send' })}
      </button>
    </form>
  );
}
