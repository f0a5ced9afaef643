import { AimOutlined, CheckCircleFilled, QrcodeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Input, Result, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { TActivity, TCheckinResult } from '../../../core/contracts/volunteers.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { get, post } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n } from '../../shared/i18n.js';

type Step = 'check-in' | 'check-out';

/**
 * The client id of one check-in or check-out, kept until it succeeds: a retry after a lost answer
 * sends the same id, so the server records it once.
 */
function clientIdFor(activityId: string, step: Step): string {
  const key = `cc.checkin.${activityId}.${step}`;
  let id = sessionStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID();
    sessionStorage.setItem(key, id);
  }
  return id;
}

function position(): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) =>
    navigator.geolocation.getCurrentPosition(resolve, reject, {
      enableHighAccuracy: true,
      timeout: 15_000,
    }),
  );
}

/** The phone page a volunteer lands on by scanning the organiser's QR code (or opens to use GPS). */
export function VolunteerCheckinPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const token = params.get('t');
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [a, setA] = useState<TActivity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const [done, setDone] = useState<TCheckinResult | null>(null);

  async function load() {
    try {
      setA(await get<TActivity>(`/api/volunteer-activities/${id}`));
    } catch (err) {
      setError(errorText(err, lang));
    }
  }
  useEffect(() => {
    void load();
  }, [id]);

  const step: Step = a?.mine?.checkInAt ? 'check-out' : 'check-in';

  async function send(body: Record<string, unknown>) {
    setBusy(true);
    try {
      const r = await post<TCheckinResult>(`/api/volunteer-activities/${id}/${step}`, {
        clientId: clientIdFor(id, step),
        ...body,
      });
      sessionStorage.removeItem(`cc.checkin.${id}.${step}`);
      // A scanned token proves presence once: checking out takes a fresh scan or the location.
      if (token) setParams({}, { replace: true });
      setDone(r);
      await load();
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  async function byGps() {
    try {
      const p = await position();
      await send({ method: 'gps', lat: p.coords.latitude, lng: p.coords.longitude });
    } catch (err) {
      if (
        err instanceof GeolocationPositionError ||
        (err as { code?: number }).code !== undefined
      ) {
        message.error(
          t({
            zh: '无法获取定位，请允许定位或扫码签到',
            en: 'no location; allow it or scan the code',
          }),
        );
      } else message.error(errorText(err, lang));
    }
  }

  async function signUp() {
    setBusy(true);
    try {
      setA(await post<TActivity>(`/api/volunteer-activities/${id}/sign-up`));
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  if (error) return <Result status="warning" title={error} />;
  if (!a) return <Spin fullscreen />;
  const mine = a.mine;
  const big = { size: 'large' as const, block: true, style: { height: 56, fontSize: 18 } };

  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }}>
      <Card styles={{ body: { padding: 16 } }}>
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="checkin-title">
          {a.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {formatTime(a.startsAt)} — {formatTime(a.endsAt).slice(11)}
          <br />
          {a.placeName ?? a.address ?? ''}
        </Typography.Paragraph>
        {!mine && (
          <Alert
            type="warning"
            title={t({
              zh: '您的账号未关联志愿者登记信息',
              en: 'your account is not linked to a volunteer record',
            })}
          />
        )}
        {mine && !mine.signedUp && !mine.checkInAt && (
          <Button
            type="primary"
            {...big}
            loading={busy}
            onClick={() => void signUp()}
            data-testid="checkin-sign-up"
          >
            {t({ zh: '报名本活动', en: 'Sign up for this activity' })}
          </Button>
        )}
        {mine?.checkInAt && mine.checkOutAt ? (
          <Result
            status="success"
            icon={<CheckCircleFilled />}
            title={t({ zh: '已签退，感谢您的服务！', en: 'Checked out — thank you!' })}
            subTitle={`${formatTime(mine.checkInAt).slice(11)} — ${formatTime(mine.checkOutAt).slice(11)}${
              done ? ` · ${minutesToHours(done.creditedMinutes)} ${t({ zh: '小时', en: 'h' })}` : ''
            }`}
            data-testid="checkin-done"
          />
        ) : (
          mine?.signedUp && (
            <Space orientation="vertical" style={{ width: '100%' }} size="middle">
              {mine.checkInAt && (
                <Alert
                  type="success"
                  showIcon
                  data-testid="checked-in"
                  title={t({
                    zh: `已于 ${formatTime(mine.checkInAt).slice(11)} 签到`,
                    en: `Checked in at ${formatTime(mine.checkInAt).slice(11)}`,
                  })}
                  description={t({
                    zh: '活动结束时请再次扫码或定位签退；未签退的按活动计划结束时间计时，以创建办核定为准。',
                    en: 'Check out when you leave. Without a check-out, hours count to the scheduled end, subject to the office.',
                  })}
                />
              )}
              {token && (
                <Button
                  type="primary"
                  icon={<QrcodeOutlined />}
                  {...big}
                  loading={busy}
                  onClick={() => void send({ method: 'qr', token })}
                  data-testid="checkin-qr-submit"
                >
                  {step === 'check-in'
                    ? t({ zh: '扫码签到', en: 'Check in' })
                    : t({ zh: '扫码签退', en: 'Check out' })}
                </Button>
              )}
              <Button
                icon={<AimOutlined />}
                {...big}
                loading={busy}
                onClick={() => void byGps()}
                data-testid="checkin-gps"
              >
                {step === 'check-in'
                  ? t({ zh: '定位签到', en: 'Check in by location' })
                  : t({ zh: '定位签退', en: 'Check out by location' })}
              </Button>
              <Space.Compact style={{ width: '100%' }}>
                <Input
                  size="large"
                  inputMode="numeric"
                  maxLength={6}
                  value={code}
                  onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                  placeholder={t({ zh: '现场 6 位数字码', en: '6-digit code on site' })}
                  data-testid="checkin-code"
                />
                <Button
                  size="large"
                  disabled={code.length !== 6}
                  loading={busy}
                  onClick={() => void send({ method: 'qr', shortCode: code })}
                >
                  {t({ zh: '提交', en: 'Submit' })}
                </Button>
              </Space.Compact>
            </Space>
          )
        )}
      </Card>
    </div>
  );
}
