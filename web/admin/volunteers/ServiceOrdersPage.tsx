import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { TServiceOrder } from '../../../core/contracts/service-orders.js';
import {
  SERVICE_CATEGORY_LABELS,
  SERVICE_EVENT_LABELS,
  SERVICE_ORDER_CHANNEL_LABELS,
  SERVICE_ORDER_STATE_LABELS,
  SERVICE_ORDER_STATES,
  type TServiceOrderState,
} from '../../../core/service-orders/lifecycle.js';
import { Permission } from '../../../core/permissions.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { EnumPicker } from '../../shared/pickers.js';
import { useApiPages } from '../../shared/use-cursor-list.js';
import { Pager } from '../Pager.js';
import { STATE_COLORS } from './service-order-colors.js';
import { useAuth } from '../auth.js';

const STALE = [
  'GET /api/service-orders',
  'GET /api/service-orders/:id',
  'GET /api/service-records',
] as const;

type Dialog = { kind: 'dispatch' | 'decline' | 'confirm'; order: TServiceOrder };
interface DispatchForm {
  teamId: number;
  deadline: Dayjs;
  volunteersNeeded: number;
  lat?: number;
  lng?: number;
}

/**
 * 派单: the orders of the stations the office manages (the city: all), newest first, filtered by
 * station, state and overdue; each order's buttons are the steps the server says are open to the
 * reader (派单 to a team of the service with a deadline, 不予受理 with a reason, 代为确认 after the
 * requester's time ran out). The drawer holds the order's steps, takers, photos and — on request,
 * audited — the requester's contact.
 */
export function ServiceOrdersPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const [placeId, setPlaceId] = useState<number | undefined>();
  const [state, setState] = useState<TServiceOrderState | undefined>();
  const [overdue, setOverdue] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [contact, setContact] = useState<{ id: number; text: string } | null>(null);
  const list = useApiPages('GET /api/service-orders', {
    placeId,
    state,
    ...(overdue ? { overdue: 'true' as const } : {}),
  });
  const places = useApi('GET /api/practice-places', {});
  const detail = useApi(
    'GET /api/service-orders/:id',
    openId === null ? null : { params: { id: openId } },
  );
  const reveal = useApiMutation('POST /api/service-orders/:id/contact', { invalidates: [] });
  const open = detail.data;

  async function showContact(id: number) {
    try {
      const c = await reveal.mutateAsync({ params: { id } });
      setContact({ id, text: `${c.contactName} ${c.contactPhone}` });
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  const buttons = (o: TServiceOrder) => (
    <Space wrap>
      {o.actions.includes('dispatch') && (
        <Button
          size="small"
          type="primary"
          data-testid={`so-dispatch-${o.id}`}
          onClick={() => setDialog({ kind: 'dispatch', order: o })}
        >
          {o.state === 'dispatched'
            ? t({ zh: '改派', en: 'Re-dispatch' })
            : t({ zh: '派单', en: 'Dispatch' })}
        </Button>
      )}
      {o.actions.includes('decline') && (
        <Button
          size="small"
          danger
          data-testid={`so-decline-${o.id}`}
          onClick={() => setDialog({ kind: 'decline', order: o })}
        >
          {t({ zh: '不予受理', en: 'Decline' })}
        </Button>
      )}
      {o.actions.includes('confirm_for') && (
        <Button
          size="small"
          data-testid={`so-confirm-${o.id}`}
          onClick={() => setDialog({ kind: 'confirm', order: o })}
        >
          {t({ zh: '代为确认', en: 'Confirm on behalf' })}
        </Button>
      )}
    </Space>
  );

  return (
    <Card title={t({ zh: '点单派单', en: 'Service orders' })}>
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {list.error && <Alert type="error" showIcon title={errorText(list.error, lang)} />}
        <Space wrap>
          <Select
            allowClear
            style={{ width: 240 }}
            placeholder={t({ zh: '服务站点', en: 'Station' })}
            data-testid="so-place"
            value={placeId}
            options={(places.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            onChange={setPlaceId}
          />
          <EnumPicker
            values={SERVICE_ORDER_STATES}
            labels={SERVICE_ORDER_STATE_LABELS}
            id="so-state"
            placeholder={t(L.common.status)}
            width={130}
            onChange={setState}
          />
          <Button
            type={overdue ? 'primary' : 'default'}
            danger={overdue}
            data-testid="so-overdue"
            onClick={() => setOverdue(!overdue)}
          >
            {t({ zh: '仅看超时', en: 'Overdue only' })}
          </Button>
        </Space>
        <Table<TServiceOrder>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.items}
          pagination={false}
          data-testid="so-list"
          scroll={{ x: 1100 }}
          columns={[
            {
              title: t({ zh: '服务项目', en: 'Service' }),
              render: (_: unknown, o) => (
                <Space orientation="vertical" size={0}>
                  <a onClick={() => setOpenId(o.id)} data-testid={`so-open-${o.id}`}>
                    {o.itemName}
                  </a>
                  <Typography.Text type="secondary">{o.placeName}</Typography.Text>
                </Space>
              ),
            },
            {
              title: t({ zh: '需求', en: 'Need' }),
              render: (_: unknown, o) => (
                <Space orientation="vertical" size={0}>
                  <span>{o.need}</span>
                  <Typography.Text type="secondary">
                    {o.address}
                    {o.preferredTime ? ` · ${o.preferredTime}` : ''}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t({ zh: '点单人', en: 'Requester' }),
              width: 140,
              render: (_: unknown, o) => (
                <Space orientation="vertical" size={0}>
                  <span>
                    {o.contactName} {o.contactPhone}
                  </span>
                  <Typography.Text type="secondary">
                    {t(SERVICE_ORDER_CHANNEL_LABELS[o.channel])}
                    {o.orderedByName ? ` · ${o.orderedByName}` : ''}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t(L.common.status),
              width: 150,
              render: (_: unknown, o) => (
                <Space size={4} wrap>
                  <Tag color={STATE_COLORS[o.state]} data-testid={`so-state-${o.id}`}>
                    {t(SERVICE_ORDER_STATE_LABELS[o.state])}
                  </Tag>
                  {o.overdue && <Tag color="red">{t({ zh: '超时', en: 'Overdue' })}</Tag>}
                </Space>
              ),
            },
            {
              title: t(L.volunteers.team),
              width: 160,
              render: (_: unknown, o) =>
                o.teamName ? (
                  <Space orientation="vertical" size={0}>
                    <span>{o.teamName}</span>
                    <Typography.Text type="secondary">
                      {o.takers.length}/{o.volunteersNeeded}
                      {o.deadline ? ` · ${t(L.common.timeLimit)} ${formatTime(o.deadline)}` : ''}
                    </Typography.Text>
                  </Space>
                ) : (
                  '—'
                ),
            },
            {
              title: t({ zh: '点单时间', en: 'Ordered' }),
              width: 140,
              render: (_: unknown, o) => formatTime(o.orderedAt),
            },
            { title: t(L.common.actions), width: 190, render: (_: unknown, o) => buttons(o) },
          ]}
        />
        <Pager
          total={list.total}
          pageNumber={list.pageNumber}
          hasPrev={list.hasPrev}
          hasNext={list.hasNext}
          prev={list.prev}
          next={list.next}
        />
      </Space>
      <Drawer
        open={openId !== null}
        onClose={() => setOpenId(null)}
        title={open ? `${open.itemName} · ${open.trackingCode}` : ''}
        size={Math.min(600, window.innerWidth)}
      >
        {open && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="so-detail">
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t({ zh: '服务站点', en: 'Station' })}>
                {open.placeName} · {t(SERVICE_CATEGORY_LABELS[open.category])}
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '需求', en: 'Need' })}>
                {open.need}
              </Descriptions.Item>
              <Descriptions.Item label={t(L.common.address)}>
                {open.address}
                {open.lat === null ? ` (${t({ zh: '无坐标', en: 'no position' })})` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t({ zh: '点单人', en: 'Requester' })}>
                <Space>
                  <span data-testid="so-contact">
                    {contact?.id === open.id
                      ? contact.text
                      : `${open.contactName} ${open.contactPhone}`}
                  </span>
                  {contact?.id !== open.id && can(Permission.ServiceOrderDispatch) && (
                    <Button
                      size="small"
                      data-testid="so-reveal"
                      onClick={() => void showContact(open.id)}
                    >
                      {t({ zh: '查看完整联系方式', en: 'Show in full' })}
                    </Button>
                  )}
                </Space>
              </Descriptions.Item>
              {open.takers.length > 0 && (
                <Descriptions.Item label={t({ zh: '接单志愿者', en: 'Volunteers' })}>
                  {open.takers
                    .map(
                      (k) =>
                        `${k.name}${k.checkInAt ? ` · ${t({ zh: '已到场', en: 'on site' })}` : ''}${k.creditedMinutes ? ` · ${minutesToHours(k.creditedMinutes)} h` : ''}`,
                    )
                    .join('；')}
                </Descriptions.Item>
              )}
              {open.declineReason && (
                <Descriptions.Item label={t({ zh: '不予受理原因', en: 'Why declined' })}>
                  {open.declineReason}
                </Descriptions.Item>
              )}
              {open.doneNote && (
                <Descriptions.Item label={t({ zh: '服务情况', en: 'What was done' })}>
                  {open.doneNote}
                </Descriptions.Item>
              )}
              {open.confirmedBy && (
                <Descriptions.Item label={t({ zh: '评价', en: 'Verdict' })}>
                  {open.confirmedBy === 'station'
                    ? `${t({ zh: '站点代为确认', en: 'Confirmed by the station' })}：${open.confirmReason ?? ''}`
                    : `${open.satisfied ? t({ zh: '满意', en: 'Satisfied' }) : t({ zh: '不满意', en: 'Not satisfied' })}${open.comment ? ` · ${open.comment}` : ''}`}
                </Descriptions.Item>
              )}
            </Descriptions>
            {open.photos.length > 0 && (
              <Image.PreviewGroup>
                <Space wrap>
                  {open.photos.map((p) => (
                    <Image key={p.id} width={120} src={p.thumbUrl} preview={{ src: p.url }} />
                  ))}
                </Space>
              </Image.PreviewGroup>
            )}
            <Timeline
              data-testid="so-events"
              items={open.events.map((e, i) => ({
                key: i,
                content: `${formatTime(e.at)} ${t(SERVICE_EVENT_LABELS[e.action])}${e.by ? ` · ${e.by}` : ''}${e.note ? ` — ${e.note}` : ''}`,
              }))}
            />
          </Space>
        )}
      </Drawer>
      {dialog && <StepDialog dialog={dialog} onClose={() => setDialog(null)} />}
    </Card>
  );
}

/** 派单 (team, deadline, seats; a position when the order has none), 不予受理, 代为确认. */
function StepDialog({ dialog, onClose }: { dialog: Dialog; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DispatchForm & { reason: string }>();
  const [busy, setBusy] = useState(false);
  const o = dialog.order;
  // A step changes the order (its list and detail) and the stations' record.
  const dispatch = useApiMutation('POST /api/service-orders/:id/dispatch', { invalidates: STALE });
  const decline = useApiMutation('POST /api/service-orders/:id/decline', { invalidates: STALE });
  const confirm = useApiMutation('POST /api/service-orders/:id/confirm', { invalidates: STALE });
  const items = useApi(
    'GET /api/service-items',
    dialog.kind === 'dispatch' ? { query: { placeId: o.placeId } } : null,
  );
  const allTeams = useApi('GET /api/volunteer-teams', dialog.kind === 'dispatch' ? {} : null);
  const itemTeams = items.data?.items.find((i) => i.id === o.itemId)?.teams ?? [];
  const teams = itemTeams.length
    ? itemTeams
    : (allTeams.data ?? []).map((x) => ({ id: x.id, name: x.name }));

  async function ok() {
    let v: DispatchForm & { reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const params = { id: o.id };
      if (dialog.kind === 'dispatch') {
        await dispatch.mutateAsync({
          params,
          body: {
            teamId: v.teamId,
            deadline: v.deadline.toISOString(),
            volunteersNeeded: v.volunteersNeeded,
            ...(v.lat !== undefined && v.lng !== undefined ? { lat: v.lat, lng: v.lng } : {}),
            version: o.version,
          },
        });
      } else if (dialog.kind === 'decline') {
        await decline.mutateAsync({ params, body: { reason: v.reason, version: o.version } });
      } else {
        await confirm.mutateAsync({ params, body: { reason: v.reason, version: o.version } });
      }
      message.success(t(L.common.saved));
      onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err, lang)) message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  const title =
    dialog.kind === 'dispatch'
      ? t({ zh: `派单：${o.itemName}`, en: `Dispatch: ${o.itemName}` })
      : dialog.kind === 'decline'
        ? t({ zh: '不予受理', en: 'Decline' })
        : t({ zh: '代居民确认服务完成', en: 'Confirm on the requester’s behalf' });
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => void ok()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          deadline: dayjs().add(2, 'day').hour(18).minute(0).second(0),
          volunteersNeeded: o.volunteersNeeded,
          teamId: o.teamId ?? undefined,
        }}
      >
        {dialog.kind === 'dispatch' ? (
          <>
            <Form.Item name="teamId" label={t(L.volunteers.team)} rules={[{ required: true }]}>
              <Select id="so-team" options={teams.map((x) => ({ value: x.id, label: x.name }))} />
            </Form.Item>
            <Form.Item
              name="deadline"
              label={t({ zh: '完成时限', en: 'Deadline' })}
              rules={[{ required: true }]}
            >
              <DatePicker
                id="so-deadline"
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
              />
            </Form.Item>
            <Form.Item
              name="volunteersNeeded"
              label={t({ zh: '所需志愿者（人）', en: 'Volunteers needed' })}
            >
              <InputNumber id="so-needed" min={1} max={10} />
            </Form.Item>
            {o.lat === null && (
              <>
                <Typography.Paragraph type="secondary">
                  {t({
                    zh: '该服务单没有服务地址坐标，志愿者到场签到需要，请填写：',
                    en: 'This order has no position; the volunteers check in there. Enter it:',
                  })}
                </Typography.Paragraph>
                <Space>
                  <Form.Item name="lat" label={t(L.common.latitude)} rules={[{ required: true }]}>
                    <InputNumber id="so-lat" min={3} max={54} step={0.0001} />
                  </Form.Item>
                  <Form.Item name="lng" label={t(L.common.longitude)} rules={[{ required: true }]}>
                    <InputNumber id="so-lng" min={73} max={136} step={0.0001} />
                  </Form.Item>
                </Space>
              </>
            )}
          </>
        ) : (
          <Form.Item
            name="reason"
            label={
              dialog.kind === 'decline'
                ? t({ zh: '原因（居民可见）', en: 'Reason (the requester reads it)' })
                : t({ zh: '代为确认的原因', en: 'Why the station confirms' })
            }
            rules={[{ required: true, max: 300 }]}
          >
            <Input.TextArea id="so-reason" rows={3} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
