import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, pickLanguage, type Message } from '../../platform/errors.js';
import { logServerError, toAppError } from '../../platform/http.js';
import { toXml } from './open311-xml.js';

// How Open311 answers over HTTP: the format by the path's extension, and the spec's error body —
// `[{code, description}]` or `<errors><error><code/><description/></error></errors>` — for every
// error under /open311/v2, including those Fastify raises before any route is found.

export type Open311Format = 'json' | 'xml';

export const OPEN311_PREFIX = '/open311/v2';

/** A URL under /open311/v2 (the raw URL: it may hold a malformed escape). */
export function isOpen311Url(url: string): boolean {
  return (
    url === OPEN311_PREFIX ||
    url.startsWith(`${OPEN311_PREFIX}/`) ||
    url.startsWith(`${OPEN311_PREFIX}?`)
  );
}

/** `.xml` at the end of the path asks for XML; anything else (`.json`, none, unknown) gets JSON. */
export function formatOfUrl(url: string): Open311Format {
  const path = url.split('?')[0]!.split('#')[0]!;
  return path.toLowerCase().endsWith('.xml') ? 'xml' : 'json';
}

export function lang(req: FastifyRequest): 'zh' | 'en' {
  return pickLanguage(req.headers['accept-language']);
}

export function sendOpen311(
  reply: FastifyReply,
  format: Open311Format,
  root: string,
  value: unknown,
  status = 200,
): FastifyReply {
  reply.status(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, value));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/** One error in the spec's body, in the format the URL asked for, described in the caller's language. */
export function sendOpen311Error(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  msg: Message,
): FastifyReply {
  const description = lang(req) === 'en' ? msg.en : msg.zh;
  return sendOpen311(
    reply,
    formatOfUrl(req.url),
    'errors',
    [{ code: status, description }],
    status,
  );
}

const INTERNAL: Message = { zh: '服务器内部错误', en: 'internal server error' };

/** The error handler of the /open311/v2 plugin: known errors keep their status, the rest are 500. */
export function open311ErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const known = toAppError(err);
  if (!known) logServerError(req, err);
  if (known?.extra.retryAfterS !== undefined)
    reply.header('retry-after', String(known.extra.retryAfterS));
  return sendOpen311Error(req, reply, known?.status ?? 500, known?.msg ?? INTERNAL);
}

const BAD_URL = new AppError('bad_url', 400, {
  zh: '网址中有无效的转义字符（%）',
  en: 'the URL holds an invalid percent-escape',
});
const URL_TOO_LONG = new AppError('url_too_long', 414, {
  zh: '网址中的参数过长',
  en: 'a path parameter in the URL is too long',
});

/**
 * For Fastify's `frameworkErrors` (server/app.ts): errors raised before a route is found — a
 * malformed escape in the path (`/open311/v2/services/%ZZ.json`), a path parameter over the
 * length limit. Under /open311/v2 it answers in the spec's error format with a 4xx and returns
 * true; elsewhere it returns false and leaves the request to the caller.
 */
export function sendOpen311FrameworkError(
  err: FastifyError,
  req: FastifyRequest,
  reply: FastifyReply,
): boolean {
  if (!isOpen311Url(req.url)) return false;
  const known =
    err.code === 'FST_ERR_BAD_URL'
      ? BAD_URL
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? URL_TOO_LONG
        : toAppError(err);
  // Nothing raised before routing is the server's fault; a code we do not know is still a 400.
  const status = known && known.status < 500 ? known.status : 400;
  void sendOpen311Error(req, reply, status, known?.msg ?? BAD_URL.msg);
  return true;
}
