import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import type { TImportResult, TRowError } from '../../core/contracts/common.js';
import {
  ApiError,
  fileForm,
  type ApiArgs,
  type ApiBody,
  type ApiParams,
  type ApiResponse,
  type WriteKey,
} from '../shared/api.js';
import { useApiMutation } from '../shared/api-query.js';
import { errorText } from '../shared/forms.js';
import { inLanguage, useI18n, L } from '../shared/i18n.js';

/** The endpoints that read one uploaded file (a multipart body). */
export type UploadKey = {
  [K in WriteKey]: [ApiBody<K>] extends [never]
    ? never
    : [ApiBody<K>] extends [FormData]
      ? K
      : never;
}[WriteKey];

/** The upload endpoints answering an import's row counts (ZImportResultSchema). */
export type ImportKey = {
  [K in UploadKey]: ApiResponse<K> extends TImportResult ? K : never;
}[UploadKey];

type ImportButtonProps<K extends UploadKey> = {
  /** The import endpoint: `'POST /api/units/import'`. */
  endpoint: K;
  /**
   * After a successful import, with the endpoint's answer. The reads under the endpoint's first
   * path segment are already stale and refetched (useApiMutation): no reload needed.
   */
  onDone?: (result: ApiResponse<K>) => void;
  testId: string;
  /** The button's text; default 导入 / Import. */
  label?: { zh: string; en: string };
} & ([ApiParams<K>] extends [never]
  ? { params?: undefined }
  : // Its path parameters, when it has any.
    { params: ApiParams<K> }) &
  (K extends ImportKey
    ? { noResultDialog?: boolean }
    : // An import whose answer is not a row count: the caller reports success itself.
      { noResultDialog: true });

/** Upload an XLSX; show every bad row when it is rejected, or the result (and generated passwords). */
export function ImportButton<K extends UploadKey>(props: ImportButtonProps<K>) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [rows, setRows] = useState<TRowError[] | null>(null);
  const [result, setResult] = useState<TImportResult | null>(null);
  const upload = useApiMutation<K>(props.endpoint);

  const send = async (file: File) => {
    try {
      // The endpoint's parts (TypeScript cannot follow a generic endpoint's args; UploadKey
      // guarantees a FormData body).
      const args = {
        params: props.params,
        body: fileForm(file, file.name),
      } as unknown as ApiArgs<K>;
      const r = await upload.mutateAsync(args);
      // The props' type allows the result dialog only for an endpoint answering row counts.
      if (!props.noResultDialog) setResult(r as TImportResult);
      props.onDone?.(r);
    } catch (err) {
      if (err instanceof ApiError && err.rows.length) setRows(err.rows);
      else message.error(errorText(err, lang));
    }
  };

  return (
    <>
      <Upload
        accept=".xlsx"
        showUploadList={false}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={upload.isPending} data-testid={props.testId}>
          {t(props.label ?? L.common.import)}
        </Button>
      </Upload>
      <ImportErrorsModal rows={rows} onClose={() => setRows(null)} />
      <Modal
        open={result !== null}
        title={t({ zh: '导入完成', en: 'Import finished' })}
        onCancel={() => setResult(null)}
        footer={
          <Button type="primary" onClick={() => setResult(null)}>
            {t({ zh: '确定', en: 'OK' })}
          </Button>
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Alert
            type="success"
            showIcon
            data-testid="import-success"
            title={t({
              zh: `成功导入 ${result?.imported ?? 0} 行：新增 ${result?.created ?? 0}，更新 ${result?.updated ?? 0}`,
              en: `Imported ${result?.imported ?? 0} row(s): ${result?.created ?? 0} new, ${result?.updated ?? 0} updated`,
            })}
          />
          {result?.generatedPasswords && result.generatedPasswords.length > 0 && (
            <>
              <Typography.Text type="warning">
                {t({
                  zh: '以下初始密码只显示这一次，请妥善转交：',
                  en: 'These initial passwords are shown only once:',
                })}
              </Typography.Text>
              <Table
                size="small"
                rowKey="username"
                pagination={false}
                dataSource={result.generatedPasswords}
                columns={[
                  { title: t(L.common.username), dataIndex: 'username' },
                  { title: t({ zh: '初始密码', en: 'Initial password' }), dataIndex: 'password' },
                ]}
              />
            </>
          )}
        </Space>
      </Modal>
    </>
  );
}

type TText = { zh: string; en: string };

/**
 * The errors of a refused import, every one listed (row, column, reason): the import wrote
 * nothing. Open while `rows` is not null.
 */
export function ImportErrorsModal(props: {
  rows: TRowError[] | null;
  onClose: () => void;
  /** The summary above the list, for `n` errors; by default a sheet's. */
  summary?: (n: number) => TText;
  /** The headings of the row and column; by default a sheet's 行 and 列. */
  labels?: { row: TText; column: TText };
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const n = props.rows?.length ?? 0;
  const labels = props.labels ?? {
    row: L.common.row,
    column: L.common.column,
  };
  return (
    <Modal
      open={props.rows !== null}
      title={t({ zh: '导入失败：文件有错误', en: 'Import rejected: the file has errors' })}
      onCancel={props.onClose}
      footer={<Button onClick={props.onClose}>{t(L.common.close)}</Button>}
      width={760}
    >
      <Alert
        type="error"
        showIcon
        style={{ marginBottom: 12 }}
        title={t(
          props.summary?.(n) ?? {
            zh: `共 ${n} 处错误，未导入任何数据。请修改后重新导入。`,
            en: `${n} error(s); nothing was imported. Fix the file and import it again.`,
          },
        )}
        data-testid={props.testId ?? 'import-errors'}
      />
      <Table
        size="small"
        rowKey={(r) => `${r.row}-${r.column}-${r.reason}`}
        dataSource={props.rows ?? []}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: t(labels.row), dataIndex: 'row', width: 70 },
          { title: t(labels.column), dataIndex: 'column', width: 110 },
          {
            title: t(L.common.reason),
            dataIndex: 'reason',
            // The server words each reason in both languages ("中文 / English"): show one.
            render: (reason: string) => inLanguage(reason, lang),
          },
        ]}
      />
    </Modal>
  );
}

/** A link that downloads the current list as XLSX. */
export function ExportButton(props: { href: string }) {
  const { t } = useI18n();
  return (
    <Button icon={<DownloadOutlined />} href={props.href} data-testid="export">
      {t(L.common.export)}
    </Button>
  );
}
