// Maps everything that can go wrong in a request to the one error shape; never a bare 500
// for bad input.
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

const PG_INPUT_ERRORS = new Set(['22P02', '22003', '22007', '22008', '22001', '23514']);

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { validation?: AjvError[]; validationContext?: string }, req, reply) => {
    const appErr = toAppError(err);
    if (appErr.status >= 500) req.log.error({ err }, 'unhandled error');
    else req.log.info({ code: appErr.code, field: appErr.field }, 'request rejected');
    return sendError(req, reply, appErr);
  });
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  if (err.code === 'RATE_LIMITED' && err.params.retryAfter) reply.header('retry-after', String(err.params.retryAfter));
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
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError('FIELD_INVALID', { status: err.statusCode, field: 'request', params: { reason: err.message } });
  }
  return new AppError('INTERNAL');
}
