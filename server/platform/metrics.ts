import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';
import { execRows, type Database } from '../db/client.js';
import { AppError } from './errors.js';

/** Seconds; from a cached session lookup (~1 ms) to a large export. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Backlog {
  outbox_pending: string | number;
  outbox_failed: string | number;
  pushback_pending: string | number;
  pushback_failed: string | number;
  audit_unsealed: string | number;
  problems_overdue: string | number;
  audit_checkpoint_at: string | number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * True when the Authorization header carries `Bearer <token>`. Both sides are hashed first, so
 * the comparison takes the same time whatever the length or content of what was sent.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header ?? '');
  const given = digest(m?.[1] ?? '');
  return timingSafeEqual(given, digest(token)) && m !== null;
}

/**
 * Prometheus metrics at GET /metrics: requests by route template and status (count and latency
 * histogram), the work waiting in the database (outbox, unsealed audit records, overdue problems)
 * and the process (memory, CPU, event-loop lag, GC). Each app gets its own registry, so several
 * apps in one process (tests) do not mix their numbers. Must be installed before the routes.
 */
export function installMetrics(
  app: FastifyInstance,
  deps: { database: Database; config: Config; storage: string },
): Registry {
  const { database, config } = deps;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'cc_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'cc_http_request_duration_seconds',
    help: 'Time from receiving a request to sending the response, by route template',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route template (`/api/problems/:id`), never the raw URL: labels stay few.
    const labels = {
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });

  new Gauge({
    name: 'cc_app_info',
    help: 'Always 1; the labels tell the version, database driver and file storage',
    labelNames: ['version', 'db', 'storage'] as const,
    registers: [registry],
    collect() {
      this.set({ version: config.version, db: database.driver, storage: deps.storage }, 1);
    },
  });

  // One cheap statement per scrape (each count uses a partial index), read before the gauges.
  let last: Backlog | null = null;
  const readBacklog = async () => {
    try {
      const [row] = await execRows<Backlog>(
        database.db,
        sql`select
          (select count(*) from outbox where delivered_at is null and failed_at is null) as outbox_pending,
          (select count(*) from outbox where failed_at is not null) as outbox_failed,
          (select count(*) from pushback_deliveries where acked_at is null and failed_at is null) as pushback_pending,
          (select count(*) from pushback_deliveries where failed_at is not null) as pushback_failed,
          (select count(*) from audit_log where seq is null) as audit_unsealed,
          (select count(*) from problems where state = 'dispatched' and deadline < now()) as problems_overdue,
          coalesce((select extract(epoch from at) from audit_checkpoints order by id desc limit 1), 0) as audit_checkpoint_at`,
      );
      last = row ?? null;
    } catch {
      last = null;
    }
  };
  new Gauge({
    name: 'cc_db_up',
    help: '1 when the database answered the last scrape, 0 otherwise',
    registers: [registry],
    collect() {
      this.set(last ? 1 : 0);
    },
  });
  const fromBacklog = (name: string, help: string, field: keyof Backlog) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        // No sample rather than a wrong one when the database did not answer.
        if (last) this.set(Number(last[field]));
        else this.reset();
      },
    });
  fromBacklog(
    'cc_outbox_pending',
    'Outside notices (SMS/WeChat webhook) waiting to be delivered',
    'outbox_pending',
  );
  fromBacklog(
    'cc_outbox_failed',
    'Outside notices that were given up after all retries',
    'outbox_failed',
  );
  fromBacklog(
    'cc_pushback_pending',
    '结果回传: results owed to the 12345 hotline and Open311 callbacks, not yet acknowledged',
    'pushback_pending',
  );
  fromBacklog(
    'cc_pushback_failed',
    '结果回传: results given up after all attempts (the office can send them again)',
    'pushback_failed',
  );
  fromBacklog(
    'cc_audit_unsealed',
    'Audit records not yet chained by the sealing job (normally near 0)',
    'audit_unsealed',
  );
  fromBacklog(
    'cc_audit_last_checkpoint_timestamp_seconds',
    'When the last signed audit checkpoint was written (Unix time; 0 = none yet). Written each ' +
      'minute while records come in and hourly when idle',
    'audit_checkpoint_at',
  );
  fromBacklog(
    'cc_problems_overdue',
    'Dispatched problems past their deadline (超期)',
    'problems_overdue',
  );

  const token = config.metricsToken;
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('metrics_token', 401, {
        zh: '读取监控指标需要令牌：Authorization: Bearer <METRICS_TOKEN>',
        en: 'metrics need the token: Authorization: Bearer <METRICS_TOKEN>',
      });
    }
    await readBacklog();
    const body = await registry.metrics();
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(body);
  });
  return registry;
}
