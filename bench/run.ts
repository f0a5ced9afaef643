import { filingBench } from './filing.bench.js';
import { frameworksBench } from './frameworks.bench.js';
import { orgBench } from './org.bench.js';
import { problemsBench } from './problems.bench.js';
import { drawBench } from './draw.bench.js';
import { dashboardsBench } from './dashboards.bench.js';
import { open311Bench } from './open311.bench.js';
import { resultsBench } from './results.bench.js';
import { scoringBench } from './scoring.bench.js';
import { gridsBench } from './grids.bench.js';
import { visitsBench } from './visits.bench.js';
import { surveysBench } from './surveys.bench.js';
import { volunteersBench } from './volunteers.bench.js';
import { rankingsBench } from './rankings.bench.js';
import { regionsBench } from './regions.bench.js';
import { phoneLoadBench } from './phone-load.bench.js';

// `npm run bench` runs every benchmark; `npm run bench -- org` runs one.
const BENCHES: Record<string, () => Promise<void>> = {
  draw: drawBench,
  dashboards: dashboardsBench,
  org: orgBench,
  problems: problemsBench,
  filing: filingBench,
  frameworks: frameworksBench,
  open311: open311Bench,
  results: resultsBench,
  scoring: scoringBench,
  grids: gridsBench,
  visits: visitsBench,
  surveys: surveysBench,
  volunteers: volunteersBench,
  rankings: rankingsBench,
  regions: regionsBench,
  'phone-load': phoneLoadBench,
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; available: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`# benchmark: ${name}`);
  await bench();
}
