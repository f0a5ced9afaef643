import { UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Upload,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  DECISION_LABELS,
  OBJECTION_OUTCOMES,
  OBJECTION_OUTCOME_LABELS,
  type TApplicationDetail,
  type TCallDetail,
  type TObjection,
  type TObjectionOutcome,
} from '../../../core/contracts/cell-awards.js';
import { Permission } from '../../../core/permissions.js';
import { apiCall } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';
import { AssessmentForm, BOTH } from './AssessmentForm.js';

/** The applicant's report per standard (≤ 500 characters) and its documents. */
function Materials(props: { call: TCallDetail; app: TApplicationDetail; editable: boolean }) {
  const { call, app } = props;
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const save = useApiMutation('PUT /api/cell-award-applications/:id/materials/:standardKey');
  const [busy, setBusy] = useState<string | null>(null);
  const reportOf = (key: string) =>
    drafts[key] ?? app.materials.find((m) => m.standardKey === key)?.report ?? '';

  async function upload(key: string, file: File) {
    setBusy(key);
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      await apiCall('POST /api/cell-award-applications/:id/materials/:standardKey/files', {
        params: { id: app.id, standardKey: key },
        body: form,
      });
      message.success(t({ zh: '已上传', en: 'Uploaded' }));
    } catch (err) {
      message.error(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={call.standards}
      columns={[
        { title: t(L.common.code), dataIndex: 'code', width: 80 },
        { title: t(L.framework.standard), dataIndex: 'text', width: 260 },
        {
          title: t({ zh: '申报材料（每项不超过 500 字）', en: 'Report (≤ 500 characters each)' }),
          render: (_, s) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Input.TextArea
                rows={2}
                maxLength={500}
                showCount
                disabled={!props.editable}
                value={reportOf(s.key)}
                onChange={(e) => setDrafts({ ...drafts, [s.key]: e.target.value })}
              />
              <Space wrap>
                {app.materials
                  .find((m) => m.standardKey === s.key)
                  ?.files.map((f) => (
                    <a key={f.id} href={`/api/files/${f.fileId}`} target="_blank" rel="noreferrer">
                      {f.title}
                    </a>
                  ))}
              </Space>
              {props.editable && (
                <Space>
                  <Button
                    size="small"
                    disabled={drafts[s.key] === undefined}
                    loading={save.isPending && busy === s.key}
                    onClick={async () => {
                      setBusy(s.key);
                      try {
                        await save.mutateAsync({
                          params: { id: app.id, standardKey: s.key },
                          body: { report: drafts[s.key]! },
                        });
                        const { [s.key]: _done, ...rest } = drafts;
                        setDrafts(rest);
                        message.success(t(L.common.saved));
                      } catch (err) {
                        message.error(errorText(err, lang));
                      } finally {
                        setBusy(null);
                      }
                    }}
                  >
                    {t(L.common.save)}
                  </Button>
                  <Upload
                    accept=".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,image/*"
                    showUploadList={false}
                    beforeUpload={(f) => {
                      void upload(s.key, f);
                      return false;
                    }}
                  >
                    <Button size="small" icon={<UploadOutlined />} loading={busy === s.key}>
                      {t({ zh: '上传附件', en: 'Attach a file' })}
                    </Button>
                  </Upload>
                </Space>
              )}
            </Space>
          ),
        },
      ]}
    />
  );
}

/** 异议 recorded during 公示: who raised it, what, how it was handled and the outcome. */
function Objections(props: { app: TApplicationDetail; editable: boolean; canAdd: boolean }) {
  const { app } = props;
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const add = useApiMutation('POST /api/cell-award-applications/:id/objections', {
    invalidates: BOTH,
  });
  const edit = useApiMutation('PATCH /api/cell-award-applications/:id/objections/:objectionId');
  const [adding, setAdding] = useState(false);
  const [draft, setDraft] = useState<{
    receivedOn: Dayjs | null;
    raisedBy: string;
    content: string;
  }>({ receivedOn: dayjs(), raisedBy: '', content: '' });
  const [handling, setHandling] = useState<TObjection | null>(null);
  const [outcome, setOutcome] = useState<TObjectionOutcome>('pending');
  const [handlingText, setHandlingText] = useState('');

  const outcomeColor = { pending: 'orange', upheld: 'red', dismissed: 'green' } as const;
  return (
    <>
      {props.canAdd && (
        <Button
          style={{ marginBottom: 12 }}
          onClick={() => setAdding(true)}
          data-testid="objection-new"
        >
          {t({ zh: '登记异议', en: 'Record an objection' })}
        </Button>
      )}
      <Table<TObjection>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={app.objectionList}
        columns={[
          { title: t({ zh: '收到日期', en: 'Received' }), dataIndex: 'receivedOn', width: 110 },
          { title: t({ zh: '异议人', en: 'Raised by' }), dataIndex: 'raisedBy', width: 140 },
          { title: t({ zh: '异议内容', en: 'Objection' }), dataIndex: 'content' },
          { title: t({ zh: '处理情况', en: 'Handling' }), dataIndex: 'handling' },
          {
            title: t({ zh: '结论', en: 'Outcome' }),
            width: 110,
            render: (_, o) => (
              <Tag color={outcomeColor[o.outcome]}>{t(OBJECTION_OUTCOME_LABELS[o.outcome])}</Tag>
            ),
          },
          ...(props.editable
            ? [
                {
                  title: t(L.common.actions),
                  width: 90,
                  render: (_: unknown, o: TObjection) => (
                    <Button
                      size="small"
                      onClick={() => {
                        setHandling(o);
                        setOutcome(o.outcome);
                        setHandlingText(o.handling ?? '');
                      }}
                    >
                      {t({ zh: '处理', en: 'Handle' })}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={adding}
        destroyOnHidden
        title={t({ zh: '登记异议', en: 'Record an objection' })}
        onCancel={() => setAdding(false)}
        confirmLoading={add.isPending}
        onOk={async () => {
          try {
            await add.mutateAsync({
              params: { id: app.id },
              body: {
                receivedOn: (draft.receivedOn ?? dayjs()).format('YYYY-MM-DD'),
                raisedBy: draft.raisedBy,
                content: draft.content,
              },
            });
            setAdding(false);
            setDraft({ receivedOn: dayjs(), raisedBy: '', content: '' });
            message.success(t({ zh: '异议已登记', en: 'Objection recorded' }));
          } catch (err) {
            message.error(errorText(err, lang));
          }
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <DatePicker
            value={draft.receivedOn}
            onChange={(d) => setDraft({ ...draft, receivedOn: d })}
          />
          <Input
            placeholder={t({ zh: '异议人（可填“匿名”）', en: 'Raised by (or 匿名)' })}
            maxLength={100}
            value={draft.raisedBy}
            onChange={(e) => setDraft({ ...draft, raisedBy: e.target.value })}
          />
          <Input.TextArea
            rows={3}
            maxLength={1000}
            placeholder={t({ zh: '异议内容', en: 'The objection' })}
            value={draft.content}
            onChange={(e) => setDraft({ ...draft, content: e.target.value })}
          />
        </Space>
      </Modal>
      <Modal
        open={handling !== null}
        destroyOnHidden
        title={t({ zh: '异议处理', en: 'Handle the objection' })}
        onCancel={() => setHandling(null)}
        confirmLoading={edit.isPending}
        onOk={async () => {
          try {
            await edit.mutateAsync({
              params: { id: app.id, objectionId: handling!.id },
              body: { version: handling!.version, outcome, handling: handlingText.trim() || null },
            });
            setHandling(null);
            message.success(t(L.common.saved));
          } catch (err) {
            message.error(errorText(err, lang));
          }
        }}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Select
            style={{ width: 160 }}
            value={outcome}
            onChange={setOutcome}
            options={OBJECTION_OUTCOMES.map((o) => ({
              value: o,
              label: t(OBJECTION_OUTCOME_LABELS[o]),
            }))}
          />
          <Input.TextArea
            rows={3}
            maxLength={1000}
            placeholder={t({ zh: '处理情况', en: 'How it was handled' })}
            value={handlingText}
            onChange={(e) => setHandlingText(e.target.value)}
          />
        </Space>
      </Modal>
    </>
  );
}

/** One application: materials, the assessment (vetoes and scores), objections and the decision. */
export function CellApplicationPage() {
  const id = Number(useParams().id);
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const write = can(Permission.UnitWrite);
  const appQ = useApi('GET /api/cell-award-applications/:id', { params: { id } });
  const app = appQ.data;
  const callQ = useApi(
    'GET /api/cell-award-calls/:id',
    app ? { params: { id: app.callId } } : null,
  );
  const call = callQ.data;
  const failed = appQ.error ?? callQ.error;
  useEffect(() => {
    if (failed) message.error(errorText(failed, lang));
  }, [failed, lang, message]);
  if (!app || !call) return <Card loading />;
  const undecided = app.decision === null;
  const materialsOpen =
    write && undecided && (call.status === 'open' || call.status === 'assessing');

  return (
    <Card
      title={
        <Space>
          {app.applicantName}
          {app.decision && (
            <Tag color={app.decision === 'conferred' ? 'green' : 'default'}>
              {t(DECISION_LABELS[app.decision])}
            </Tag>
          )}
        </Space>
      }
      extra={
        <Space>
          {app.honour && (
            <Link to={`/cell-applications/${app.id}/certificate`} data-testid="certificate-link">
              {t({ zh: '打印证书', en: 'Print the certificate' })}
            </Link>
          )}
          <Link to={`/cell-calls/${call.id}`}>{call.title}</Link>
        </Space>
      }
    >
      <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t({ zh: '所在区域', en: 'Region' })}>
          {app.regionName ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t(L.common.contact)}>{app.contact ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t(L.framework.score)}>
          {app.totalScore} / {call.maxTotal}
        </Descriptions.Item>
        {app.decisionNote && (
          <Descriptions.Item label={t({ zh: '决定说明', en: 'Decision note' })}>
            {app.decisionNote}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Tabs
        items={[
          {
            key: 'assessment',
            label: t({ zh: '测评', en: 'Assessment' }),
            children: write ? (
              <AssessmentForm call={call} application={app} />
            ) : (
              <AssessmentForm call={{ ...call, status: 'decided' }} application={app} />
            ),
          },
          {
            key: 'materials',
            label: t({ zh: '申报材料', en: 'Materials' }),
            children: <Materials call={call} app={app} editable={materialsOpen} />,
          },
          {
            key: 'objections',
            label: `${t({ zh: '公示异议', en: 'Objections' })}（${app.objections}）`,
            children: (
              <Objections
                app={app}
                editable={write && undecided}
                canAdd={write && undecided && call.status === 'publicity' && app.proposed}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
