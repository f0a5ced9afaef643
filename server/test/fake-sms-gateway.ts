import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { TSmsPayload } from '../../core/contracts/notifications.js';

/** One text message a fake gateway took, as the app sent it. */
export interface ReceivedSms {
  /** The outbox message's id (the envelope's `id`, also the `x-message-id` header). */
  id: number;
  topic: string;
  payload: TSmsPayload;
  createdAt: string;
}

/**
 * A local SMS gateway for the tests and the e2e run: it checks each request's HMAC signature the
 * way a real gateway would (`x-signature: sha256=<hmac of "<x-timestamp>.<raw body>">`, 5-minute
 * window), answers 401 to a bad one, keeps what it took (once per message id: a retry of a message
 * it took is answered 200 and not kept twice), and can be told to fail the next requests with 503.
 */
export interface FakeSmsGateway {
  url: string;
  secret: string;
  received: ReceivedSms[];
  /** Requests refused for a bad or missing signature. */
  badSignatures: number;
  /** Requests answered 503 on purpose. */
  failures: number;
  /** Answer the next `n` requests with 503 (the gateway is down). */
  failNext(n: number): void;
  close(): Promise<void>;
}

export async function startFakeSmsGateway(secret = 'fake-sms-secret'): Promise<FakeSmsGateway> {
  let failing = 0;
  const gw: Omit<FakeSmsGateway, 'url' | 'close'> = {
    secret,
    received: [],
    badSignatures: 0,
    failures: 0,
    failNext: (n) => void (failing = n),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (failing > 0) {
        failing--;
        gw.failures++;
        res.statusCode = 503;
        return res.end('down');
      }
      const ts = String(req.headers['x-timestamp'] ?? '');
      const sig = String(req.headers['x-signature'] ?? '');
      const want = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      const fresh = Math.abs(Date.now() / 1000 - Number(ts)) <= 300;
      if (
        !fresh ||
        sig.length !== want.length ||
        !timingSafeEqual(Buffer.from(sig), Buffer.from(want))
      ) {
        gw.badSignatures++;
        res.statusCode = 401;
        return res.end('bad signature');
      }
      const msg = JSON.parse(body) as ReceivedSms;
      if (!gw.received.some((r) => r.id === msg.id)) gw.received.push(msg);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return Object.assign(gw, {
    url: `http://127.0.0.1:${port}/sms`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}
