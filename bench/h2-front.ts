import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * A stand-in for the production load balancer (deploy/nginx.conf with TLS): HTTPS with HTTP/2
 * in front of one app server, as phones reach the app (a service worker needs a secure origin,
 * so the phone app is only ever served over TLS, and nginx speaks HTTP/2 there). Requests are
 * passed to the app over kept-alive HTTP/1.1 connections, as nginx's upstream does, and the app's
 * JSON answers are gzipped as nginx.conf's `gzip` settings do (level 5; the built web files
 * arrive precompressed). The certificate is self-signed for 127.0.0.1 (the browser is told to
 * accept it).
 */
export async function startH2Front(
  upstream: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-h2-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
      .concat(['-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'])
      .concat(['-addext', 'subjectAltName=IP:127.0.0.1']),
    { stdio: 'ignore' },
  );
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  // Hop-by-hop headers, which HTTP/2 forbids.
  const HOP = new Set([
    'connection',
    'keep-alive',
    'transfer-encoding',
    'upgrade',
    'proxy-connection',
  ]);
  const server = http2.createSecureServer(
    { key: fs.readFileSync(key), cert: fs.readFileSync(cert), allowHTTP1: true },
    (req, res) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (!k.startsWith(':') && !HOP.has(k)) headers[k] = v;
      }
      headers.host = req.headers[':authority'] ?? req.headers.host;
      headers['x-forwarded-proto'] = 'https';
      const up = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers,
          agent,
        },
        (answer) => {
          const out: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(answer.headers)) if (!HOP.has(k)) out[k] = v;
          const type = String(answer.headers['content-type'] ?? '');
          const gzip =
            /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) &&
            !answer.headers['content-encoding'] &&
            /^(application\/(json|geo\+json)|text\/)/.test(type) &&
            Number(answer.headers['content-length'] ?? 1_000) >= 256;
          if (gzip) {
            delete out['content-length'];
            out['content-encoding'] = 'gzip';
            out.vary = 'Accept-Encoding';
          }
          res.writeHead(answer.statusCode ?? 502, out);
          if (gzip) answer.pipe(zlib.createGzip({ level: 5 })).pipe(res);
          else answer.pipe(res);
        },
      );
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(up);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
