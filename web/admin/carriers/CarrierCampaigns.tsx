import {
  App,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  CARRIER_KIND_LABELS,
  CARRIER_THEME_LABELS,
  CARRIER_THEMES,
  type TAdCampaign,
  type TAdCampaignDetail,
  type TCarrierTheme,
} from '../../../core/contracts/ad-carriers.js';
import { Permission } from '../../../core/permissions.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { PhotoInput } from '../../shared/photos.js';
import { useAuth } from '../auth.js';

/** 换版: content campaigns with their progress; each carrier done with before/after photos. */
export function CarrierCampaigns() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const list = useApi('GET /api/ad-campaigns', {});
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {can(Permission.InspectionManage) && (
        <Button type="primary" onClick={() => setCreating(true)} data-testid="campaign-new">
          {t(L.carriers.newCampaign)}
        </Button>
      )}
      {list.error && <Typography.Text type="danger">{errorText(list.error, lang)}</Typography.Text>}
      <Table<TAdCampaign>
        size="small"
        rowKey="id"
        pagination={false}
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid="campaigns"
        onRow={(c) => ({ onClick: () => setOpenId(c.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t(L.common.name), dataIndex: 'name' },
          {
            title: t(L.carriers.carrierTheme),
            dataIndex: 'theme',
            render: (k: TCarrierTheme) => t(CARRIER_THEME_LABELS[k]),
          },
          {
            title: t(L.carriers.deadline),
            dataIndex: 'deadline',
            render: (d: string, c: TAdCampaign) => (
              <span>
                {d} {c.overdue && <Tag color="red">{t({ zh: '已逾期', en: 'Overdue' })}</Tag>}
              </span>
            ),
          },
          {
            title: t({ zh: '进度', en: 'Progress' }),
            key: 'progress',
            width: 220,
            render: (_: unknown, c: TAdCampaign) => (
              <span data-testid={`campaign-progress-${c.id}`}>
                <Progress percent={c.percent} size="small" format={() => `${c.done}/${c.total}`} />
              </span>
            ),
          },
        ]}
      />
      <CampaignDrawer id={openId} onClose={() => setOpenId(null)} />
      <CampaignModal open={creating} onClose={() => setCreating(false)} />
    </Space>
  );
}

function CampaignDrawer(props: { id: number | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const q = useApi(
    'GET /api/ad-campaigns/:id',
    props.id === null ? null : { params: { id: props.id } },
  );
  const [marking, setMarking] = useState<number | null>(null);
  const d: TAdCampaignDetail | undefined = q.data?.campaign.id === props.id ? q.data : undefined;
  return (
    <Drawer
      open={props.id !== null}
      onClose={props.onClose}
      title={d?.campaign.name}
      width={Math.min(760, window.innerWidth)}
    >
      {q.error && <Typography.Text type="danger">{errorText(q.error, lang)}</Typography.Text>}
      {d && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary" data-testid="campaign-design">
            {t(L.carriers.designTitle)}：{d.campaign.designTitle ?? '—'} · {t(L.carriers.deadline)}{' '}
            {d.campaign.deadline}
          </Typography.Text>
          <Progress
            percent={d.campaign.percent}
            format={() => `${d.campaign.done}/${d.campaign.total}`}
          />
          <Table
            size="small"
            rowKey="carrierId"
            pagination={false}
            dataSource={d.items}
            data-testid="campaign-items"
            columns={[
              { title: t(L.carriers.carrierCode), dataIndex: 'code' },
              {
                title: t(L.carriers.carrierKind),
                dataIndex: 'kind',
                render: (k: keyof typeof CARRIER_KIND_LABELS) => t(CARRIER_KIND_LABELS[k]),
              },
              {
                title: t({ zh: '所属点位', en: 'Point' }),
                dataIndex: 'pointName',
                render: (v: string | null) => v ?? '—',
              },
              {
                title: t(L.common.status),
                key: 'done',
                render: (_: unknown, i: TAdCampaignDetail['items'][number]) =>
                  i.doneAt ? (
                    <Space size={4}>
                      <Tag color="green">{t({ zh: '已完成', en: 'Done' })}</Tag>
                      {i.beforePhotoId && (
                        <img src={`/api/files/${i.beforePhotoId}/thumb`} alt="" height={32} />
                      )}
                      {i.afterPhotoId && (
                        <img src={`/api/files/${i.afterPhotoId}/thumb`} alt="" height={32} />
                      )}
                      <Typography.Text type="secondary">{formatTime(i.doneAt)}</Typography.Text>
                    </Space>
                  ) : can(Permission.AdCarrierWrite) ? (
                    <Button size="small" onClick={() => setMarking(i.carrierId)}>
                      {t(L.carriers.markDone)}
                    </Button>
                  ) : (
                    <Tag>{t({ zh: '未完成', en: 'Not done' })}</Tag>
                  ),
              },
            ]}
          />
          <DoneModal
            campaignId={d.campaign.id}
            carrierId={marking}
            onClose={() => setMarking(null)}
          />
        </Space>
      )}
    </Drawer>
  );
}

function DoneModal(props: { campaignId: number; carrierId: number | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ before?: string[]; after?: string[]; note?: string }>();
  const done = useApiMutation('POST /api/ad-campaigns/:id/carriers/:carrierId/done', {
    invalidates: ['GET /api/ad-campaigns', 'GET /api/ad-carriers'],
  });
  const save = async () => {
    const v = await form.validateFields();
    try {
      await done.mutateAsync({
        params: { id: props.campaignId, carrierId: props.carrierId! },
        body: {
          beforePhotoId: v.before?.[0] ?? '',
          afterPhotoId: v.after?.[0] ?? '',
          ...(v.note ? { note: v.note } : {}),
        },
      });
      message.success(t({ zh: '已标记完成', en: 'Marked done' }));
      props.onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err, lang)) message.error(errorText(err, lang));
    }
  };
  return (
    <Modal
      open={props.carrierId !== null}
      title={t(L.carriers.markDone)}
      onOk={() => void save()}
      confirmLoading={done.isPending}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="before" label={t(L.carriers.beforePhoto)} rules={[{ required: true }]}>
          <PhotoInput max={1} testId="campaign-before" />
        </Form.Item>
        <Form.Item name="after" label={t(L.carriers.afterPhoto)} rules={[{ required: true }]}>
          <PhotoInput max={1} testId="campaign-after" />
        </Form.Item>
        <Form.Item name="note" label={t(L.common.notes)}>
          <Input maxLength={300} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type CampaignForm = {
  name: string;
  theme: TCarrierTheme;
  designTitle?: string;
  deadline: Dayjs;
  carrierIds: number[];
};

/** Starts a 换版 campaign over carriers chosen from the registry. */
function CampaignModal(props: { open: boolean; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<CampaignForm>();
  const [q, setQ] = useState('');
  const carriers = useApi(
    'GET /api/ad-carriers',
    props.open ? { query: { q: q || undefined, limit: 200 } } : null,
  );
  const create = useApiMutation('POST /api/ad-campaigns');
  const save = async () => {
    const v = await form.validateFields();
    try {
      await create.mutateAsync({
        body: {
          name: v.name,
          theme: v.theme,
          designTitle: v.designTitle || null,
          deadline: v.deadline.format('YYYY-MM-DD'),
          carrierIds: v.carrierIds,
        },
      });
      message.success(t(L.common.saved));
      props.onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err, lang)) message.error(errorText(err, lang));
    }
  };
  return (
    <Modal
      open={props.open}
      title={t(L.carriers.newCampaign)}
      onOk={() => void save()}
      confirmLoading={create.isPending}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form<CampaignForm>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ theme: 'festival' }}
      >
        <Form.Item
          name="name"
          label={t(L.common.name)}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input
            maxLength={60}
            placeholder={t({ zh: '如：春节主题换版', en: 'e.g. Spring Festival designs' })}
          />
        </Form.Item>
        <Form.Item name="theme" label={t(L.carriers.carrierTheme)} rules={[{ required: true }]}>
          <Select
            options={CARRIER_THEMES.map((k) => ({ value: k, label: t(CARRIER_THEME_LABELS[k]) }))}
          />
        </Form.Item>
        <Form.Item name="designTitle" label={t(L.carriers.designTitle)}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="deadline" label={t(L.carriers.deadline)} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="carrierIds" label={t(L.carriers.carriers)} rules={[{ required: true }]}>
          <Select
            mode="multiple"
            showSearch={{ filterOption: false, onSearch: setQ }}
            options={(carriers.data?.items ?? []).map((c) => ({
              value: c.id,
              label: `${c.code} ${c.pointName ?? ''}`,
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
