import type { ApiArgs } from '../../shared/api.js';

/**
 * The campaigns list as the pages of the city's own work read it (scores, simulations, tasks,
 * evidence, indicators, pledges, working groups, point types): the city's campaigns only, never a
 * 文明细胞 one (its frameworks are for 申报评选, not the city's score).
 */
export const CITY_CAMPAIGNS: ApiArgs<'GET /api/campaigns'> = { query: { kind: 'city' } };
