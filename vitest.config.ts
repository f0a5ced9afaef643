import { defineConfig } from 'vitest/config';

const pg = process.env.TEST_DATABASE_URL;

// Three tiers (DESIGN.md §3): unit, integration on PGlite (and PostgreSQL when TEST_DATABASE_URL
// is set), and browser end-to-end against the built app.
export default defineConfig({
  test: {
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
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
