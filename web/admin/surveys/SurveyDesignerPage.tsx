import { DownloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import type { TEligibility, TQuestion, TQuestionnaire } from '../../../core/contracts/surveys.js';
import { DEFAULT_ELIGIBILITY, describeRule } from '../../../core/survey/eligibility.js';
import {
  DIMENSION_LABELS,
  DIMENSIONS,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
} from '../../../core/survey/questions.js';
import { apiCall, type ApiBody } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { applyFieldErrors, errorText } from '../../shared/forms.js';
import { formatTime, useI18n, L } from '../../shared/i18n.js';
import { ImportButton } from '../ImportButton.js';
import { SurveyRuleFields } from './SurveyRuleFields.js';

type EditValues = {
  group: string;
  groupLabel: string;
  title: string;
  intro: string;
  questions: TQuestion[];
  eligibility: TEligibility;
};

const STATUS_COLORS = { draft: 'blue', published: 'green', superseded: 'default' } as const;
const STATUS_LABELS = {
  draft: L.common.draft,
  published: L.common.published,
  superseded: { zh: '已替代', en: 'Superseded' },
};

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(
    new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** 问卷设计: questionnaires per respondent group, versioned; a published one is frozen. */
export function SurveyDesignerPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const surveys = useApi('GET /api/surveys', {}).data ?? [];
  const standards = useApi('GET /api/surveys/standards', {}).data ?? [];
  // The survey chosen; the first one until then.
  const [chosen, setChosen] = useState<number | null>(null);
  const surveyId = chosen ?? surveys[0]?.id ?? null;
  const [editing, setEditing] = useState<TQuestionnaire | 'new' | null>(null);
  const [newName, setNewName] = useState('');
  const [form] = Form.useForm<EditValues>();
  const survey = surveys.find((s) => s.id === surveyId);

  // Every write refetches the surveys, whose questionnaires the table lists: those under
  // /api/surveys by default, those under /api/questionnaires by saying so.
  const QUESTIONNAIRES = { invalidates: ['GET /api/surveys', 'GET /api/questionnaires'] };
  const createSurvey = useApiMutation('POST /api/surveys');
  const createQuestionnaire = useApiMutation('POST /api/surveys/:id/questionnaires');
  const importJson = useApiMutation('POST /api/surveys/:id/questionnaires/import');
  const update = useApiMutation('PUT /api/questionnaires/:id', QUESTIONNAIRES);
  const publish = useApiMutation('POST /api/questionnaires/:id/publish', QUESTIONNAIRES);
  const revise = useApiMutation('POST /api/questionnaires/:id/revise', QUESTIONNAIRES);

  const act = async (fn: () => Promise<unknown>, ok: { zh: string; en: string }) => {
    try {
      await fn();
      message.success(t(ok));
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  function openEditor(q: TQuestionnaire | 'new') {
    setEditing(q);
    form.resetFields();
    form.setFieldsValue(
      q === 'new'
        ? {
            group: 'A',
            groupLabel: '市民',
            title: '',
            intro: '',
            questions: [],
            eligibility: DEFAULT_ELIGIBILITY,
          }
        : { ...q },
    );
  }

  async function save() {
    const v = await form.validateFields();
    try {
      if (editing === 'new' && surveyId !== null) {
        await createQuestionnaire.mutateAsync({ params: { id: surveyId }, body: v });
      } else if (editing && editing !== 'new') {
        const { group: _g, ...rest } = v;
        await update.mutateAsync({
          params: { id: editing.id },
          body: { ...rest, version: editing.version },
        });
      }
      message.success(t(L.common.saved));
      setEditing(null);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorText(err, lang));
    }
  }

  const readOnly = editing !== null && editing !== 'new' && editing.status !== 'draft';

  return (
    <Card
      title={t({ zh: '问卷设计', en: 'Questionnaires' })}
      data-testid="survey-designer"
      extra={
        <Space wrap>
          <Select
            style={{ width: 260 }}
            value={surveyId ?? undefined}
            onChange={setChosen}
            options={surveys.map((s) => ({ value: s.id, label: s.name }))}
          />
          <Input
            placeholder={t({ zh: '新调查名称', en: 'New survey name' })}
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
            style={{ width: 180 }}
          />
          <Button
            disabled={!newName.trim()}
            onClick={() =>
              void act(
                async () => {
                  const r = await createSurvey.mutateAsync({ body: { name: newName.trim() } });
                  setChosen(r.id);
                  setNewName('');
                },
                { zh: '已创建', en: 'Created' },
              )
            }
          >
            {t({ zh: '新建调查', en: 'New survey' })}
          </Button>
        </Space>
      }
    >
      {survey && (
        <>
          <Space style={{ marginBottom: 12 }}>
            <Button type="primary" onClick={() => openEditor('new')}>
              {t({ zh: '新建问卷', en: 'New questionnaire' })}
            </Button>
            <Upload
              accept=".json,application/json"
              showUploadList={false}
              beforeUpload={(file) => {
                void file.text().then((text) =>
                  act(
                    () =>
                      importJson.mutateAsync({
                        params: { id: survey.id },
                        // The file as it is: the server checks it is a questionnaire file.
                        body: JSON.parse(
                          text,
                        ) as ApiBody<'POST /api/surveys/:id/questionnaires/import'>,
                      }),
                    { zh: '已导入为草稿', en: 'Imported as a draft' },
                  ),
                );
                return false;
              }}
            >
              <Button>{t({ zh: '导入 JSON', en: 'Import JSON' })}</Button>
            </Upload>
            <ImportButton
              endpoint="POST /api/surveys/:id/questionnaires/import.xlsx"
              params={{ id: survey.id }}
              label={{ zh: '导入 XLSX', en: 'Import XLSX' }}
              noResultDialog
              testId="questionnaire-import-xlsx"
              onDone={() => message.success(t({ zh: '已导入为草稿', en: 'Imported as a draft' }))}
            />
          </Space>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={survey.questionnaires}
            columns={[
              {
                title: t(L.surveys.group),
                render: (_, q) => `${q.group} ${q.groupLabel}`,
              },
              {
                title: t({ zh: '调查对象', en: 'Who counts' }),
                render: (_, q) => (
                  <span data-testid={`rule-${q.group}`}>{t(describeRule(q.eligibility))}</span>
                ),
              },
              { title: t(L.framework.version), render: (_, q) => `v${q.number}` },
              {
                title: t(L.common.status),
                render: (_, q) => (
                  <Tag color={STATUS_COLORS[q.status]}>{t(STATUS_LABELS[q.status])}</Tag>
                ),
              },
              { title: t(L.common.title), dataIndex: 'title' },
              { title: t({ zh: '题数', en: 'Questions' }), render: (_, q) => q.questions.length },
              {
                title: t({ zh: '发布时间', en: 'Published' }),
                render: (_, q) => formatTime(q.publishedAt),
              },
              {
                title: '',
                render: (_, q) => (
                  <Space>
                    <Button
                      size="small"
                      onClick={() => openEditor(q)}
                      data-testid="questionnaire-open"
                    >
                      {q.status === 'draft' ? t(L.common.edit) : t(L.common.view)}
                    </Button>
                    {q.status === 'draft' && (
                      <Popconfirm
                        title={t({
                          zh: '发布后不可修改，确定发布？',
                          en: 'Published versions are frozen. Publish?',
                        })}
                        onConfirm={() =>
                          void act(
                            () =>
                              publish.mutateAsync({
                                params: { id: q.id },
                                body: { version: q.version },
                              }),
                            L.common.published,
                          )
                        }
                      >
                        <Button size="small" type="primary">
                          {t(L.common.publish)}
                        </Button>
                      </Popconfirm>
                    )}
                    {q.status === 'published' && (
                      <Button
                        size="small"
                        onClick={() =>
                          void act(() => revise.mutateAsync({ params: { id: q.id } }), {
                            zh: '已新建草稿版本',
                            en: 'New draft version made',
                          })
                        }
                      >
                        {t({ zh: '新建版本', en: 'New version' })}
                      </Button>
                    )}
                    <Button
                      size="small"
                      onClick={() =>
                        void apiCall('GET /api/questionnaires/:id/export.json', {
                          params: { id: q.id },
                        }).then(
                          (f) => download(`questionnaire-${q.group}-v${q.number}.json`, f),
                          (err: unknown) => message.error(errorText(err, lang)),
                        )
                      }
                    >
                      JSON
                    </Button>
                    <Button
                      size="small"
                      icon={<DownloadOutlined />}
                      href={`/api/questionnaires/${q.id}/export.xlsx`}
                      data-testid="questionnaire-export-xlsx"
                    >
                      XLSX
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </>
      )}
      <Drawer
        open={editing !== null}
        onClose={() => setEditing(null)}
        width={760}
        title={
          editing === 'new'
            ? t({ zh: '新建问卷', en: 'New questionnaire' })
            : readOnly
              ? t({ zh: '已发布的问卷（只读）', en: 'Published questionnaire (read-only)' })
              : t({ zh: '编辑问卷草稿', en: 'Edit draft' })
        }
        extra={
          !readOnly && (
            <Button type="primary" onClick={() => void save()}>
              {t(L.common.save)}
            </Button>
          )
        }
      >
        <Form form={form} layout="vertical" disabled={readOnly}>
          <Space>
            <Form.Item
              name="group"
              label={t({ zh: '人群代码', en: 'Group' })}
              rules={[{ required: true }]}
            >
              <Input style={{ width: 60 }} maxLength={1} disabled={editing !== 'new'} />
            </Form.Item>
            <Form.Item name="groupLabel" label={t(L.surveys.group)} rules={[{ required: true }]}>
              <Input style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <SurveyRuleFields readOnly={readOnly} />
          <Form.Item name="title" label={t(L.common.title)} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="intro" label={t(L.common.note)}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.List name="questions">
            {(fields, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {fields.map((f) => (
                  <Card
                    key={f.key}
                    size="small"
                    extra={
                      !readOnly && (
                        <Button size="small" danger onClick={() => remove(f.name)}>
                          {t(L.common.delete)}
                        </Button>
                      )
                    }
                  >
                    <Space wrap align="start">
                      <Form.Item
                        name={[f.name, 'id']}
                        label={t({ zh: '题号', en: 'Id' })}
                        rules={[{ required: true }]}
                      >
                        <Input style={{ width: 70 }} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'kind']}
                        label={t({ zh: '题型', en: 'Kind' })}
                        initialValue="single"
                      >
                        <Select
                          style={{ width: 110 }}
                          options={QUESTION_KINDS.map((k) => ({
                            value: k,
                            label: t(QUESTION_KIND_LABELS[k]),
                          }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'dimension']} label={t(L.common.dimension)}>
                        <Select
                          allowClear
                          style={{ width: 120 }}
                          options={DIMENSIONS.map((d) => ({
                            value: d,
                            label: t(DIMENSION_LABELS[d]),
                          }))}
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'scale']} label={t({ zh: '分制', en: 'Scale' })}>
                        <InputNumber min={3} max={10} style={{ width: 70 }} />
                      </Form.Item>
                    </Space>
                    <Form.Item
                      name={[f.name, 'text']}
                      label={t(L.surveys.question)}
                      rules={[{ required: true }]}
                    >
                      <Input />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'options']}
                      label={t({ zh: '选项（回车添加）', en: 'Options (Enter to add)' })}
                    >
                      <Select mode="tags" open={false} />
                    </Form.Item>
                    <Space wrap>
                      <Form.Item
                        name={[f.name, 'favourable']}
                        label={t({ zh: '有利选项', en: 'Favourable' })}
                      >
                        <Select mode="tags" style={{ minWidth: 200 }} open={false} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'dontKnow']}
                        label={t({ zh: '“说不清”类', en: "Don't know" })}
                      >
                        <Select mode="tags" style={{ minWidth: 140 }} open={false} />
                      </Form.Item>
                    </Space>
                    <Form.Item
                      name={[f.name, 'standardKeys']}
                      label={t({ zh: '关联测评标准（问卷调查）', en: 'Linked survey standards' })}
                    >
                      <Select
                        mode="multiple"
                        optionFilterProp="label"
                        options={standards.map((s) => ({
                          value: s.key,
                          label: `${s.code} ${s.text}`,
                        }))}
                      />
                    </Form.Item>
                  </Card>
                ))}
                {!readOnly && (
                  <Button
                    block
                    onClick={() =>
                      add({
                        id: `Q${fields.length + 1}`,
                        kind: 'single',
                        text: '',
                        options: [],
                        dimension: null,
                        favourable: [],
                        dontKnow: [],
                        standardKeys: [],
                      })
                    }
                  >
                    {t({ zh: '添加题目', en: 'Add question' })}
                  </Button>
                )}
                {readOnly && (
                  <Typography.Text type="secondary">
                    {t({
                      zh: '如需修改，请在列表中“新建版本”。',
                      en: 'To change it, make a new version from the list.',
                    })}
                  </Typography.Text>
                )}
              </Space>
            )}
          </Form.List>
        </Form>
      </Drawer>
    </Card>
  );
}
