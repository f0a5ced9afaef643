import {
  App,
  Badge,
  Button,
  Calendar,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { TActivity } from '../../../core/contracts/volunteers.js';
import { Permission } from '../../../core/permissions.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { useTeams } from './VolunteersPage.js';

/** 志愿活动: a month's activities as a calendar or a list; volunteers sign up, the office creates. */
export function VolunteerActivitiesPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const [view, setView] = useState<'list' | 'calendar'>(
    window.innerWidth < 768 ? 'list' : 'calendar',
  );
  const [creating, setCreating] = useState(false);
  const serving = can(Permission.VolunteerServe) && !can(Permission.VolunteerWrite);
  // The month's activities, with a week either side (the calendar shows them).
  const activities = useApi('GET /api/volunteer-activities', {
    query: {
      from: month.startOf('month').subtract(7, 'day').toISOString(),
      to: month.endOf('month').add(7, 'day').toISOString(),
    },
  });
  const items = activities.data ?? [];
  const loading = activities.isFetching;
  useEffect(() => {
    if (activities.error) message.error(errorText(activities.error, lang));
  }, [activities.error, lang, message]);
  // A volunteer's own hours (none shown when they cannot be read).
  const ledger = useApi('GET /api/volunteers/me/ledger', serving ? {} : null).data ?? null;
  // Both read the activities again (every read under /api/volunteer-activities).
  const signUp = useApiMutation('POST /api/volunteer-activities/:id/sign-up');
  const cancelSignUp = useApiMutation('POST /api/volunteer-activities/:id/cancel-sign-up');

  async function act(a: TActivity, action: 'sign-up' | 'cancel-sign-up') {
    try {
      await (action === 'sign-up' ? signUp : cancelSignUp).mutateAsync({ params: { id: a.id } });
      message.success(
        action === 'sign-up'
          ? t({ zh: '报名成功', en: 'Signed up' })
          : t({ zh: '已取消报名', en: 'Sign-up cancelled' }),
      );
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  const upcoming = items.filter((a) => formatTime(a.startsAt).startsWith(month.format('YYYY-MM')));
  const full = (a: TActivity) => a.signedUp >= a.capacity;

  return (
    <Card
      title={t(L.volunteers.activity)}
      extra={
        <Space wrap>
          <Segmented
            value={view}
            onChange={(v) => setView(v as 'list' | 'calendar')}
            options={[
              { value: 'calendar', label: t({ zh: '日历', en: 'Calendar' }) },
              { value: 'list', label: t(L.common.list) },
            ]}
          />
          {can(Permission.VolunteerWrite) && (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="activity-new">
              {t({ zh: '发布活动', en: 'New activity' })}
            </Button>
          )}
        </Space>
      }
    >
      {serving && ledger && (
        <Typography.Paragraph data-testid="my-hours">
          {t({ zh: '我的累计服务时长：', en: 'My service hours: ' })}
          <Typography.Text strong>{minutesToHours(ledger.totalMinutes)}</Typography.Text>{' '}
          {t(L.common.hoursUnit)}
        </Typography.Paragraph>
      )}
      {view === 'calendar' ? (
        <Calendar
          value={month}
          onPanelChange={(d) => setMonth(d)}
          onSelect={(d, info) => info.source === 'date' && setMonth(d)}
          cellRender={(d, info) => {
            if (info.type !== 'date') return null;
            // Days and times in Asia/Shanghai, whatever the browser's zone.
            const ymd = d.format('YYYY-MM-DD');
            const day = items.filter((a) => formatTime(a.startsAt).startsWith(ymd));
            return (
              <div>
                {day.map((a) => (
                  <div
                    key={a.id}
                    onClick={() => void navigate(`/volunteer-activities/${a.id}`)}
                    style={{
                      fontSize: 12,
                      whiteSpace: 'nowrap',
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                    }}
                  >
                    <Badge
                      status={
                        a.status === 'cancelled' ? 'default' : full(a) ? 'warning' : 'processing'
                      }
                      text={`${formatTime(a.startsAt).slice(11)} ${a.title}`}
                    />
                  </div>
                ))}
              </div>
            );
          }}
        />
      ) : (
        <>
          <DatePicker
            picker="month"
            value={month}
            allowClear={false}
            onChange={(d) => d && setMonth(d)}
            style={{ marginBottom: 12 }}
          />
          <List
            loading={loading}
            itemLayout={window.innerWidth < 768 ? 'vertical' : 'horizontal'}
            dataSource={upcoming}
            locale={{ emptyText: t({ zh: '本月暂无活动', en: 'No activities this month' }) }}
            renderItem={(a) => (
              <List.Item
                data-testid={`activity-${a.id}`}
                actions={[
                  ...(serving && a.mine && a.status === 'published' && !a.mine.checkOutAt
                    ? a.mine.signedUp
                      ? dayjs(a.endsAt).add(1, 'hour').isBefore(dayjs())
                        ? []
                        : [
                            <Button
                              key="checkin"
                              type="primary"
                              data-testid="check-in"
                              // Checking in is the phone app's (its position, QR code, queue).
                              onClick={() => window.location.assign(`/m/checkin/${a.id}`)}
                            >
                              {t(L.volunteers.checkIn)}
                            </Button>,
                            ...(a.mine.checkInAt
                              ? []
                              : [
                                  <Button
                                    key="cancel"
                                    onClick={() => void act(a, 'cancel-sign-up')}
                                  >
                                    {t(L.volunteers.cancelSignUp)}
                                  </Button>,
                                ]),
                          ]
                      : [
                          <Button
                            key="signup"
                            type="primary"
                            disabled={full(a) || dayjs(a.endsAt).isBefore(dayjs())}
                            onClick={() => void act(a, 'sign-up')}
                            data-testid="sign-up"
                          >
                            {full(a) ? t({ zh: '已满', en: 'Full' }) : t(L.volunteers.signUp)}
                          </Button>,
                        ]
                    : []),
                  ...(!serving
                    ? [
                        <Button
                          key="open"
                          onClick={() => void navigate(`/volunteer-activities/${a.id}`)}
                        >
                          {t({ zh: '详情', en: 'Details' })}
                        </Button>,
                      ]
                    : []),
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space wrap>
                      {a.title}
                      {a.status === 'cancelled' && <Tag>{t(L.common.cancelled)}</Tag>}
                      {a.mine?.signedUp && <Tag color="green">{t(L.volunteers.signedUp)}</Tag>}
                      {a.mine?.checkInAt && <Tag color="blue">{t(L.volunteers.checkedIn)}</Tag>}
                    </Space>
                  }
                  description={
                    <Space orientation="vertical" size={0}>
                      <span>
                        {formatTime(a.startsAt)} — {formatTime(a.endsAt).slice(11)}
                      </span>
                      <span>{a.placeName ?? a.address ?? ''}</span>
                      <span>
                        {t(L.volunteers.seats)} {a.signedUp}/{a.capacity}
                        {a.organiserTeamName || a.organiserUnitName
                          ? ` · ${a.organiserTeamName ?? a.organiserUnitName}`
                          : ''}
                      </span>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        </>
      )}
      <NewActivityModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(a) => {
          setCreating(false);
          void navigate(`/volunteer-activities/${a.id}`);
        }}
      />
    </Card>
  );
}

interface NewActivityForm {
  title: string;
  description?: string;
  when: [Dayjs, Dayjs];
  placeId?: number;
  capacity: number;
  organiserTeamId?: number;
}

function NewActivityModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (a: TActivity) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  // The stations an activity can be at (none offered when they cannot be read).
  const places = useApi('GET /api/practice-places', props.open ? {} : null).data ?? [];
  const teams = useTeams();
  const create = useApiMutation('POST /api/volunteer-activities');

  async function submit(v: NewActivityForm) {
    try {
      const a = await create.mutateAsync({
        body: {
          title: v.title,
          description: v.description ?? null,
          startsAt: v.when[0].toISOString(),
          endsAt: v.when[1].toISOString(),
          placeId: v.placeId ?? null,
          capacity: v.capacity,
          organiserTeamId: v.organiserTeamId ?? null,
        },
      });
      form.resetFields();
      props.onCreated(a);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  }

  return (
    <Modal
      open={props.open}
      title={t({ zh: '发布志愿活动', en: 'New volunteer activity' })}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t(L.common.publish)}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v: NewActivityForm) => void submit(v)}
        initialValues={{ capacity: 20 }}
      >
        <Form.Item
          name="title"
          label={t({ zh: '活动名称', en: 'Title' })}
          rules={[{ required: true }]}
        >
          <Input data-testid="activity-title" />
        </Form.Item>
        <Form.Item name="when" label={t(L.common.time)} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Form.Item name="placeId" label={t({ zh: '地点（实践阵地）', en: 'Place (station)' })}>
          <Select allowClear options={places.map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
        <Form.Item name="organiserTeamId" label={t({ zh: '组织服务队', en: 'Organising team' })}>
          <Select allowClear options={teams.map((x) => ({ value: x.id, label: x.name }))} />
        </Form.Item>
        <Form.Item
          name="capacity"
          label={t({ zh: '招募人数', en: 'Capacity' })}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={10000} />
        </Form.Item>
        <Form.Item name="description" label={t({ zh: '活动内容', en: 'Description' })}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
