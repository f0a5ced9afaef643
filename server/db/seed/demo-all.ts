import type { FileStorage } from '../../platform/storage.js';
import type { Database } from '../client.js';
import { seedDemoAdCarriers } from './demo-ad-carriers.js';
import { seedDemoBoundaries } from './demo-boundaries.js';
import { seedDemoCellChecks } from './demo-cell-checks.js';
import { seedDemoCellAwards } from './demo-cell-awards.js';
import { seedDemoCity } from './demo-city.js';
import { seedDemoCredits } from './demo-credits.js';
import { seedDemoDistrictRound, seedDemoField } from './demo-field.js';
import { seedDemoFramework } from './demo-framework.js';
import { seedDemoGoodPeople } from './demo-good-people.js';
import { seedDemoGrids } from './demo-grids.js';
import { seedDemoGroups } from './demo-groups.js';
import { seedDemoHistory } from './demo-history.js';
import { seedDemoHonours } from './demo-honours.js';
import { seedDemoIndicators } from './demo-indicators.js';
import { seedDemoJurisdiction } from './demo-jurisdiction.js';
import { seedDemoMaterials } from './demo-materials.js';
import { seedDemoMinors } from './demo-minors.js';
import { seedDemoOutreach } from './demo-outreach.js';
import { seedDemoParties } from './demo-parties.js';
import { seedDemoPoints } from './demo-points.js';
import { seedDemoServiceOrders } from './demo-service-orders.js';
import { seedDemoStarHouseholds } from './demo-star-households.js';
import { seedDemoSimulations } from './demo-simulations.js';
import { seedDemoSurvey } from './demo-survey.js';
import { seedDemoVolunteers } from './demo-volunteers.js';

/**
 * The whole demo city (`SEED=demo`), in the order its parts build on each other. `storage` takes
 * the seeded documents and photos (the app's own file store).
 */
export async function seedDemoAll(database: Database, storage: FileStorage) {
  const city = await seedDemoCity(database);
  // Last month, handled: the month the office ranks first, with flags to show.
  await seedDemoHistory(database);
  await seedDemoParties(database);
  const framework = await seedDemoFramework(database);
  // The minors' test beside it: 20 % of the total, 85 to apply.
  await seedDemoMinors(database);
  await seedDemoJurisdiction(database);
  // This year's 档案资料 at every step of review: the material part of the score.
  await seedDemoMaterials(database, storage);
  await seedDemoPoints(database);
  // 第二次模拟测评 under way: drawn points visited today, failures dispatched to 包保单位.
  await seedDemoField(database, storage);
  // 东湖区创建办's own 督查, committed: the district office draws it.
  await seedDemoDistrictRound(database);
  await seedDemoGrids(database);
  await seedDemoBoundaries(database);
  await seedDemoSurvey(database);
  await seedDemoVolunteers(database);
  await seedDemoIndicators(database);
  // 12348 and 12315 called over the last weeks: the simulation standards score.
  await seedDemoSimulations(database);
  await seedDemoGroups(database);
  // 入户包联: the demo unit's pairings and its first visits (the phone's 入户走访).
  await seedDemoOutreach(database);
  // 文明细胞: holders of every type and level, some in 整改 or 暂停, one 撤销, one 放弃.
  await seedDemoHonours(database);
  // 文明细胞 dynamic management: the lists, quarterly checks of a few holders, one hit.
  await seedDemoCellChecks(database);
  // 文明细胞申报: this year's 市级文明单位 call in 公示, one title conferred (after the city
  // campaign, whose place as the current one its own campaign must not take).
  await seedDemoCellAwards(database);
  // 十星级文明户: the stars, 15 households in two grids, this year's ratings at every step.
  await seedDemoStarHouseholds(database);
  // 身边好人: last month's 好人榜 published, this month's nominations coming in.
  await seedDemoGoodPeople(database);
  // 公益广告阵地: ~30 carriers at demo points, some broken, the rules per type, a 换版 half done.
  await seedDemoAdCarriers(database, storage);
  // 文明积分: rules, points for hours, ratings and residents' reports, shops, the `shop` login.
  await seedDemoCredits(database, storage);
  // 点单派单: three stations' menus, a dozen orders at every step (one open for the demo
  // volunteer's team; FWDEMQ2222EE done and waiting for its requester).
  await seedDemoServiceOrders(database);
  return { city, framework };
}
