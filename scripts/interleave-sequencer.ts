import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest orders test files project by project (by name, so all of e2e first), longest first within
 * each. With three workers that runs the browser files three at a time — three servers and three
 * Chromium pages on two cores — and the integration files only after them. This keeps Vitest's order
 * within each tier but deals the files out one e2e to two others, so an e2e file, which mostly waits
 * on its browser and server, runs beside integration files that fill those waits.
 */
export default class InterleaveSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const e2e = sorted.filter((f) => f.project.name === 'e2e');
    const rest = sorted.filter((f) => f.project.name !== 'e2e');
    const out: TestSpecification[] = [];
    while (e2e.length || rest.length) {
      const one = e2e.shift();
      if (one) out.push(one);
      out.push(...rest.splice(0, 2));
    }
    return out;
  }
}
