import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  // DRIZZLE_OUT lets `npm run check` generate into a scratch copy to detect drift.
  out: process.env.DRIZZLE_OUT ?? './server/db/migrations',
});
