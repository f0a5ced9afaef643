import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Modal, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import type { TRowError } from '../../../core/contracts/common.js';
import type { TRegionLevel } from '../../../core/contracts/org.js';
import type { TAreaGeometry } from '../../../core/geo/polygon.js';
import { ApiError, fileForm, type ApiResponse } from '../../shared/api.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { GridMap, type MapArea } from '../../shared/grid-map.js';
import { ImportErrorsModal } from '../ImportButton.js';
import { L, useI18n } from '../../shared/i18n.js';

/**
 * The boundaries as `GET /api/regions/boundaries.geojson` answers them (org.present.ts's
 * presentBoundariesGeoJson). The route sends a file to download, which the import reads back,
 * and declares no answer schema: its answer is `unknown` in api.gen.ts and read as this.
 */
export interface BoundaryDoc {
  type: 'FeatureCollection';
  features: {
    properties: { code: string; name: string; level: TRegionLevel };
    geometry: TAreaGeometry;
  }[];
}
/** Reads the export's answer as the FeatureCollection the server writes (see BoundaryDoc). */
export const asBoundaryDoc = (answer: unknown) => answer as BoundaryDoc;

/** What a boundary change did (a drawn boundary, an import): the problems' and the points' counts. */
export type BoundaryCounts = Pick<
  ApiResponse<'PUT /api/regions/:id/boundary'>,
  'placed' | 'moved' | 'unplaced' | 'points'
>;

/**
 * What a boundary change re-places besides the regions: the problems and points located by
 * boundaries (their region shows in their lists).
 */
export const BOUNDARY_INVALIDATES = ['GET /api/regions', 'GET /api/problems', 'GET /api/points'];

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

type ImportCounts = ApiResponse<'POST /api/regions/boundaries/import'>;

/**
 * 区划边界: every region's boundary on the map, the GeoJSON export, and the import — checked first
 * (a dry run answering what it would do to located problems), then applied on confirmation.
 */
export function RegionBoundariesCard(props: { writable: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  // Read again after any write under /api/regions (a boundary drawn, a region renamed).
  const doc = useApi('GET /api/regions/boundaries.geojson', {}, { select: asBoundaryDoc }).data;
  const [rows, setRows] = useState<TRowError[] | null>(null);
  const [pending, setPending] = useState<{ file: File; counts: ImportCounts } | null>(null);
  // The dry run writes nothing: it makes nothing stale.
  const dryRun = useApiMutation('POST /api/regions/boundaries/import', { invalidates: [] });
  const importFile = useApiMutation('POST /api/regions/boundaries/import', {
    invalidates: BOUNDARY_INVALIDATES,
  });
  const busy = dryRun.isPending || importFile.isPending;

  const check = async (file: File) => {
    try {
      const counts = await dryRun.mutateAsync({
        query: { dryRun: 'true' },
        body: fileForm(file, file.name),
      });
      setPending({ file, counts });
    } catch (err) {
      if (err instanceof ApiError && err.rows.length) setRows(err.rows);
      else message.error(errorText(err, lang));
    }
  };

  const apply = async () => {
    if (!pending) return;
    try {
      const r = await importFile.mutateAsync({ body: fileForm(pending.file, pending.file.name) });
      setPending(null);
      message.success(
        t({
          zh: `已导入 ${r.imported} 个区划边界`,
          en: `${r.imported} region boundaries imported`,
        }),
      );
      props.onChanged();
    } catch (err) {
      setPending(null);
      if (err instanceof ApiError && err.rows.length) setRows(err.rows);
      else message.error(errorText(err, lang));
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
