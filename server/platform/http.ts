import { inLanguage } from '../../core/i18n/bilingual.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import type { TErrorResponse } from '../../core/contracts/common.js';
import type { ResolvedSession } from '../modules/auth/auth.service.js';
import type { Actor } from './actor.js';
import { AppError, errors, pickLanguage, type Message } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
  }
}

/** The signed-in actor of a request (routes that are not public always have one). */
export function actor(req: FastifyRequest): Actor {
  if (!req.actor) throw errors.unauthenticated();
  return req.actor;
}

export function session(req: FastifyRequest): ResolvedSession {
  if (!req.session) throw errors.unauthenticated();
  return req.session;
}

/** The fields' messages ("中文 / English") each in the message's own language. */
function invalidFields(fields: { path: string; message: string }[]): AppError {
  const list = (lang: 'zh' | 'en') =>
    fields.map((f) => `${f.path}: ${inLanguage(f.message, lang)}`).join('; ');
  return errors.invalid(
    { zh: `请求参数有误：${list('zh')}`, en: `invalid request: ${list('en')}` },
    fields,
  );
}

function body(req: FastifyRequest, err: AppError): TErrorResponse {
  const lang = pickLanguage(req.headers['accept-language']);
  return {
    error: {
      code: err.code,
      message: lang === 'en' ? err.msg.en : err.msg.zh,
      messageZh: err.msg.zh,
      messageEn: err.msg.en,
      ...(err.extra.fields ? { fields: err.extra.fields } : {}),
      ...(err.extra.rows ? { rows: err.extra.rows } : {}),
    },
  };
}

/** Postgres error codes that mean the request clashed with data, not that the server broke. */
function fromDatabase(err: unknown): AppError | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === '23505') {
      return new AppError('duplicate', 409, {
        zh: '数据与已有记录重复',
        en: 'this duplicates an existing record',
      });
    }
    if (code === '23503') {
      return new AppError('in_use', 409, {
        zh: '记录仍被引用或引用的记录不存在',
        en: 'the record is still referenced, or refers to one that does not exist',
      });
    }
    // Text the database cannot store (a NUL that slipped past the input rule) or a value too long for
    // its column or index: the client's input, not a server failure.
    if (code === '22021' || code === '22P05') {
      return new AppError('invalid_text', 400, {
        zh: '请求中含有无法保存的字符',
        en: 'the request holds characters that cannot be stored',
      });
    }
    if (code === '22001' || code === '54000') {
      return new AppError('too_long', 400, {
        zh: '请求中的某项内容过长',
        en: 'a value in the request is too long',
      });
    }
    // A value the database cannot read (e.g. a forged cursor holding a bad timestamp): the client's fault.
    if (code === '22P02' || code === '22007' || code === '22008' || code === '22003') {
      return new AppError('invalid_value', 400, {
        zh: '请求中有无法识别的值',
        en: 'the request holds a value that cannot be read',
      });
    }
    if (code === '40001' || code === '40P01') {
      return new AppError('conflict', 409, {
        zh: '数据正被他人同时修改，请重试',
        en: 'someone else is changing the same data; please try again',
      });
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

const FASTIFY_ERRORS: Record<string, { status: number; msg: Message }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    msg: { zh: '请求内容过大', en: 'the request body is too large' },
  },
  FST_REQ_FILE_TOO_LARGE: {
    status: 413,
    msg: { zh: '上传的文件过大', en: 'the uploaded file is too large' },
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    msg: { zh: '不支持的内容类型', en: 'unsupported content type' },
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    msg: { zh: '请求体为空', en: 'the JSON body is empty' },
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    msg: { zh: 'JSON 格式错误', en: 'the body is not valid JSON' },
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 406,
    msg: { zh: '请以表单方式上传文件', en: 'upload the file as multipart/form-data' },
  },
  FST_PARTS_LIMIT: {
    status: 413,
    msg: { zh: '表单中的项目过多', en: 'the form has too many parts' },
  },
  FST_FILES_LIMIT: {
    status: 413,
    msg: { zh: '一次只能上传一个文件', en: 'upload one file at a time' },
  },
  FST_FIELDS_LIMIT: {
    status: 413,
    msg: { zh: '表单字段过多', en: 'the form has too many fields' },
  },
  FST_PROTO_VIOLATION: {
    status: 400,
    msg: { zh: '表单字段名不允许', en: 'a form field name is not allowed' },
  },
  FST_INVALID_JSON_FIELD_ERROR: {
    status: 400,
    msg: { zh: '表单中的 JSON 字段格式错误', en: 'a JSON form field is not valid JSON' },
  },
  FST_MP_PREMATURE_CLOSE: {
    status: 400,
    msg: { zh: '上传未完成，连接已中断', en: 'the upload was cut off before it ended' },
  },
  FST_ERR_BAD_URL: {
    status: 400,
    msg: { zh: '网址中有无效的转义字符', en: 'the URL holds an invalid escape sequence' },
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    msg: { zh: '网址过长', en: 'the URL is too long' },
  },
};

const MALFORMED_MULTIPART = new AppError('malformed_multipart', 400, {
  zh: '上传的表单数据不完整或格式错误，请重新上传',
  en: 'the uploaded form data is malformed or incomplete; upload it again',
});

/**
 * Busboy (under @fastify/multipart) reports a body with no boundary or a part cut short as a plain
 * Error with no code: recognised by its messages, and by coming from busboy's own files.
 */
function isMultipartParseError(err: Error): boolean {
  if ((err as { statusCode?: unknown }).statusCode !== undefined) return false;
  return (
    /^Multipart: Boundary not found$|unexpected end of multipart data|^Malformed part header$/i.test(
      err.message,
    ) || /[\\/]@fastify[\\/]busboy[\\/]/.test(err.stack ?? '')
  );
}

/**
 * What a thrown error means for the client: an AppError (as is), a validation failure (400 with
 * fields), a data clash or a Fastify request error; null when the server itself failed.
 */
export function toAppError(err: FastifyError): AppError | null {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const fields = err.validation.map((v) => ({
      path: [where, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return invalidFields(fields);
  }
  // A schema a handler applies itself (e.g. to the fields of a multipart form).
  if (err instanceof ZodError) {
    const fields = err.issues.map((i) => ({
      path: ['body', ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    return invalidFields(fields);
  }
  const db = fromDatabase(err);
  if (db) return db;
  if (isMultipartParseError(err)) return MALFORMED_MULTIPART;
  const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
  if (known) return new AppError(err.code.toLowerCase(), known.status, known.msg);
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('bad_request', err.statusCode, {
      zh: `请求无效：${err.message}`,
      en: err.message,
    });
  }
  return null;
}

/**
 * Errors Fastify raises before a route is found (a malformed escape in the path): the same JSON error
 * body as every other client error. Open311 paths answer in the Open311 error format.
 */
export function sendFrameworkError(
  err: FastifyError,
  req: FastifyRequest,
  reply: FastifyReply,
): void {
  const known = toAppError(err) ?? errors.invalid({ zh: '请求无效', en: 'bad request' });
  void reply.status(known.status).send(body(req, known));
}

/** Logs a server failure (a response that broke its schema is logged with its cause). */
export function logServerError(req: FastifyRequest, err: FastifyError): void {
  if (isResponseSerializationError(err))
    req.log.error({ err, cause: err.cause }, 'response did not match schema');
  else req.log.error({ err }, 'unhandled error');
}

/** One error handler: AppError as is, validation as 400 with fields, everything unknown as 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    // A download that failed before its first byte had its file headers set already: the answer
    // is now a JSON error, not an attachment.
    reply.removeHeader('content-disposition');
    reply.type('application/json; charset=utf-8');
    const known = toAppError(err);
    if (known) {
      if (known.extra.retryAfterS !== undefined) {
        reply.header('retry-after', String(known.extra.retryAfterS));
      }
      return reply.status(known.status).send(body(req, known));
    }
    logServerError(req, err);
    return reply.status(500).send(
      body(
        req,
        new AppError('internal', 500, {
          zh: '服务器内部错误，请稍后重试',
          en: 'internal server error; please try again later',
        }),
      ),
    );
  });
}
