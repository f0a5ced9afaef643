import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import type { TServiceItem } from '../../../core/contracts/service-orders.js';
import { Permission } from '../../../core/permissions.js';
import {
  SERVICE_CATEGORIES,
  SERVICE_CATEGORY_LABELS,
  type TServiceCategory,
} from '../../../core/service-orders/lifecycle.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

interface ItemForm {
  placeId: number;
  name: string;
  category: TServiceCategory;
  description?: string;
  teamIds: number[];
  volunteersNeeded: number;
  active: boolean;
}

/**
 * 服务菜单: what each practice station offers residents and which teams serve it. The office
 * edits the menus of its own stations; withdrawing an item takes it off the public page (orders
 * already placed keep it).
 */
export function ServiceMenuPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const [placeId, setPlaceId] = useState<number | undefined>();
  const [editing, setEditing] = useState<TServiceItem | 'new' | null>(null);
  const writable = can(Permission.ServiceMenuWrite);
  const items = useApi('GET /api/service-items', { query: { placeId } });
  const places = useApi('GET /api/practice-places', {});
  const error = items.error ?? places.error;
  return (
    <Card
      title={t({ zh: '服务菜单', en: 'Service menus' })}
      extra={
        writable && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="menu-add"
            onClick={() => setEditing('new')}
          >
            {t({ zh: '新增服务', en: 'Add a service' })}
          </Button>
        )
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        {error && <Alert type="error" showIcon title={errorText(error, lang)} />}
        <Select
          allowClear
          style={{ width: 260 }}
          placeholder={t({ zh: '服务站点', en: 'Station' })}
          value={placeId}
          options={(places.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          onChange={setPlaceId}
        />
        <Table<TServiceItem>
          rowKey="id"
          size="small"
          loading={items.isFetching}
          dataSource={items.data?.items ?? []}
          pagination={false}
          data-testid="menu-list"
          columns={[
            { title: t({ zh: '服务站点', en: 'Station' }), dataIndex: 'placeName', width: 220 },
            {
              title: t({ zh: '服务项目', en: 'Service' }),
              render: (_: unknown, i) => (
                <Space orientation="vertical" size={0}>
                  <b>{i.name}</b>
                  {i.description && <span>{i.description}</span>}
                </Space>
              ),
            },
            {
              title: t(L.common.category),
              width: 90,
              render: (_: unknown, i) => t(SERVICE_CATEGORY_LABELS[i.category]),
            },
            {
              title: t(L.volunteers.team),
              render: (_: unknown, i) =>
                i.teams.length
                  ? i.teams.map((x) => <Tag key={x.id}>{x.name}</Tag>)
                  : t({ zh: '本级任一服务队', en: 'Any team of the level' }),
            },
            {
              title: t({ zh: '所需人数', en: 'Volunteers' }),
              dataIndex: 'volunteersNeeded',
              width: 90,
              align: 'right',
            },
            {
              title: t(L.common.status),
              width: 90,
              render: (_: unknown, i) =>
                i.active ? (
                  <Tag color="green">{t({ zh: '提供中', en: 'Offered' })}</Tag>
                ) : (
                  <Tag>{t({ zh: '已停止', en: 'Withdrawn' })}</Tag>
                ),
            },
            ...(writable
              ? [
                  {
                    title: t(L.common.actions),
                    width: 80,
                    render: (_: unknown, i: TServiceItem) => (
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        data-testid={`menu-edit-${i.id}`}
                        onClick={() => setEditing(i)}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Space>
      {editing && <ItemDialog item={editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

function ItemDialog({ item, onClose }: { item: TServiceItem | 'new'; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemForm>();
  const [busy, setBusy] = useState(false);
  const places = useApi('GET /api/practice-places', {});
  const teams = useApi('GET /api/volunteer-teams', {});
  const create = useApiMutation('POST /api/service-items');
  const update = useApiMutation('PATCH /api/service-items/:id');

  async function ok() {
    let v: ItemForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const fields = {
        name: v.name,
        category: v.category,
        description: v.description || null,
        teamIds: v.teamIds ?? [],
        volunteersNeeded: v.volunteersNeeded,
        active: v.active,
      };
      if (item === 'new') await create.mutateAsync({ body: { ...fields, placeId: v.placeId } });
      else
        await update.mutateAsync({
          params: { id: item.id },
          body: { ...fields, version: item.version },
        });
      message.success(t(L.common.saved));
      onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err, lang)) message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  const initial =
    item === 'new'
      ? { volunteersNeeded: 1, active: true, teamIds: [] }
      : {
          placeId: item.placeId,
          name: item.name,
          category: item.category,
          description: item.description ?? '',
          teamIds: item.teams.map((x) => x.id),
          volunteersNeeded: item.volunteersNeeded,
          active: item.active,
        };
  return (
    <Modal
      open
      title={
        item === 'new'
          ? t({ zh: '新增服务', en: 'Add a service' })
          : t({ zh: '编辑服务', en: 'Edit the service' })
      }
      onCancel={onClose}
      onOk={() => void ok()}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={initial}>
        <Form.Item
          name="placeId"
          label={t({ zh: '服务站点', en: 'Station' })}
          rules={[{ required: true }]}
        >
          <Select
            id="menu-place"
            disabled={item !== 'new'}
            options={(places.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t({ zh: '服务名称', en: 'Name' })}
          rules={[{ required: true, max: 40 }]}
        >
          <Input id="menu-name" />
        </Form.Item>
        <Form.Item name="category" label={t(L.common.category)} rules={[{ required: true }]}>
          <Select
            id="menu-category"
            options={SERVICE_CATEGORIES.map((c) => ({
              value: c,
              label: t(SERVICE_CATEGORY_LABELS[c]),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t({ zh: '服务说明', en: 'Description' })}
          rules={[{ max: 500 }]}
        >
          <Input.TextArea id="menu-description" rows={2} />
        </Form.Item>
        <Form.Item
          name="teamIds"
          label={t({
            zh: '可派服务队（不选则本级任一服务队）',
            en: 'Teams (none: any of the level)',
          })}
        >
          <Select
            id="menu-teams"
            mode="multiple"
            options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          />
        </Form.Item>
        <Space>
          <Form.Item
            name="volunteersNeeded"
            label={t({ zh: '所需志愿者（人）', en: 'Volunteers needed' })}
          >
            <InputNumber id="menu-needed" min={1} max={10} />
          </Form.Item>
          <Form.Item
            name="active"
            label={t({ zh: '对外提供', en: 'Offered' })}
            valuePropName="checked"
          >
            <Switch id="menu-active" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
