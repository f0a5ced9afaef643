// The app server alone in its own process, for measurements that must not include the bench's
// own memory or CPU (the XLSX export's peak memory). Started by `spawnBenchApp` in lib.ts with
// BENCH_APP_DATABASE_URL; answers on its IPC channel: {listening: port}, then {maxRssKb} when
// asked with 'rss'. Like startBenchApp: no periodic jobs, no web files, logs at warn.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { openDatabase } from '../server/db/client.js';

// BENCH_APP_DATA_DIR: files the bench has put there (the filing package reads them); kept.
const ownDir = !process.env.BENCH_APP_DATA_DIR;
const dataDir =
  process.env.BENCH_APP_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-app-'));
const database = await openDatabase({
  databaseUrl: process.env.BENCH_APP_DATABASE_URL,
  poolSize: Number(process.env.BENCH_APP_POOL ?? 20),
});
const config = loadConfig(
  { SEED: 'none', WEB_DIR: '/nonexistent', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  'bench',
);
const app = await buildApp({ database, config, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const addr = app.server.address();
process.send!({ listening: typeof addr === 'object' && addr ? addr.port : 0 });
process.on('message', (msg) => {
  if (msg === 'rss') process.send!({ maxRssKb: process.resourceUsage().maxRSS });
  if (msg === 'close') {
    void app
      .close()
      .then(() => database.close())
      .finally(() => {
        if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
        process.exit(0);
      });
  }
});
