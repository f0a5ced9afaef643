import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Popconfirm,
  QRCode,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { TActivity, TAttendee } from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, apiCall } from '../../shared/api.js';
import { apiKey, useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { PhotoInput } from '../../shared/photos.js';
import { useAuth } from '../auth.js';

const METHOD = {
  qr: { zh: '扫码', en: 'QR' },
  gps: { zh: '定位', en: 'GPS' },
  office: { zh: '补录', en: 'Recorded' },
} as const;

/** One activity: details, the check-in QR code the organiser shows, who signed up and came. */
export function VolunteerActivityDetailPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [photos, setPhotos] = useState<string[]>([]);
  const office = can(Permission.VolunteerWrite);
  const client = useQueryClient();
  const args = { params: { id: Number(id) } };
  const activity = useApi('GET /api/volunteer-activities/:id', args);
  const a = activity.data ?? null;
  /** Shows the activity as a write answered it (the write has marked the list stale). */
  const setA = (next: TActivity) =>
    client.setQueryData(apiKey('GET /api/volunteer-activities/:id', args), next);
  const attendees = useApi(
    'GET /api/volunteer-activities/:id/attendees',
    can(Permission.VolunteerRead) ? args : null,
  );
  const people = attendees.data ?? [];
  const failed = activity.error ?? attendees.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed]);
  const load = () => Promise.all([activity.refetch(), attendees.refetch()]);

  // The token lapses after one to two periods: a new one is fetched before it does (also while
  // the window is in the background: the organiser's screen shows it to the volunteers).
  const token =
    useApi(
      'GET /api/volunteer-activities/:id/checkin-token',
      office && a?.status === 'published' ? { params: { id: a.id } } : null,
      {
        staleTime: 0,
        refetchInterval: (q) => (q.state.data ? q.state.data.refreshInS * 1000 : false),
        refetchIntervalInBackground: true,
      },
    ).data ?? null;

  async function cancel() {
    if (!a) return;
    try {
      setA(
        await apiCall('POST /api/volunteer-activities/:id/cancel', {
          params: { id: a.id },
          body: { version: a.version },
        }),
      );
      message.success(t({ zh: '活动已取消', en: 'Activity cancelled' }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.warning(errorText(err, lang));
        await load();
      } else message.error(errorText(err, lang));
    }
  }

  if (!a) return <Card loading />;
  const link = token ? `${window.location.origin}${token.url}` : '';
  const attended = people.filter((p) => p.checkInAt);
  const totalMinutes = people.reduce((n, p) => n + p.creditedMinutes, 0);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Space>
            {a.title}
            {a.status === 'cancelled' && (
              <Tag data-testid="activity-cancelled">{t(L.common.cancelled)}</Tag>
            )}
          </Space>
        }
        extra={
          office &&
          a.status === 'published' && (
            <Popconfirm
              title={t({
                zh: '取消这次活动？已报名的志愿者将看到活动已取消。',
                en: 'Cancel this activity? Volunteers who signed up will see it cancelled.',
              })}
              okText={t({ zh: '取消活动', en: 'Cancel activity' })}
              cancelText={t({ zh: '不取消', en: 'Keep' })}
              okButtonProps={{ danger: true, id: 'activity-cancel-ok' }}
              onConfirm={() => void cancel()}
            >
              <Button danger data-testid="activity-cancel">
                {t({ zh: '取消活动', en: 'Cancel activity' })}
              </Button>
            </Popconfirm>
          )
        }
      >
        <Row gutter={[24, 16]}>
          <Col xs={24} lg={14}>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t(L.common.time)}>
                {formatTime(a.startsAt)} — {formatTime(a.endsAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '地点', en: 'Place' })}>
                {a.placeName ?? ''} {a.address ?? ''}
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '组织方', en: 'Organiser' })}>
                {[a.organiserUnitName, a.organiserTeamName].filter(Boolean).join(' · ') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '活动内容', en: 'Description' })}>
                {a.description ?? '—'}
              </Descriptions.Item>
            </Descriptions>
            <Row gutter={16} style={{ marginTop: 16 }}>
              <Col span={8}>
                <Statistic
                  title={t({ zh: '报名 / 名额', en: 'Signed up / seats' })}
                  value={`${a.signedUp} / ${a.capacity}`}
                />
              </Col>
              <Col span={8}>
                <Statistic title={t(L.volunteers.checkedIn)} value={a.checkedIn} />
              </Col>
              <Col span={8}>
                <Statistic
                  title={t(L.volunteers.hoursServed)}
                  value={minutesToHours(totalMinutes)}
                />
              </Col>
            </Row>
          </Col>
          {office && a.status === 'published' && (
            <Col xs={24} lg={10} style={{ textAlign: 'center' }}>
              <Typography.Title level={5}>
                {t({ zh: '现场签到码', en: 'Check-in code' })}
              </Typography.Title>
              {token ? (
                <Space orientation="vertical" align="center" data-testid="checkin-qr">
                  <QRCode value={link} type="svg" size={200} />
                  <Typography.Text
                    style={{ fontSize: 28, letterSpacing: 6 }}
                    data-testid="short-code"
                  >
                    {token.shortCode}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t({
                      zh: `扫码或在签到页输入数字码；每 ${token.refreshInS} 秒内自动更新`,
                      en: `Scan, or type the digits on the check-in page; renews within ${token.refreshInS} s`,
                    })}
                  </Typography.Text>
                  <Typography.Link
                    href={link}
                    copyable={{ text: link }}
                    style={{ fontSize: 12 }}
                    data-testid="checkin-link"
                  >
                    {t({ zh: '签到链接', en: 'Check-in link' })}
                  </Typography.Link>
                </Space>
              ) : (
                <Typography.Text type="secondary">…</Typography.Text>
              )}
            </Col>
          )}
        </Row>
      </Card>
      {can(Permission.VolunteerRead) && (
        <Card title={t({ zh: '报名与签到', en: 'Sign-ups and attendance' })} size="small">
          <Table<TAttendee>
            rowKey="volunteerId"
            size="small"
            dataSource={people}
            pagination={false}
            scroll={{ x: 700 }}
            data-testid="attendees"
            columns={[
              { title: t(L.common.personName), dataIndex: 'name' },
              { title: t(L.common.phone), dataIndex: 'phone' },
              { title: t(L.volunteers.team), dataIndex: 'teamName' },
              {
                title: t(L.volunteers.checkIn),
                render: (_, p) =>
                  p.checkInAt ? (
                    <span>
                      {formatTime(p.checkInAt).slice(11)}{' '}
                      {p.method && <Tag>{t(METHOD[p.method as keyof typeof METHOD])}</Tag>}
                    </span>
                  ) : (
                    <Tag>{t({ zh: '未签到', en: 'Not yet' })}</Tag>
                  ),
              },
              {
                title: t(L.volunteers.checkOut),
                render: (_, p) => (p.checkOutAt ? formatTime(p.checkOutAt).slice(11) : '—'),
              },
              {
                title: t({ zh: '时长(小时)', en: 'Hours' }),
                align: 'right',
                render: (_, p) => (
                  <span>
                    {minutesToHours(p.creditedMinutes)}
                    {p.estimated && (
                      <Tag color="orange" style={{ marginLeft: 4 }}>
                        {t(L.volunteers.noCheckOut)}
                      </Tag>
                    )}
                  </span>
                ),
              },
            ]}
          />
          <Typography.Text type="secondary">
            {t({
              zh: `签到 ${attended.length} 人`,
              en: `${attended.length} checked in`,
            })}
          </Typography.Text>
        </Card>
      )}
      {office && new Date(a.startsAt) <= new Date() && (
        <Card title={t({ zh: '活动照片', en: 'Photos' })} size="small">
          <Typography.Paragraph type="secondary">
            {t({
              zh: `已有 ${a.photoIds.length} 张。活动开始后上传现场照片，作为月度活动记录的佐证。`,
              en: `${a.photoIds.length} so far. Add photos taken at the activity as evidence.`,
            })}
          </Typography.Paragraph>
          <Space align="start">
            <PhotoInput value={photos} onChange={setPhotos} />
            <Button
              disabled={!photos.length}
              onClick={() =>
                void apiCall('POST /api/volunteer-activities/:id/photos', {
                  params: { id: a.id },
                  body: { fileIds: photos },
                })
                  .then((next) => {
                    setA(next);
                    setPhotos([]);
                    message.success(t(L.common.saved));
                  })
                  .catch((err: unknown) => message.error(errorText(err, lang)))
              }
            >
              {t({ zh: '保存照片', en: 'Save photos' })}
            </Button>
          </Space>
        </Card>
      )}
    </Space>
  );
}
