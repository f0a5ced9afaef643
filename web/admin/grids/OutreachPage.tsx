import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Progress,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useEffect, useState } from 'react';
import {
  PUBLICITY_ITEMS,
  type TCoverageRow,
  type TOutreachPairing,
  type TVisit,
} from '../../../core/contracts/outreach.js';
import { administeredRegionOf } from '../../../core/org/grants.js';
import { Permission } from '../../../core/permissions.js';
import type { ApiBody } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { RegionPicker, UnitPicker } from '../../shared/pickers.js';
import { useCategories } from '../../shared/use-categories.js';
import { useAuth } from '../auth.js';

type GroupBy = 'pairing' | 'unit' | 'community';

/** The visit dialog's fields: the visit as the route reads it, but for the id it is sent with. */
type VisitForm = Omit<ApiBody<'POST /api/outreach/visits'>, 'clientId'>;
/** The pairing dialog's fields. */
type PairingForm = ApiBody<'POST /api/outreach/pairings'>;

/** 包联 and 入户宣传: coverage against the households owed, the pairings, and logging a visit. */
export function OutreachPage() {
  const { t, lang } = useI18n();
  const { can, user } = useAuth();
  const { message } = App.useApp();
  const [groupBy, setGroupBy] = useState<GroupBy>('pairing');
  const [logging, setLogging] = useState(false);
  const [pairing, setPairing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [visitForm] = Form.useForm<VisitForm>();
  const [pairForm] = Form.useForm<PairingForm>();
  const categories = useCategories();
  const office = can(Permission.UnitWrite);
  // 辖区: a district or street office pairs its own units with communities of its subtree.
  const within = user ? administeredRegionOf(user) : null;

  const coverage = useApi('GET /api/outreach/coverage', { query: { groupBy } });
  const pairingsQ = useApi('GET /api/outreach/pairings', {});
  const visitsQ = useApi('GET /api/outreach/visits', { query: { limit: 20 } });
  const rows = coverage.data ?? [];
  const pairings = pairingsQ.data ?? [];
  const visits = visitsQ.data ?? [];
  const failed = coverage.error ?? pairingsQ.error ?? visitsQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);
  // Both read the coverage, the pairings and the visits again (all under /api/outreach).
  const logVisit = useApiMutation('POST /api/outreach/visits');
  const pair = useApiMutation('POST /api/outreach/pairings');
  const editPairing = useApiMutation('PATCH /api/outreach/pairings/:id');
  // The pairing whose households owed are being changed.
  const [retarget, setRetarget] = useState<TOutreachPairing | null>(null);
  const [target, setTarget] = useState<number | null>(null);

  /** Writes an edit of a pairing at the version shown (a stale one says so and reloads). */
  async function changePairing(
    p: TOutreachPairing,
    change: { targetHouseholds?: number; active?: boolean },
  ): Promise<boolean> {
    try {
      await editPairing.mutateAsync({
        params: { id: p.id },
        body: { version: p.version, ...change },
      });
      message.success(t(L.common.saved));
      return true;
    } catch (err) {
      message.error(errorText(err, lang));
      return false;
    }
  }

  async function saveVisit() {
    const v = await visitForm.validateFields();
    setBusy(true);
    try {
      const res = await logVisit.mutateAsync({
        body: { ...v, clientId: crypto.randomUUID(), concern: v.concern || null },
      });
      message.success(
        res.problemCode
          ? t({
              zh: `已记录，并登记问题 ${res.problemCode}`,
              en: `Saved; problem ${res.problemCode} filed`,
            })
          : t({ zh: '已记录', en: 'Saved' }),
      );
      setLogging(false);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  async function savePairing() {
    const v = await pairForm.validateFields();
    setBusy(true);
    try {
      await pair.mutateAsync({ body: v });
      setPairing(false);
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t({ zh: '入户覆盖率', en: 'Household coverage' })}
        extra={
          <Space wrap>
            {user?.unitId !== null && (
              <Button type="primary" onClick={() => setLogging(true)} data-testid="visit-new">
                {t({ zh: '记录入户', en: 'Log a visit' })}
              </Button>
            )}
            {office && (
              <Button onClick={() => setPairing(true)} data-testid="pairing-new">
                {t({ zh: '新增包联', en: 'New pairing' })}
              </Button>
            )}
          </Space>
        }
      >
        <Segmented<GroupBy>
          value={groupBy}
          onChange={setGroupBy}
          options={[
            { value: 'pairing', label: t({ zh: '按包联', en: 'By pairing' }) },
            { value: 'unit', label: t({ zh: '按单位', en: 'By unit' }) },
            { value: 'community', label: t({ zh: '按社区', en: 'By community' }) },
          ]}
          style={{ marginBottom: 12 }}
        />
        <Table<TCoverageRow>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={rows}
          data-testid="coverage"
          columns={[
            {
              title: t({ zh: '对象', en: 'Pairing' }),
              dataIndex: 'label',
              render: (v: string, r) => (
                <Space>
                  {v}
                  {r.laggard && <Tag color="red">{t(L.framework.notMet)}</Tag>}
                </Space>
              ),
            },
            {
              title: t({ zh: '已走访/应走访', en: 'Visited / owed' }),
              width: 140,
              render: (_, r) => `${r.visited} / ${r.target}`,
            },
            {
              title: t({ zh: '覆盖率', en: 'Coverage' }),
              width: 220,
              render: (_, r) => (
                <Progress
                  percent={Math.round(r.coverage * 1000) / 10}
                  size="small"
                  status={r.laggard ? 'exception' : 'success'}
                />
              ),
            },
          ]}
        />
      </Card>
      <Card title={t({ zh: '最近入户记录', en: 'Recent visits' })}>
        <Table<TVisit>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={visits}
          scroll={{ x: 700 }}
          columns={[
            {
              title: t(L.common.time),
              dataIndex: 'visitedAt',
              width: 140,
              render: formatTime,
            },
            { title: t({ zh: '走访人', en: 'Visitor' }), dataIndex: 'visitorName', width: 100 },
            {
              title: t({ zh: '住户', en: 'Household' }),
              render: (_, v) => `${v.building}${v.household}`,
            },
            {
              title: t(L.surveys.publicity),
              dataIndex: 'publicity',
              render: (p: string[]) => p.join('、'),
            },
            {
              title: t({ zh: '群众反映', en: 'Concern' }),
              render: (_, v) =>
                v.concern ? (
                  <Space>
                    {v.concern}
                    {v.problemId && <a href={`/problems/${v.problemId}`}>{v.problemCode}</a>}
                  </Space>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
      {office && (
        <Card title={t({ zh: '包联关系', en: 'Pairings' })}>
          <Table<TOutreachPairing>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={pairings}
            columns={[
              { title: t(L.org.community), dataIndex: 'regionName' },
              {
                title: t(L.grids.building),
                dataIndex: 'building',
                render: (b: string) => b || t({ zh: '全社区', en: 'whole community' }),
              },
              { title: t(L.org.pairedUnit), dataIndex: 'unitName' },
              {
                title: t({ zh: '应走访户数', en: 'Households owed' }),
                dataIndex: 'targetHouseholds',
                width: 120,
              },
              {
                title: t(L.common.status),
                dataIndex: 'active',
                width: 90,
                render: (active: boolean) =>
                  active ? (
                    <Tag color="green">{t({ zh: '进行中', en: 'Ongoing' })}</Tag>
                  ) : (
                    <Tag>{t(L.common.ended)}</Tag>
                  ),
              },
              {
                title: t(L.common.actions),
                width: 170,
                render: (_: unknown, p: TOutreachPairing) => (
                  <Space size="small">
                    <Button
                      size="small"
                      type="link"
                      data-testid={`pairing-target-${p.id}`}
                      onClick={() => {
                        setTarget(p.targetHouseholds);
                        setRetarget(p);
                      }}
                    >
                      {t({ zh: '调整户数', en: 'Households' })}
                    </Button>
                    <Popconfirm
                      title={
                        p.active
                          ? t({
                              zh: '结束后该单位在此不能再记录入户走访，已有记录保留。',
                              en: 'Ended, the unit can log no more visits here; those logged stay.',
                            })
                          : t({ zh: '恢复该包联？', en: 'Resume this pairing?' })
                      }
                      onConfirm={() => changePairing(p, { active: !p.active })}
                    >
                      <Button
                        size="small"
                        type="link"
                        danger={p.active}
                        data-testid={`pairing-active-${p.id}`}
                      >
                        {p.active
                          ? t({ zh: '结束包联', en: 'End' })
                          : t({ zh: '恢复', en: 'Resume' })}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
      <Modal
        open={retarget !== null}
        title={t({ zh: '调整应走访户数', en: 'Households owed' })}
        okButtonProps={{ disabled: !target }}
        confirmLoading={editPairing.isPending}
        onOk={() => {
          if (retarget && target)
            void changePairing(retarget, { targetHouseholds: target }).then((ok) => {
              if (ok) setRetarget(null);
            });
        }}
        onCancel={() => setRetarget(null)}
        destroyOnHidden
      >
        <Space>
          <span>
            {retarget?.regionName} {retarget?.building} · {retarget?.unitName}
          </span>
          <InputNumber
            min={1}
            max={100000}
            value={target}
            onChange={(v) => setTarget(v)}
            id="pairing-retarget"
          />
        </Space>
      </Modal>
      <Modal
        open={logging}
        title={t(L.surveys.logVisit)}
        onOk={() => void saveVisit()}
        confirmLoading={busy}
        onCancel={() => setLogging(false)}
        destroyOnHidden
      >
        <Form
          form={visitForm}
          layout="vertical"
          initialValues={{ publicity: ['核心价值观', '创城知识'] }}
        >
          <Form.Item name="regionId" label={t(L.org.community)} rules={[{ required: true }]}>
            <RegionPicker />
          </Form.Item>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="building"
              label={t(L.grids.building)}
              rules={[{ required: true }]}
              style={{ flex: 1 }}
            >
              <Input placeholder="3幢" id="visit-building" />
            </Form.Item>
            <Form.Item
              name="household"
              label={t(L.grids.flat)}
              rules={[{ required: true }]}
              style={{ flex: 1 }}
            >
              <Input placeholder="2单元301" id="visit-household" />
            </Form.Item>
          </Space.Compact>
          <Form.Item name="publicity" label={t(L.surveys.publicity)}>
            <Checkbox.Group options={PUBLICITY_ITEMS.map((p) => ({ value: p, label: p }))} />
          </Form.Item>
          <Form.Item
            name="concern"
            label={t({ zh: '群众反映（选填）', en: "Resident's concern (optional)" })}
          >
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
          <Form.Item
            name="concernCategoryId"
            label={t({ zh: '转为问题（选类别）', en: 'File it as a problem (category)' })}
          >
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t({ zh: '不转为问题', en: 'Do not file' })}
              options={categories
                .filter((c) => c.parentId !== null)
                .map((c) => ({ value: c.id, label: c.name }))}
              data-testid="visit-category"
            />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={pairing}
        title={t({ zh: '新增包联', en: 'New pairing' })}
        onOk={() => void savePairing()}
        confirmLoading={busy}
        onCancel={() => setPairing(false)}
        destroyOnHidden
      >
        <Form form={pairForm} layout="vertical">
          <Form.Item name="unitId" label={t(L.org.pairedUnit)} rules={[{ required: true }]}>
            <UnitPicker id="pairing-unit" />
          </Form.Item>
          <Form.Item name="regionId" label={t(L.org.community)} rules={[{ required: true }]}>
            <RegionPicker within={within} id="pairing-region" />
          </Form.Item>
          <Form.Item
            name="building"
            label={t({ zh: '楼栋（空为全社区）', en: 'Building (empty: the whole community)' })}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="targetHouseholds"
            label={t({ zh: '应走访户数', en: 'Households owed' })}
            rules={[{ required: true }]}
          >
            <InputNumber min={1} id="pairing-target" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
