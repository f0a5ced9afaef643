import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Modal, Space, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { TRowError } from '../../../core/contracts/common.js';
import type { TRegionLevel } from '../../../core/contracts/org.js';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import { ApiError, get, upload } from '../../shared/api.js';
import { errorText } from '../../shared/forms.js';
import { GridMap, type MapArea } from '../../shared/grid-map.js';
import { ImportErrorsModal } from '../ImportButton.js';
import { L, useI18n } from '../../shared/i18n.js';

/** The boundaries as `GET /api/regions/boundaries.geojson` answers them. */
export interface BoundaryDoc {
  type: 'FeatureCollection';
  features: {
    properties: { code: string; name: string; level: TRegionLevel };
    geometry: TAreaGeometry;
  }[];
}

interface Counts {
  placed: number;
  moved: number;
  unplaced: number;
}
/** What a boundary change did: the problems' counts, and the points' under `points`. */
export interface BoundaryCounts extends Counts {
  points: Counts;
}
interface ImportCounts extends BoundaryCounts {
  imported: number;
}

/** What a boundary change does (or did) to located problems and points, in words. */
export function boundaryCountsText(c: BoundaryCounts) {
  return {
    zh: `${c.placed} 个问题获得所属区域，${c.moved} 个改变区域，${c.unplaced} 个变为未定位；点位 ${c.points.placed} 个获得区域，${c.points.moved} 个改变，${c.points.unplaced} 个失去。`,
    en: `${c.placed} problems get a region, ${c.moved} change region, ${c.unplaced} lose theirs; points: ${c.points.placed} placed, ${c.points.moved} moved, ${c.points.unplaced} unplaced.`,
  };
}

/** The colour of a region's boundary on the maps, by level. */
export const BOUNDARY_COLORS: Record<TRegionLevel, string> = {
  city: '#c8102e',
  district: '#1677ff',
  street: '#52c41a',
  community: '#fa8c16',
};

/**
 * 区划边界: every region's boundary on the map, the GeoJSON export, and the import — checked first
 * (a dry run answering what it would do to located problems), then applied on confirmation.
 */
export function RegionBoundariesCard(props: {
  writable: boolean;
  onChanged: () => void;
  /** Changes when the regions changed elsewhere on the page (a boundary drawn): reloads the map. */
  reloadKey?: number;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [doc, setDoc] = useState<BoundaryDoc | null>(null);
  const [busy, setBusy] = useState(false);
  const [rows, setRows] = useState<TRowError[] | null>(null);
  const [pending, setPending] = useState<{ file: File; counts: ImportCounts } | null>(null);

  const load = useCallback(async () => {
    setDoc(await get<BoundaryDoc>('/api/regions/boundaries.geojson'));
  }, []);
  useEffect(() => {
    load().catch(() => setDoc(null));
  }, [load, props.reloadKey]);

  const send = async (file: File, dryRun: boolean) =>
    upload<ImportCounts>(
      `/api/regions/boundaries/import${dryRun ? '?dryRun=true' : ''}`,
      file,
      file.name,
    );

  const check = async (file: File) => {
    setBusy(true);
    try {
      setPending({ file, counts: await send(file, true) });
    } catch (err) {
      if (err instanceof ApiError && err.rows.length) setRows(err.rows);
      else message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      const r = await send(pending.file, false);
      setPending(null);
      message.success(
        t({
          zh: `已导入 ${r.imported} 个区划边界`,
          en: `${r.imported} region boundaries imported`,
        }),
      );
      props.onChanged();
      await load();
    } catch (err) {
      setPending(null);
      if (err instanceof ApiError && err.rows.length) setRows(err.rows);
      else message.error(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const areas: MapArea[] = (doc?.features ?? []).map((f, i) => ({
    id: i,
    geometry: f.geometry,
    color: BOUNDARY_COLORS[f.properties.level] ?? '#1677ff',
    label: f.properties.level === 'district' ? f.properties.name : undefined,
  }));
  const c = pending?.counts;

  return (
    <Card
      title={t(L.org.regionBoundary)}
      extra={
        <Space>
          {props.writable && (
            <Upload
              accept=".json,.geojson,application/geo+json,application/json"
              showUploadList={false}
              beforeUpload={(f) => {
                void check(f);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={busy} data-testid="boundary-import">
                {t({ zh: '导入 GeoJSON', en: 'Import GeoJSON' })}
              </Button>
            </Upload>
          )}
          <Button
            icon={<DownloadOutlined />}
            href="/api/regions/boundaries.geojson"
            data-testid="boundary-export"
          >
            {t({ zh: '导出 GeoJSON', en: 'Export GeoJSON' })}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: '不在任何网格内的问题，归入包含其位置的最细一级区划（社区 → 街道 → 区县 → 市）。GeoJSON 要素以区划代码（code）或名称（name）对应区划，坐标为 WGS-84，面须闭合。',
          en: 'A problem outside every grid belongs to the most specific region whose boundary holds it (community → street → district → city). GeoJSON features name their region by code (or name); WGS-84 coordinates, closed rings.',
        })}
      </Typography.Paragraph>
      {areas.length ? (
        <GridMap areas={areas} height={360} testId="boundary-map" />
      ) : (
        <Typography.Text type="warning" data-testid="boundary-none">
          {t({
            zh: '尚未导入区划边界：不在网格内的问题没有所属区域（未定位）',
            en: 'No boundaries yet: problems outside every grid get no region (未定位)',
          })}
        </Typography.Text>
      )}
      <Modal
        open={pending !== null}
        title={t({ zh: '确认导入区划边界', en: 'Import these boundaries?' })}
        onOk={() => void apply()}
        okButtonProps={{ loading: busy, 'data-testid': 'boundary-apply' }}
        onCancel={() => setPending(null)}
        destroyOnHidden
      >
        {c && (
          <Alert
            type="info"
            showIcon
            data-testid="boundary-preview"
            title={t({
              zh: `将更新 ${c.imported} 个区划的边界；${boundaryCountsText(c).zh}`,
              en: `${c.imported} region boundaries will be set; ${boundaryCountsText(c).en}`,
            })}
          />
        )}
      </Modal>
      <ImportErrorsModal
        rows={rows}
        onClose={() => setRows(null)}
        testId="boundary-errors"
        summary={(n) => ({
          zh: `共 ${n} 处错误，未导入任何边界。`,
          en: `${n} error(s); no boundary was imported.`,
        })}
        labels={{ row: { zh: '要素', en: 'Feature' }, column: L.common.field }}
      />
    </Card>
  );
}
