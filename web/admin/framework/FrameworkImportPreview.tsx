import {
  Alert,
  App,
  Button,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import {
  SHEET_COLUMN_KEYS,
  type TFrameworkImportPreview,
} from '../../../core/contracts/frameworks.js';
import { UNIT_TYPES, UNIT_TYPE_LABELS, type TUnitType } from '../../../core/contracts/org.js';
import { PARTY_KIND_LABELS, type TPartyKind } from '../../../core/org/parties.js';
import { FRAMEWORK_SHEET_COLUMNS } from '../../../core/frameworks/sheet.js';
import { Permission } from '../../../core/permissions.js';
import { apiCall, apiUrl, fileForm, uploadAndSave } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { L, useI18n } from '../../shared/i18n.js';
import { useAuth } from '../auth.js';

type Key = (typeof SHEET_COLUMN_KEYS)[number];
type Issue = TFrameworkImportPreview['issues'][number];
type UnitRow = TFrameworkImportPreview['units'][number];
type PartyRow = TFrameworkImportPreview['parties'][number];

const COLUMN_LABELS: Record<Key, { zh: string; en: string }> = {
  item: L.framework.item,
  content: L.framework.content,
  code: { zh: '标准编号', en: 'Code' },
  text: L.framework.standard,
  method: L.framework.method,
  score: L.framework.maxScore,
  lead: L.org.leadUnit,
  responsible: L.org.responsibleUnit,
  leader: L.org.leader,
  due: L.common.timeLimit,
  guidance: { zh: '测评说明', en: 'Guidance' },
  evidence: L.framework.evidence,
  notes: L.common.notes,
};

/**
 * What an office's sheet would import, read before anything is written: the sheet and its
 * columns (an unknown header mapped here is remembered after the import), what the clean rows
 * create, the sums checked, the unit names no unit answers to — each settled in place by making
 * it an alias of the unit meant, or by creating the unit — and every row that needs a decision.
 */
export function FrameworkImportPreview(props: {
  preview: TFrameworkImportPreview;
  /** A task sheet read against a version: counts are tasks and the standards they cover. */
  tasks?: boolean;
  columns: Record<string, Key>;
  onSheet: (sheet: string) => void;
  onColumns: (columns: Record<string, Key>) => void;
  /** A unit was changed or created: read the sheet again. */
  onUnitsChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const p = props.preview;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState<string | null>(null);
  const [proposing, setProposing] = useState<UnitRow | null>(null);
  const canUnits = can(Permission.UnitWrite);
  const unknownHeaders = p.columns.filter((c) => c.key === null).map((c) => c.header);
  const mapped = new Set(Object.values(props.columns));
  const badSums = p.report?.sumChecks.filter((s) => !s.ok) ?? [];
  /** The sheet rows a name stands on (units and parties tables). */
  const rowsColumn = {
    title: t(L.common.row),
    dataIndex: 'rows',
    width: 120,
    render: (rows: number[]) => rows.join('、'),
  };
  const skipped = p.report?.skippedRows ?? [];

  // Refetches the units (every read under /api/units).
  const patchUnit = useApiMutation('PATCH /api/units/:id');
  const addAlias = async (u: UnitRow, unitId: number) => {
    setBusy(u.name);
    setError(null);
    try {
      // The unit as it is now (its version and aliases), not as a cached read had it.
      const unit = await apiCall('GET /api/units/:id', { params: { id: unitId } });
      await patchUnit.mutateAsync({
        params: { id: unitId },
        body: { version: unit.version, aliases: [...unit.aliases, u.name] },
      });
      props.onUnitsChanged();
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }} size="middle">
      {p.kind === 'xlsx' && (
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label={t({ zh: '工作表', en: 'Sheet' })}>
            <Select
              id="import-preview-sheet"
              size="small"
              style={{ minWidth: 200 }}
              value={p.sheetName}
              options={p.sheets.map((s) => ({ value: s, label: s }))}
              onChange={props.onSheet}
            />
          </Descriptions.Item>
          <Descriptions.Item label={t({ zh: '将导入', en: 'Will import' })}>
            <span data-testid="import-preview-counts">
              {props.tasks
                ? t({
                    zh: `${p.counts.assignments} 条任务（涉及 ${p.counts.standards} 条标准），替换该版本现有的任务分解`,
                    en: `${p.counts.assignments} tasks (${p.counts.standards} standards), replacing the version's tasks`,
                  })
                : t({
                    zh: `${p.counts.items} 个项目、${p.counts.contents} 项内容、${p.counts.standards} 条标准、${p.counts.assignments} 条任务`,
                    en: `${p.counts.items} items, ${p.counts.contents} contents, ${p.counts.standards} standards, ${p.counts.assignments} tasks`,
                  })}
            </span>
          </Descriptions.Item>
          {skipped.length > 0 && (
            <Descriptions.Item label={t({ zh: '跳过的行', en: 'Rows passed over' })}>
              {t({
                zh: `${skipped.length} 行（小计、合计、标题或说明行）`,
                en: `${skipped.length} (subtotals, totals, headings or notes)`,
              })}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {badSums.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="import-preview-sums"
          title={t({
            zh: '表中所写的合计与标准分值之和不符',
            en: 'Stated sums differ from the standards',
          })}
          description={badSums.map((s) => (
            <div key={s.row}>
              {t({
                zh: `第 ${s.row} 行 ${s.label || '小计'}：写 ${s.stated}，标准分值之和 ${s.computed}`,
                en: `Row ${s.row} ${s.label || 'subtotal'}: states ${s.stated}, the standards add up to ${s.computed}`,
              })}
            </div>
          ))}
        />
      )}
      {(p.missingColumns.length > 0 || unknownHeaders.length > 0) && (
        <div data-testid="import-preview-columns">
          {p.missingColumns.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 8 }}
              title={t({
                zh: `缺少必需的列：${p.missingColumns.map((k) => COLUMN_LABELS[k].zh).join('、')}。请在下面指定表中对应的列。`,
                en: `Required columns missing: ${p.missingColumns.map((k) => COLUMN_LABELS[k].en).join(', ')}. Say below which header is which.`,
              })}
            />
          )}
          <Typography.Text type="secondary">
            {t({
              zh: '未识别的列（不指定则原样保留为“其他列”；指定后下次导入自动识别）：',
              en: 'Headers not recognised (kept as other columns unless mapped; a mapping is remembered):',
            })}
          </Typography.Text>
          {unknownHeaders.map((h) => (
            <div key={h} style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 4 }}>
              <Tag>{h}</Tag>
              <Select
                size="small"
                allowClear
                style={{ width: 180 }}
                placeholder={t({ zh: '对应的列', en: 'Column it is' })}
                data-testid={`map-${h}`}
                value={props.columns[h]}
                options={FRAMEWORK_SHEET_COLUMNS.map((c) => ({
                  value: c.key,
                  label: t(COLUMN_LABELS[c.key]),
                  disabled: mapped.has(c.key) && props.columns[h] !== c.key,
                }))}
                onChange={(k?: Key) => {
                  const next = { ...props.columns };
                  if (k) next[h] = k;
                  else delete next[h];
                  props.onColumns(next);
                }}
              />
            </div>
          ))}
        </div>
      )}
      {error && <Alert type="error" showIcon title={error} />}
      {p.units.length > 0 && (
        <Table<UnitRow>
          size="small"
          data-testid="import-preview-units"
          rowKey="name"
          title={() =>
            t({
              zh: '找不到对应单位的名称：设为某个单位的别名（下次自动识别），或新建单位',
              en: 'Names no unit answers to: make one an alias of the unit meant (known next time), or create the unit',
            })
          }
          dataSource={p.units}
          pagination={false}
          columns={[
            { title: t({ zh: '表中写法', en: 'As written' }), dataIndex: 'name', width: 140 },
            rowsColumn,
            {
              title: t({ zh: '处理', en: 'Settle' }),
              render: (_: unknown, u: UnitRow) => (
                <Space wrap size={4}>
                  {canUnits && u.proposal && (
                    <Button
                      size="small"
                      type="primary"
                      ghost
                      onClick={() => setProposing(u)}
                      data-testid={`propose-${u.name}`}
                    >
                      {t({ zh: '设为集体责任方', en: 'Make it a collective party' })}
                    </Button>
                  )}
                  {u.status === 'ambiguous' && (
                    <Typography.Text type="warning">
                      {t({ zh: '对应多个单位：', en: 'several units: ' })}
                    </Typography.Text>
                  )}
                  {canUnits &&
                    u.suggestions.map((s) => (
                      <Button
                        key={s.id}
                        size="small"
                        loading={busy === u.name}
                        onClick={() => void addAlias(u, s.id)}
                      >
                        {t({ zh: `是“${s.name}”`, en: `It is "${s.name}"` })}
                      </Button>
                    ))}
                  {canUnits && u.status === 'unknown' && (
                    <Button size="small" type="dashed" onClick={() => setCreating(u.name)}>
                      {t(L.org.newUnit)}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {p.parties.length > 0 && (
        <Table<PartyRow>
          size="small"
          data-testid="import-preview-parties"
          rowKey="id"
          title={() =>
            t({
              zh: '表中的集体责任方及其对应单位',
              en: 'Collective parties in the sheet and the units they stand for',
            })
          }
          dataSource={p.parties}
          pagination={false}
          columns={[
            { title: t(L.common.name), dataIndex: 'name', width: 160 },
            {
              title: t(L.common.category),
              dataIndex: 'kind',
              width: 110,
              render: (k: TPartyKind) => t(PARTY_KIND_LABELS[k]),
            },
            {
              title: t({ zh: '对应', en: 'Stands for' }),
              render: (_: unknown, x: PartyRow) =>
                x.kind === 'group'
                  ? t({
                      zh: `${x.units} 个成员单位，各自承担任务`,
                      en: `${x.units} member units, each with the task`,
                    })
                  : t({
                      zh: `由“${x.contactUnit ?? '-'}”负责联系`,
                      en: `answered for by "${x.contactUnit ?? '-'}"`,
                    }),
            },
            rowsColumn,
          ]}
        />
      )}
      {p.issues.length > 0 && (
        <Table<Issue>
          size="small"
          data-testid="import-preview-issues"
          rowKey={(i) => `${i.row}|${i.column}|${i.reason.zh}`}
          title={() =>
            t({
              zh: `需要处理的问题 ${p.issues.length} 处（涉及 ${p.badRows.length} 行）`,
              en: `${p.issues.length} problem(s) on ${p.badRows.length} row(s)`,
            })
          }
          dataSource={p.issues}
          pagination={p.issues.length > 8 ? { pageSize: 8 } : false}
          columns={[
            {
              title: t(L.common.row),
              dataIndex: 'row',
              width: 60,
              render: (r: number) => (r > 0 ? r : '-'),
            },
            { title: t(L.common.column), dataIndex: 'column', width: 120 },
            {
              title: t(L.common.reason),
              render: (_: unknown, i: Issue) => t(i.reason),
            },
          ]}
        />
      )}
      <PartyProposalModal
        row={proposing}
        onClose={() => setProposing(null)}
        onDone={() => {
          setProposing(null);
          props.onUnitsChanged();
        }}
      />
      <CreateUnitModal
        name={creating}
        onClose={() => setCreating(null)}
        onDone={() => {
          setCreating(null);
          props.onUnitsChanged();
        }}
      />
    </Space>
  );
}

/**
 * A unit the sheet names and the directory lacks, created from the preview; when the office gives
 * it its full name, the sheet's wording is kept as an alias.
 */
function CreateUnitModal(props: { name: string | null; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<{ name: string; code: string; type: TUnitType }>();
  const [error, setError] = useState<string | null>(null);
  // Refetches the units (every read under /api/units).
  const create = useApiMutation('POST /api/units');
  useEffect(() => {
    if (props.name !== null) form.setFieldsValue({ name: props.name, code: '' });
  }, [props.name, form]);
  const save = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      // The name as the sheet writes it becomes an alias, so the sheet finds the unit.
      const asWritten = props.name ?? '';
      await create.mutateAsync({
        body: {
          ...v,
          ...(asWritten && asWritten !== v.name.trim() ? { aliases: [asWritten] } : {}),
        },
      });
      props.onDone();
    } catch (err) {
      setError(errorText(err, lang));
    }
  };
  return (
    <Modal
      open={props.name !== null}
      title={t(L.org.newUnit)}
      onCancel={props.onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: create.isPending, id: 'create-unit-ok' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        key={props.name ?? ''}
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: props.name ?? '', type: 'government_department' }}
      >
        <Form.Item name="name" label={t(L.org.unitName)} rules={[{ required: true }]}>
          <Input id="create-unit-name" />
        </Form.Item>
        <Form.Item
          name="code"
          label={t({ zh: '单位编码', en: 'Code' })}
          rules={[{ required: true, message: t({ zh: '请填写单位编码', en: 'Code required' }) }]}
        >
          <Input id="create-unit-code" />
        </Form.Item>
        <Form.Item name="type" label={t(L.org.unitType)}>
          <Select options={UNIT_TYPES.map((u) => ({ value: u, label: t(UNIT_TYPE_LABELS[u]) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * A collective name the sheet uses (各街道（乡镇）, 各物业公司), defined as a 集体责任方 from the
 * preview with what it probably is: a group by unit type, or an outside party whose contact unit
 * the office picks. Defined once: the next import knows it.
 */
function PartyProposalModal(props: {
  row: UnitRow | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<{
    kind: TPartyKind;
    memberTypes: TUnitType[];
    contactUnitId?: number;
  }>();
  const [error, setError] = useState<string | null>(null);
  const kind = Form.useWatch('kind', form) ?? props.row?.proposal?.kind ?? 'group';
  const open = props.row !== null;
  // The contact units to choose from, read while the dialog is open.
  const unitsQ = useApi('GET /api/units', open ? { query: { limit: 500, active: 'true' } } : null);
  const units = unitsQ.data?.items ?? [];
  const shownError = error ?? (unitsQ.error ? errorText(unitsQ.error, lang) : null);
  // Refetches the parties (every read under /api/parties).
  const create = useApiMutation('POST /api/parties');
  // One form for every name: each opening starts from that name's proposal.
  useEffect(() => {
    const row = props.row;
    if (!row) return;
    form.setFieldsValue({
      kind: row.proposal?.kind ?? 'group',
      memberTypes: row.proposal?.memberTypes ?? [],
      contactUnitId: undefined,
    });
  }, [props.row, form]);
  useEffect(() => {
    if (open) setError(null);
  }, [open]);
  const save = async () => {
    const v = await form.validateFields();
    setError(null);
    try {
      await create.mutateAsync({
        body: {
          name: props.row!.name,
          kind: v.kind,
          memberTypes: v.kind === 'group' ? v.memberTypes : [],
          contactUnitId: v.kind === 'outside' ? (v.contactUnitId ?? null) : null,
        },
      });
      props.onDone();
    } catch (err) {
      setError(errorText(err, lang));
    }
  };
  return (
    <Modal
      open={open}
      title={t({
        zh: `设为集体责任方：${props.row?.name ?? ''}`,
        en: `Collective party: ${props.row?.name ?? ''}`,
      })}
      onCancel={props.onClose}
      onOk={() => void save()}
      okButtonProps={{ loading: create.isPending, id: 'party-proposal-ok' }}
      destroyOnHidden
    >
      {shownError && (
        <Alert type="error" showIcon title={shownError} style={{ marginBottom: 12 }} />
      )}
      {/* Keyed by the name: each name opens a form with its own proposal. */}
      <Form
        key={props.row?.name ?? ''}
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          kind: props.row?.proposal?.kind ?? 'group',
          memberTypes: props.row?.proposal?.memberTypes ?? [],
        }}
      >
        <Form.Item name="kind" label={t(L.common.category)}>
          <Radio.Group
            options={(['group', 'outside'] as const).map((k) => ({
              value: k,
              label: t(PARTY_KIND_LABELS[k]),
            }))}
          />
        </Form.Item>
        {kind === 'group' ? (
          <Form.Item
            name="memberTypes"
            label={t({ zh: '成员：以下类型的全部单位', en: 'Members: every unit of these types' })}
            rules={[
              {
                required: true,
                message: t({ zh: '请选择单位类型', en: 'Choose unit types' }),
              },
            ]}
            extra={t({
              zh: '也可稍后在“集体责任方”中逐个列出成员单位',
              en: 'Member units can also be listed one by one later under Collective parties',
            })}
          >
            <Select
              mode="multiple"
              id="party-member-types"
              options={UNIT_TYPES.map((u) => ({ value: u, label: t(UNIT_TYPE_LABELS[u]) }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="contactUnitId"
            label={t({ zh: '负责联系的单位', en: 'Unit that answers for it' })}
            rules={[
              {
                required: true,
                message: t({ zh: '请选择负责联系的单位', en: 'Choose the unit' }),
              },
            ]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              id="party-contact-unit"
              options={units.map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

type ColumnKeyOf = (typeof SHEET_COLUMN_KEYS)[number];

/**
 * The preview of one chosen workbook, for an import dialog: reads it (again after every choice the
 * office makes), says what to send with the import, downloads the error sheet, and renders the
 * preview with its error-sheet button. A framework file by default; with `tasksOf`, the task
 * sheet (任务分解) of that framework version.
 */
export function useImportPreview(tasksOf: number | null = null) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<TFrameworkImportPreview | null>(null);
  const [sheet, setSheet] = useState<string | undefined>(undefined);
  const [columns, setColumns] = useState<Record<string, ColumnKeyOf>>({});
  const tasks = tasksOf !== null;
  // A preview reads the file and writes nothing: it makes nothing stale.
  const previewFramework = useApiMutation('POST /api/framework-imports/preview', {
    invalidates: [],
  });
  const previewTasks = useApiMutation(
    'POST /api/framework-versions/:id/assignments/import/preview',
    { invalidates: [] },
  );
  const [previewing, setPreviewing] = useState(false);
  const sheetQuery = (s: string | undefined, c: Record<string, ColumnKeyOf>) => ({
    sheet: s,
    columns: Object.keys(c).length ? JSON.stringify(c) : undefined,
  });
  const read = async (f: File, s: string | undefined, c: Record<string, ColumnKeyOf>) => {
    const args = { query: sheetQuery(s, c), body: fileForm(f, f.name) };
    setPreviewing(true);
    try {
      setPreview(
        tasksOf === null
          ? await previewFramework.mutateAsync(args)
          : await previewTasks.mutateAsync({ ...args, params: { id: tasksOf } }),
      );
    } catch (err) {
      setPreview(null);
      message.error(errorText(err, lang));
    } finally {
      setPreviewing(false);
    }
  };
  const skipBad = !!preview && preview.badRows.length > 0;
  const downloadErrors = async () => {
    if (!file) return;
    // The error sheet is a workbook to save, not JSON: sent by uploadAndSave to the endpoint's
    // URL as the typed client builds it.
    const args = {
      query: { ...sheetQuery(sheet, columns), lang },
      body: fileForm(file, file.name),
    };
    const url =
      tasksOf === null
        ? apiUrl('POST /api/framework-imports/error-sheet', args)
        : apiUrl('POST /api/framework-versions/:id/assignments/import/error-sheet', {
            ...args,
            params: { id: tasksOf },
          });
    try {
      await uploadAndSave(url, file, file.name);
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };
  return {
    file,
    preview,
    previewing,
    skipBad,
    /** A file was chosen: read it when it is a workbook. */
    choose(f: File | null) {
      setFile(f);
      setPreview(null);
      setSheet(undefined);
      if (f && /\.xlsx$/i.test(f.name)) void read(f, undefined, columns);
    },
    reset() {
      setFile(null);
      setPreview(null);
      setSheet(undefined);
      setColumns({});
    },
    /** What the import sends besides the file: the sheet, the mapping, the clean rows only. */
    importQuery: () => ({
      ...sheetQuery(sheet, columns),
      skipBadRows: skipBad ? ('true' as const) : undefined,
    }),
    /** The import button's words: the whole file, or its clean rows. */
    okText: () =>
      skipBad
        ? t({
            zh: `仅导入无误的行（${preview.badRows.length} 行除外）`,
            en: `Import the clean rows (leave out ${preview.badRows.length})`,
          })
        : t(L.common.import),
    view: (errorSheetTestId: string) =>
      preview && file ? (
        <>
          <FrameworkImportPreview
            preview={preview}
            tasks={tasks}
            columns={columns}
            onSheet={(s) => {
              setSheet(s);
              void read(file, s, columns);
            }}
            onColumns={(c) => {
              setColumns(c);
              void read(file, sheet, c);
            }}
            onUnitsChanged={() => void read(file, sheet, columns)}
          />
          {skipBad && (
            <Button
              style={{ marginTop: 8 }}
              data-testid={errorSheetTestId}
              onClick={() => void downloadErrors()}
            >
              {t({
                zh: '下载问题表（原表加“问题”列）',
                en: 'Download the error sheet (your sheet with a Problems column)',
              })}
            </Button>
          )}
        </>
      ) : null,
  };
}
