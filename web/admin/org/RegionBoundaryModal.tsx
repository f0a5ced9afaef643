import { App, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { TRegion } from '../../../core/contracts/org.js';
import { useApi, useApiMutation } from '../../shared/api-query.js';
import { errorText } from '../../shared/forms.js';
import type { MapArea } from '../../shared/grid-map.js';
import { L, useI18n } from '../../shared/i18n.js';
import {
  draftPolygon,
  PolygonDraftMap,
  TOO_FEW_CORNERS,
  type TDraft,
} from '../../shared/polygon-draft.js';
import {
  asBoundaryDoc,
  BOUNDARY_COLORS,
  BOUNDARY_INVALIDATES,
  boundaryCountsText,
} from './RegionBoundariesCard.js';

/**
 * 绘制边界: one region's boundary drawn (or redrawn) by tapping its corners on the map, among the
 * boundaries of its parent's subtree; saved with `PUT /api/regions/:id/boundary` at the region's
 * version, and what that did to located problems and points is said.
 */
export function RegionBoundaryModal(props: {
  region: TRegion | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const { region } = props;
  const [draft, setDraft] = useState<TDraft>([]);
  // Its parent's subtree around it (its own, for the city).
  const around = useApi(
    'GET /api/regions/boundaries.geojson',
    region ? { query: { regionId: region.parentId ?? region.id } } : null,
    { select: asBoundaryDoc },
  ).data;
  // Saving refetches the regions and their boundaries, and marks the problems and points stale.
  const put = useApiMutation('PUT /api/regions/:id/boundary', {
    invalidates: BOUNDARY_INVALIDATES,
  });

  useEffect(() => {
    setDraft([]);
  }, [region]);

  // The region's own boundary (if any) in grey, the others by level, named at the region's level.
  const areas: MapArea[] = (around?.features ?? []).map((f, i) => {
    const own = f.properties.code === region?.code;
    return {
      id: i,
      geometry: f.geometry,
      color: own ? '#999' : BOUNDARY_COLORS[f.properties.level],
      label: !own && f.properties.level === region?.level ? f.properties.name : undefined,
    };
  });

  const save = async () => {
    if (!region) return;
    const geometry = draftPolygon(draft);
    if (!geometry) {
      message.warning(t(TOO_FEW_CORNERS));
      return;
    }
    try {
      const r = await put.mutateAsync({
        params: { id: region.id },
        body: { geometry, version: region.version },
      });
      const said = boundaryCountsText(r);
      message.success({
        content: t({ zh: `边界已保存：${said.zh}`, en: `Boundary saved: ${said.en}` }),
        duration: 8,
      });
      props.onSaved();
    } catch (err) {
      message.error(errorText(err, lang));
    }
  };

  return (
    <Modal
      open={region !== null}
      width={900}
      title={
        region
          ? `${t(region.hasBoundary ? { zh: '重新绘制边界', en: 'Redraw boundary' } : { zh: '绘制边界', en: 'Draw boundary' })}：${region.name}`
          : ''
      }
      onOk={() => void save()}
      okButtonProps={{ loading: put.isPending, 'data-testid': 'region-boundary-save' }}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <PolygonDraftMap
        what={L.org.regionBoundary}
        draft={draft}
        onChange={setDraft}
        areas={areas}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t({
          zh: '保存后，由边界定位（或尚无区域）的问题和点位按新边界重新归属；由网格或上报时指定区域的不变。',
          en: 'On saving, the problems and points placed by boundaries (or with no region) are placed again; those placed by a grid or given a region keep it.',
        })}
      </Typography.Paragraph>
    </Modal>
  );
}
