import { App, Button, Card, Input, Space, Typography, Upload } from 'antd';
import { LatLng } from 'leaflet';
import { useState } from 'react';
import { GeoJSON } from 'react-leaflet';
import { bboxOf, type TAreaGeometry } from '../../../core/geo/polygon.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import { useI18n } from '../../shared/i18n.js';
import { BaseMap } from '../../shared/base-map.js';
import { refreshMapBase } from '../../shared/map-settings.js';

/** Finds the (multi)polygon in a GeoJSON file: a geometry, a Feature, or a FeatureCollection. */
export function areaFromGeoJson(doc: unknown): TAreaGeometry | null {
  const d = doc as { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
  if (d?.type === 'Polygon' || d?.type === 'MultiPolygon') return d as TAreaGeometry;
  if (d?.type === 'Feature') return areaFromGeoJson(d.geometry);
  if (d?.type === 'FeatureCollection') {
    const polys = (d.features ?? [])
      .map((f) => areaFromGeoJson(f.geometry))
      .filter((g): g is TAreaGeometry => g !== null);
    if (polys.length === 1) return polys[0]!;
    if (polys.length > 1) {
      return {
        type: 'MultiPolygon',
        coordinates: polys.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)),
      };
    }
  }
  return null;
}

/** 受理范围: the outline citizen reports must fall in; the office uploads it as GeoJSON. */
export function JurisdictionCard({ writable }: { writable: boolean }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const current = useApi('GET /api/settings/jurisdiction', {}).data ?? null;
  // The name field shows the saved name until the office types another.
  const [typed, setTyped] = useState<string | null>(null);
  const name = typed ?? current?.name ?? '';
  // Refetches the jurisdiction (every read under /api/settings) before it settles.
  const save = useApiMutation('PUT /api/settings/jurisdiction');

  async function upload(file: File) {
    try {
      const geometry = areaFromGeoJson(JSON.parse(await file.text()));
      if (!geometry) {
        message.error(
          t({
            zh: '文件中没有找到面（Polygon/MultiPolygon）',
            en: 'no Polygon or MultiPolygon in the file',
          }),
        );
        return;
      }
      await save.mutateAsync({ body: { name: name || file.name, geometry } });
      setTyped(null);
      message.success(t({ zh: '受理范围已更新', en: 'Jurisdiction updated' }));
      // Maps without tiles draw the jurisdiction as the land: they redraw it.
      void refreshMapBase().catch(() => undefined);
    } catch (err) {
      message.error(
        err instanceof SyntaxError
          ? t({ zh: '不是有效的 GeoJSON 文件', en: 'not a valid GeoJSON file' })
          : errorText(err, lang),
      );
    }
  }

  const box = current ? bboxOf(current.geometry) : null;
  return (
    <Card
      title={t({ zh: '随手拍受理范围', en: "Citizen reports' jurisdiction" })}
      data-testid="jurisdiction-card"
    >
      <Typography.Paragraph type="secondary">
        {t({
          zh: '市民随手拍的位置必须在此范围内。上传 GeoJSON（面或多面，WGS-84 坐标）。',
          en: 'Citizen reports must lie inside this outline. Upload GeoJSON (Polygon or MultiPolygon, WGS-84).',
        })}
      </Typography.Paragraph>
      {writable && (
        <Space style={{ marginBottom: 12 }}>
          <Input
            placeholder={t({ zh: '名称，如 示范市', en: 'Name, e.g. 示范市' })}
            value={name}
            onChange={(e) => setTyped(e.target.value)}
            style={{ width: 200 }}
          />
          <Upload
            accept=".json,.geojson,application/geo+json,application/json"
            showUploadList={false}
            beforeUpload={(f) => {
              void upload(f);
              return false;
            }}
          >
            <Button data-testid="jurisdiction-upload">
              {t({ zh: '上传 GeoJSON', en: 'Upload GeoJSON' })}
            </Button>
          </Upload>
        </Space>
      )}
      {current && box ? (
        <>
          <div>
            <Typography.Text strong data-testid="jurisdiction-name">
              {current.name}
            </Typography.Text>
          </div>
          <BaseMap
            key={JSON.stringify(box)}
            fit={[
              [box.minLat, box.minLng],
              [box.maxLat, box.maxLng],
            ]}
            height={240}
            style={{ marginTop: 8 }}
          >
            {({ show, gcj }) => (
              <GeoJSON
                key={String(gcj)}
                data={current.geometry}
                coordsToLatLng={(c: number[]) => new LatLng(...show(c[1]!, c[0]!))}
                style={{ color: '#c8102e', weight: 2, fillOpacity: 0.08 }}
                interactive={false}
              />
            )}
          </BaseMap>
        </>
      ) : (
        <Typography.Text type="warning">
          {t({
            zh: '尚未设置：随手拍接受任何位置',
            en: 'Not set: citizen reports are accepted anywhere',
          })}
        </Typography.Text>
      )}
    </Card>
  );
}
