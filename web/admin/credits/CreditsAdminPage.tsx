import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type {
  TCreditAccount,
  TCreditItem,
  TCreditRedemption,
  TCreditShop,
} from '../../../core/contracts/credits.js';
import {
  CREDIT_BOARD_LABELS,
  CREDIT_REASON_LABELS,
  CREDIT_REDEMPTION_STATUS_LABELS,
  CREDIT_SHOP_KIND_LABELS,
  CREDIT_SHOP_KINDS,
  CREDIT_SOURCE_LABELS,
  CREDIT_SOURCES,
  CREDIT_UNIT_LABELS,
  type TCreditRules,
} from '../../../core/credits/rules.js';
import { monthOf } from '../../../core/good-people/months.js';
import { Permission } from '../../../core/permissions.js';
import { apiUrl } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { useApiPages } from '../../shared/use-cursor-list.js';
import { useAuth } from '../auth.js';
import { monthBack } from '../cells/GoodPeoplePage.js';

type Tab = 'accounts' | 'rules' | 'shops' | 'redemptions' | 'ranking';

/**
 * 文明积分, the office's page (issue #24, item 5): accounts found by phone (exactly) or name with
 * each one's ledger, the rules as versions, shops with their items and staff, the redemptions,
 * and the month's ranking with names and its export. The rules and shops are the city office's
 * to change (credit.manage); leaders read.
 */
export function CreditsAdminPage() {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('accounts');
  return (
    <Card title={t({ zh: '文明积分', en: 'Civility points' })} data-testid="credits-admin">
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as Tab)}
        destroyOnHidden
        items={[
          { key: 'accounts', label: t({ zh: '积分账户', en: 'Accounts' }), children: <Accounts /> },
          { key: 'rules', label: t({ zh: '积分规则', en: 'Rules' }), children: <Rules /> },
          { key: 'shops', label: t({ zh: '兑换商户', en: 'Shops' }), children: <Shops /> },
          {
            key: 'redemptions',
            label: t({ zh: '兑换记录', en: 'Redemptions' }),
            children: <Redemptions />,
          },
          { key: 'ranking', label: t({ zh: '积分排行', en: 'Ranking' }), children: <Ranking /> },
        ]}
      />
    </Card>
  );
}

function Paging(p: { hasPrev: boolean; hasNext: boolean; prev: () => void; next: () => void }) {
  const { t } = useI18n();
  return (
    <Space style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }}>
      <Button size="small" disabled={!p.hasPrev} onClick={p.prev}>
        {t(L.common.previousPage)}
      </Button>
      <Button size="small" disabled={!p.hasNext} onClick={p.next}>
        {t(L.common.nextPage)}
      </Button>
    </Space>
  );
}

function Accounts() {
  const { t, lang } = useI18n();
  const [input, setInput] = useState('');
  const [filter, setFilter] = useState<{ phone?: string; q?: string }>({});
  const [open, setOpen] = useState<TCreditAccount | null>(null);
  const list = useApiPages('GET /api/credits/accounts', filter);
  function search() {
    const v = input.replace(/[\s-]/g, '');
    setFilter(/^1\d{10}$/.test(v) ? { phone: v } : v ? { q: input.trim() } : {});
  }
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t({ zh: '完整手机号或姓名', en: 'Full phone number or name' })}
          value={input}
          onChange={(e) => setInput(e.target.value)}
          onSearch={search}
          style={{ width: 280 }}
          data-testid="credit-search"
        />
        <Typography.Text type="secondary">
          {t({
            zh: '手机号只按完整号码精确查找（库中只存其散列）',
            en: 'Phones match in full only (only their hash is stored)',
          })}
        </Typography.Text>
      </Space>
      {list.error && <Typography.Text type="danger">{errorText(list.error, lang)}</Typography.Text>}
      <Table<TCreditAccount>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        onRow={(a) => ({ onClick: () => setOpen(a), style: { cursor: 'pointer' } })}
        columns={[
          { title: t(L.common.personName), render: (_, a) => a.name ?? '—' },
          { title: t(L.common.phone), dataIndex: 'phoneMasked' },
          {
            title: t(L.common.type),
            render: (_, a) =>
              a.volunteerId ? (
                <Tag color="red">{t({ zh: '志愿者', en: 'Volunteer' })}</Tag>
              ) : (
                <Tag>{t({ zh: '居民', en: 'Resident' })}</Tag>
              ),
          },
          { title: t({ zh: '余额', en: 'Balance' }), dataIndex: 'balance', align: 'right' },
          { title: t({ zh: '累计获得', en: 'Earned' }), dataIndex: 'earned', align: 'right' },
          { title: t({ zh: '已兑换', en: 'Spent' }), dataIndex: 'spent', align: 'right' },
          {
            title: t({ zh: '榜上署名', en: 'Named on board' }),
            render: (_, a) => (a.showName ? t(L.common.yes) : t(L.common.no)),
          },
        ]}
      />
      <Paging {...list} />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size="large"
        title={open ? `${open.name ?? open.phoneMasked} · ${open.balance}` : ''}
        destroyOnHidden
      >
        {open && <Ledger account={open} />}
      </Drawer>
    </>
  );
}

function Ledger({ account }: { account: TCreditAccount }) {
  const { t, lang } = useI18n();
  const ledger = useApiPages('GET /api/credits/accounts/:id/ledger', {}, 50, {
    params: { id: account.id },
  });
  return (
    <div data-testid="credit-ledger">
      <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t({ zh: '余额', en: 'Balance' })}>
          {account.balance}
        </Descriptions.Item>
        <Descriptions.Item label={t({ zh: '累计获得', en: 'Earned' })}>
          {account.earned}
        </Descriptions.Item>
        <Descriptions.Item label={t({ zh: '已兑换', en: 'Spent' })}>
          {account.spent}
        </Descriptions.Item>
      </Descriptions>
      {ledger.error && (
        <Typography.Text type="danger">{errorText(ledger.error, lang)}</Typography.Text>
      )}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        loading={ledger.loading}
        dataSource={ledger.items}
        columns={[
          { title: t(L.common.time), render: (_, r) => formatTime(r.at), width: 150 },
          { title: t({ zh: '事项', en: 'What' }), dataIndex: 'note' },
          {
            title: t({ zh: '积分', en: 'Points' }),
            align: 'right',
            render: (_, r) => (r.delta > 0 ? `+${r.delta}` : r.delta),
          },
          {
            title: t(L.common.note),
            render: (_, r) =>
              `${t(CREDIT_REASON_LABELS[r.reason])}${
                r.asked !== null && r.asked !== Math.abs(r.delta)
                  ? t({ zh: `（应得 ${r.asked}）`, en: ` (rule: ${r.asked})` })
                  : ''
              }`,
          },
          {
            title: t({ zh: '规则版本', en: 'Rules' }),
            render: (_, r) => (r.ruleVersion === null ? '—' : `v${r.ruleVersion}`),
          },
          { title: t({ zh: '经办', en: 'By' }), render: (_, r) => r.actorName ?? '—' },
        ]}
      />
      <Paging {...ledger} />
    </div>
  );
}

function Rules() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const rules = useApi('GET /api/credits/rules', {});
  const save = useApiMutation('PUT /api/credits/rules');
  const [form] = Form.useForm<{ rules: TCreditRules; note?: string }>();
  const manage = can(Permission.CreditManage);
  const current = rules.data?.current;
  if (!current)
    return rules.error ? (
      <Typography.Text type="danger">{errorText(rules.error, lang)}</Typography.Text>
    ) : null;

  async function submit(v: { rules: TCreditRules; note?: string }) {
    try {
      await save.mutateAsync({ body: { rules: v.rules, note: v.note, version: current!.version } });
      message.success(t({ zh: '新版规则已生效', en: 'The new rules apply from now on' }));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  return (
    <Form
      form={form}
      key={current.version}
      initialValues={{ rules: current.rules }}
      onFinish={(v) => void submit(v)}
      disabled={!manage}
      data-testid="credit-rules"
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: `当前第 ${current.version} 版${current.createdAt ? `（${formatTime(current.createdAt)} ${current.createdByName ?? ''}）` : '（默认）'}。修改后自即刻起按新版发放，已发放的积分保留原版本。`,
          en: `Version ${current.version}. A change applies from now on; points granted keep their version.`,
        })}
      </Typography.Paragraph>
      <Table
        rowKey={(s) => s}
        size="small"
        pagination={false}
        dataSource={[...CREDIT_SOURCES]}
        columns={[
          { title: t(L.common.source), render: (_, s) => t(CREDIT_SOURCE_LABELS[s]) },
          {
            title: t(L.common.active),
            render: (_, s) => (
              <Form.Item name={['rules', s, 'enabled']} valuePropName="checked" noStyle>
                <Switch data-testid={`rule-${s}-enabled`} />
              </Form.Item>
            ),
          },
          {
            title: t({ zh: '积分', en: 'Points' }),
            render: (_, s) => (
              <Space>
                <Form.Item name={['rules', s, 'points']} noStyle rules={[{ required: true }]}>
                  <InputNumber min={0} max={10000} data-testid={`rule-${s}-points`} />
                </Form.Item>
                {t(CREDIT_UNIT_LABELS[s])}
              </Space>
            ),
          },
          {
            title: t({ zh: '每日上限', en: 'Daily cap' }),
            render: (_, s) => (
              <Form.Item name={['rules', s, 'dayCap']} noStyle>
                <InputNumber min={0} placeholder={t({ zh: '不限', en: 'None' })} />
              </Form.Item>
            ),
          },
          {
            title: t({ zh: '每月上限', en: 'Monthly cap' }),
            render: (_, s) => (
              <Form.Item name={['rules', s, 'monthCap']} noStyle>
                <InputNumber min={0} placeholder={t({ zh: '不限', en: 'None' })} />
              </Form.Item>
            ),
          },
        ]}
      />
      {manage && (
        <Space style={{ marginTop: 12 }}>
          <Form.Item name="note" noStyle>
            <Input
              placeholder={t({ zh: '调整说明（可选）', en: 'Note (optional)' })}
              style={{ width: 320 }}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid="rules-save"
          >
            {t({ zh: '发布新版', en: 'Publish' })}
          </Button>
        </Space>
      )}
      {rules.data!.history.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t({ zh: '历史版本：', en: 'Earlier: ' })}
          {rules
            .data!.history.map(
              (h) => `v${h.version} ${h.createdAt ? formatTime(h.createdAt) : ''} ${h.note ?? ''}`,
            )
            .join('；')}
        </Typography.Paragraph>
      )}
    </Form>
  );
}

function Shops() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const manage = can(Permission.CreditManage);
  const shops = useApi('GET /api/credits/shops', {});
  const staffUsers = useApi(
    'GET /api/users',
    manage ? { query: { role: 'shop', limit: 200, active: 'true' } } : null,
  );
  const createShop = useApiMutation('POST /api/credits/shops');
  const patchShop = useApiMutation('PATCH /api/credits/shops/:id');
  const addItem = useApiMutation('POST /api/credits/shops/:id/items');
  const patchItem = useApiMutation('PATCH /api/credits/items/:id');
  const addStaff = useApiMutation('POST /api/credits/shops/:id/staff');
  const removeStaff = useApiMutation('DELETE /api/credits/shops/:id/staff/:userId');
  const [newShop, setNewShop] = useState(false);
  const [itemFor, setItemFor] = useState<TCreditShop | null>(null);
  const [shopForm] = Form.useForm<{
    name: string;
    kind: 'supermarket' | 'partner';
    address?: string;
  }>();
  const [itemForm] = Form.useForm<{ name: string; points: number; stock?: number | null }>();

  const run = async (p: Promise<unknown>, ok: { zh: string; en: string }) => {
    try {
      await p;
      message.success(t(ok));
      return true;
    } catch (err) {
      message.error(errorText(err, lang));
      return false;
    }
  };
  const saved = L.common.saved;

  return (
    <div data-testid="credit-shops">
      {manage && (
        <Button
          type="primary"
          style={{ marginBottom: 12 }}
          onClick={() => setNewShop(true)}
          data-testid="shop-new"
        >
          {t({ zh: '新增商户', en: 'New shop' })}
        </Button>
      )}
      {shops.error && (
        <Typography.Text type="danger">{errorText(shops.error, lang)}</Typography.Text>
      )}
      {(shops.data?.items ?? []).map((s) => (
        <Card
          key={s.id}
          size="small"
          style={{ marginBottom: 12 }}
          title={
            <Space>
              {s.name}
              <Tag color={s.kind === 'supermarket' ? 'red' : 'blue'}>
                {t(CREDIT_SHOP_KIND_LABELS[s.kind])}
              </Tag>
              {!s.active && <Tag>{t(L.common.deactivated)}</Tag>}
            </Space>
          }
          extra={
            manage && (
              <Space>
                <Switch
                  checked={s.active}
                  checkedChildren={t(L.common.active)}
                  unCheckedChildren={t(L.common.inactive)}
                  onChange={(active) =>
                    void run(
                      patchShop.mutateAsync({
                        params: { id: s.id },
                        body: { active, version: s.version },
                      }),
                      saved,
                    )
                  }
                />
                <Button size="small" onClick={() => setItemFor(s)} data-testid={`item-new-${s.id}`}>
                  {t({ zh: '新增物品', en: 'New item' })}
                </Button>
              </Space>
            )
          }
        >
          {s.address && <Typography.Paragraph type="secondary">{s.address}</Typography.Paragraph>}
          <Table<TCreditItem>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={s.items}
            columns={[
              { title: t({ zh: '物品', en: 'Item' }), dataIndex: 'name' },
              {
                title: t({ zh: '所需积分', en: 'Points' }),
                render: (_, i) =>
                  manage ? (
                    <InputNumber
                      size="small"
                      min={1}
                      defaultValue={i.points}
                      onBlur={(e) => {
                        const points = Number(e.target.value);
                        if (points && points !== i.points)
                          void run(
                            patchItem.mutateAsync({
                              params: { id: i.id },
                              body: { points, version: i.version },
                            }),
                            saved,
                          );
                      }}
                    />
                  ) : (
                    i.points
                  ),
              },
              {
                title: t({ zh: '库存', en: 'Stock' }),
                render: (_, i) =>
                  manage ? (
                    <InputNumber
                      size="small"
                      min={0}
                      defaultValue={i.stock ?? undefined}
                      placeholder={t({ zh: '不限', en: 'None' })}
                      onBlur={(e) => {
                        const raw = e.target.value.trim();
                        const stock = raw === '' ? null : Number(raw);
                        if (stock !== i.stock)
                          void run(
                            patchItem.mutateAsync({
                              params: { id: i.id },
                              body: { stock, version: i.version },
                            }),
                            saved,
                          );
                      }}
                    />
                  ) : (
                    (i.stock ?? t({ zh: '不限', en: 'None' }))
                  ),
              },
              {
                title: t({ zh: '上架', en: 'Offered' }),
                render: (_, i) => (
                  <Switch
                    size="small"
                    checked={i.active}
                    disabled={!manage}
                    onChange={(active) =>
                      void run(
                        patchItem.mutateAsync({
                          params: { id: i.id },
                          body: { active, version: i.version },
                        }),
                        saved,
                      )
                    }
                  />
                ),
              },
            ]}
          />
          <Space wrap style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t({ zh: '店员：', en: 'Staff: ' })}</Typography.Text>
            {s.staff.map((u) => (
              <Tag
                key={u.userId}
                closable={manage}
                onClose={(e) => {
                  e.preventDefault();
                  void run(
                    removeStaff.mutateAsync({ params: { id: s.id, userId: u.userId } }),
                    saved,
                  );
                }}
              >
                {u.name}（{u.username}）
              </Tag>
            ))}
            {manage && (
              <Select
                size="small"
                style={{ width: 200 }}
                placeholder={t({ zh: '添加店员（商户店员角色）', en: 'Add staff (shop role)' })}
                value={null}
                options={(staffUsers.data?.items ?? []).map((u) => ({
                  value: u.id,
                  label: `${u.name}（${u.username}）`,
                }))}
                onChange={(userId: number) =>
                  void run(addStaff.mutateAsync({ params: { id: s.id }, body: { userId } }), saved)
                }
              />
            )}
          </Space>
        </Card>
      ))}
      <Modal
        open={newShop}
        title={t({ zh: '新增商户', en: 'New shop' })}
        onCancel={() => setNewShop(false)}
        onOk={() => shopForm.submit()}
        destroyOnHidden
      >
        <Form
          form={shopForm}
          layout="vertical"
          initialValues={{ kind: 'supermarket' }}
          onFinish={async (v) => {
            if (await run(createShop.mutateAsync({ body: v }), saved)) setNewShop(false);
          }}
        >
          <Form.Item name="name" label={t(L.common.name)} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="kind" label={t(L.common.type)}>
            <Select
              options={CREDIT_SHOP_KINDS.map((k) => ({
                value: k,
                label: t(CREDIT_SHOP_KIND_LABELS[k]),
              }))}
            />
          </Form.Item>
          <Form.Item name="address" label={t(L.common.address)}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={itemFor !== null}
        title={`${t({ zh: '新增物品', en: 'New item' })} · ${itemFor?.name ?? ''}`}
        onCancel={() => setItemFor(null)}
        onOk={() => itemForm.submit()}
        destroyOnHidden
      >
        <Form
          form={itemForm}
          layout="vertical"
          onFinish={async (v) => {
            if (!itemFor) return;
            const ok = await run(
              addItem.mutateAsync({
                params: { id: itemFor.id },
                body: { name: v.name, points: v.points, stock: v.stock ?? null },
              }),
              saved,
            );
            if (ok) setItemFor(null);
          }}
        >
          <Form.Item name="name" label={t({ zh: '物品', en: 'Item' })} rules={[{ required: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item
            name="points"
            label={t({ zh: '所需积分', en: 'Points' })}
            rules={[{ required: true }]}
          >
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item
            name="stock"
            label={t({ zh: '库存（空为不限）', en: 'Stock (empty: not counted)' })}
          >
            <InputNumber min={0} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

function Redemptions() {
  const { t, lang } = useI18n();
  const shops = useApi('GET /api/credits/shops', {});
  const [shopId, setShopId] = useState<number | undefined>();
  const [status, setStatus] = useState<TCreditRedemption['status'] | undefined>();
  const list = useApiPages('GET /api/credits/redemptions', { shopId, status });
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 200 }}
          placeholder={t({ zh: '全部商户', en: 'All shops' })}
          value={shopId}
          onChange={setShopId}
          options={(shops.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t({ zh: '全部状态', en: 'Any state' })}
          value={status}
          onChange={setStatus}
          options={(['pending', 'used', 'expired'] as const).map((s) => ({
            value: s,
            label: t(CREDIT_REDEMPTION_STATUS_LABELS[s]),
          }))}
        />
      </Space>
      {list.error && <Typography.Text type="danger">{errorText(list.error, lang)}</Typography.Text>}
      <Table<TCreditRedemption>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.loading}
        dataSource={list.items}
        data-testid="credit-redemptions"
        columns={[
          {
            title: t({ zh: '生成时间', en: 'Created' }),
            render: (_, r) => formatTime(r.createdAt),
          },
          { title: t({ zh: '商户', en: 'Shop' }), dataIndex: 'shopName' },
          { title: t({ zh: '物品', en: 'Item' }), dataIndex: 'itemName' },
          { title: t({ zh: '积分', en: 'Points' }), dataIndex: 'points', align: 'right' },
          {
            title: t({ zh: '居民', en: 'Resident' }),
            render: (_, r) => `${r.accountName ?? ''} ${r.phoneMasked ?? ''}`.trim() || '—',
          },
          {
            title: t(L.common.status),
            render: (_, r) => (
              <Tag
                color={r.status === 'used' ? 'green' : r.status === 'pending' ? 'blue' : 'default'}
              >
                {t(CREDIT_REDEMPTION_STATUS_LABELS[r.status])}
              </Tag>
            ),
          },
          {
            title: t({ zh: '核销', en: 'Confirmed' }),
            render: (_, r) => (r.usedAt ? `${formatTime(r.usedAt)} ${r.usedByName ?? ''}` : '—'),
          },
        ]}
      />
      <Paging {...list} />
    </>
  );
}

function Ranking() {
  const { t, lang } = useI18n();
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const [board, setBoard] = useState<'resident' | 'volunteer'>('resident');
  const ranking = useApi('GET /api/credits/ranking', { query: { month, board } });
  const months = Array.from({ length: 12 }, (_, i) => monthBack(i));
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select
          value={month}
          onChange={setMonth}
          style={{ width: 120 }}
          options={months.map((m) => ({ value: m, label: m }))}
        />
        <Select
          value={board}
          onChange={setBoard}
          style={{ width: 140 }}
          options={(['resident', 'volunteer'] as const).map((b) => ({
            value: b,
            label: t(CREDIT_BOARD_LABELS[b]),
          }))}
        />
        <Button
          href={apiUrl('GET /api/credits/ranking/xlsx', { query: { month } })}
          data-testid="ranking-export"
        >
          {t({ zh: '导出 XLSX', en: 'Export XLSX' })}
        </Button>
      </Space>
      {ranking.error && (
        <Typography.Text type="danger">{errorText(ranking.error, lang)}</Typography.Text>
      )}
      <Table
        rowKey="accountId"
        size="small"
        pagination={false}
        loading={ranking.isFetching}
        dataSource={ranking.data?.items ?? []}
        data-testid="credit-ranking"
        columns={[
          { title: t(L.results.rank), dataIndex: 'rank', width: 70 },
          { title: t(L.common.personName), render: (_, r) => r.name ?? '—' },
          { title: t({ zh: '榜上显示', en: 'Shown as' }), dataIndex: 'publicName' },
          { title: t(L.common.phone), render: (_, r) => r.phoneMasked ?? '—' },
          { title: t({ zh: '当月积分', en: 'Points' }), dataIndex: 'points', align: 'right' },
        ]}
      />
    </>
  );
}
