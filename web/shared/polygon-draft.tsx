import { Alert, Button } from 'antd';
import type { TPolygonGeometry } from '../../core/geo/polygon.js';
import { GridMap, type MapArea } from './grid-map.js';
import { useI18n } from './i18n.js';

/** Corners tapped so far, WGS-84 `[lng, lat]` in order. */
export type TDraft = [number, number][];

/** The draft as a closed polygon, or null with fewer than 3 corners. */
export function draftPolygon(draft: TDraft): TPolygonGeometry | null {
  return draft.length < 3 ? null : { type: 'Polygon', coordinates: [[...draft, draft[0]!]] };
}

/** What to say when a draft is saved with fewer than 3 corners. */
export const TOO_FEW_CORNERS = {
  zh: '请在地图上至少点 3 个角点',
  en: 'tap at least 3 corners on the map',
};

/**
 * Drawing one polygon by tapping its corners on the map (a grid's outline, a region's boundary):
 * the count so far with an undo, the map with the areas around it and the draft. The caller keeps
 * the draft and saves it (`draftPolygon`).
 */
export function PolygonDraftMap(props: {
  draft: TDraft;
  onChange: (draft: TDraft) => void;
  /** What is drawn, for the hint: e.g. `L.grids.grid` ("Tap the corners of the grid…"). */
  what: { zh: string; en: string };
  areas?: MapArea[];
  height?: number;
}) {
  const { t } = useI18n();
  const { draft, onChange } = props;
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 8 }}
        data-testid="draft-hint"
        title={t({
          zh: `在地图上依次点击${props.what.zh}的角点（已点 ${draft.length} 个）`,
          en: `Tap the corners of the ${props.what.en.toLowerCase()} in order (${draft.length} so far)`,
        })}
        action={
          <Button size="small" onClick={() => onChange(draft.slice(0, -1))}>
            {t({ zh: '撤销', en: 'Undo' })}
          </Button>
        }
      />
      <GridMap
        height={props.height ?? 360}
        areas={props.areas}
        draft={draft}
        onMapClick={(lat, lng) => onChange([...draft, [lng, lat]])}
      />
    </>
  );
}
