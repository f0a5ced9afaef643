import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import helmet from 'helmet';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { authRoutes, SESSION_COOKIE } from './modules/auth/auth.routes.js';
import { actorOf, resolveSession } from './modules/auth/auth.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { mapRoutes } from './modules/maps/maps.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
import { fileRoutes } from './modules/files/files.routes.js';
import { frameworkRoutes } from './modules/frameworks/frameworks.routes.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { hotlineRoutes } from './modules/problems/hotline.routes.js';
import { pushbackRoutes } from './modules/pushback/pushback.routes.js';
import { LocalDiskStorage, type FileStorage } from './platform/storage.js';
import { installMetrics } from './platform/metrics.js';
import { citizenRoutes } from './modules/citizen/citizen.routes.js';
import { open311ClientRoutes, open311Routes } from './modules/citizen/open311.routes.js';
import { sendOpen311FrameworkError } from './modules/citizen/open311-http.js';
import { frontageRoutes } from './modules/frontage/frontage.routes.js';
import { cellAwardRoutes } from './modules/cellawards/cell-awards.routes.js';
import { honoursRoutes } from './modules/honours/honours.routes.js';
import { cellChecksRoutes } from './modules/cellchecks/cell-checks.routes.js';
import { starHouseholdRoutes } from './modules/starhouseholds/star-households.routes.js';
import { goodPeopleRoutes } from './modules/goodpeople/good-people.routes.js';
import { adCarriersRoutes } from './modules/adcarriers/ad-carriers.routes.js';
import { serviceOrderRoutes } from './modules/serviceorders/service-orders.routes.js';
import { creditRoutes } from './modules/credits/credits.routes.js';
import { evidenceRoutes } from './modules/evidence/evidence.routes.js';
import { filingRoutes } from './modules/filing/filing.routes.js';
import { outreachRoutes } from './modules/outreach/outreach.routes.js';
import { gridRoutes } from './modules/grids/grids.routes.js';
import { pointRoutes } from './modules/points/points.routes.js';
import { roundRoutes } from './modules/rounds/rounds.routes.js';
import { assignmentReportRoutes } from './modules/frameworks/assignment-reports.routes.js';
import { indicatorRoutes } from './modules/indicators/indicators.routes.js';
import { groupRoutes } from './modules/groups/groups.routes.js';
import { partyRoutes } from './modules/parties/parties.routes.js';
import { rankingRoutes } from './modules/rankings/rankings.routes.js';
import { problemRoutes } from './modules/problems/problems.routes.js';
import { surveyRoutes } from './modules/surveys/surveys.routes.js';
import { volunteerRoutes } from './modules/volunteers/volunteers.routes.js';
import { scoringRoutes } from './modules/scoring/scoring.routes.js';
import { simulationRoutes } from './modules/simulations/simulations.routes.js';
import { dashboardRoutes } from './modules/dashboards/dashboards.routes.js';
import { AppError, errors } from './platform/errors.js';
import { installErrorHandler, sendFrameworkError } from './platform/http.js';
import { normaliseInput } from './platform/input-text.js';
import { inlineScriptSources } from './web-csp.js';

export interface AppDeps {
  database: Database;
  config: Config;
  /** false in tests; a pino options object otherwise. */
  logger?: boolean | object;
  /** Where uploaded files go; local disk under DATA_DIR/files by default. */
  storage?: FileStorage;
  /**
   * Called with every route as it is added (Fastify's onRoute hook): its method, path and schema.
   * The API's endpoint types are generated from these (scripts/api-types.ts).
   */
  onRoute?: (route: RouteOptions) => void;
  /**
   * Runs one of main.ts's periodic jobs now (platform/jobs.ts kick): work a person waits on, like
   * a sign-in text the `outbox` job sends, a result the office sends the hotline again
   * (`pushback`), or the texts and results a problem's step owes. Absent in tests and tools: the
   * work waits for a run.
   */
  kickJob?: (name: KickableJob) => void;
}

export type App = FastifyInstance;

/** The jobs a request may run at once (see AppDeps.kickJob). */
export type KickableJob = 'outbox' | 'pushback';

/**
 * Local disk under DATA_DIR/files, or S3 (loaded only then: the SDK is large). The bucket is
 * checked (and, with S3_CREATE_BUCKET, created) so a wrong setting stops the start-up.
 */
export async function storageFromConfig(config: Config): Promise<FileStorage> {
  if (config.storage === 's3' && config.s3) {
    const { S3Storage } = await import('./platform/s3-storage.js');
    const s3 = new S3Storage(config.s3);
    await s3.check({ create: config.s3.createBucket });
    return s3;
  }
  return new LocalDiskStorage(path.join(config.dataDir, 'files'));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PASSWORD_CHANGE_ROUTES = new Set(['/api/auth/me', '/api/auth/password', '/api/auth/logout']);

/** The Fastify application: used by main.ts and by the tests. */
/** Paths served by web/citizen.html rather than the admin app. */
const CITIZEN_PAGES = /^\/(report|track|exposure|stars|s|good-people|credits|services)(\/|\?|$)/;
/** Built files named by a hash of their content (Vite's /assets/): cached for good. */
const IMMUTABLE_ASSET = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.\w+(\.(br|gz))?$/;
/** The phone app's pages (web/mobile.html): /m/ and below. */
const PHONE_APP = /^\/m\//;
/** /m without its slash: sent to /m/, the phone app's service-worker scope. */
const PHONE_APP_BARE = /^\/m(\?|$)/;
/**
 * The desktop app's former phone pages, now the phone app's flows: old links, bookmarks and home
 * screen icons land in the phone app (the query string is kept).
 */
const PHONE_PAGES_MOVED: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^\/inspect(\?.*)?$/, (m) => `/m/inspect${m[1] ?? ''}`],
  [/^\/patrol(\?.*)?$/, (m) => `/m/patrol${m[1] ?? ''}`],
  [/^\/survey-app(\?.*)?$/, (m) => `/m/survey${m[1] ?? ''}`],
  // The check-in QR codes printed or shown before the move: their token (?t=) travels along.
  [/^\/volunteer-checkin\/([^/?]+)(\?.*)?$/, (m) => `/m/checkin/${m[1]}${m[2] ?? ''}`],
];

/**
 * Secrets a client may put in a query string (Open311's `api_key`, a check-in QR code's `t` on
 * `/m/checkin/:id` and the old `/volunteer-checkin/:id`): never written to the log.
 */
const SECRET_QUERY = /([?&](?:api_key|apikey|token|key)=)[^&#]*/gi;
const CHECKIN_TOKEN = /^(\/(?:m\/checkin|volunteer-checkin)\/[^?#]*\?(?:[^#]*&)?t=)[^&#]*/i;
/** An 18-character 身份证号 in a query (a registry search by ID number): masked as everywhere. */
const ID_NUMBER = /(?<=[^0-9A-Za-z]|%[0-9A-Fa-f]{2})(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const maskIdNumbers = (url: string) => {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q) + url.slice(q).replace(ID_NUMBER, '$1********$2');
};

/** The request as the access log records it, with secrets in the query string masked. */
export function logRequest(req: {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number } | null;
}) {
  return {
    method: req.method,
    url: maskIdNumbers(req.url.replace(SECRET_QUERY, '$1***').replace(CHECKIN_TOKEN, '$1***')),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, database } = deps;
  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel, serializers: { req: logRequest } },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // A malformed escape in the path (`/api/problems/%ZZ`) is answered before any route is found;
    // it gets the same error body as every other client error.
    // Under /open311/v2 in the Open311 error format.
    frameworkErrors: (err, req, reply) => {
      if (!sendOpen311FrameworkError(err, req, reply)) sendFrameworkError(err, req, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();
  if (deps.onRoute) app.addHook('onRoute', deps.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  // The API speaks JSON and multipart uploads only; anything else is a 415, not a confusing 400.
  app.removeContentTypeParser('text/plain');

  // Security headers, built once: @fastify/helmet rebuilt the helmet middleware on every request
  // (a measurable share of a small API call's CPU).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The pages' one inline script (web/early-me.js), by its hash.
        scriptSrc: ["'self'", ...inlineScriptSources(config.webDir)],
        // antd writes its styles at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        // map tiles come from a configured tile server
        imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
        // Evidence videos play in the page; a video being uploaded is opened from a blob: URL to
        // draw its poster frame. With FILE_REDIRECT the bytes come from the store's own address.
        mediaSrc: ["'self'", 'blob:', ...(config.fileRedirect ? ['https:', 'http:'] : [])],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)),
  );
  await app.register(cookie);
  await app.register(multipart, {
    limits: { fileSize: config.uploadLimitBytes, files: 1, fields: 10 },
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Chuangcheng API (创城)',
        version: config.version,
        description:
          'API of the civilized-city campaign platform. Sign in with POST /api/auth/login; send the ' +
          'x-csrf-token header from /api/auth/me on every write. Errors: {error:{code,message,messageZh,messageEn,fields?,rows?}}.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // Graceful shutdown: requests in flight at close() finish, and their keep-alive connections are
  // closed after the response instead of idling until the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (req, reply) => {
    if (closing) reply.header('connection', 'close');
    // An API answer is about the signed-in person or the city's records: no browser or proxy
    // keeps a copy unless the route says otherwise (a file, the public map base, a citizen's QR).
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
  });

  // The one rule for incoming text (platform/input-text.ts): NUL refused, control characters
  // normalised, before any schema or handler sees the request.
  app.addHook('preValidation', async (req) => {
    normaliseInput(req.params, 'params');
    normaliseInput(req.query, 'querystring');
    if (req.body !== undefined) req.body = normaliseInput(req.body, 'body');
  });

  app.decorateRequest('session', null);
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/docs')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const s = await resolveSession(database, config, token);
      if (s) {
        req.session = s;
        req.actor = actorOf(s.user, req.ip);
      }
    }
    if (req.routeOptions.config.public) return;
    if (!req.session) throw errors.unauthenticated();
    if (!SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== req.session.csrfToken) {
      throw errors.csrf();
    }
    // Someone else chose this password: nothing but choosing one's own until it is changed.
    if (
      req.session.user.mustChangePassword &&
      !PASSWORD_CHANGE_ROUTES.has(req.routeOptions.url ?? '')
    ) {
      throw new AppError('password_change_required', 403, {
        zh: '请先修改初始密码',
        en: 'change your initial password first',
      });
    }
  });

  const storage = deps.storage ?? (await storageFromConfig(config));
  if (!deps.storage) app.addHook('onClose', () => Promise.resolve(storage.close?.()));
  if (config.metricsEnabled) installMetrics(app, { database, config, storage: storage.kind });

  await app.register(healthRoutes, { database, config });
  await app.register(mapRoutes, { database, config });
  await app.register(authRoutes, { database, config });
  await app.register(orgRoutes, { database });
  await app.register(auditRoutes, { database });
  await app.register(problemRoutes, { database, config, kickJob: deps.kickJob });
  await app.register(hotlineRoutes, { database, config });
  await app.register(pushbackRoutes, { database, config, kickJob: deps.kickJob });
  await app.register(fileRoutes, {
    database,
    storage,
    redirectSeconds: config.fileRedirect ? config.fileUrlSeconds : null,
    linkSecret: config.fileLinkSecret,
  });
  await app.register(citizenRoutes, { database, config, storage });
  await app.register(open311Routes, { database, config, prefix: '/open311/v2' });
  await app.register(open311ClientRoutes, { database });
  await app.register(frontageRoutes, { database });
  await app.register(honoursRoutes, { database });
  await app.register(cellChecksRoutes, { database });
  await app.register(adCarriersRoutes, { database });
  await app.register(cellAwardRoutes, { database, storage });
  await app.register(starHouseholdRoutes, { database });
  await app.register(goodPeopleRoutes, { database, config, storage });
  await app.register(creditRoutes, { database, config, kickJob: deps.kickJob });
  await app.register(outreachRoutes, { database });
  await app.register(gridRoutes, { database, config });
  await app.register(pointRoutes, { database });
  await app.register(roundRoutes, { database });
  await app.register(assignmentReportRoutes, { database });
  await app.register(notificationRoutes, { database, config });
  await app.register(frameworkRoutes, { database });
  await app.register(evidenceRoutes, {
    database,
    storage,
    limits: { documentBytes: config.uploadLimitBytes, mediaBytes: config.mediaUploadLimitBytes },
  });
  await app.register(filingRoutes, { database, storage });
  await app.register(surveyRoutes, { database });
  await app.register(volunteerRoutes, { database });
  await app.register(serviceOrderRoutes, { database, config });
  await app.register(indicatorRoutes, { database });
  await app.register(groupRoutes, { database, storage });
  await app.register(partyRoutes, { database });
  await app.register(scoringRoutes, { database });
  await app.register(simulationRoutes, { database });
  await app.register(rankingRoutes, { database });
  await app.register(dashboardRoutes, { database });

  // The built web app, when present: static files, and index.html for client-side routes.
  const hasWeb = fs.existsSync(path.join(config.webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: config.webDir,
      wildcard: false,
      index: ['index.html'],
      // The build writes .br and .gz copies (scripts/precompress.mjs): sent to browsers that take
      // them, the phone app's first load is a third of its size on the wire.
      preCompressed: true,
      // Files under /assets/ carry a hash of their content in their name: a browser keeps them for
      // a year without asking again. Everything else (the pages, the service workers, the icons)
      // is checked with the server on every use, so a release reaches every browser at once.
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        reply.header(
          'cache-control',
          IMMUTABLE_ASSET.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/')) {
      if (PHONE_APP_BARE.test(req.url)) return reply.redirect(`/m/${req.url.slice(2)}`, 302);
      for (const [from, to] of PHONE_PAGES_MOVED) {
        const m = from.exec(req.url);
        if (m) return reply.redirect(to(m), 301);
      }
      // The citizens' pages and the phone app are apps of their own, each a small bundle.
      const page = CITIZEN_PAGES.test(req.url)
        ? 'citizen.html'
        : PHONE_APP.test(req.url)
          ? 'mobile.html'
          : 'index.html';
      return reply.type('text/html').sendFile(page);
    }
    throw errors.notFound('route', `${req.method} ${req.url.split('?')[0]}`);
  });
  return app;
}
