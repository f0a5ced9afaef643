import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, PACKAGE_ROOT } from '../config.js';

// No container engine runs here, so the deployment files are checked for what can go wrong
// without one: the compose file parses, every variable it uses is in .env.example, the app
// servers' environment is what the server reads and loads as a valid configuration, nginx
// routes to the services that exist, and the Dockerfile copies files that exist.

const deploy = path.join(PACKAGE_ROOT, 'deploy');
const read = (name: string) => fs.readFileSync(path.join(deploy, name), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}
const compose = parse(read('compose.yaml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const example = Object.fromEntries(
  read('.env.example')
    .split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

/**
 * `${VAR}` / `${VAR:-default}` / `${VAR:?message}` as `docker compose --env-file .env.example` would
 * fill them in (a required variable missing from the example is an error, as compose makes it).
 */
function substitute(value: string): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g,
    (_m, name: string, op?: string, arg?: string) => {
      const v = example[name];
      if (v !== undefined && v !== '') return v;
      if (op === ':?') throw new Error(`${name} is required: ${arg}`);
      return op === ':-' ? (arg ?? '') : '';
    },
  );
}

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL, MinIO, two app servers from deploy/Dockerfile and nginx', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'app1',
      'app2',
      'minio',
      'nginx',
      'postgres',
    ]);
    for (const name of ['app1', 'app2']) {
      const s = compose.services[name]!;
      expect(s.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
      expect(fs.existsSync(path.resolve(deploy, s.build!.context, s.build!.dockerfile))).toBe(true);
      expect(s.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(s.environment?.STORAGE).toBe('s3');
      // no app-server volume: nothing on its disk
      expect(s.volumes).toBeUndefined();
    }
    expect(Object.keys(compose.volumes).sort()).toEqual(['miniodata', 'pgdata']);
  });

  it('uses only variables that .env.example defines (or that have a default)', () => {
    const text = read('compose.yaml');
    const used = [...text.matchAll(/\$\{([A-Z0-9_]+)(:-[^}]*|:\?[^}]*)?\}/g)];
    expect(used.length).toBeGreaterThan(10);
    for (const [, name, def] of used) {
      if (def === undefined || def.startsWith(':?'))
        expect(example, `${name} is not in .env.example`).toHaveProperty(name!);
    }
  });

  it('gives the app servers settings the server reads, and they load as a valid configuration', () => {
    const sources = ['server/config.ts', 'server/main.ts']
      .map((f) => fs.readFileSync(path.join(PACKAGE_ROOT, f), 'utf8'))
      .join('\n');
    const env = Object.fromEntries(
      Object.entries(compose.services.app1!.environment!).map(([k, v]) => [k, substitute(v)]),
    );
    for (const key of Object.keys(env))
      expect(sources, `${key} is not read by the server`).toMatch(
        new RegExp(`env\\.${key}\\b|'${key}'`),
      );
    // The image sets NODE_ENV=production (Dockerfile): the settings it requires must be given.
    const config = loadConfig({ ...env, NODE_ENV: 'production' }, 'test');
    expect(config.production).toBe(true);
    expect(config.databaseUrl).toBe(
      `postgres://${example.POSTGRES_USER}:${example.POSTGRES_PASSWORD}@postgres:5432/${example.POSTGRES_DB}`,
    );
    expect(config.storage).toBe('s3');
    expect(config.s3).toMatchObject({
      endpoint: 'http://minio:9000',
      bucket: example.S3_BUCKET,
      forcePathStyle: true,
      createBucket: true,
      publicEndpoint: example.PUBLIC_URL,
    });
    expect(config.trustProxy).toBe(true);
    expect(config.metricsToken).toBe(example.METRICS_TOKEN);
  });
});

describe('deploy/nginx.conf', () => {
  const conf = read('nginx.conf');
  it('balances over the app services and keeps /metrics inside', () => {
    const upstream = [...conf.matchAll(/^\s*server (\S+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstream).toEqual(['app1:3000', 'app2:3000']);
    for (const u of upstream) expect(compose.services).toHaveProperty(u.split(':')[0]!);
    expect(conf).toMatch(/location = \/metrics \{\s*return 404;/);
    expect(conf).toContain('X-Forwarded-For $proxy_add_x_forwarded_for');
  });

  it('takes a 随手拍 post with three photos at the upload limit', () => {
    const mb = Number(/client_max_body_size (\d+)m;/.exec(conf)![1]);
    expect(mb * 1024 * 1024).toBeGreaterThan(3 * loadConfig({}).uploadLimitBytes);
  });

  it('passes signed photo URLs for the bucket to MinIO with the Host they were signed for', () => {
    expect(conf).toContain('location ^~ /${S3_BUCKET}/');
    expect(conf).toContain('proxy_pass http://minio:9000;');
    expect(conf).toContain('proxy_set_header Host $http_host;');
    expect(compose.services.nginx!.environment?.S3_BUCKET).toBe('${S3_BUCKET}');
    expect(compose.services.nginx!.volumes).toContain(
      './nginx.conf:/etc/nginx/templates/default.conf.template:ro',
    );
  });
});

describe('deploy/Dockerfile', () => {
  const file = read('Dockerfile');
  it('builds in one stage and runs a small non-root image with a health check', () => {
    const froms = [...file.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBe(2);
    // Production runs the Node of .nvmrc, an LTS line with security support (#16: Node 20's ended in
    // April 2026), and package.json's engines admit it.
    const production = fs.readFileSync(path.join(PACKAGE_ROOT, '.nvmrc'), 'utf8').trim();
    expect(Number(production)).toBeGreaterThanOrEqual(24);
    const engines = (
      JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    expect(engines).toMatch(new RegExp(`(\\^|>=)${production}\\.`));
    for (const f of froms) expect(f).toMatch(new RegExp(`^node:${production}-`));
    expect(file).toMatch(/^USER node$/m);
    expect(file).toMatch(/npm prune --omit=dev/);
    expect(file).toMatch(/HEALTHCHECK[\s\S]*\/api\/health/);
    expect(file).toContain('CMD ["node", "dist/server/main.js"]');
    expect(fs.existsSync(path.join(PACKAGE_ROOT, 'server/main.ts'))).toBe(true);
  });

  it('copies runtime files that exist in the repository', () => {
    const copies = [...file.matchAll(/^COPY --from=build \/app\/(\S+)/gm)].map((m) => m[1]!);
    expect(copies).toContain('server/db/migrations');
    for (const c of copies.filter((c) => c.startsWith('server/') || c === 'package.json'))
      expect(fs.existsSync(path.join(PACKAGE_ROOT, c)), c).toBe(true);
    const ignore = read('Dockerfile.dockerignore');
    expect(ignore).toMatch(/^node_modules$/m);
    expect(ignore).toMatch(/^data$/m);
  });
});
