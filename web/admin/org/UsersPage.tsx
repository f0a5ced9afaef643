import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
} from 'antd';
import { useState } from 'react';
import {
  USER_SORTS,
  ZCreateUserRequestSchema,
  ZPasswordSchema,
  type TUser,
} from '../../../core/contracts/org.js';
import { administeredRegionOf, grantableRolesOf } from '../../../core/org/grants.js';
import { Permission, ROLE_LABELS, ROLES, type TRole } from '../../../core/permissions.js';
import { qs } from '../../shared/api.js';
import { useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, blankToNull, errorText, oneOf, zodRule } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { RegionPicker, UnitPicker } from '../../shared/pickers.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { ExportButton, ImportButton } from '../ImportButton.js';
import { Pager } from '../Pager.js';

type Filters = PageFilters<'GET /api/users'>;

/** The user dialog's fields (empty ones are sent as null; the password only for a new user). */
interface UserForm {
  username: string;
  name: string;
  phone?: string | null;
  roles: TRole[];
  unitId?: number | null;
  regionId?: number | null;
  password?: string;
  active?: boolean;
}
const S = ZCreateUserRequestSchema.shape;

export function UsersPage() {
  const { t, lang } = useI18n();
  const { can, user: me } = useAuth();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({ sort: 'id', order: 'asc' });
  const list = useApiPages('GET /api/users', filters);
  // Each write refetches the user list (and every other read under /api/users).
  const create = useApiMutation('POST /api/users');
  const update = useApiMutation('PATCH /api/users/:id');
  const reset = useApiMutation('POST /api/users/:id/reset-password');
  const [editing, setEditing] = useState<TUser | 'new' | null>(null);
  const [resetting, setResetting] = useState<TUser | null>(null);
  const [form] = Form.useForm<UserForm>();
  const [pwForm] = Form.useForm<{ password: string }>();
  const writable = can(Permission.UserWrite);
  const grantable = me ? grantableRolesOf(me) : [];
  // 分级管理: a district or street office places its people within its own subtree.
  const within = me ? administeredRegionOf(me) : null;
  // Only the roles one may grant, and those the edited user already holds (shown, not changeable).
  const held: TRole[] = editing && editing !== 'new' ? editing.roles : [];
  const roleOptions = ROLES.filter((r) => grantable.includes(r) || held.includes(r)).map((r) => ({
    value: r,
    label: t(ROLE_LABELS[r]),
    disabled: !grantable.includes(r),
  }));

  const open = (u: TUser | 'new') => {
    setEditing(u);
    form.resetFields();
    form.setFieldsValue(u === 'new' ? { active: true, roles: ['unit'], regionId: within } : u);
  };

  const save = async () => {
    const v = await form.validateFields();
    const body = {
      name: v.name,
      roles: v.roles,
      phone: blankToNull(v.phone),
      unitId: blankToNull(v.unitId),
      regionId: blankToNull(v.regionId),
      active: v.active,
    };
    try {
      if (editing === 'new') {
        await create.mutateAsync({
          body: { ...body, username: v.username, password: v.password ?? '' },
        });
      } else if (editing) {
        await update.mutateAsync({
          params: { id: editing.id },
          body: { ...body, version: editing.version },
        });
      }
      message.success(t(L.common.saved));
      setEditing(null);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  };

  const resetPassword = async () => {
    if (!resetting) return;
    const v = await pwForm.validateFields();
    try {
      await reset.mutateAsync({
        params: { id: resetting.id },
        body: { password: v.password, version: resetting.version },
      });
      message.success(
        t({
          zh: '密码已重置，用户下次登录需修改密码',
          en: 'Password reset; the user must change it at next sign-in',
        }),
      );
      setResetting(null);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  const { role, unitId, regionId, active, q } = filters;
  return (
    <Card title={t({ zh: '用户管理', en: 'Users' })}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t({ zh: '姓名 / 用户名 / 手机号', en: 'Name / username / phone' })}
          onSearch={(x) => setFilters((f) => ({ ...f, q: x || undefined }))}
          style={{ width: 220 }}
        />
        <Select
          allowClear
          placeholder={t(L.common.role)}
          options={ROLES.map((r) => ({ value: r, label: t(ROLE_LABELS[r]) }))}
          style={{ width: 130 }}
          onChange={(x?: TRole) => setFilters((f) => ({ ...f, role: x }))}
        />
        <UnitPicker
          placeholder={t(L.org.ofUnit)}
          style={{ width: 200 }}
          onChange={(x) => setFilters((f) => ({ ...f, unitId: x ?? undefined }))}
        />
        <RegionPicker
          within={within}
          placeholder={t(L.org.ofRegion)}
          style={{ width: 160 }}
          onChange={(x) => setFilters((f) => ({ ...f, regionId: x ?? undefined }))}
        />
        {writable && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => open('new')}
            data-testid="user-new"
          >
            {t({ zh: '新建用户', en: 'New user' })}
          </Button>
        )}
        {can(Permission.UserImport) && (
          <ImportButton endpoint="POST /api/users/import" testId="user-import" />
        )}
        <ExportButton href={`/api/users/export.xlsx${qs({ q, role, unitId, regionId, active })}`} />
      </Space>
      <Table<TUser>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 900 }}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          setFilters((f) => ({
            ...f,
            sort: (s?.order && oneOf(USER_SORTS, s.field)) || 'id',
            order: s?.order === 'descend' ? 'desc' : 'asc',
          }));
        }}
        columns={[
          {
            title: t(L.common.username),
            dataIndex: 'username',
            width: 120,
            sorter: true,
          },
          { title: t(L.common.personName), dataIndex: 'name', width: 100, sorter: true },
          { title: t(L.common.phone), dataIndex: 'phone', width: 130 },
          { title: t(L.org.ofUnit), dataIndex: 'unitName' },
          { title: t(L.org.ofRegion), dataIndex: 'regionName', width: 110 },
          {
            title: t(L.common.role),
            dataIndex: 'roles',
            render: (rs: TRole[]) => rs.map((r) => <Tag key={r}>{t(ROLE_LABELS[r])}</Tag>),
          },
          {
            title: t(L.common.status),
            key: 'status',
            width: 100,
            render: (_: unknown, u: TUser) =>
              u.lockedUntil ? (
                <Tooltip title={formatTime(u.lockedUntil)}>
                  <Tag color="orange">{t({ zh: '已锁定', en: 'Locked' })}</Tag>
                </Tooltip>
              ) : u.active ? (
                <Tag color="green">{t(L.common.active)}</Tag>
              ) : (
                <Tag>{t(L.common.inactive)}</Tag>
              ),
          },
          {
            title: t({ zh: '最近登录', en: 'Last sign-in' }),
            dataIndex: 'lastLoginAt',
            width: 150,
            render: (v: string | null) => formatTime(v),
          },
          ...(writable
            ? [
                {
                  title: t(L.common.actions),
                  key: 'actions',
                  width: 180,
                  render: (_: unknown, u: TUser) => (
                    <Space>
                      <a onClick={() => open(u)}>{t(L.common.edit)}</a>
                      <a
                        onClick={() => {
                          pwForm.resetFields();
                          setResetting(u);
                        }}
                      >
                        {t({ zh: '重置密码', en: 'Reset password' })}
                      </a>
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
        title={
          editing === 'new'
            ? t({ zh: '新建用户', en: 'New user' })
            : t({ zh: '编辑用户', en: 'Edit user' })
        }
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="username"
            label={t(L.common.username)}
            rules={[{ required: true }, zodRule(S.username)]}
          >
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t(L.common.personName)}
            rules={[{ required: true }, zodRule(S.name)]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t(L.common.phone)} rules={[zodRule(S.phone)]}>
            <Input />
          </Form.Item>
          <Form.Item name="roles" label={t(L.common.role)} rules={[{ required: true }]}>
            <Select mode="multiple" options={roleOptions} id="user-roles" />
          </Form.Item>
          <Form.Item name="unitId" label={t(L.org.ofUnit)}>
            <UnitPicker initialLabel={editing && editing !== 'new' ? editing.unitName : null} />
          </Form.Item>
          <Form.Item name="regionId" label={t(L.org.ofRegion)}>
            <RegionPicker within={within} id="user-region" />
          </Form.Item>
          {editing === 'new' && (
            <Form.Item
              name="password"
              label={t({ zh: '初始密码', en: 'Initial password' })}
              rules={[{ required: true }, zodRule(ZPasswordSchema)]}
              extra={t({
                zh: '用户首次登录时需修改',
                en: 'The user must change it at first sign-in',
              })}
            >
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          )}
          <Form.Item name="active" label={t(L.common.active)} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={resetting !== null}
        title={t({
          zh: `重置密码：${resetting?.name ?? ''}`,
          en: `Reset password: ${resetting?.name ?? ''}`,
        })}
        onOk={() => void resetPassword()}
        onCancel={() => setResetting(null)}
        destroyOnHidden
      >
        <Form form={pwForm} layout="vertical">
          <Form.Item
            name="password"
            label={t({ zh: '新的初始密码', en: 'New initial password' })}
            rules={[{ required: true }, zodRule(ZPasswordSchema)]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
