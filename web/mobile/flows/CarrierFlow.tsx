import { Button, Input, List, NavBar, Selector, Switch, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import {
  CARRIER_KIND_LABELS,
  CARRIER_KINDS,
  CARRIER_STATE_LABELS,
  CARRIER_STATES,
  CARRIER_THEME_LABELS,
  CARRIER_THEMES,
  type TCarrier,
  type TCarrierKind,
  type TCarrierState,
  type TCarrierTheme,
} from '../../../core/contracts/ad-carriers.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { offlineQueue, submitOrQueue } from '../../shared/offline-queue.js';
import { useKept } from '../phone-store.js';
import { QueueBar } from '../QueueBar.js';
import { FormError, KeptNote, PhotoPicker } from './flow-bits.js';
import { fixWithin, formatFix } from './position.js';

/** The carriers the phone lists (and keeps, for offline): the latest 50 the user may see. */
const LIST = { query: { limit: 50 } } as const;

/**
 * 公益广告阵地 on the phone (issue #23): a grid worker or inspector registers a carrier where they
 * stand — kind, theme, size, state, a photo, the phone's position — or marks a listed one 破损,
 * 缺失 or 完好. Both go through the offline queue (a registration with its client id, so a retry
 * never registers it twice; a change of state at the version the phone last saw).
 */
export function CarrierFlow() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const list = useKept('GET /api/ad-carriers', LIST);
  if (adding) return <CarrierForm onDone={() => setAdding(false)} />;
  return (
    <div className="m-flow" data-testid="carrier-flow">
      <NavBar className="m-navbar" onBack={() => void navigate('/')}>
        {t(L.carriers.carriers)}
      </NavBar>
      <QueueBar />
      <div className="m-sheet-body">
        <Button
          block
          color="primary"
          size="large"
          onClick={() => setAdding(true)}
          data-testid="carrier-add"
        >
          {t(L.carriers.newCarrier)}
        </Button>
        <KeptNote answer={list} />
        <List>
          {(list.data?.items ?? []).map((c) => (
            <CarrierRow key={c.id} c={c} />
          ))}
        </List>
      </div>
    </div>
  );
}

/** A listed carrier with its state, and the states it may be marked. */
function CarrierRow({ c }: { c: TCarrier }) {
  const { t, lang } = useI18n();
  const [marked, setMarked] = useState<TCarrierState | null>(null);
  const mark = async (state: TCarrierState) => {
    try {
      const outcome = await submitOrQueue(offlineQueue(), {
        clientId: crypto.randomUUID(),
        label: t({
          zh: `阵地 ${c.code}：${CARRIER_STATE_LABELS[state].zh}`,
          en: `Carrier ${c.code}: ${CARRIER_STATE_LABELS[state].en}`,
        }),
        endpoint: 'PATCH /api/ad-carriers/:id',
        params: { id: c.id },
        body: { version: c.version, state },
      });
      setMarked(state);
      Toast.show({
        content:
          outcome === 'sent'
            ? t(L.common.saved)
            : t({ zh: '已保存在手机上，联网后同步', en: 'Kept on the phone, sent when online' }),
      });
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorText(err, lang) });
    }
  };
  const state = marked ?? c.state;
  return (
    <List.Item
      data-testid={`carrier-${c.id}`}
      description={`${t(CARRIER_THEME_LABELS[c.theme])} · ${c.widthCm}×${c.heightCm}${c.pointName ? ` · ${c.pointName}` : ''}`}
      extra={
        <Tag color={state === 'intact' ? 'success' : 'danger'}>
          {t(CARRIER_STATE_LABELS[state])}
        </Tag>
      }
    >
      {c.code} · {t(CARRIER_KIND_LABELS[c.kind])}
      <div className="m-line">
        {(['damaged', 'missing', 'intact'] as const)
          .filter((s) => s !== state)
          .map((s) => (
            <Button
              key={s}
              size="mini"
              fill="outline"
              style={{ marginRight: 6 }}
              onClick={() => void mark(s)}
              data-testid={`carrier-${c.id}-${s}`}
            >
              {t(CARRIER_STATE_LABELS[s])}
            </Button>
          ))}
      </div>
    </List.Item>
  );
}

/** Registers a carrier at the phone's position, through the offline queue. */
function CarrierForm(props: { onDone: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<TCarrierKind>('board');
  const [theme, setTheme] = useState<TCarrierTheme>('core_values');
  const [state, setState] = useState<TCarrierState>('intact');
  const [width, setWidth] = useState('');
  const [height, setHeight] = useState('');
  const [design, setDesign] = useState('');
  const [fixed, setFixed] = useState(true);
  const [photos, setPhotos] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [here, setHere] = useState<{ lat: number; lng: number } | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const fix = here ?? (await fixWithin(8000));
      if (!fix) {
        throw new Error(
          t({ zh: '无法定位，请打开定位后重试', en: 'No position: turn location on and retry' }),
        );
      }
      setHere(fix);
      const key = crypto.randomUUID();
      const photo = photos[0];
      const outcome = await submitOrQueue(offlineQueue(), {
        clientId: key,
        label: t({
          zh: `登记阵地：${CARRIER_KIND_LABELS[kind].zh}`,
          en: `Carrier: ${CARRIER_KIND_LABELS[kind].en}`,
        }),
        endpoint: 'POST /api/ad-carriers',
        body: {
          clientId: key,
          kind,
          theme,
          state,
          fixed,
          widthCm: Number(width),
          heightCm: Number(height),
          lat: fix.lat,
          lng: fix.lng,
          designTitle: design.trim() || null,
          photoId: photo ? `$file:${key}` : null,
        },
        files: photo ? [{ key, blob: photo, name: photo.name || 'carrier.jpg' }] : [],
      });
      Toast.show({
        content:
          outcome === 'sent'
            ? t(L.common.saved)
            : t({ zh: '已保存在手机上，联网后同步', en: 'Kept on the phone, sent when online' }),
      });
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const options = <C extends string>(
    codes: readonly C[],
    labels: Record<C, { zh: string; en: string }>,
  ) => codes.map((c) => ({ value: c, label: t(labels[c]) }));
  return (
    <div className="m-flow" data-testid="carrier-form">
      <NavBar className="m-navbar" onBack={props.onDone}>
        {t(L.carriers.newCarrier)}
      </NavBar>
      <div className="m-sheet-body">
        <div className="m-field-label">{t(L.carriers.carrierKind)}</div>
        <Selector
          columns={3}
          options={options(CARRIER_KINDS, CARRIER_KIND_LABELS)}
          value={[kind]}
          onChange={(v) => v[0] && setKind(v[0])}
        />
        <div className="m-field-label">{t(L.carriers.carrierTheme)}</div>
        <Selector
          columns={2}
          options={options(CARRIER_THEMES, CARRIER_THEME_LABELS)}
          value={[theme]}
          onChange={(v) => v[0] && setTheme(v[0])}
        />
        <div className="m-field-label">{t(L.carriers.carrierSize)}</div>
        <div className="m-line">
          <Input
            type="number"
            placeholder={t({ zh: '宽', en: 'Width' })}
            value={width}
            onChange={setWidth}
            data-testid="carrier-width"
            style={{ width: '45%', display: 'inline-block' }}
          />
          ×
          <Input
            type="number"
            placeholder={t({ zh: '高', en: 'Height' })}
            value={height}
            onChange={setHeight}
            data-testid="carrier-height"
            style={{ width: '45%', display: 'inline-block' }}
          />
        </div>
        <div className="m-field-label">{t(L.common.status)}</div>
        <Selector
          columns={4}
          options={options(CARRIER_STATES, CARRIER_STATE_LABELS)}
          value={[state]}
          onChange={(v) => v[0] && setState(v[0])}
        />
        <div className="m-line">
          {t(L.carriers.fixedForm)} <Switch checked={fixed} onChange={setFixed} />
        </div>
        <Input
          placeholder={t(L.carriers.designTitle)}
          value={design}
          onChange={setDesign}
          maxLength={100}
        />
        <PhotoPicker value={photos} onChange={setPhotos} max={1} testId="carrier-photo" />
        <div className="m-gps">
          {here ? formatFix(here) : t({ zh: '提交时定位', en: 'Located on submit' })}
        </div>
        <FormError error={error} />
        <Button
          block
          color="primary"
          size="large"
          loading={busy}
          disabled={!width || !height}
          onClick={() => void submit()}
          data-testid="carrier-submit"
        >
          {t({ zh: '提交', en: 'Submit' })}
        </Button>
      </div>
    </div>
  );
}
