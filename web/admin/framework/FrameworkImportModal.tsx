import { InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Spin,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import type { TRowError } from '../../../core/contracts/common.js';
import {
  CAMPAIGN_KIND_LABELS,
  type TCampaignKind,
  type TFrameworkImportResult,
} from '../../../core/contracts/frameworks.js';
import {
  FRAMEWORK_LEVEL_LABELS,
  FRAMEWORK_LEVELS,
  type TFrameworkLevel,
} from '../../../core/frameworks/methods.js';
import { ApiError, fileForm } from '../../shared/api.js';
import { useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useImportPreview } from './FrameworkImportPreview.js';

/**
 * Import a framework file (JSON in the demo-framework.json shape, or the XLSX sheet) as a new
 * framework of the campaign or as a new draft version of the current framework. An Excel file is
 * read first (a preview: what it creates, the rows that need a decision, unknown units and
 * headers to settle in place); the office then imports it, or its clean rows only and downloads
 * the rest as an error sheet. A rejected file shows every bad row; nothing is imported then.
 */
export function FrameworkImportModal(props: {
  open: boolean;
  campaigns: { id: number; name: string; kind: TCampaignKind }[];
  campaignId: number | null;
  frameworkId: number | null;
  onClose: () => void;
  onDone: (r: TFrameworkImportResult) => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{
    target: 'new' | 'version';
    campaignId?: number;
    name?: string;
    level?: TFrameworkLevel;
  }>();
  const [rows, setRows] = useState<TRowError[] | null>(null);
  const sheetImport = useImportPreview();
  // Either makes a new version of a campaign's framework: the campaigns (their frameworks and
  // versions) are read again.
  const FRAMEWORKS = { invalidates: ['GET /api/campaigns', 'GET /api/frameworks'] };
  const intoFramework = useApiMutation('POST /api/frameworks/:id/import', FRAMEWORKS);
  const intoCampaign = useApiMutation('POST /api/campaigns/:id/frameworks/import', FRAMEWORKS);
  const busy = intoFramework.isPending || intoCampaign.isPending;
  const { file, preview, previewing } = sheetImport;
  const target = Form.useWatch('target', form) ?? 'new';
  const isXlsx = file ? /\.xlsx$/i.test(file.name) : false;

  const close = () => {
    sheetImport.reset();
    setRows(null);
    form.resetFields();
    props.onClose();
  };

  const send = async () => {
    const v = await form.validateFields();
    if (!file) {
      message.warning(t({ zh: '请选择文件', en: 'Choose a file' }));
      return;
    }
    if (preview && preview.missingColumns.length) {
      message.warning(
        t({ zh: '请先指定缺少的列', en: 'Say which header is each missing column first' }),
      );
      return;
    }
    setRows(null);
    try {
      const sheetArgs = isXlsx ? sheetImport.importQuery() : {};
      const body = fileForm(file, file.name);
      const campaignId = v.campaignId ?? props.campaignId;
      const r =
        v.target === 'version' && props.frameworkId
          ? await intoFramework.mutateAsync({
              params: { id: props.frameworkId },
              query: sheetArgs,
              body,
            })
          : campaignId !== null
            ? await intoCampaign.mutateAsync({
                params: { id: campaignId },
                query: { name: v.name, level: v.level, ...sheetArgs },
                body,
              })
            : null;
      if (!r) return;
      message.success(
        t({
          zh: `已导入 v${r.versionNumber}：${r.items} 个项目、${r.contents} 项内容、${r.standards} 条标准、${r.assignments} 条任务（草稿，发布后生效）`,
          en: `Imported v${r.versionNumber}: ${r.items} items, ${r.contents} contents, ${r.standards} standards, ${r.assignments} tasks (a draft until published)`,
        }),
      );
      props.onDone(r);
      close();
    } catch (err) {
      if (err instanceof ApiError && err.rows.length) setRows(err.rows);
      else message.error(errorText(err, lang));
    }
  };

  return (
    <Modal
      open={props.open}
      title={t({ zh: '导入测评体系', en: 'Import a framework' })}
      onCancel={close}
      onOk={() => void send()}
      okText={sheetImport.okText()}
      okButtonProps={{
        loading: busy,
        id: 'framework-import-ok',
        disabled: previewing || (!!preview && preview.missingColumns.length > 0),
      }}
      width={rows || preview ? 900 : 560}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ target: 'new', level: 'prefecture', campaignId: props.campaignId }}
      >
        <Form.Item name="target" label={t({ zh: '导入为', en: 'Import as' })}>
          <Radio.Group>
            <Radio value="new">{t({ zh: '新的测评体系', en: 'A new framework' })}</Radio>
            <Radio value="version" disabled={!props.frameworkId}>
              {t({ zh: '当前测评体系的新版本', en: 'A new version of this framework' })}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {target === 'new' && (
          <>
            <Form.Item
              name="campaignId"
              label={t(L.framework.campaign)}
              rules={[{ required: true }]}
            >
              <Select
                id="framework-import-campaign"
                options={props.campaigns.map((c) => ({
                  value: c.id,
                  label: `${c.name} · ${t(CAMPAIGN_KIND_LABELS[c.kind])}`,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="name"
              label={t(L.common.name)}
              extra={t({
                zh: 'JSON 文件可不填（使用文件中的名称）；Excel 文件必填',
                en: 'Optional for JSON (the file names itself); required for Excel',
              })}
              rules={[{ required: isXlsx, message: t({ zh: '请填写名称', en: 'Name required' }) }]}
            >
              <Input id="framework-import-name" />
            </Form.Item>
            <Form.Item name="level" label={t(L.common.level)}>
              <Select
                options={FRAMEWORK_LEVELS.map((l) => ({
                  value: l,
                  label: t(FRAMEWORK_LEVEL_LABELS[l]),
                }))}
              />
            </Form.Item>
          </>
        )}
        <Upload.Dragger
          accept=".json,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setRows(null);
            sheetImport.choose(f);
            return false;
          }}
          onRemove={() => sheetImport.choose(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          data-testid="framework-import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>
            {t({ zh: '点击或拖入 JSON / Excel 文件', en: 'Click or drop a JSON / Excel file' })}
          </p>
          <Typography.Text type="secondary">
            {t({
              zh: 'Excel 列：项目 / 内容 / 标准编号 / 标准 / 方法 / 分值 / 牵头单位 / 责任单位 / 包抓领导 / 时限',
              en: 'Excel columns: 项目 / 内容 / 标准编号 / 标准 / 方法 / 分值 / 牵头单位 / 责任单位 / 包抓领导 / 时限',
            })}
          </Typography.Text>
        </Upload.Dragger>
      </Form>
      {previewing && <Spin style={{ marginTop: 12 }} />}
      {!rows && sheetImport.view('import-error-sheet')}
      {rows && (
        <>
          <Alert
            type="error"
            showIcon
            style={{ margin: '12px 0' }}
            data-testid="import-errors"
            title={t({
              zh: `共 ${rows.length} 处错误，未导入任何数据。请修改后重新导入。`,
              en: `${rows.length} error(s); nothing was imported. Fix the file and import it again.`,
            })}
          />
          <Table
            size="small"
            rowKey={(r) => `${r.row}-${r.column}-${r.reason}`}
            dataSource={rows}
            pagination={{ pageSize: 8 }}
            columns={[
              {
                title: t(L.common.row),
                dataIndex: 'row',
                width: 60,
                render: (r: number) => (r > 0 ? r : '-'),
              },
              {
                title: t({ zh: '列 / 位置', en: 'Column / path' }),
                dataIndex: 'column',
                width: 200,
              },
              { title: t(L.common.reason), dataIndex: 'reason' },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
