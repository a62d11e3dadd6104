// Maps everything that can go wrong in a request to the one error shape; never a bare 500
// for bad input.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody, fieldInvalid, type Messages } from './errors.js';
import { requestLocale } from './i18n.js';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function ajvReason(e: AjvError): Messages {
  const p = e.params;
  switch (e.keyword) {
    case 'type':
      return { 'zh-CN': `类型应为 ${String(p.type)}`, 'en-US': `must be of type ${String(p.type)}` };
    case 'minLength':
      return { 'zh-CN': `至少 ${String(p.limit)} 个字符`, 'en-US': `needs at least ${String(p.limit)} characters` };
    case 'maxLength':
      return { 'zh-CN': `最多 ${String(p.limit)} 个字符`, 'en-US': `allows at most ${String(p.limit)} characters` };
    case 'minimum':
      return { 'zh-CN': `不能小于 ${String(p.limit)}`, 'en-US': `must be at least ${String(p.limit)}` };
    case 'maximum':
      return { 'zh-CN': `不能大于 ${String(p.limit)}`, 'en-US': `must be at most ${String(p.limit)}` };
    case 'enum':
      return {
        'zh-CN': `只能是 ${(p.allowedValues as unknown[]).join(' / ')}`,
        'en-US': `must be one of ${(p.allowedValues as unknown[]).join(', ')}`,
      };
    case 'format':
      return { 'zh-CN': `格式应为 ${String(p.format)}`, 'en-US': `must be a valid ${String(p.format)}` };
    case 'pattern':
      return { 'zh-CN': '格式不正确', 'en-US': 'has the wrong format' };
    case 'additionalProperties':
      return { 'zh-CN': '不允许的字段', 'en-US': 'is not an allowed field' };
    default:
      return { 'zh-CN': e.message ?? '无效', 'en-US': e.message ?? 'invalid' };
  }
}

/** Turns a schema validation failure into FIELD_REQUIRED / FIELD_INVALID naming the field. */
export function validationError(errors: AjvError[], part: string | undefined): AppError {
  const e = errors[0];
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') {
    const missing = String(e.params.missingProperty);
    return new AppError('FIELD_REQUIRED', { field: base ? `${base}.${missing}` : missing });
  }
  if (e.keyword === 'additionalProperties') {
    const extra = String(e.params.additionalProperty);
    return fieldInvalid(base ? `${base}.${extra}` : extra, ajvReason(e));
  }
  return fieldInvalid(base || part || 'body', ajvReason(e));
}

// 22021 and 22P05: a NUL (or another byte PostgreSQL cannot store) that slipped past the edge guard.
const PG_INPUT_ERRORS = new Set(['22P02', '22003', '22007', '22008', '22001', '23514', '22021', '22P05']);

// The database is gone (refused, dropped, shut down, closed pool), not the request at fault: a
// retryable 503. Driver codes and node-postgres / PGlite messages, since a closed pool has no code.
const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const DB_DOWN_MESSAGES =
  /Connection terminated|Cannot use a pool after calling end|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|PGlite is closed/i;

export function databaseDown(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return (typeof e?.code === 'string' && DB_DOWN_CODES.has(e.code)) || (typeof e?.message === 'string' && DB_DOWN_MESSAGES.test(e.message));
}

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_SECONDS = 5;

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { validation?: AjvError[]; validationContext?: string }, req, reply) => {
    const appErr = toAppError(err);
    if (appErr.code === 'DATABASE_UNAVAILABLE') req.log.warn({ err }, 'database unavailable');
    else if (appErr.status >= 500) req.log.error({ err }, 'unhandled error');
    else req.log.info({ code: appErr.code, field: appErr.field }, 'request rejected');
    if (appErr.code === 'DATABASE_UNAVAILABLE') reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return sendError(req, reply, appErr);
  });
}

/**
 * Fastify's own refusals before any route runs (the `frameworkErrors` option): a URL that does not
 * decode (bad percent-encoding) and a path parameter over the router's length limit.
 */
export function frameworkError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const appErr =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('URL_TOO_LONG', { field: 'url' })
      : err.code === 'FST_ERR_BAD_URL'
        ? new AppError('REQUEST_MALFORMED', { field: 'url' })
        : toAppError(err);
  req.log.info({ code: appErr.code, fastify: err.code }, 'request rejected');
  return sendError(req, reply, appErr);
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (raw control bytes in the URL,
 * broken headers): the one shape written straight to the socket, in the default language.
 */
export function clientError(err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify(errorBody(new AppError('REQUEST_MALFORMED', { status }), 'zh-CN'));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  if (err.status === 429 && err.params.retryAfter) reply.header('retry-after', String(err.params.retryAfter));
  return reply.status(err.status).send(errorBody(err, requestLocale(req)));
}

function toAppError(err: FastifyError & { validation?: AjvError[]; validationContext?: string }): AppError {
  if (err instanceof AppError) return err;
  if (err.validation) return validationError(err.validation, err.validationContext);
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BODY_MALFORMED');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_RATE_LIMITED':
      return new AppError('RATE_LIMITED');
  }
  if (err instanceof SyntaxError && err.statusCode === 400) return new AppError('BODY_MALFORMED');
  // Input that slipped past the schema and was refused by PostgreSQL is still bad input.
  const pgCode = (err as { code?: string }).code;
  if (pgCode && PG_INPUT_ERRORS.has(pgCode)) {
    return fieldInvalid((err as { column?: string }).column ?? 'body', {
      'zh-CN': '数据库拒绝了该值',
      'en-US': 'the value was refused by the database',
    });
  }
  if (databaseDown(err)) return new AppError('DATABASE_UNAVAILABLE');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('FIELD_INVALID', { status: err.statusCode, field: 'request', params: { reason: err.message } });
  }
  return new AppError('INTERNAL');
}
