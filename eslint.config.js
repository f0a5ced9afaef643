import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Only repositories (`*.repo.ts`) import query builders and tables; see the module-shape entries. */
const sqlOnlyInRepos = [
  {
    group: ['drizzle-orm', 'drizzle-orm/*'],
    allowTypeImports: true,
    message:
      'SQL lives in *.repo.ts: move this query into the module repository (docs/architecture.md).',
  },
  {
    group: ['**/db/schema', '**/db/schema/*', '**/db/schema/index.js'],
    allowTypeImports: true,
    message: 'Tables are read and written only in *.repo.ts: call the module repository instead.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'scripts/**/*.mjs',
      'dist/**',
      'node_modules/**',
      'data/**',
      'e2e/artifacts/**',
      // Served as is (the inspect page's service worker), outside every tsconfig.
      'web/public/**',
      'server/db/migrations/**',
      '*.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Fastify plugins are async functions by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
    },
  },
  {
    // One module shape (docs/architecture.md): in server/modules only repositories (`*.repo.ts`)
    // touch the database — they alone import drizzle-orm's query builders and the table schema.
    // Routes, services and presenters call repositories. Types (`import type`) may be shared.
    files: ['server/modules/**/*.ts'],
    ignores: ['**/*.repo.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: sqlOnlyInRepos }],
    },
  },
  {
    // Routes wire a contract to one service call and a presenter: every schema they name (params,
    // querystring, headers, body, response) is a contract in core/contracts, which validation, the
    // OpenAPI document and the web client share; so a route file has no use for zod itself.
    // Types (`import type`) may be shared. This entry replaces the one above for routes, so it
    // repeats its patterns.
    files: ['server/modules/**/*.routes.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...sqlOnlyInRepos,
            {
              group: ['zod', 'zod/*', '**/zod-setup', '**/zod-setup.js'],
              allowTypeImports: true,
              message:
                'Routes take their schemas from core/contracts: define this one in core/contracts/<module>.ts (shared shapes in common.ts) and import it (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON answers loosely; the assertions check the shapes.
    files: ['**/*.test.ts', 'server/test/**', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
