import { PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import {
  UNIT_TYPE_LABELS,
  UNIT_TYPES,
  type TParty,
  type TUnit,
  type TUnitType,
} from '../../../core/contracts/org.js';
import { PARTY_KIND_LABELS, PARTY_KINDS, type TPartyKind } from '../../../core/org/parties.js';
import { Permission } from '../../../core/permissions.js';
import { ApiError } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { inLanguage, L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

/** What splits names typed or pasted into the 别名 field (as on 单位管理). */
const NAME_SEPARATORS = ['、', '，', ',', '；', ';', '/', '／'];

interface FormValues {
  name: string;
  aliases?: string[];
  kind: TPartyKind;
  memberTypes?: TUnitType[];
  memberIds?: number[];
  contactUnitId?: number | null;
  notes?: string | null;
}

/** The fields the form shows for a kind: a server error on one of them is shown under it. */
const FIELDS: Record<TPartyKind, ReadonlySet<string>> = {
  group: new Set(['name', 'aliases', 'kind', 'memberTypes', 'memberIds', 'notes']),
  outside: new Set(['name', 'aliases', 'kind', 'contactUnitId', 'notes']),
};

/**
 * 集体责任方: the names a 任务分解表 writes for several units at once (各县（市、区）, 市直各部门) or
 * for a party outside government (各物业公司), defined once for every import to read.
 */
export function PartiesPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const writable = can(Permission.AssignmentWrite);
  const parties = useApi('GET /api/parties', {});
  const items = parties.data?.items ?? [];
  const loading = parties.isFetching;
  const loadError: unknown = parties.error;
  // Reads the parties again (every read under /api/parties).
  const removeParty = useApiMutation('DELETE /api/parties/:id');
  // The party in the dialog stays while the dialog closes; each opening is a fresh form (a new
  // key), so nothing of the last one lingers.
  const [editing, setEditing] = useState<TParty | 'new'>('new');
  const [dialogOpen, setDialogOpen] = useState(false);
  const [opened, setOpened] = useState(0);
  const edit = (p: TParty | 'new') => {
    setOpened((n) => n + 1);
    setEditing(p);
    setDialogOpen(true);
  };
  const units = useActiveUnits(dialogOpen);

  const remove = async (p: TParty) => {
    try {
      await removeParty.mutateAsync({ params: { id: p.id }, query: { version: p.version } });
      message.success(t(L.common.deleted));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  const typeNames = (types: readonly TUnitType[]) =>
    types.map((x) => t(UNIT_TYPE_LABELS[x])).join(t({ zh: '、', en: ', ' }));

  /** What a party stands for: its members (by type and listed) or the unit that answers for it. */
  const resolves = (p: TParty) => {
    if (p.kind === 'outside') {
      const name = p.contactUnit?.name ?? '-';
      return t({ zh: `由 ${name} 负责联系`, en: `Answered for by ${name}` });
    }
    const parts: ReactNode[] = [];
    if (p.memberTypes.length > 0) {
      parts.push(
        t({
          zh: `按类型：${typeNames(p.memberTypes)}`,
          en: `By type: ${typeNames(p.memberTypes)}`,
        }),
      );
    }
    if (p.members.length > 0) {
      parts.push(
        <Tooltip key="listed" title={p.members.map((m) => m.name).join('、')}>
          <a data-testid={`party-listed-${p.id}`}>
            {t({
              zh: `列出的 ${p.members.length} 个单位`,
              en: `${p.members.length} listed unit${p.members.length === 1 ? '' : 's'}`,
            })}
          </a>
        </Tooltip>,
      );
    }
    const total = t({
      zh: `共 ${p.memberCount} 个单位`,
      en: `${p.memberCount} unit${p.memberCount === 1 ? '' : 's'} in all`,
    });
    return (
      <>
        {parts.map((x, i) => (
          <span key={i}>
            {i > 0 && ' + '}
            {x}
          </span>
        ))}
        {' · '}
        {p.memberCount === 0 ? (
          <Tooltip
            title={t({
              zh: '目前没有启用的单位属于这个集合，导入时无人承担它的任务',
              en: 'No active unit belongs to it now: its tasks would reach no one',
            })}
          >
            <Typography.Text type="warning">{total}</Typography.Text>
          </Tooltip>
        ) : (
          total
        )}
      </>
    );
  };

  return (
    <Card
      title={t({ zh: '集体责任方', en: 'Collective parties' })}
      extra={
        writable && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => edit('new')}
            data-testid="party-new"
          >
            {t(L.common.create)}
          </Button>
        )
      }
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="party-explain"
        title={t({
          zh: '任务分解表常把一项任务写给一类单位（如“各县（市、区）”“各街道（乡镇）”“市直各部门”），或写给政府以外的一方（如“各物业公司”）。这些名称在这里定义一次，导入任务分解表时即可认出。',
          en: 'A task breakdown sheet (任务分解表) often gives a task to a whole class of units (各县（市、区）, 各街道（乡镇）, 市直各部门) or to a party outside government (各物业公司). Define each such name once here and the task-matrix import recognises it.',
        })}
        description={t({
          zh: '单位集合：按单位类型（该类型的全部启用单位）和/或逐个列出的成员单位，导入时每个成员单位都会收到这项任务。外部责任方：由负责联系的单位代为承担和答复。',
          en: 'A group of units: every active unit of the chosen types and/or the units listed one by one; on import each member gets the task. An outside party: its contact unit answers for it.',
        })}
      />
      {loadError !== null && (
        <Alert
          type="error"
          showIcon
          title={errorText(loadError, lang)}
          style={{ marginBottom: 12 }}
        />
      )}
      <Table<TParty>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t(L.common.name),
            dataIndex: 'name',
            width: 180,
            render: (name: string, p) => <span data-testid={`party-name-${p.id}`}>{name}</span>,
          },
          {
            title: t(L.common.aliases),
            key: 'aliases',
            width: 200,
            render: (_: unknown, p) => (
              <div data-testid={`party-aliases-${p.id}`}>
                <Space size={[0, 4]} wrap>
                  {p.aliases.map((a) => (
                    <Tag key={a}>{a}</Tag>
                  ))}
                </Space>
              </div>
            ),
          },
          {
            title: t(L.common.type),
            dataIndex: 'kind',
            width: 120,
            render: (k: TPartyKind) => (
              <Tag color={k === 'group' ? 'blue' : 'orange'}>{t(PARTY_KIND_LABELS[k])}</Tag>
            ),
          },
          {
            title: t({ zh: '对应单位', en: 'Stands for' }),
            key: 'resolves',
            render: (_: unknown, p) => (
              <span data-testid={`party-resolves-${p.id}`}>{resolves(p)}</span>
            ),
          },
          {
            title: t(L.common.notes),
            dataIndex: 'notes',
            width: 180,
            render: (n: string | null) => n ?? '',
          },
          ...(writable
            ? [
                {
                  title: t(L.common.actions),
                  key: 'actions',
                  width: 120,
                  render: (_: unknown, p: TParty) => (
                    <Space>
                      <a onClick={() => edit(p)} data-testid={`party-edit-${p.id}`}>
                        {t(L.common.edit)}
                      </a>
                      <Popconfirm
                        title={t({ zh: '确定删除该集体责任方？', en: 'Delete this party?' })}
                        description={t({
                          zh: '已导入的任务保留各自的承担单位；以后的导入将不再认识这个名称。',
                          en: 'Tasks already imported keep their units; later imports will no longer recognise the name.',
                        })}
                        onConfirm={() => void remove(p)}
                      >
                        <a data-testid={`party-delete-${p.id}`}>{t(L.common.delete)}</a>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <PartyModal
        key={opened}
        party={editing}
        open={dialogOpen}
        units={units}
        onClose={() => setDialogOpen(false)}
        onSaved={() => {
          setDialogOpen(false);
          message.success(t(L.common.saved));
        }}
      />
    </Card>
  );
}

/** The active units to choose members and contact units from, loaded once the form first opens. */
function useActiveUnits(enabled: boolean) {
  // Once asked for, kept (the dialog closing does not drop them).
  const [wanted, setWanted] = useState(false);
  if (enabled && !wanted) setWanted(true);
  const q = useApi('GET /api/units', wanted ? { query: { limit: 500, active: 'true' } } : null);
  return { units: q.data?.items ?? [], error: q.error as unknown };
}

function PartyModal(props: {
  party: TParty | 'new';
  open: boolean;
  units: { units: TUnit[]; error: unknown };
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Both read the parties again.
  const create = useApiMutation('POST /api/parties');
  const update = useApiMutation('PATCH /api/parties/:id');
  const { open } = props;
  const existing = props.party !== 'new' ? props.party : null;
  const { units } = props;
  const kind = Form.useWatch('kind', form) ?? existing?.kind ?? 'group';

  /** The active units, and the party's own members and contact unit even if no longer active. */
  const unitOptions = useMemo(() => {
    const seen = new Set<number>();
    const out: { value: number; label: string; search: string }[] = [];
    for (const u of units.units) {
      seen.add(u.id);
      out.push({
        value: u.id,
        label: u.name,
        search: [u.name, u.shortName ?? '', ...u.aliases].join(' '),
      });
    }
    for (const m of [
      ...(existing?.members ?? []),
      ...(existing?.contactUnit ? [existing.contactUnit] : []),
    ]) {
      if (!seen.has(m.id)) {
        seen.add(m.id);
        out.push({ value: m.id, label: m.name, search: m.name });
      }
    }
    return out;
  }, [units.units, existing]);

  const typeOptions = UNIT_TYPES.map((x) => ({ value: x, label: t(UNIT_TYPE_LABELS[x]) }));

  const save = async () => {
    const v = await form.validateFields();
    const group = v.kind === 'group';
    const body = {
      name: v.name.trim(),
      aliases: (v.aliases ?? []).map((a) => a.trim()).filter(Boolean),
      kind: v.kind,
      memberTypes: group ? (v.memberTypes ?? []) : [],
      memberIds: group ? (v.memberIds ?? []) : [],
      contactUnitId: group ? null : (v.contactUnitId ?? null),
      notes: v.notes?.trim() || null,
    };
    setBusy(true);
    setError(null);
    try {
      if (existing)
        await update.mutateAsync({
          params: { id: existing.id },
          body: { ...body, version: existing.version },
        });
      else await create.mutateAsync({ body });
      props.onSaved();
    } catch (err) {
      // Errors on the form's fields go under them, in the current language; others above the form.
      const fields =
        err instanceof ApiError
          ? err.fields.map((f) => ({ ...f, name: f.path.replace(/^body\./, '').split('.')[0]! }))
          : [];
      if (fields.length > 0 && fields.every((f) => FIELDS[v.kind].has(f.name))) {
        const single = fields.length === 1 && !fields[0]!.message.includes(' / ');
        form.setFields(
          fields.map((f) => ({
            name: f.name as keyof FormValues,
            errors: [single ? errorText(err, lang) : inLanguage(f.message, lang)],
          })),
        );
      } else {
        setError(errorText(err, lang));
      }
    } finally {
      setBusy(false);
    }
  };

  const initialValues: FormValues = existing
    ? {
        name: existing.name,
        aliases: existing.aliases,
        kind: existing.kind,
        memberTypes: existing.memberTypes,
        memberIds: existing.members.map((m) => m.id),
        contactUnitId: existing.contactUnit?.id ?? null,
        notes: existing.notes,
      }
    : { name: '', aliases: [], kind: 'group', memberTypes: [], memberIds: [], contactUnitId: null };

  return (
    <Modal
      open={open}
      title={
        existing
          ? t({ zh: '编辑集体责任方', en: 'Edit collective party' })
          : t({ zh: '新建集体责任方', en: 'New collective party' })
      }
      onOk={() => void save()}
      onCancel={props.onClose}
      okButtonProps={{ loading: busy, id: 'party-ok' }}
      destroyOnHidden
      width={640}
    >
      {(error ?? units.error) !== null && (
        <Alert
          type="error"
          showIcon
          title={error ?? errorText(units.error, lang)}
          style={{ marginBottom: 12 }}
          data-testid="party-error"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={initialValues}
        data-testid="party-form"
      >
        <Form.Item
          name="name"
          label={t(L.common.name)}
          tooltip={t({
            zh: '任务分解表中的写法，如“各县（市、区）”“各物业公司”',
            en: 'As the task sheets write it, e.g. 各县（市、区）, 各物业公司',
          })}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t({ zh: '请填写名称', en: 'Enter the name' }),
            },
            {
              validator: async (_r, value: string | undefined) => {
                const n = value?.trim().length ?? 0;
                if (n > 0 && (n < 2 || n > 40))
                  throw new Error(t({ zh: '名称为 2–40 个字', en: 'Use 2–40 characters' }));
              },
            },
          ]}
        >
          <Input id="party-name" />
        </Form.Item>
        <Form.Item
          name="aliases"
          label={t(L.common.aliases)}
          tooltip={t({
            zh: '同一方的其他写法，如“各区县”“县市区”，导入时都能认出。输入后按回车，或用“、”分隔',
            en: 'Other ways sheets write it, e.g. 各区县, 县市区, so imports recognise them. Press Enter after each, or separate them with 、',
          })}
          rules={[
            {
              validator: async (_r, value: string[] | undefined) => {
                const list = value ?? [];
                if (list.length > 20)
                  throw new Error(t({ zh: '别名最多 20 个', en: 'At most 20 aliases' }));
                const bad = list.find((a) => a.trim().length < 2 || a.trim().length > 40);
                if (bad !== undefined)
                  throw new Error(
                    t({
                      zh: `别名“${bad}”须为 2–40 个字`,
                      en: `The alias "${bad}" must be 2–40 characters`,
                    }),
                  );
              },
            },
          ]}
        >
          <Select
            id="party-aliases"
            mode="tags"
            tokenSeparators={NAME_SEPARATORS}
            open={false}
            suffixIcon={null}
            placeholder={t({ zh: '如：各区县、县市区', en: 'e.g. 各区县、县市区' })}
          />
        </Form.Item>
        <Form.Item name="kind" label={t(L.common.type)}>
          <Radio.Group
            id="party-kind"
            options={PARTY_KINDS.map((k) => ({ value: k, label: t(PARTY_KIND_LABELS[k]) }))}
          />
        </Form.Item>
        {kind === 'group' ? (
          <>
            <Form.Item
              name="memberTypes"
              label={t({ zh: '按单位类型', en: 'By unit type' })}
              extra={t({
                zh: '所选类型的全部启用单位都是成员，以后新建的同类单位也自动算入',
                en: 'Every active unit of these types is a member, including units added later',
              })}
            >
              <Select
                id="party-member-types"
                mode="multiple"
                allowClear
                options={typeOptions}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
            <Form.Item
              name="memberIds"
              label={t(L.org.memberUnits)}
              extra={t({
                zh: '逐个列出的成员单位（与单位类型合并计算）',
                en: 'Units listed one by one (added to those of the types)',
              })}
              dependencies={['memberTypes']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_r, value: number[] | undefined) => {
                    const types = (getFieldValue('memberTypes') as TUnitType[] | undefined) ?? [];
                    if (types.length === 0 && (value ?? []).length === 0)
                      throw new Error(
                        t({
                          zh: '请选择单位类型，或列出成员单位',
                          en: 'Choose unit types or list member units',
                        }),
                      );
                  },
                }),
              ]}
            >
              <Select
                id="party-member-ids"
                mode="multiple"
                allowClear
                options={unitOptions}
                showSearch={{ optionFilterProp: ['label', 'search'] }}
                placeholder={t({ zh: '输入单位名称搜索', en: 'Type to search units' })}
              />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="contactUnitId"
            label={t({ zh: '负责联系的单位', en: 'Contact unit' })}
            extra={t({
              zh: '导入时，这一方的任务由该单位承担和答复',
              en: 'On import, this unit takes and answers for the party’s tasks',
            })}
            rules={[
              {
                required: true,
                message: t({ zh: '请选择负责联系的单位', en: 'Choose the contact unit' }),
              },
            ]}
          >
            <Select
              id="party-contact-unit"
              allowClear
              options={unitOptions}
              showSearch={{ optionFilterProp: ['label', 'search'] }}
              placeholder={t({ zh: '输入单位名称搜索', en: 'Type to search units' })}
            />
          </Form.Item>
        )}
        <Form.Item
          name="notes"
          label={t(L.common.notes)}
          rules={[
            { max: 500, message: t({ zh: '备注最多 500 字', en: 'At most 500 characters' }) },
          ]}
        >
          <Input.TextArea id="party-notes" rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
