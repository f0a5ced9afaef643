import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  InputNumber,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useRef, useState } from 'react';
import type { TFilingCounts, TFilingStandard } from '../../../core/contracts/filing.js';
import { DOSSIER_STATE_LABELS } from '../../../core/frameworks/evidence.js';
import { apiUrl } from '../../shared/api.js';
import { CITY_CAMPAIGNS } from '../framework/city-campaigns.js';
import { useApi } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n, L } from '../../shared/i18n.js';

type Show = 'all' | 'incomplete' | 'missingFiles' | 'missingStatement' | 'outside';

/** Bytes as people read them (KB, MB, GB). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

interface SaveHandle {
  createWritable(): Promise<{ write(b: Uint8Array): Promise<void>; close(): Promise<void> }>;
}
type SavePicker = (o: { suggestedName: string }) => Promise<SaveHandle>;

/**
 * Downloads the package. Where the browser can write to a file the user picks (File System Access
 * API: Chromium, Edge, 360, QQ), the package is fetched here and written as it arrives, with
 * progress on the page; elsewhere the browser's own download takes it (its download bar shows the
 * bytes received). Either way the package is never held in the page's memory.
 */
async function downloadPackage(
  url: string,
  name: string,
  onProgress: (bytes: number) => void,
  signal: AbortSignal,
): Promise<'page' | 'browser'> {
  const picker = (window as unknown as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  if (!picker) {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    return 'browser';
  }
  const handle = await picker({ suggestedName: name });
  const res = await fetch(url, { credentials: 'same-origin', signal });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  const out = await handle.createWritable();
  const reader = res.body.getReader();
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    await out.write(value);
    received += value.length;
    onProgress(received);
  }
  await out.close();
  return 'page';
}

function CountsTable<T extends TFilingCounts>(props: {
  rows: T[];
  rowKey: (r: T) => string;
  name: (r: T) => string;
  nameTitle: string;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <Table<T>
      size="small"
      rowKey={props.rowKey}
      dataSource={props.rows}
      pagination={{ pageSize: 10 }}
      data-testid={props.testId}
      columns={[
        { title: props.nameTitle, render: (_: unknown, r) => props.name(r) },
        { title: t({ zh: '标准数', en: 'Standards' }), dataIndex: 'standards', width: 80 },
        {
          title: t({ zh: '齐全', en: 'Complete' }),
          width: 180,
          render: (_: unknown, r) => (
            <Progress
              size="small"
              percent={r.standards ? Math.round((r.complete / r.standards) * 100) : 0}
              format={() => `${r.complete}/${r.standards}`}
            />
          ),
        },
        { title: t({ zh: '缺材料', en: 'No files' }), dataIndex: 'missingFiles', width: 80 },
        {
          title: t({ zh: '缺情况说明', en: 'No statement' }),
          dataIndex: 'missingStatement',
          width: 100,
        },
        {
          title: t({ zh: '有效期外', en: 'Outside window' }),
          dataIndex: 'outsideWindow',
          width: 90,
        },
        { title: t({ zh: '未通过审核', en: 'Not approved' }), dataIndex: 'unapproved', width: 100 },
      ]}
    />
  );
}

/**
 * 网上申报: for a framework and year, which material standards are ready to file (approved files
 * in the window and the lead unit's statement), per item and lead unit, and the package download.
 * The filing is the city's (office, leaders, admins at the city).
 */
export function FilingPage() {
  const { t, lang } = useI18n();
  const [picked, setFrameworkId] = useState<number | null>(null);
  const [year, setYear] = useState<number>(() => new Date().getFullYear());
  const [edition, setEdition] = useState<string | undefined>(undefined);
  const [itemKey, setItemKey] = useState<string | undefined>(undefined);
  const [unitId, setUnitId] = useState<number | undefined>(undefined);
  const [show, setShow] = useState<Show>('all');
  const [view, setView] = useState<'standards' | 'items' | 'units'>('standards');
  const [progress, setProgress] = useState<number | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const [done, setDone] = useState<'page' | 'browser' | null>(null);
  const [savedBytes, setSavedBytes] = useState(0);
  const abort = useRef<AbortController | null>(null);

  // The city's campaigns: a 文明细胞 framework is not filed (it assesses applicants, not the city).
  const campaigns = useApi('GET /api/campaigns', CITY_CAMPAIGNS).data?.items ?? [];
  const frameworkId =
    picked ??
    campaigns.flatMap((c) => c.frameworks).find((f) => f.currentVersionId !== null)?.id ??
    null;
  const args = frameworkId
    ? { params: { year }, query: { frameworkId, ...(edition ? { edition } : {}) } }
    : null;
  const q = useApi('GET /api/filing/:year/completeness', args);
  const c = q.data ?? null;
  const error = q.error ? errorText(q.error, lang) : null;

  const rows = useMemo(() => {
    let list: TFilingStandard[] = c?.standards ?? [];
    if (itemKey) list = list.filter((s) => s.itemKey === itemKey);
    if (unitId) list = list.filter((s) => s.leadUnits.some((u) => u.id === unitId));
    if (show === 'incomplete') list = list.filter((s) => !s.complete);
    if (show === 'missingFiles') list = list.filter((s) => s.missingFiles);
    if (show === 'missingStatement') list = list.filter((s) => !s.hasStatement);
    if (show === 'outside') list = list.filter((s) => s.outsideWindow > 0);
    return list;
  }, [c, itemKey, unitId, show]);

  const frameworkOptions = campaigns.flatMap((x) =>
    x.frameworks
      .filter((f) => f.currentVersionId !== null)
      .map((f) => ({ value: f.id, label: `${x.name} · ${f.name}` })),
  );

  const start = async () => {
    if (!args) return;
    setDownloadError(null);
    setDone(null);
    setProgress(0);
    abort.current = new AbortController();
    try {
      const how = await downloadPackage(
        apiUrl('GET /api/filing/:year/package.zip', args),
        `${year}年网上申报材料.zip`,
        (bytes) => {
          setProgress(bytes);
          setSavedBytes(bytes);
        },
        abort.current.signal,
      );
      setDone(how);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') setDownloadError((e as Error).message);
    } finally {
      setProgress(null);
      abort.current = null;
    }
  };

  const total = c?.total;
  const estimate = total?.bytes ?? 0;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={t({ zh: '网上申报', en: 'Online filing' })}
        extra={
          <Space wrap>
            <Select
              style={{ width: 300 }}
              value={frameworkId ?? undefined}
              options={frameworkOptions}
              onChange={setFrameworkId}
              placeholder={t(L.framework.framework)}
            />
            <InputNumber
              min={2000}
              max={2100}
              value={year}
              onChange={(v) => v && setYear(v)}
              suffix={t(L.common.year)}
              style={{ width: 120 }}
              data-testid="filing-year"
            />
            {c && c.editions.length > 1 && (
              <Select
                style={{ width: 240 }}
                value={edition ?? c.edition}
                onChange={setEdition}
                options={c.editions.map((e) => ({ value: e.edition, label: t(e) }))}
              />
            )}
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              disabled={!c || progress !== null}
              onClick={() => void start()}
              data-testid="filing-export"
            >
              {t({ zh: '导出申报材料包', en: 'Export the filing package' })}
            </Button>
          </Space>
        }
      >
        {!frameworkId && (
          <Empty description={t({ zh: '没有已发布的测评体系', en: 'No published framework' })} />
        )}
        {error && <Alert type="error" title={error} />}
        {c && (
          <Alert
            type={c.window.assumed ? 'warning' : 'info'}
            style={{ marginBottom: 16 }}
            data-testid="filing-window"
            title={t({
              zh: `材料有效期 ${c.window.from} 至 ${c.window.to}（测评日期 ${c.window.testDate}${c.window.assumed ? '，尚未设置，按 12 月 1 日估计' : ''}）。只有审核通过且在有效期内的文件进入申报包。`,
              en: `Evidence window ${c.window.from} to ${c.window.to} (test date ${c.window.testDate}${c.window.assumed ? ', not set yet: 1 December assumed' : ''}). Only approved files dated in the window go into the package.`,
            })}
          />
        )}
        {progress !== null && (
          <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
            <Progress
              percent={estimate ? Math.min(99, Math.floor((progress / estimate) * 100)) : 0}
              status="active"
              data-testid="filing-progress"
            />
            <Space>
              <Typography.Text>
                {t({
                  zh: `已接收 ${formatBytes(progress)}，约 ${formatBytes(estimate)}`,
                  en: `${formatBytes(progress)} received of about ${formatBytes(estimate)}`,
                })}
              </Typography.Text>
              <Button size="small" onClick={() => abort.current?.abort()}>
                {t(L.common.cancel)}
              </Button>
            </Space>
          </Space>
        )}
        {downloadError && <Alert type="error" title={downloadError} style={{ marginBottom: 16 }} />}
        {done && (
          <Alert
            type="success"
            style={{ marginBottom: 16 }}
            title={
              done === 'page'
                ? t({
                    zh: `申报材料包已保存（${formatBytes(savedBytes)}）`,
                    en: `The filing package is saved (${formatBytes(savedBytes)})`,
                  })
                : t({
                    zh: '申报材料包正在由浏览器下载，进度见浏览器的下载栏',
                    en: 'The browser is downloading the package; its download bar shows the progress',
                  })
            }
          />
        )}
        {total && (
          <Row gutter={16}>
            <Col xs={12} md={4}>
              <Statistic
                title={t({ zh: '材料审核标准', en: 'Material standards' })}
                value={total.standards}
              />
            </Col>
            <Col xs={12} md={4}>
              <Statistic
                title={t({ zh: '材料齐全', en: 'Complete' })}
                value={total.complete}
                suffix={`/ ${total.standards}`}
                data-testid="filing-complete"
              />
            </Col>
            <Col xs={12} md={4}>
              <Statistic title={t({ zh: '缺材料', en: 'No files' })} value={total.missingFiles} />
            </Col>
            <Col xs={12} md={4}>
              <Statistic
                title={t({ zh: '缺情况说明', en: 'No statement' })}
                value={total.missingStatement}
              />
            </Col>
            <Col xs={12} md={4}>
              <Statistic
                title={t({ zh: '入包文件', en: 'Files filed' })}
                value={total.filed}
                suffix={`${t({ zh: '个', en: 'files' })} · ${formatBytes(total.bytes)}`}
                styles={{ content: { fontSize: 22 } }}
              />
            </Col>
            <Col xs={12} md={4}>
              <Statistic
                title={t({ zh: '有效期外 / 未通过', en: 'Outside window / not approved' })}
                value={`${total.outsideWindow} / ${total.unapproved}`}
              />
            </Col>
          </Row>
        )}
      </Card>
      {c && (
        <Card
          size="small"
          title={
            <Segmented
              value={view}
              onChange={(v) => setView(v as typeof view)}
              options={[
                { value: 'standards', label: t({ zh: '按标准', en: 'By standard' }) },
                { value: 'items', label: t({ zh: '按测评项目', en: 'By item' }) },
                { value: 'units', label: t({ zh: '按牵头单位', en: 'By lead unit' }) },
              ]}
            />
          }
          extra={
            view === 'standards' && (
              <Space wrap>
                <Select
                  allowClear
                  style={{ width: 200 }}
                  placeholder={t(L.framework.item)}
                  value={itemKey}
                  onChange={(v?: string) => setItemKey(v)}
                  options={c.items.map((i) => ({ value: i.key, label: `${i.code} ${i.text}` }))}
                  data-testid="filing-item"
                />
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  style={{ width: 200 }}
                  placeholder={t(L.org.leadUnit)}
                  value={unitId}
                  onChange={(v?: number) => setUnitId(v)}
                  options={c.units
                    .filter((u) => u.unitId !== null)
                    .map((u) => ({ value: u.unitId!, label: u.name }))}
                />
                <Select
                  style={{ width: 150 }}
                  value={show}
                  onChange={setShow}
                  data-testid="filing-show"
                  options={[
                    { value: 'all', label: t(L.common.all) },
                    { value: 'incomplete', label: t({ zh: '未齐全', en: 'Incomplete' }) },
                    { value: 'missingFiles', label: t({ zh: '缺材料', en: 'No files' }) },
                    {
                      value: 'missingStatement',
                      label: t({ zh: '缺情况说明', en: 'No statement' }),
                    },
                    { value: 'outside', label: t({ zh: '有效期外', en: 'Outside window' }) },
                  ]}
                />
              </Space>
            )
          }
        >
          {view === 'standards' && (
            <Table<TFilingStandard>
              size="middle"
              rowKey="key"
              dataSource={rows}
              pagination={{ pageSize: 20 }}
              data-testid="filing-standards"
              columns={[
                { title: t(L.common.code), dataIndex: 'code', width: 100 },
                { title: t(L.framework.standard), dataIndex: 'text', ellipsis: true },
                {
                  title: t(L.org.leadUnit),
                  width: 180,
                  render: (_: unknown, r) => r.leadUnits.map((u) => u.name).join('、') || '—',
                },
                {
                  title: t(L.common.status),
                  width: 100,
                  render: (_: unknown, r) => t(DOSSIER_STATE_LABELS[r.state]),
                },
                { title: t({ zh: '入包文件', en: 'Filed' }), dataIndex: 'filed', width: 80 },
                {
                  title: t({ zh: '有效期外', en: 'Outside window' }),
                  dataIndex: 'outsideWindow',
                  width: 90,
                },
                {
                  title: t({ zh: '未通过审核', en: 'Not approved' }),
                  dataIndex: 'unapproved',
                  width: 100,
                },
                {
                  title: t({ zh: '完整性', en: 'Completeness' }),
                  width: 200,
                  render: (_: unknown, r) => (
                    <Space size={4} wrap>
                      {r.complete && <Tag color="green">{t({ zh: '齐全', en: 'Complete' })}</Tag>}
                      {r.missingFiles && (
                        <Tag color="red">{t({ zh: '缺材料', en: 'No files' })}</Tag>
                      )}
                      {!r.hasStatement && (
                        <Tag color="orange">{t({ zh: '缺情况说明', en: 'No statement' })}</Tag>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          )}
          {view === 'items' && (
            <CountsTable
              rows={c.items}
              rowKey={(r) => r.key}
              name={(r) => `${r.code} ${r.text}`}
              nameTitle={t(L.framework.item)}
              testId="filing-items"
            />
          )}
          {view === 'units' && (
            <CountsTable
              rows={c.units}
              rowKey={(r) => String(r.unitId)}
              name={(r) => r.name}
              nameTitle={t(L.org.leadUnit)}
              testId="filing-units"
            />
          )}
        </Card>
      )}
    </Space>
  );
}
