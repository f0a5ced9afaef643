import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's order (by project, then longest first) with the e2e files spread evenly through the
 * rest: with two workers, one browser scenario usually runs beside integration files rather than
 * beside another browser scenario, so the CPU-heavy integration files fill the time a scenario
 * spends waiting on its server and chromium.
 */
class SpreadE2e extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const e2e = sorted.filter((f) => f.project.name === 'e2e');
    const rest = sorted.filter((f) => f.project.name !== 'e2e');
    if (e2e.length === 0 || rest.length === 0) return sorted;
    const out: TestSpecification[] = [];
    const step = rest.length / e2e.length;
    e2e.forEach((f, i) => {
      out.push(f, ...rest.slice(Math.round(i * step), Math.round((i + 1) * step)));
    });
    return out;
  }
}

const pg = process.env.TEST_DATABASE_URL;

// Three tiers (DESIGN.md §3): unit, integration on PGlite (and PostgreSQL when TEST_DATABASE_URL
// is set), and browser end-to-end against the built app.
export default defineConfig({
  test: {
    // One worker per core, not Vitest's default of cores - 1: much of a file's time is spent in other
    // processes (PostgreSQL, the e2e server and chromium) or waiting on them, so on 2 cores a second
    // worker keeps both busy. The e2e files run alongside the integration files (each has its own
    // server, data directory and browser), spread through them; see docs/decisions.md.
    maxWorkers: '100%',
    sequence: { sequencer: SpreadE2e },
    projects: [
      {
        extends: true as const,
        test: {
          name: 'unit',
          include: ['core/**/*.test.ts', 'server/**/*.test.ts', 'web/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', 'dist/**'],
        },
      },
      {
        extends: true as const,
        test: {
          name: 'int-pglite',
          include: ['server/**/*.int.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          env: { TEST_DB: 'pglite' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      ...(pg
        ? [
            {
              extends: true as const,
              test: {
                name: 'int-postgres',
                include: ['server/**/*.int.test.ts'],
                globalSetup: ['server/test/global-setup.ts'],
                env: { TEST_DB: 'postgres' },
                testTimeout: 60_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
      {
        extends: true as const,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
