import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import {
  UNIT_SORTS,
  UNIT_TYPE_LABELS,
  UNIT_TYPES,
  ZCreateUnitRequestSchema,
  type TUnit,
  type TUnitType,
} from '../../../core/contracts/org.js';
import { Permission } from '../../../core/permissions.js';
import { qs } from '../../shared/api.js';
import { useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, blankToNull, errorText, oneOf, zodRule } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { RegionPicker, UnitPicker } from '../../shared/pickers.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { ExportButton, ImportButton } from '../ImportButton.js';
import { Pager } from '../Pager.js';

/** What splits names typed or pasted into the 别名 field, as the import splits a 简称 cell. */
const NAME_SEPARATORS = ['、', '，', ',', '；', ';', '/', '／'];

type Filters = PageFilters<'GET /api/units'>;
const S = ZCreateUnitRequestSchema.shape;

/** The unit dialog's fields (empty ones are sent as null). */
interface UnitForm {
  code: string;
  name: string;
  shortName?: string | null;
  aliases?: string[];
  type: TUnitType;
  regionId?: number | null;
  parentId?: number | null;
  contactName?: string | null;
  contactPhone?: string | null;
  address?: string | null;
  active?: boolean;
}

export function UnitsPage() {
  const { t, lang } = useI18n();
  const { can, user: me } = useAuth();
  // 分级管理: a district or street office places units within its own subtree.
  const within = me ? administeredRegionOf(me) : null;
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({ sort: 'id', order: 'asc' });
  const list = useApiPages('GET /api/units', filters);
  const [editing, setEditing] = useState<TUnit | 'new' | null>(null);
  const [form] = Form.useForm<UnitForm>();
  // Each write refetches the unit list (and every other read under /api/units).
  const create = useApiMutation('POST /api/units');
  const update = useApiMutation('PATCH /api/units/:id');
  const removeUnit = useApiMutation('DELETE /api/units/:id');
  const writable = can(Permission.UnitWrite);

  const open = (u: TUnit | 'new') => {
    setEditing(u);
    form.resetFields();
    if (u !== 'new') form.setFieldsValue(u);
    else form.setFieldsValue({ active: true, aliases: [], regionId: within });
  };

  const save = async () => {
    const v = await form.validateFields();
    const body = {
      code: v.code,
      name: v.name,
      type: v.type,
      shortName: blankToNull(v.shortName),
      regionId: blankToNull(v.regionId),
      parentId: blankToNull(v.parentId),
      contactName: blankToNull(v.contactName),
      contactPhone: blankToNull(v.contactPhone),
      address: blankToNull(v.address),
      active: v.active ?? true,
      aliases: v.aliases ?? [],
    };
    try {
      if (editing === 'new') await create.mutateAsync({ body });
      else if (editing)
        await update.mutateAsync({
          params: { id: editing.id },
          body: { ...body, version: editing.version },
        });
      message.success(t(L.common.saved));
      setEditing(null);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };

  const remove = async (u: TUnit) => {
    try {
      await removeUnit.mutateAsync({ params: { id: u.id }, query: { version: u.version } });
      message.success(t(L.common.deleted));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  const typeOptions = UNIT_TYPES.map((x) => ({ value: x, label: t(UNIT_TYPE_LABELS[x]) }));
  const exportHref = `/api/units/export.xlsx${qs({ q: filters.q, type: filters.type, regionId: filters.regionId, active: filters.active })}`;

  return (
    <Card title={t({ zh: '单位管理', en: 'Units' })}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t({
            zh: '名称 / 代码 / 简称 / 别名',
            en: 'Name / code / short name / alias',
          })}
          onSearch={(q) => setFilters((f) => ({ ...f, q: q || undefined }))}
          style={{ width: 240 }}
          data-testid="unit-search"
        />
        <Select
          allowClear
          placeholder={t(L.org.unitType)}
          options={typeOptions}
          style={{ width: 170 }}
          onChange={(type?: TUnitType) => setFilters((f) => ({ ...f, type }))}
        />
        <RegionPicker
          within={within}
          placeholder={t(L.org.ofRegion)}
          style={{ width: 180 }}
          onChange={(regionId) => setFilters((f) => ({ ...f, regionId: regionId ?? undefined }))}
        />
        <Select
          allowClear
          placeholder={t(L.common.status)}
          style={{ width: 100 }}
          options={[
            { value: 'true', label: t(L.common.active) },
            { value: 'false', label: t(L.common.inactive) },
          ]}
          onChange={(active?: 'true' | 'false') => setFilters((f) => ({ ...f, active }))}
        />
        {writable && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => open('new')}
            data-testid="unit-new"
          >
            {t(L.org.newUnit)}
          </Button>
        )}
        {can(Permission.UnitImport) && (
          <ImportButton endpoint="POST /api/units/import" testId="unit-import" />
        )}
        <ExportButton href={exportHref} />
      </Space>
      <Table<TUnit>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1570 }}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          setFilters((f) => ({
            ...f,
            sort: (s?.order && oneOf(UNIT_SORTS, s.field)) || 'id',
            order: s?.order === 'descend' ? 'desc' : 'asc',
          }));
        }}
        columns={[
          { title: t({ zh: '代码', en: 'Code' }), dataIndex: 'code', width: 120, sorter: true },
          { title: t(L.org.unitName), dataIndex: 'name', width: 230, sorter: true },
          {
            title: t({ zh: '简称 / 别名', en: 'Short name / aliases' }),
            key: 'names',
            width: 220,
            render: (_: unknown, u: TUnit) => (
              <Space size={[0, 4]} wrap data-testid={`unit-names-${u.id}`}>
                {u.shortName && (
                  <Tag color="blue" title={t({ zh: '简称', en: 'Short name' })}>
                    {u.shortName}
                  </Tag>
                )}
                {u.aliases.map((a) => (
                  <Tag key={a} title={t(L.common.aliases)}>
                    {a}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t(L.common.type),
            dataIndex: 'type',
            width: 150,
            render: (v: TUnitType) => t(UNIT_TYPE_LABELS[v]),
          },
          { title: t(L.org.ofRegion), dataIndex: 'regionName', width: 110 },
          { title: t(L.org.parentUnit), dataIndex: 'parentName', width: 150 },
          { title: t(L.common.contact), dataIndex: 'contactName', width: 90 },
          { title: t(L.common.contactPhone), dataIndex: 'contactPhone', width: 130 },
          {
            title: t(L.common.status),
            dataIndex: 'active',
            width: 80,
            render: (a: boolean) =>
              a ? <Tag color="green">{t(L.common.active)}</Tag> : <Tag>{t(L.common.inactive)}</Tag>,
          },
          {
            title: t({ zh: '更新时间', en: 'Updated' }),
            dataIndex: 'updatedAt',
            width: 150,
            sorter: true,
            render: (v: string) => formatTime(v),
          },
          ...(writable
            ? [
                {
                  title: t(L.common.actions),
                  key: 'actions',
                  width: 130,
                  render: (_: unknown, u: TUnit) => (
                    <Space>
                      <a onClick={() => open(u)}>{t(L.common.edit)}</a>
                      <Popconfirm
                        title={t({ zh: '确定删除该单位？', en: 'Delete this unit?' })}
                        onConfirm={() => void remove(u)}
                      >
                        <a>{t(L.common.delete)}</a>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Pager {...list} />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t(L.org.newUnit) : t({ zh: '编辑单位', en: 'Edit unit' })}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
        width={640}
      >
        <Form form={form} layout="vertical" data-testid="unit-form">
          <Space.Compact block>
            <Form.Item
              name="code"
              label={t({ zh: '单位代码', en: 'Code' })}
              rules={[{ required: true }, zodRule(S.code)]}
              style={{ width: '40%' }}
            >
              <Input id="unit-code" />
            </Form.Item>
            <Form.Item
              name="name"
              label={t(L.org.unitName)}
              rules={[{ required: true }, zodRule(S.name)]}
              style={{ width: '60%', paddingLeft: 8 }}
            >
              <Input id="unit-name" />
            </Form.Item>
          </Space.Compact>
          <Space.Compact block>
            <Form.Item
              name="shortName"
              label={t({ zh: '简称', en: 'Short name' })}
              tooltip={t({
                zh: '列表和报表中显示的简称，如“城管局”',
                en: 'The short name lists and reports show, e.g. 城管局',
              })}
              rules={[zodRule(S.shortName)]}
              style={{ width: '40%' }}
            >
              <Input id="unit-short-name" />
            </Form.Item>
            <Form.Item
              name="aliases"
              label={t(L.common.aliases)}
              tooltip={t({
                zh: '任务分解表等表格中对本单位的其他写法，如“城管”“市城管局”，导入时都能认出本单位。输入后按回车，或用“、”分隔',
                en: 'Other ways sheets write this unit, e.g. 城管, 市城管局, so imports recognise it. Press Enter after each, or separate them with 、',
              })}
              rules={[zodRule(S.aliases)]}
              style={{ width: '60%', paddingLeft: 8 }}
            >
              <Select
                id="unit-aliases"
                mode="tags"
                tokenSeparators={NAME_SEPARATORS}
                open={false}
                suffixIcon={null}
                placeholder={t({ zh: '如：城管、市城管局', en: 'e.g. 城管、市城管局' })}
              />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="type" label={t(L.org.unitType)} rules={[{ required: true }]}>
            <Select options={typeOptions} id="unit-type" />
          </Form.Item>
          <Form.Item name="regionId" label={t(L.org.ofRegion)}>
            <RegionPicker within={within} id="unit-region" />
          </Form.Item>
          <Form.Item name="parentId" label={t(L.org.parentUnit)}>
            <UnitPicker initialLabel={editing && editing !== 'new' ? editing.parentName : null} />
          </Form.Item>
          <Space.Compact block>
            <Form.Item name="contactName" label={t(L.common.contact)} style={{ width: '50%' }}>
              <Input />
            </Form.Item>
            <Form.Item
              name="contactPhone"
              label={t(L.common.contactPhone)}
              rules={[zodRule(S.contactPhone)]}
              style={{ width: '50%', paddingLeft: 8 }}
            >
              <Input />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="address" label={t(L.common.address)}>
            <Input />
          </Form.Item>
          <Form.Item name="active" label={t(L.common.active)} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
