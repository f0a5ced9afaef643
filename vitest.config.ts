import { defineConfig } from 'vitest/config';
import TierSequencer from './scripts/tier-sequencer.js';

const pg = process.env.TEST_DATABASE_URL;

// The tiers (DESIGN.md §3): unit, web components (happy-dom), integration on PGlite (and
// PostgreSQL when TEST_DATABASE_URL is set), and browser end-to-end against the built app.
export default defineConfig({
  test: {
    // One worker per core: vitest caps a percentage at the number of cores, so '150%' is two
    // workers on the 2-core machine (every tier keeps both cores ~95 % busy: a third would share;
    // docs/decisions.md, session 19).
    maxWorkers: process.env.VITEST_MAX_WORKERS ?? '150%',
    // Test files share their worker's module cache instead of importing the whole server afresh
    // (~4 s of transform and import per integration file, most of a file's cost). Every file
    // builds its own app on its own database, and no test mocks modules or stubs globals, so
    // nothing leaks from one file to the next. (The web tier mocks echarts/core and stubs fetch,
    // and web/test/setup.ts unstubs after every test; files mocking our own modules run isolated.)
    isolate: false,
    // Which tier's files go to the workers first (scripts/tier-sequencer.ts).
    sequence: { sequencer: TierSequencer },
    // The wall time of each tier at the end of the run (scripts/tier-times-reporter.ts).
    reporters: ['default', './scripts/tier-times-reporter.ts'],
    projects: [
      {
        extends: true as const,
        test: {
          name: 'unit',
          include: [
            'core/**/*.test.ts',
            'server/**/*.test.ts',
            'web/**/*.test.ts',
            'bench/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', 'node_modules/**', 'dist/**'],
        },
      },
      {
        // Component tests: pages rendered with Testing Library in happy-dom, against a mocked
        // fetch (web/test/). Page logic is checked here in milliseconds; e2e keeps the journeys.
        extends: true as const,
        test: {
          name: 'web',
          include: ['web/**/*.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['web/test/setup.ts'],
          // A test takes well under a second; the margin is for a 2-core machine busy with others.
          testTimeout: 20_000,
          // The files of a worker share one module graph: antd, its icons, React and happy-dom load
          // once per worker instead of once per file (about half of the tier's CPU). Each test
          // unmounts its page, stubs fetch afresh and forgets the shared reference data (regions,
          // categories, map settings: each file mocks its own) after every test (web/test/setup.ts).
          // A file that replaces one of our own modules with vi.mock cannot share the graph: a
          // page another file imported first keeps the real module (and a page imported here
          // keeps the stand-in), depending on the order the files ran in. Those files are named
          // *.isolated.test.tsx and run in the next project (scripts/web-isolation.test.ts checks).
          exclude: ['web/**/*.isolated.test.tsx', 'node_modules/**', 'dist/**'],
          isolate: false,
        },
      },
      {
        extends: true as const,
        test: {
          name: 'web-isolated',
          include: ['web/**/*.isolated.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['web/test/setup.ts'],
          testTimeout: 20_000,
          isolate: true,
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
                // Once is enough, on the embedded database (where they matter most): how the
                // process crashes and shuts down, the hostile-input fuzz (PGlite is the same
                // PostgreSQL engine, with the same error codes), and the authorization matrix
                // (every route × role is decided before any SQL runs; the district-office and
                // per-module permission files, which check what each role's queries return, run
                // on both). See docs/decisions.md.
                exclude: [
                  'server/test/crash.int.test.ts',
                  'server/test/shutdown.int.test.ts',
                  'server/test/fuzz/**',
                  'server/test/access/access-matrix.int.test.ts',
                ],
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
          // expect.poll's default of 1 s was too short for a page to refetch and redraw on the
          // loaded 2-core machine (a framework import's banner, once in a full run).
          expect: { poll: { timeout: 10_000 } },
          // They run beside the integration files; every wait is on a condition (a selector, a
          // settled page, an expect.poll), none on a fixed sleep, so a slower page only takes longer.
          // One Chromium per worker, shared by the e2e files it runs (e2e/harness.ts sharedBrowser).
        },
      },
    ],
  },
});
