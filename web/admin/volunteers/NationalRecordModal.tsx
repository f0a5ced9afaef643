import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Input,
  Modal,
  Radio,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { TRowError } from '../../../core/contracts/common.js';
import type {
  TNationalHoursImportResult,
  TNationalHoursPreview,
  TNationalRowStatus,
} from '../../../core/contracts/volunteers-national.js';
import { minutesToHours } from '../../../core/volunteers/hours.js';
import {
  DEFAULT_NATIONAL_LAYOUT,
  NATIONAL_FIELDS,
  NATIONAL_KINDS,
  NATIONAL_SHEET_LABELS,
  NATIONAL_SHEETS,
  type TNationalKind,
  type TNationalSheet,
} from '../../../core/volunteers/national-layout.js';
import { ApiError, fileForm, qs } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { inLanguage, L, useI18n } from '../../shared/i18n.js';

type Text = { zh: string; en: string };

const STATUS: Record<TNationalRowStatus, { label: Text; color: string }> = {
  new: { label: { zh: '新增', en: 'New' }, color: 'green' },
  duplicate: { label: { zh: '已导入过', en: 'Imported before' }, color: 'default' },
  platform: { label: { zh: '本平台已有', en: 'Recorded here' }, color: 'blue' },
  error: { label: { zh: '有错误', en: 'Error' }, color: 'red' },
};

/**
 * 全国志愿服务信息系统: the registry, activities and hours exported in the office's layout (ID
 * numbers decrypted, each export audited), hours recorded there imported through a preview, and
 * the layout itself. For holders of volunteer.realname (the city office).
 */
export function NationalRecordModal(props: {
  open: boolean;
  onClose: () => void;
  /** The registry's current filters: the volunteers sheet takes them. */
  filters: Record<string, unknown>;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={props.open}
      title={t({ zh: '全国志愿服务信息系统', en: 'National volunteer service system' })}
      onCancel={props.onClose}
      footer={null}
      width={900}
      destroyOnHidden
    >
      <Tabs
        items={[
          {
            key: 'export',
            label: t(L.common.export),
            children: <ExportPane filters={props.filters} />,
          },
          {
            key: 'import',
            label: t({ zh: '导入服务时长', en: 'Import hours' }),
            children: <ImportPane />,
          },
          {
            key: 'layout',
            label: t({ zh: '导出列设置', en: 'Export columns' }),
            children: <LayoutPane />,
          },
        ]}
      />
    </Modal>
  );
}

function ExportPane(props: { filters: Record<string, unknown> }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<TNationalSheet>('volunteers');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const { realName: _r, ...registry } = props.filters;
  const href = `/api/volunteers/national/export.xlsx${qs({
    kind,
    ...(kind === 'volunteers' ? registry : {}),
    from: kind === 'volunteers' ? undefined : range?.[0]?.format('YYYY-MM-DD'),
    to: kind === 'volunteers' ? undefined : range?.[1]?.format('YYYY-MM-DD'),
  })}`;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert
        type="warning"
        showIcon
        title={t({
          zh: '导出的志愿者和服务时长含完整身份证号，每次导出都记入审计日志。请妥善保管文件，导入全国系统后及时删除。',
          en: 'Volunteer and hour sheets carry full ID numbers; every export is audited. Keep the file safe and delete it once imported.',
        })}
      />
      <Radio.Group
        value={kind}
        onChange={(e) => setKind(e.target.value as TNationalSheet)}
        data-testid="national-kind"
        options={NATIONAL_SHEETS.map((k) => ({ value: k, label: t(NATIONAL_SHEET_LABELS[k]) }))}
      />
      {kind === 'volunteers' ? (
        <Typography.Text type="secondary">
          {t({
            zh: '仅导出已实名的志愿者（按当前列表的筛选条件）。',
            en: 'Only volunteers with an ID number on file (the list’s current filters).',
          })}
        </Typography.Text>
      ) : (
        <Space>
          <Typography.Text>
            {t({ zh: '活动开始日期 / 点单服务日期', en: 'Activity start / service order date' })}
          </Typography.Text>
          <DatePicker.RangePicker
            value={range}
            onChange={(v) => setRange(v)}
            allowEmpty={[true, true]}
          />
        </Space>
      )}
      <Button type="primary" icon={<DownloadOutlined />} href={href} data-testid="national-export">
        {t({ zh: '下载 Excel', en: 'Download Excel' })}
      </Button>
    </Space>
  );
}

/** Choose a sheet exported from the national system, see what it would do, then import. */
function ImportPane() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<TNationalHoursPreview | null>(null);
  const [refused, setRefused] = useState<TRowError[] | null>(null);
  const [result, setResult] = useState<TNationalHoursImportResult | null>(null);
  // Reading the file writes nothing: no read goes stale.
  const read = useApiMutation('POST /api/volunteers/national/hours/preview', { invalidates: [] });
  // The registry's hours and the ledgers are read again.
  const commit = useApiMutation('POST /api/volunteers/national/hours/import');

  async function choose(f: File) {
    setFile(f);
    setPreview(null);
    setRefused(null);
    setResult(null);
    try {
      setPreview(await read.mutateAsync({ body: fileForm(f, f.name) }));
    } catch (err) {
      if (err instanceof ApiError && err.rows.length) setRefused(err.rows);
      else message.error(errorText(err, lang));
    }
  }

  async function importNow() {
    if (!file || !preview) return;
    try {
      setResult(
        await commit.mutateAsync({
          query: preview.counts.error ? { skipBadRows: 'true' } : {},
          body: fileForm(file, file.name),
        }),
      );
      setPreview(null);
    } catch (err) {
      if (err instanceof ApiError && err.rows.length) setRefused(err.rows);
      else message.error(errorText(err, lang));
    }
  }

  const c = preview?.counts;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t({
          zh: '上传从全国系统导出的服务时长表（可含标题行、合计行、备注列）。按证件号码或“姓名+手机号”对应志愿者；同一记录重复导入不会重复计时；本平台导出过去的时长会被识别，不重复计入。',
          en: 'Upload the hours sheet exported from the national system (title rows, totals and remarks are fine). Rows are matched by ID number or by name and phone; importing the same record again adds nothing, and hours this platform sent there are recognised.',
        })}
      </Typography.Paragraph>
      <Upload.Dragger
        accept=".xlsx"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(f) => {
          void choose(f);
          return false;
        }}
        data-testid="national-import-file"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>
          {file ? file.name : t({ zh: '点击或拖入 Excel 文件', en: 'Click or drop an Excel file' })}
        </p>
      </Upload.Dragger>
      {read.isPending && <Typography.Text>{t({ zh: '读取中…', en: 'Reading…' })}</Typography.Text>}
      {refused && (
        <>
          <Alert
            type="error"
            showIcon
            title={t({
              zh: `文件无法导入（${refused.length} 处问题），未写入任何数据`,
              en: `The file cannot be imported (${refused.length} problem(s)); nothing was written`,
            })}
            data-testid="national-refused"
          />
          <RowErrors rows={refused} />
        </>
      )}
      {result && (
        <Alert
          type="success"
          showIcon
          data-testid="national-import-result"
          title={t({
            zh: `已导入 ${result.imported} 条（${minutesToHours(result.minutes)} 小时）；已导入过 ${result.duplicates} 条，本平台已有 ${result.platform} 条，跳过有错误的 ${result.skipped} 行`,
            en: `Imported ${result.imported} record(s) (${minutesToHours(result.minutes)} h); ${result.duplicates} imported before, ${result.platform} recorded here, ${result.skipped} bad row(s) skipped`,
          })}
        />
      )}
      {preview && c && (
        <>
          <Alert
            type={c.error ? 'warning' : 'info'}
            showIcon
            data-testid="national-preview-summary"
            title={t({
              zh: `工作表“${preview.sheetName}”（表头在第 ${preview.headerRow} 行）：新增 ${c.new} 条共 ${minutesToHours(preview.newMinutes)} 小时；已导入过 ${c.duplicate} 条；本平台已有 ${c.platform} 条；有错误 ${c.error} 行`,
              en: `Sheet "${preview.sheetName}" (headers on row ${preview.headerRow}): ${c.new} new, ${minutesToHours(preview.newMinutes)} h; ${c.duplicate} imported before; ${c.platform} recorded here; ${c.error} with errors`,
            })}
          />
          {preview.errors.length > 0 && <RowErrors rows={preview.errors} />}
          <Table
            size="small"
            rowKey="row"
            dataSource={preview.rows}
            pagination={{ pageSize: 8 }}
            scroll={{ x: 760 }}
            data-testid="national-preview-rows"
            columns={[
              { title: t(L.common.row), dataIndex: 'row', width: 60 },
              {
                title: t(L.common.status),
                dataIndex: 'status',
                width: 100,
                render: (s: TNationalRowStatus) => (
                  <Tag color={STATUS[s].color}>{t(STATUS[s].label)}</Tag>
                ),
              },
              { title: t(L.common.personName), dataIndex: 'name', width: 90 },
              { title: t(L.volunteers.idNumber), dataIndex: 'idNumberMasked', width: 170 },
              { title: t(L.volunteers.activity), dataIndex: 'activity' },
              { title: t(L.common.date), dataIndex: 'date', width: 100 },
              {
                title: t(L.common.hours),
                dataIndex: 'minutes',
                width: 70,
                align: 'right',
                render: (m: number | null) => (m === null ? '' : minutesToHours(m)),
              },
            ]}
          />
          {preview.truncated && (
            <Typography.Text type="secondary">
              {t({ zh: '仅显示前 500 行', en: 'The first 500 rows are shown' })}
            </Typography.Text>
          )}
          <Button
            type="primary"
            disabled={c.new === 0}
            loading={commit.isPending}
            onClick={() => void importNow()}
            data-testid="national-import"
          >
            {c.error
              ? t({
                  zh: `仅导入无误的 ${c.new} 条`,
                  en: `Import the ${c.new} clean record(s) only`,
                })
              : t({ zh: `导入 ${c.new} 条`, en: `Import ${c.new} record(s)` })}
          </Button>
        </>
      )}
    </Space>
  );
}

function RowErrors(props: { rows: TRowError[] }) {
  const { t, lang } = useI18n();
  return (
    <Table
      size="small"
      rowKey={(r) => `${r.row}-${r.column}-${r.reason}`}
      dataSource={props.rows}
      pagination={{ pageSize: 5 }}
      data-testid="national-errors"
      columns={[
        { title: t(L.common.row), dataIndex: 'row', width: 60 },
        { title: t(L.common.column), dataIndex: 'column', width: 100 },
        {
          title: t(L.common.reason),
          dataIndex: 'reason',
          render: (reason: string) => inLanguage(reason, lang),
        },
      ]}
    />
  );
}

/**
 * The layout as JSON the office edits: per sheet, columns `{header, field, format?, value?}`. The
 * server checks it against the field catalogue shown beside it.
 */
function LayoutPane() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const state = useApi('GET /api/volunteers/national/layout', {});
  const save = useApiMutation('PUT /api/volunteers/national/layout');
  const [text, setText] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    if (state.data) setText(JSON.stringify(state.data.layout, null, 2));
  }, [state.data]);

  async function put(layout: unknown) {
    setProblems([]);
    try {
      // The body is checked by the server against the catalogue (its contract).
      await save.mutateAsync({ body: layout as typeof DEFAULT_NATIONAL_LAYOUT });
      message.success(t(L.common.saved));
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) {
        setProblems(err.fields.map((f) => `${f.path}: ${inLanguage(f.message, lang)}`));
      } else message.error(errorText(err, lang));
    }
  }

  function submit() {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      setProblems([t({ zh: '不是有效的 JSON', en: 'not valid JSON' })]);
      return;
    }
    void put(parsed);
  }

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        {t({
          zh: '全国系统的导入模板未能核实，默认列为推定布局（见 docs/volunteers-national-export.md）。请按全国系统当前模板调整：每列为 {"header": 表头, "field": 字段, "format": 格式, "value": 固定值}。',
          en: 'The national system’s import templates could not be verified; the default columns are assumed (docs/volunteers-national-export.md). Adjust them to its current template: each column is {"header", "field", "format", "value"}.',
        })}
        {state.data?.isDefault && (
          <Tag style={{ marginLeft: 8 }} data-testid="layout-default">
            {t({ zh: '当前为默认布局', en: 'Default layout' })}
          </Tag>
        )}
      </Typography.Paragraph>
      <Input.TextArea
        value={text}
        onChange={(e) => setText(e.target.value)}
        autoSize={{ minRows: 10, maxRows: 18 }}
        style={{ fontFamily: 'monospace', fontSize: 12 }}
        data-testid="layout-json"
      />
      {problems.length > 0 && (
        <Alert type="error" showIcon title={problems.join('；')} data-testid="layout-problems" />
      )}
      <Space>
        <Button type="primary" onClick={submit} loading={save.isPending} data-testid="layout-save">
          {t(L.common.save)}
        </Button>
        <Button onClick={() => void put(DEFAULT_NATIONAL_LAYOUT)} data-testid="layout-reset">
          {t({ zh: '恢复默认', en: 'Restore the default' })}
        </Button>
      </Space>
      <Tabs
        size="small"
        items={NATIONAL_SHEETS.map((sheet) => ({
          key: sheet,
          label: t(NATIONAL_SHEET_LABELS[sheet]),
          children: (
            <Table
              size="small"
              pagination={false}
              rowKey="field"
              dataSource={Object.entries(
                NATIONAL_FIELDS[sheet] as Record<string, { label: Text; kind: TNationalKind }>,
              ).map(([field, def]) => ({
                field,
                label: t(def.label),
                formats: NATIONAL_KINDS[def.kind].join(' / '),
              }))}
              columns={[
                { title: 'field', dataIndex: 'field', width: 120 },
                { title: t({ zh: '含义', en: 'Meaning' }), dataIndex: 'label' },
                { title: 'format', dataIndex: 'formats', width: 260 },
              ]}
            />
          ),
        }))}
      />
    </Space>
  );
}
