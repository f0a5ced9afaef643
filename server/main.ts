import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp, storageFromConfig } from './app.js';
import { loadConfig, PACKAGE_ROOT } from './config.js';
import { openDatabase } from './db/client.js';
import { runMigrations } from './db/migrate.js';
import { DEMO_PASSWORD, DEMO_USERS } from './db/seed/demo-city.data.js';
import { bootstrapAdmin } from './db/seed/bootstrap-admin.js';
import { seedDemoAll } from './db/seed/demo-all.js';
import { seedReferenceData } from './db/seed/reference-data.js';
import { purgeExpired } from './modules/auth/auth.service.js';
import {
  deliverOutbox,
  purgeOutbox,
  type OutboxRoutes,
} from './modules/notifications/outbox-delivery.js';
import { issueEscalations } from './modules/problems/escalation-job.js';
import { fileLinkKey } from './modules/files/file-links.js';
import { deliverPushback, purgePushback } from './modules/pushback/deliver-pushback.js';
import { remindOverdueHandDowns } from './modules/problems/hand-down.js';
import {
  bindAuditAnchor,
  checkpointAuditChain,
  loadAuditAnchor,
  sealAuditChain,
} from './platform/audit.js';
import { installFieldKeyring, keyringFromSettings } from './platform/field-crypto.js';
import { startJobs, type Jobs } from './platform/jobs.js';
import { takeMonthlySnapshot } from './modules/rankings/snapshot-job.js';
import { remindOverdueReports } from './modules/frameworks/assignment-reports.js';
import { purgeRateLimits } from './platform/rate-limit.js';
import { purgeCreditSessions } from './modules/credits/credits-public.service.js';
import { setCreditsKey } from './modules/credits/phone-key.js';

// config → database → app → listen: the only file that starts things.
const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  version: string;
};
const config = loadConfig(process.env, pkg.version);
// The keys of protected fields (身份证号), before anything reads or seeds them; outside production
// without FIELD_ENCRYPTION_KEY the fixed development key, with a warning.
installFieldKeyring(
  keyringFromSettings(
    {
      keys: config.fieldEncryptionKeys,
      hashKey: config.fieldHashKey,
      production: config.production,
    },
    (msg) => console.warn(`\n${msg}\n`),
  ),
);
// Before the demo seeds: their credit accounts are found by numbers hashed under this key.
setCreditsKey(config.creditsPhoneKey);
const database = await openDatabase({
  databaseUrl: config.databaseUrl,
  pgliteDir: path.join(config.dataDir, 'db'),
  pgliteDurability: config.pgliteDurability,
  poolSize: config.databasePoolSize,
});
await runMigrations(database);
await seedReferenceData(database);
// One file store for the demo's seeded photos and documents and for the app.
const storage = await storageFromConfig(config);
const demo = config.seed === 'demo' ? await seedDemoAll(database, storage) : null;
const seed = demo?.city ?? null;
const frameworkSeed = demo?.framework ?? null;
const bootstrapped = await bootstrapAdmin(
  database,
  process.env.ADMIN_USERNAME,
  process.env.ADMIN_PASSWORD,
);
// A route may run a job now (a sign-in text): the jobs start once the app is built.
let kickJob: Jobs['kick'] = () => undefined;
const app = await buildApp({ database, config, storage, kickJob: (name) => kickJob(name) });
// The key that signs audit checkpoints (AUDIT_ANCHOR_KEY; a generated one outside production).
const auditAnchor = loadAuditAnchor(config, (msg) => app.log.warn(msg));
bindAuditAnchor(database, auditAnchor, { graceMs: config.auditSealGraceSeconds * 1000 });
// Checkpoint lines are logged at info whatever LOG_LEVEL says: the operator's log keeps them.
const anchorLog = app.log.child({ component: 'audit-anchor' }, { level: 'info' });

// Notices to the city's webhook; text messages (topic `sms`) to the SMS gateway, or in the demo
// to the built-in fake one the SMS log shows.
const outboxRoutes: OutboxRoutes = {
  notify: config.notifyWebhookUrl
    ? { url: config.notifyWebhookUrl, secret: config.notifyWebhookSecret }
    : null,
  sms:
    config.smsGateway?.kind === 'http'
      ? { url: config.smsGateway.url, secret: config.smsGateway.secret }
      : config.smsGateway?.kind === 'fake'
        ? 'fake'
        : null,
};
// 结果回传: results to the 12345 hotline and status changes to Open311 clients' callbacks.
const pushbackTargets = {
  hotline:
    config.hotlineResultUrl && config.hotlineResultSecret
      ? { url: config.hotlineResultUrl, secret: config.hotlineResultSecret }
      : null,
  publicUrl: config.publicUrl,
  linkKey: () => fileLinkKey(database, config.fileLinkSecret),
  linkTtlMs: config.fileLinkDays * 86_400_000,
  maxAttempts: config.pushbackMaxAttempts,
};
const jobs = startJobs(
  database,
  [
    {
      // Writes insert audit records unsealed; this chains them within about a second.
      name: 'audit-seal',
      everyMs: 1000,
      lockKey: 727105,
      run: async () => void (await sealAuditChain(database)),
    },
    {
      // Seals, then signs the chain's head into audit_checkpoints and the log (docs/operations.md).
      name: 'audit-checkpoint',
      everyMs: config.auditCheckpointSeconds * 1000,
      lockKey: 727109,
      run: async () =>
        void (await checkpointAuditChain(database, auditAnchor, (entry) =>
          anchorLog.info(entry, 'audit checkpoint'),
        )),
    },
    {
      name: 'assignment-report-reminders',
      everyMs: 3600_000,
      lockKey: 727107,
      run: async () => void (await remindOverdueReports(database)),
    },
    {
      name: 'rate-limits-purge',
      everyMs: 3600_000,
      lockKey: 727106,
      run: () => purgeRateLimits(database, new Date(Date.now() - 86_400_000)),
    },
    {
      name: 'sessions',
      everyMs: 10 * 60_000,
      lockKey: 727101,
      run: () => purgeExpired(database, config),
    },
    {
      name: 'escalation',
      everyMs: 60_000,
      lockKey: 727102,
      run: async () => void (await issueEscalations(database)),
    },
    {
      // 交办时限: hand-downs the office below has not dispatched in time.
      name: 'hand-down-reminders',
      everyMs: 60_000,
      lockKey: 727110,
      run: async () => void (await remindOverdueHandDowns(database)),
    },
    {
      name: 'outbox',
      everyMs: 10_000,
      lockKey: 727103,
      run: async () => void (await deliverOutbox(database, outboxRoutes)),
    },
    {
      name: 'pushback',
      everyMs: 10_000,
      lockKey: 727111,
      run: async () => void (await deliverPushback(database, pushbackTargets)),
    },
    {
      name: 'pushback-purge',
      everyMs: 6 * 3600_000,
      lockKey: 727112,
      run: () => purgePushback(database, new Date(Date.now() - 90 * 86_400_000)),
    },
    {
      // 单位排名: last month's snapshot as a draft, once the month is over.
      name: 'ranking-monthly',
      everyMs: 3600_000,
      lockKey: 727108,
      run: async () => void (await takeMonthlySnapshot(database)),
    },
    {
      // 文明积分: ended resident sessions and old SMS sign-in codes.
      name: 'credits-purge',
      everyMs: 3600_000,
      lockKey: 727113,
      run: () => purgeCreditSessions(database),
    },
    {
      name: 'outbox-purge',
      everyMs: 6 * 3600_000,
      lockKey: 727104,
      run: () => purgeOutbox(database, new Date(Date.now() - 30 * 86_400_000)),
    },
  ],
  (msg, err) => app.log.warn({ err }, msg),
  // JOB_RUN_LOG=1: one JSON line per job run on stdout (the two-server proof reads them).
  process.env.JOB_RUN_LOG === '1'
    ? (name, period) => console.log(JSON.stringify({ jobRun: name, period }))
    : undefined,
);
kickJob = jobs.kick;

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  await jobs.stop();
  const force = setTimeout(() => {
    app.log.error('shutdown timed out; exiting');
    process.exit(1);
  }, 20_000);
  force.unref();
  try {
    await app.close();
    storage.close?.();
    await database.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host });
const db =
  database.driver === 'pglite'
    ? `embedded PGlite at ${path.join(config.dataDir, 'db')}`
    : 'PostgreSQL';
const lines = [
  '',
  `  创城 Chuangcheng ${config.version} is running: ${config.publicUrl}`,
  `  Database: ${db}${seed?.seeded ? ` (seeded 示范市: ${seed.regions} regions, ${seed.units} units, ${seed.users} users, ${seed.problems} problems)` : ''}`,
  `  API docs: ${config.publicUrl}/api/docs`,
  `  Citizens: ${config.publicUrl}/report (随手拍), ${config.publicUrl}/track, ${config.publicUrl}/exposure (曝光台)`,
];
if (frameworkSeed?.seeded) {
  lines.push(
    `  Demo campaign: 测评体系 with ${frameworkSeed.standards} standards, ${frameworkSeed.assignments} assignments`,
  );
}
if (bootstrapped)
  lines.push(
    `  Created administrator "${bootstrapped}" (must change the password at first sign-in)`,
  );
if (config.seed === 'demo') {
  lines.push(
    `  Demo logins (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((u) => u.username).join(', ')}`,
  );
}
console.log(lines.join('\n') + '\n');
