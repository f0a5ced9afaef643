import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order the tiers go to the two workers in. Vitest's own sequencer takes projects by name
 * (e2e, int-pglite, int-postgres, unit, web, web-isolated) and, within one, the largest or slowest
 * files first. That left web-isolated last: five files, one of them (AdminApp.isolated) ~12 s on
 * its own, so one worker waited for it with nothing to do. The small files of `web` pack the end
 * of the run instead. Within a tier the order stays vitest's.
 */
const TIERS = ['e2e', 'int-pglite', 'int-postgres', 'unit', 'web-isolated', 'web'];

export default class TierSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (s: TestSpecification) => {
      const i = TIERS.indexOf(s.project.name);
      return i < 0 ? TIERS.length : i;
    };
    // Array.prototype.sort is stable: the base order holds within a tier.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
