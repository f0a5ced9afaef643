import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import {
  AUDIT_BREAK_LABELS,
  type TAuditRecord,
  type TAuditVerifyReport,
} from '../../../core/contracts/audit.js';
import { apiCall } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { formatTime, L, useI18n } from '../../shared/i18n.js';
import { useApiPages, type PageFilters } from '../../shared/use-cursor-list.js';

const ENTITY_TYPES = ['user', 'unit', 'region', 'system'];

export function AuditPage() {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<PageFilters<'GET /api/audit'>>({});
  const list = useApiPages('GET /api/audit', filters, 30);
  const [verify, setVerify] = useState<TAuditVerifyReport | null>(null);
  const [kept, setKept] = useState('');
  // Kept as the error, shown in the language of the moment (a switch re-renders it).
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const runVerify = () => {
    setVerifyError(null);
    const checkpoint = kept.trim() || undefined;
    apiCall('GET /api/audit/verify', { query: { checkpoint } }).then(setVerify, (err: unknown) => {
      setVerify(null);
      setVerifyError(err);
    });
  };
  const broken = verify?.firstBroken;
  const where = broken
    ? broken.id !== null
      ? t({ zh: `第 ${broken.id} 号记录：`, en: `record ${broken.id}: ` })
      : broken.seq !== null
        ? t({ zh: `链序号 ${broken.seq}：`, en: `chain position ${broken.seq}: ` })
        : ''
    : '';

  return (
    <Card
      title={t({ zh: '审计日志', en: 'Audit log' })}
      extra={
        <Space.Compact>
          <Input
            allowClear
            style={{ width: 260 }}
            value={kept}
            onChange={(e) => setKept(e.target.value)}
            placeholder={t({
              zh: '留存的检查点（可选，取自日志）',
              en: 'Kept checkpoint (optional, from the log)',
            })}
          />
          <Button icon={<SafetyCertificateOutlined />} onClick={runVerify}>
            {t({ zh: '校验防篡改链', en: 'Verify hash chain' })}
          </Button>
        </Space.Compact>
      }
    >
      {verifyError !== null && (
        <Alert
          style={{ marginBottom: 12 }}
          showIcon
          type="warning"
          title={errorText(verifyError, lang)}
        />
      )}
      {verify && (
        <Alert
          style={{ marginBottom: 12 }}
          showIcon
          type={verify.ok ? 'success' : 'error'}
          title={
            verify.ok
              ? t({
                  zh: `校验通过：${verify.checked} 条记录完整，${verify.checkpoints} 个签名检查点一致`,
                  en: `Chain intact: ${verify.checked} records checked against ${verify.checkpoints} signed checkpoint(s)`,
                })
              : t({
                  zh: `发现篡改：${where}${broken ? AUDIT_BREAK_LABELS[broken.reason].zh : ''}`,
                  en: `Tampering found: ${where}${broken ? AUDIT_BREAK_LABELS[broken.reason].en : ''}`,
                })
          }
          description={
            verify.lastCheckpoint
              ? t({
                  zh: `最近检查点：链序号 ${verify.lastCheckpoint.seq}，共 ${verify.lastCheckpoint.count} 条，${formatTime(verify.lastCheckpoint.at)}`,
                  en: `Last checkpoint: position ${verify.lastCheckpoint.seq}, ${verify.lastCheckpoint.count} records, ${formatTime(verify.lastCheckpoint.at)}`,
                })
              : undefined
          }
        />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t({ zh: '操作（前缀）', en: 'Action (prefix)' })}
          onSearch={(v) => setFilters((f) => ({ ...f, action: v || undefined }))}
        />
        <Select
          allowClear
          placeholder={t({ zh: '对象类型', en: 'Entity type' })}
          style={{ width: 140 }}
          options={ENTITY_TYPES.map((e) => ({ value: e, label: e }))}
          onChange={(v?: string) => setFilters((f) => ({ ...f, entityType: v }))}
        />
        <Input.Search
          allowClear
          placeholder={t({ zh: '对象编号', en: 'Entity id' })}
          onSearch={(v) => setFilters((f) => ({ ...f, entityId: v || undefined }))}
        />
      </Space>
      <Table<TAuditRecord>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        expandable={{
          expandedRowRender: (r) => (
            <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>
              {JSON.stringify({ before: r.before, after: r.after }, null, 2)}
            </pre>
          ),
        }}
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          {
            title: t(L.common.time),
            dataIndex: 'at',
            width: 150,
            render: (v: string) => formatTime(v),
          },
          { title: t({ zh: '操作人', en: 'Actor' }), dataIndex: 'actorName', width: 160 },
          { title: t(L.common.operation), dataIndex: 'action', width: 170 },
          {
            title: t({ zh: '对象', en: 'Entity' }),
            key: 'e',
            render: (_: unknown, r: TAuditRecord) => `${r.entityType} ${r.entityId ?? ''}`,
          },
          { title: 'IP', dataIndex: 'ip', width: 120 },
          {
            title: t({ zh: '哈希', en: 'Hash' }),
            dataIndex: 'hash',
            width: 110,
            render: (h: string | null) =>
              h ? (
                <Typography.Text code>{h.slice(0, 10)}</Typography.Text>
              ) : (
                <Typography.Text type="secondary">
                  {t({ zh: '待封存', en: 'Sealing' })}
                </Typography.Text>
              ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button size="small" disabled={!list.hasPrev} onClick={list.prev}>
          {t(L.common.previousPage)}
        </Button>
        <Button size="small" disabled={!list.hasNext} onClick={list.next}>
          {t(L.common.nextPage)}
        </Button>
      </Space>
    </Card>
  );
}
