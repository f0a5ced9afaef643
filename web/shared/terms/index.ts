/**
 * The UI's shared vocabulary, one catalog per domain, each entry a bilingual label ({ zh, en })
 * keyed by the glossary's code name where it has one (../shared/domain/GLOSSARY.md) and by plain
 * camelCase English otherwise. Use them through `L` from ../i18n.tsx: `t(L.common.save)`,
 * `t(L.org.responsibleUnit)`, or `L.points.pass` where a table of labels wants an L.
 *
 * A catalog holds a word once, with one English. A catalog word written inline at a call site
 * (`t({ zh: '状态', … })`) fails scripts/i18n-terms.test.ts, which names the key to use; one-off
 * sentences stay inline at their use. Two keys share a Chinese word only where the English must
 * differ (an action and a state, say), and that test lists each such pair with its reason.
 */
export { carriers } from './carriers.js';
export { cells } from './cells.js';
export { common } from './common.js';
export { framework } from './framework.js';
export { grids } from './grids.js';
export { org } from './org.js';
export { points } from './points.js';
export { problems } from './problems.js';
export { results } from './results.js';
export { surveys } from './surveys.js';
export { volunteers } from './volunteers.js';
