import {
  App,
  Button,
  Card,
  Form,
  InputNumber,
  Modal,
  Popover,
  Progress,
  QRCode,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { TQuota } from '../../../core/contracts/surveys.js';
import { Permission } from '../../../core/permissions.js';
import { COLLECTION_MODE_LABELS } from '../../../core/survey/modes.js';
import { ApiError } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { SurveyQuotaAddModal, TARGET_LABELS, WEIGHT_LABELS } from './SurveyQuotaAddModal.js';

/**
 * 配额看板: quotas per community and collection mode (入户 / 街访) with progress, guide assignment,
 * roster shortfalls, public links. A district or street office sees its subtree's quotas (the
 * server confines them) and names its own guides on them; the round and its quotas are the
 * city's to plan (survey.write), so their buttons are not shown to it.
 */
export function SurveyQuotaBoardPage() {
  const { t, lang } = useI18n();
  const { can, cityLevel } = useAuth();
  const { message } = App.useApp();
  const writable = can(Permission.SurveyWrite);
  const assignable = can(Permission.SurveyAssign);
  const surveys = useApi('GET /api/surveys', {}).data ?? [];
  const [pickedSurvey, setSurveyId] = useState<number | null>(null);
  const surveyId = pickedSurvey ?? surveys[0]?.id ?? null;
  const rounds =
    useApi('GET /api/surveys/:id/rounds', surveyId ? { params: { id: surveyId } } : null).data ??
    [];
  // The round picked in this survey, or its open one (else its first).
  const [picked, setPicked] = useState<{ surveyId: number; roundId: number } | null>(null);
  const roundId =
    (picked?.surveyId === surveyId ? picked.roundId : null) ??
    rounds.find((x) => x.status === 'open')?.id ??
    rounds[0]?.id ??
    null;
  const setRoundId = (id: number) => surveyId && setPicked({ surveyId, roundId: id });
  const boardQ = useApi(
    'GET /api/survey-rounds/:id/board',
    roundId ? { params: { id: roundId } } : null,
  );
  const board = boardQ.data ?? null;
  const guides = useApi('GET /api/survey-guides', assignable ? {} : null).data ?? [];
  /** Reads the board again (after a change elsewhere). */
  const reload = async () => {
    await boardQ.refetch();
  };
  // Each write reads the board and the rounds again.
  const again = { invalidates: ['GET /api/survey-rounds', 'GET /api/surveys'] };
  const putGuides = useApiMutation('PUT /api/survey-quotas/:id/guides', again);
  const patchQuota = useApiMutation('PATCH /api/survey-quotas/:id', again);
  const patchRound = useApiMutation('PATCH /api/survey-rounds/:id', again);
  const [adding, setAdding] = useState(false);
  const [editingQuota, setEditingQuota] = useState<TQuota | null>(null);
  const [editingRound, setEditingRound] = useState(false);
  const [quotaForm] = Form.useForm<{ target: number; population?: number | null }>();
  const [roundForm] = Form.useForm<{
    floorPercent: number;
    dontKnowValid: boolean;
    minGuidesPerCommunity: number;
  }>();

  async function assign(q: TQuota, guideIds: number[]) {
    try {
      await putGuides.mutateAsync({ params: { id: q.id }, body: { guideIds, version: q.version } });
    } catch (err) {
      message.error(errorText(err, lang));
    }
  }

  /** A stale version means someone else saved first: say so and show the fresh board. */
  async function failed(err: unknown) {
    if (err instanceof ApiError && err.status === 409) {
      message.warning(errorText(err, lang));
      setEditingQuota(null);
      setEditingRound(false);
      await reload();
    } else message.error(errorText(err, lang));
  }

  async function saveQuota() {
    if (!editingQuota) return;
    const v = await quotaForm.validateFields();
    try {
      await patchQuota.mutateAsync({
        params: { id: editingQuota.id },
        body: { target: v.target, population: v.population ?? null, version: editingQuota.version },
      });
      setEditingQuota(null);
    } catch (err) {
      await failed(err);
    }
  }

  async function saveRound() {
    if (!board) return;
    const v = await roundForm.validateFields();
    try {
      await patchRound.mutateAsync({
        params: { id: board.round.id },
        body: { ...v, version: board.round.version },
      });
      setEditingRound(false);
    } catch (err) {
      await failed(err);
    }
  }

  /**
   * The guides one may name, and those already on the quota who are not among them: below the
   * city, guides the city placed from elsewhere (theirs to keep, so not removable here).
   */
  const guideOptions = (q: TQuota) => [
    ...guides.map((g) => ({ value: g.id, label: g.name })),
    ...q.guides
      .filter((g) => !guides.some((x) => x.id === g.id))
      .map((g) => ({ value: g.id, label: g.name, disabled: !cityLevel })),
  ];

  const shortfalls = board?.roster.filter((r) => r.shortfall > 0) ?? [];
  const groups = [
    ...new Set(surveys.find((s) => s.id === surveyId)?.questionnaires.map((q) => q.group) ?? ['A']),
  ];

  return (
    <Card
      title={t({ zh: '配额看板', en: 'Quota board' })}
      data-testid="quota-board"
      extra={
        <Space wrap>
          <Select
            style={{ width: 240 }}
            value={surveyId ?? undefined}
            onChange={setSurveyId}
            options={surveys.map((s) => ({ value: s.id, label: s.name }))}
          />
          <Select
            style={{ width: 180 }}
            value={roundId ?? undefined}
            onChange={setRoundId}
            options={rounds.map((r) => ({
              value: r.id,
              label: `${r.name}${r.status === 'closed' ? t({ zh: '（已结束）', en: ' (closed)' }) : ''}`,
            }))}
          />
          {writable && board && (
            <Button
              onClick={() => {
                roundForm.setFieldsValue({
                  floorPercent: board.round.floorPercent,
                  dontKnowValid: board.round.dontKnowValid,
                  minGuidesPerCommunity: board.round.minGuidesPerCommunity,
                });
                setEditingRound(true);
              }}
              data-testid="round-settings"
            >
              {t({ zh: '轮次设置', en: 'Round settings' })}
            </Button>
          )}
          {writable && roundId && (
            <Button type="primary" onClick={() => setAdding(true)}>
              {t({ zh: '设置配额', en: 'Add quotas' })}
            </Button>
          )}
        </Space>
      }
    >
      {board && (
        <>
          <Space size="large" wrap style={{ marginBottom: 16 }}>
            <Statistic
              title={t({ zh: '完成 / 目标（合计）', en: 'Done / target (all)' })}
              value={`${board.done} / ${board.target}`}
            />
            <Progress
              type="circle"
              size={72}
              percent={board.target ? Math.round((board.done / board.target) * 100) : 0}
            />
            {board.byMode.map((m) => (
              <Statistic
                key={m.mode}
                title={t({
                  zh: `${COLLECTION_MODE_LABELS[m.mode].zh} 完成 / 目标`,
                  en: `${COLLECTION_MODE_LABELS[m.mode].en}: done / target`,
                })}
                value={`${m.done} / ${m.target}`}
                data-testid={`mode-progress-${m.mode}`}
              />
            ))}
            <Statistic
              title={t({ zh: '每社区最少调查员', en: 'Min. guides per community' })}
              value={board.round.minGuidesPerCommunity}
            />
            <Statistic
              title={t({ zh: '达标线', en: 'Floor' })}
              value={board.round.floorPercent}
              suffix="%"
            />
            <Statistic
              title={t({ zh: '“说不清”计入有效', en: '“Don’t know” counts as valid' })}
              value={board.round.dontKnowValid ? t(L.common.yes) : t(L.common.no)}
            />
            <Statistic
              title={t({ zh: '调查员不足的社区', en: 'Communities short of guides' })}
              value={shortfalls.length}
              styles={{ content: { color: shortfalls.length ? '#cf1322' : undefined } }}
            />
          </Space>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={board.quotas}
            scroll={{ x: true }}
            columns={[
              { title: t(L.org.regionArea), dataIndex: 'regionName' },
              { title: t(L.surveys.group), dataIndex: 'group', width: 60 },
              {
                title: t({ zh: '方式', en: 'Mode' }),
                width: 80,
                render: (_, q) => (
                  <Tag color={q.mode === 'street' ? 'purple' : 'blue'}>
                    {t(COLLECTION_MODE_LABELS[q.mode])}
                  </Tag>
                ),
              },
              {
                title: t({ zh: '进度', en: 'Progress' }),
                width: 240,
                render: (_, q) => (
                  <Space size={4}>
                    <Progress
                      percent={Math.min(100, Math.round((q.done / q.target) * 100))}
                      format={() => `${q.done}/${q.target}`}
                      size="small"
                      style={{ width: 150, margin: 0 }}
                      data-testid={`quota-progress-${q.regionName}`}
                    />
                    {writable && (
                      <Button
                        size="small"
                        type="link"
                        onClick={() => {
                          quotaForm.setFieldsValue({ target: q.target, population: q.population });
                          setEditingQuota(q);
                        }}
                        data-testid={`quota-edit-${q.regionName}`}
                      >
                        {t(L.common.modify)}
                      </Button>
                    )}
                  </Space>
                ),
              },
              {
                title: t({ zh: '调查员（完成数）', en: 'Guides (done)' }),
                render: (_, q) => {
                  const roster = board.roster.find((r) => r.regionId === q.regionId);
                  return (
                    <Space direction="vertical" size={2}>
                      {assignable ? (
                        <Select
                          mode="multiple"
                          style={{ minWidth: 220 }}
                          value={q.guides.map((g) => g.id)}
                          onChange={(ids: number[]) => void assign(q, ids)}
                          options={guideOptions(q)}
                          data-testid={`quota-guides-${q.regionName}`}
                        />
                      ) : null}
                      <Space wrap size={4}>
                        {q.guides.map((g) => (
                          <Tag key={g.id}>
                            {g.name} {g.done}
                          </Tag>
                        ))}
                        {roster && roster.shortfall > 0 && (
                          <Tag color="red" data-testid="roster-short">
                            {t({
                              zh: `缺 ${roster.shortfall} 名调查员`,
                              en: `${roster.shortfall} guide(s) short`,
                            })}
                          </Tag>
                        )}
                      </Space>
                    </Space>
                  );
                },
              },
              {
                title: t({ zh: '自填链接', en: 'Self-completion' }),
                render: (_, q) => {
                  const url = `${location.origin}/s/${q.publicToken}`;
                  return (
                    <Popover
                      content={
                        <Space direction="vertical" align="center">
                          <QRCode value={url} size={160} />
                          <Typography.Text copyable style={{ fontSize: 12 }}>
                            {url}
                          </Typography.Text>
                        </Space>
                      }
                    >
                      <Button size="small">{t({ zh: '二维码', en: 'QR code' })}</Button>
                    </Popover>
                  );
                },
              },
            ]}
          />
        </>
      )}
      <Modal
        open={editingQuota !== null}
        title={`${t({ zh: '修改配额', en: 'Edit quota' })} · ${editingQuota?.regionName ?? ''} ${editingQuota?.group ?? ''} ${editingQuota ? t(COLLECTION_MODE_LABELS[editingQuota.mode]) : ''}`}
        onCancel={() => setEditingQuota(null)}
        onOk={() => void saveQuota()}
        okText={t(L.common.save)}
        okButtonProps={{ id: 'quota-save' }}
        forceRender
      >
        <Form form={quotaForm} layout="vertical">
          <Form.Item
            name="target"
            label={t(TARGET_LABELS[editingQuota?.mode ?? 'household'])}
            rules={[{ required: true }]}
          >
            <InputNumber min={1} max={10000} data-testid="quota-target" />
          </Form.Item>
          <Form.Item name="population" label={t(WEIGHT_LABELS[editingQuota?.mode ?? 'household'])}>
            <InputNumber min={1} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={editingRound}
        title={`${t({ zh: '轮次设置', en: 'Round settings' })} · ${board?.round.name ?? ''}`}
        onCancel={() => setEditingRound(false)}
        onOk={() => void saveRound()}
        okText={t(L.common.save)}
        okButtonProps={{ id: 'round-save' }}
        forceRender
      >
        <Form form={roundForm} layout="vertical">
          <Form.Item
            name="floorPercent"
            label={t({ zh: '达标线（%）', en: 'Floor (%)' })}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} max={100} step={1} data-testid="round-floor" />
          </Form.Item>
          <Form.Item
            name="dontKnowValid"
            valuePropName="checked"
            label={t({
              zh: '“说不清”类回答计入有效样本',
              en: '“Don’t know” answers count as valid',
            })}
          >
            <Switch data-testid="round-dont-know" />
          </Form.Item>
          <Form.Item
            name="minGuidesPerCommunity"
            label={t({ zh: '每社区最少调查员', en: 'Min. guides per community' })}
            rules={[{ required: true }]}
          >
            <InputNumber min={0} max={50} data-testid="round-min-guides" />
          </Form.Item>
        </Form>
      </Modal>
      <SurveyQuotaAddModal
        open={adding}
        roundId={roundId}
        groups={groups}
        onClose={() => setAdding(false)}
        onAdded={() => {
          setAdding(false);
          void reload();
        }}
      />
    </Card>
  );
}
