/**
 * 调查方式: a questionnaire is filled in at home (入户, one per household, by household code) or in a
 * random street interview (随机街访: no household, a spot or the phone's position instead). Both are
 * how the national test samples (BRIEF §3; Jinan 2016: 80 street interviews + 220 households). Pure.
 */

export const COLLECTION_MODES = ['household', 'street'] as const;
export type TCollectionMode = (typeof COLLECTION_MODES)[number];

export const COLLECTION_MODE_LABELS: Record<TCollectionMode, { zh: string; en: string }> = {
  household: { zh: '入户', en: 'Household' },
  street: { zh: '街访', en: 'Street interview' },
};

/** Where a response was taken, as the form sends it. */
export interface ResponsePlace {
  householdCode?: string | null | undefined;
  spot?: string | null | undefined;
  lat?: number | null | undefined;
  lng?: number | null | undefined;
}

type Problem = { path: string; message: { zh: string; en: string } };

/**
 * What is missing or out of place for the mode: a household interview names its household; a
 * street interview names no household and gives its spot or a position (latitude and longitude).
 */
export function placeProblems(mode: TCollectionMode, p: ResponsePlace): Problem[] {
  const has = (s: string | null | undefined) => typeof s === 'string' && s.trim() !== '';
  if (mode === 'household') {
    return has(p.householdCode)
      ? []
      : [
          {
            path: 'householdCode',
            message: {
              zh: '入户调查须填写户码',
              en: 'a household interview needs the household code',
            },
          },
        ];
  }
  const out: Problem[] = [];
  if (has(p.householdCode)) {
    out.push({
      path: 'householdCode',
      message: { zh: '街访不记录户码', en: 'a street interview has no household code' },
    });
  }
  const gps = typeof p.lat === 'number' && typeof p.lng === 'number';
  if (!has(p.spot) && !gps) {
    out.push({
      path: 'spot',
      message: {
        zh: '街访须填写访问地点或提供定位',
        en: 'a street interview needs its spot or a GPS position',
      },
    });
  }
  return out;
}
