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
  Tag,
  TreeSelect,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { TWorkingGroup } from '../../../core/contracts/groups.js';
import { Permission } from '../../../core/permissions.js';
import { keepPreviousData } from '@tanstack/react-query';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { useApiEach } from '../../shared/api-query-each.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { useSettled } from '../use-settled.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';

interface Option {
  value: number;
  label: string;
}

/** A searchable select over an API list (users or units), keeping the current picks as options. */
function SearchSelect(props: {
  list: 'GET /api/users' | 'GET /api/units';
  multiple?: boolean;
  value?: number | number[] | null;
  onChange?: (v: number | number[] | null) => void;
  known: Option[];
  testId: string;
}) {
  const [typed, setTyped] = useState('');
  const q = useSettled(typed, 200);
  // The last answer stays listed while the next search is read.
  const found = useApi(
    props.list,
    { query: { q: q || undefined, limit: 30 } },
    { placeholderData: keepPreviousData },
  ).data;
  const options: Option[] = (found?.items ?? []).map((u) => ({ value: u.id, label: u.name }));
  // The picks made here keep their labels after the search is cleared and the list reloads
  // without them (a picked user beyond the first 30 would otherwise show as a bare id).
  const [picked, setPicked] = useState<Option[]>([]);
  const kept = [...props.known, ...picked].filter(
    (k, i, arr) =>
      arr.findIndex((x) => x.value === k.value) === i && !options.some((o) => o.value === k.value),
  );
  const all = [...kept, ...options];
  return (
    <Select
      data-testid={props.testId}
      allowClear
      mode={props.multiple ? 'multiple' : undefined}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      options={all}
      value={props.value ?? undefined}
      onChange={(v: number | number[] | undefined, opt?: Option | Option[]) => {
        setPicked((Array.isArray(opt) ? opt : opt ? [opt] : []).filter((o) => o?.label));
        props.onChange?.(v ?? null);
      }}
    />
  );
}

interface FormValues {
  name: string;
  leaderUserId?: number | null;
  unitIds?: number[] | null;
  standards?: string[];
}

/** 攻坚组/工作组: the office creates, edits and deletes the campaign's working groups. */
export function WorkingGroupsPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const writable = can(Permission.AssignmentWrite);
  const campaigns = useApi('GET /api/campaigns', CITY_CAMPAIGNS).data?.items ?? [];
  const [picked, setCampaignId] = useState<number | null>(null);
  const campaignId = picked ?? campaigns[0]?.id ?? null;
  const [editing, setEditing] = useState<TWorkingGroup | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<FormValues>();

  const campaign = campaigns.find((c) => c.id === campaignId);
  const groupsQ = useApi('GET /api/working-groups', campaignId ? { query: { campaignId } } : null);
  const groups = groupsQ.data?.items ?? [];
  // The trees of the campaign's frameworks (the version in force, or the draft).
  const treeQs = useApiEach(
    'GET /api/framework-versions/:id/tree',
    (campaign?.frameworks ?? [])
      .map((f) => f.currentVersionId ?? f.draftVersionId)
      .filter((v): v is number => v !== null)
      .map((id) => ({ params: { id } })),
  );
  const trees = treeQs.flatMap((q) => (q.data ? [q.data] : []));
  // What is derived from the trees is computed again when one of the answers changes.
  const treesKey = treeQs.map((q) => q.dataUpdatedAt).join(',');
  const failed = groupsQ.error ?? treeQs.find((q) => q.error)?.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);
  // Each reads the groups again (every read under /api/working-groups).
  const create = useApiMutation('POST /api/working-groups');
  const update = useApiMutation('PATCH /api/working-groups/:id');
  const removeGroup = useApiMutation('DELETE /api/working-groups/:id');

  // The framework tree as 项目 → 内容 → 标准; only standards are picked (value "frameworkId:key").
  const treeData = useMemo(
    () =>
      trees.map((tr) => ({
        value: `f:${tr.framework.id}`,
        title: tr.framework.name,
        children: tr.items.map((i) => ({
          value: `i:${tr.framework.id}:${i.key}`,
          title: `${i.code} ${i.text}`,
          children: i.children.map((c) => ({
            value: `c:${tr.framework.id}:${c.key}`,
            title: `${c.code} ${c.text}`,
            children: c.children.map((s) => ({
              value: `${tr.framework.id}:${s.key}`,
              title: `${s.code} ${s.text.slice(0, 40)}`,
            })),
          })),
        })),
      })),
    [treesKey],
  );
  const codeOf = useMemo(() => {
    const m = new Map<string, string>();
    for (const tr of trees)
      for (const i of tr.items)
        for (const c of i.children)
          for (const s of c.children) m.set(`${tr.framework.id}:${s.key}`, s.code);
    return m;
  }, [treesKey]);

  const open = (g: TWorkingGroup | 'new') => {
    setEditing(g);
    form.setFieldsValue(
      g === 'new'
        ? { name: '', leaderUserId: null, unitIds: [], standards: [] }
        : {
            name: g.name,
            leaderUserId: g.leaderUserId,
            unitIds: g.units.map((u) => u.id),
            standards: g.standards.map((s) => `${s.frameworkId}:${s.standardKey}`),
          },
    );
  };
  const save = async () => {
    const v = await form.validateFields();
    const body = {
      name: v.name,
      leaderUserId: v.leaderUserId ?? null,
      unitIds: v.unitIds ?? [],
      standards: (v.standards ?? [])
        .filter((s) => /^\d+:/.test(s))
        .map((s) => {
          const i = s.indexOf(':');
          return { frameworkId: Number(s.slice(0, i)), standardKey: s.slice(i + 1) };
        }),
    };
    setBusy(true);
    try {
      if (editing === 'new') {
        if (campaignId) await create.mutateAsync({ body: { campaignId, ...body } });
      } else if (editing) {
        await update.mutateAsync({
          params: { id: editing.id },
          body: { ...body, version: editing.version },
        });
      }
      message.success(t(L.common.saved));
      setEditing(null);
    } catch (err) {
      // A stale version (409) comes back as a message asking to reload.
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (g: TWorkingGroup) => {
    try {
      await removeGroup.mutateAsync({ params: { id: g.id }, query: { version: g.version } });
      message.success(t(L.common.deleted));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  const current = editing && editing !== 'new' ? editing : null;
  return (
    <Card
      title={t({ zh: '工作组（攻坚组）', en: 'Working groups' })}
      extra={
        <Space>
          <Select
            style={{ width: 320 }}
            value={campaignId}
            onChange={setCampaignId}
            options={campaigns.map((c) => ({ value: c.id, label: c.name }))}
          />
          {writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => open('new')}
              data-testid="group-new"
            >
              {t(L.org.newWorkingGroup)}
            </Button>
          )}
        </Space>
      }
    >
      <Table<TWorkingGroup>
        rowKey="id"
        dataSource={groups}
        pagination={false}
        data-testid="group-table"
        columns={[
          { title: t(L.common.name), dataIndex: 'name' },
          {
            title: t({ zh: '组长', en: 'Leader' }),
            render: (_, g) => g.leaderName ?? '—',
          },
          {
            title: t(L.org.memberUnits),
            render: (_, g) => g.units.map((u) => <Tag key={u.id}>{u.name}</Tag>),
          },
          {
            title: t({ zh: '负责标准', en: 'Owned standards' }),
            render: (_, g) =>
              g.standards.map((s) => {
                const k = `${s.frameworkId}:${s.standardKey}`;
                return <Tag key={k}>{codeOf.get(k) ?? s.standardKey}</Tag>;
              }),
          },
          ...(writable
            ? [
                {
                  title: t(L.common.actions),
                  render: (_: unknown, g: TWorkingGroup) => (
                    <Space>
                      <Button size="small" onClick={() => open(g)}>
                        {t(L.common.edit)}
                      </Button>
                      <Popconfirm
                        title={t({ zh: `删除工作组「${g.name}」？`, en: `Delete "${g.name}"?` })}
                        onConfirm={() => void remove(g)}
                      >
                        <Button size="small" danger>
                          {t(L.common.delete)}
                        </Button>
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
            ? t(L.org.newWorkingGroup)
            : t({ zh: '编辑工作组', en: 'Edit working group' })
        }
        width={720}
        confirmLoading={busy}
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
        okButtonProps={{ id: 'group-save' }}
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="name"
            label={t(L.common.name)}
            rules={[{ required: true, min: 2, max: 60 }]}
          >
            <Input data-testid="group-name" />
          </Form.Item>
          <Form.Item name="leaderUserId" label={t({ zh: '组长', en: 'Leader' })}>
            <SearchSelect
              list="GET /api/users"
              testId="group-leader"
              known={
                current?.leaderUserId
                  ? [{ value: current.leaderUserId, label: current.leaderName ?? '' }]
                  : []
              }
            />
          </Form.Item>
          <Form.Item name="unitIds" label={t(L.org.memberUnits)}>
            <SearchSelect
              list="GET /api/units"
              multiple
              testId="group-units"
              known={current?.units.map((u) => ({ value: u.id, label: u.name })) ?? []}
            />
          </Form.Item>
          <Form.Item name="standards" label={t({ zh: '负责标准', en: 'Owned standards' })}>
            <TreeSelect
              data-testid="group-standards"
              treeData={treeData}
              treeCheckable
              showCheckedStrategy={TreeSelect.SHOW_CHILD}
              showSearch={{ treeNodeFilterProp: 'title' }}
              placeholder={t({ zh: '从测评体系中选择标准', en: 'Pick standards of the framework' })}
              style={{ width: '100%' }}
              maxTagCount={12}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
