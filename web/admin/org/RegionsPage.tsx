import { JurisdictionCard } from './JurisdictionCard.js';
import { MapProviderCard } from './MapProviderCard.js';
import { RegionBoundariesCard } from './RegionBoundariesCard.js';
import { RegionBoundaryModal } from './RegionBoundaryModal.js';
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
  Table,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import {
  REGION_LEVEL_LABELS,
  REGION_LEVELS,
  ZRegionCodeSchema,
  type TRegion,
  type TRegionLevel,
} from '../../../core/contracts/org.js';
import { Permission } from '../../../core/permissions.js';
import { useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText, zodRule } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { refreshMapBase } from '../../shared/map-settings.js';
import { RegionPicker, useRegions } from '../../shared/pickers.js';
import { useAuth } from '../auth.js';

type Row = TRegion & { children?: Row[] };

/** The region dialog's fields. */
interface RegionForm {
  code: string;
  name: string;
  level: TRegionLevel;
  parentId?: number | null;
}

function toTree(regions: TRegion[]): Row[] {
  const rows = new Map<number, Row>(regions.map((r) => [r.id, { ...r }]));
  const roots: Row[] = [];
  for (const r of rows.values()) {
    const parent = r.parentId ? rows.get(r.parentId) : undefined;
    if (parent) (parent.children ??= []).push(r);
    else roots.push(r);
  }
  return roots;
}

export function RegionsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  // The regions as the pickers hold them (web/shared/pickers.tsx's reference data, read again on
  // each bump after a write here, so the pickers on this page follow too).
  const [reloadKey, setReloadKey] = useState(0);
  const regions = useRegions(reloadKey);
  // Each refetches the reads under /api/regions (the boundaries map, the jurisdiction's).
  const create = useApiMutation('POST /api/regions');
  const update = useApiMutation('PATCH /api/regions/:id');
  const removeRegion = useApiMutation('DELETE /api/regions/:id');
  const tree = useMemo(() => toTree(regions), [regions]);
  const [editing, setEditing] = useState<TRegion | 'new' | null>(null);
  const [drawing, setDrawing] = useState<TRegion | null>(null);
  const [form] = Form.useForm<RegionForm>();
  const writable = can(Permission.RegionWrite);
  const [expanded, setExpanded] = useState<readonly React.Key[]>([]);
  // A region renamed or a boundary drawn: the maps without tiles redraw their base.
  useEffect(() => {
    if (reloadKey > 0) void refreshMapBase().catch(() => undefined);
  }, [reloadKey]);
  // Open the city and its districts once the tree has loaded.
  useEffect(() => {
    setExpanded((e) =>
      e.length
        ? e
        : regions.filter((r) => r.level === 'city' || r.level === 'district').map((r) => r.id),
    );
  }, [regions]);

  const open = (r: TRegion | 'new', parent?: TRegion) => {
    setEditing(r);
    form.resetFields();
    if (r !== 'new') form.setFieldsValue(r);
    else if (parent) {
      const next = REGION_LEVELS[REGION_LEVELS.indexOf(parent.level) + 1];
      form.setFieldsValue({ parentId: parent.id, level: next });
    }
  };

  const save = async () => {
    const v = await form.validateFields();
    const body = { ...v, parentId: v.parentId ?? null };
    try {
      if (editing === 'new') await create.mutateAsync({ body });
      else if (editing)
        await update.mutateAsync({
          params: { id: editing.id },
          body: { ...body, version: editing.version },
        });
      message.success(t(L.common.saved));
      setEditing(null);
      setReloadKey((k) => k + 1);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };

  const remove = async (r: TRegion) => {
    try {
      await removeRegion.mutateAsync({ params: { id: r.id }, query: { version: r.version } });
      message.success(t(L.common.deleted));
      setReloadKey((k) => k + 1);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t(L.org.region)}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
              {t({ zh: '新建区划', en: 'New region' })}
            </Button>
          )
        }
      >
        <Table<Row>
          rowKey="id"
          size="small"
          dataSource={tree}
          pagination={false}
          expandable={{ expandedRowKeys: expanded, onExpandedRowsChange: setExpanded }}
          columns={[
            { title: t(L.common.name), dataIndex: 'name' },
            { title: t(L.org.regionCode), dataIndex: 'code', width: 160 },
            {
              title: t(L.common.level),
              dataIndex: 'level',
              width: 140,
              render: (l: TRegionLevel) => t(REGION_LEVEL_LABELS[l]),
            },
            {
              title: t({ zh: '边界', en: 'Boundary' }),
              dataIndex: 'hasBoundary',
              width: 90,
              render: (b: boolean) =>
                b ? (
                  t({ zh: '已设置', en: 'Drawn' })
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            ...(writable
              ? [
                  {
                    title: t(L.common.actions),
                    key: 'a',
                    width: 280,
                    render: (_: unknown, r: Row) => (
                      <Space>
                        {r.level !== 'community' && (
                          <a onClick={() => open('new', r)}>
                            {t({ zh: '添加下级', en: 'Add child' })}
                          </a>
                        )}
                        <a onClick={() => open(r)}>{t(L.common.edit)}</a>
                        <a onClick={() => setDrawing(r)} data-testid={`draw-boundary-${r.id}`}>
                          {t(
                            r.hasBoundary
                              ? { zh: '重绘边界', en: 'Redraw boundary' }
                              : { zh: '绘制边界', en: 'Draw boundary' },
                          )}
                        </a>
                        <Popconfirm
                          title={t(L.common.confirmDelete)}
                          onConfirm={() => void remove(r)}
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
        <Modal
          open={editing !== null}
          title={
            editing === 'new'
              ? t({ zh: '新建区划', en: 'New region' })
              : t({ zh: '编辑区划', en: 'Edit region' })
          }
          onOk={() => void save()}
          onCancel={() => setEditing(null)}
          destroyOnHidden
        >
          <Form form={form} layout="vertical">
            <Form.Item name="name" label={t(L.common.name)} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item
              name="code"
              label={t(L.org.regionCode)}
              rules={[{ required: true }, zodRule(ZRegionCodeSchema)]}
            >
              <Input />
            </Form.Item>
            <Form.Item name="level" label={t(L.common.level)} rules={[{ required: true }]}>
              <Select
                options={REGION_LEVELS.map((l) => ({ value: l, label: t(REGION_LEVEL_LABELS[l]) }))}
              />
            </Form.Item>
            <Form.Item name="parentId" label={t({ zh: '上级区划', en: 'Parent region' })}>
              <RegionPicker />
            </Form.Item>
          </Form>
        </Modal>
      </Card>
      <RegionBoundaryModal
        region={drawing}
        onClose={() => setDrawing(null)}
        onSaved={() => {
          setDrawing(null);
          setReloadKey((k) => k + 1);
        }}
      />
      <RegionBoundariesCard writable={writable} onChanged={() => setReloadKey((k) => k + 1)} />
      <JurisdictionCard writable={can(Permission.RegionWrite)} />
      <MapProviderCard writable={writable} />
    </Space>
  );
}
