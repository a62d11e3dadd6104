// One error type for the whole server: a stable code, an HTTP status, the field at fault
// and a message in both languages. Clients show the message; logs carry the code.

export type Locale = 'zh-CN' | 'en-US';
/** Text in the two languages of staff pages: the one shape of bilingual text, server and console. */
export type Messages = Record<Locale, string>;

/** An error code's HTTP status and its texts; the texts may use {placeholders} filled from params. */
export type ErrorDef = { status: number } & Messages;
export type ErrorCatalog = Record<string, ErrorDef>;

/** Errors of the platform itself: requests, sessions, rights, places and identity documents. Modules add theirs with defineErrors. */
const PLATFORM_ERRORS = {
  BODY_MALFORMED: { status: 400, 'zh-CN': '请求内容不是有效的 JSON', 'en-US': 'The request body is not valid JSON' },
  REQUEST_MALFORMED: { status: 400, 'zh-CN': '请求格式不正确（网址或请求头）', 'en-US': 'The request is malformed (its URL or headers)' },
  URL_TOO_LONG: { status: 414, 'zh-CN': '网址中的参数过长', 'en-US': 'A parameter in the URL is too long' },
  BODY_TOO_DEEP: { status: 400, 'zh-CN': '请求内容嵌套过深（最多 {max} 层）', 'en-US': 'The request body is nested too deeply (at most {max} levels)' },
  MULTIPART_MALFORMED: { status: 400, 'zh-CN': '上传内容不是有效的 multipart/form-data', 'en-US': 'The upload is not valid multipart/form-data' },
  BODY_TOO_LARGE: { status: 413, 'zh-CN': '请求内容过大', 'en-US': 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型', 'en-US': 'Unsupported content type' },
  FIELD_INVALID: { status: 400, 'zh-CN': '字段“{field}”无效：{reason}', 'en-US': 'Field "{field}" is invalid: {reason}' },
  FIELD_REQUIRED: { status: 400, 'zh-CN': '缺少必填字段“{field}”', 'en-US': 'Field "{field}" is required' },
  NOT_FOUND: { status: 404, 'zh-CN': '未找到', 'en-US': 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, 'zh-CN': '接口不存在', 'en-US': 'No such API route' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', 'en-US': 'Too many requests, try again later' },
  STREAMS_TOO_MANY: {
    status: 429,
    'zh-CN': '您已打开 {max} 个实时看板，请先关闭一些页面再试',
    'en-US': 'You already have {max} live boards open; close some of them and try again',
  },
  CROSS_ORIGIN_REFUSED: {
    status: 403,
    'zh-CN': '拒绝来自其他网站的请求（跨站请求伪造防护）',
    'en-US': 'Refused: the request comes from another site (cross-site request forgery protection)',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    'zh-CN': '数据库暂时无法连接，请稍后重试；此次请求未做任何更改',
    'en-US': 'The database cannot be reached right now; nothing was changed, try again shortly',
  },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，已记录', 'en-US': 'Internal server error; it has been logged' },
  AUTH_REQUIRED: { status: 401, 'zh-CN': '请先登录', 'en-US': 'Please sign in' },
  AUTH_SESSION_EXPIRED: { status: 401, 'zh-CN': '登录已过期，请重新登录', 'en-US': 'Your session has expired; please sign in again' },
  AUTH_DISABLED: { status: 403, 'zh-CN': '账号已停用', 'en-US': 'This account is disabled' },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    'zh-CN': '请先修改初始密码，再进行其他操作',
    'en-US': 'Change your one-time password before doing anything else',
  },
  FORBIDDEN: { status: 403, 'zh-CN': '没有权限执行此操作', 'en-US': 'You are not allowed to do this' },
  OUT_OF_SCOPE: { status: 404, 'zh-CN': '未找到（或不在您的管辖范围内）', 'en-US': 'Not found (or outside your area)' },
  PLACE_NOT_FOUND: { status: 404, 'zh-CN': '地点 {id} 不存在或不在您的管辖范围内', 'en-US': 'Place {id} does not exist or is outside your area' },
  RESIDENT_ID_FORMAT: { status: 400, 'zh-CN': '身份证号须为 18 位：17 位数字加 1 位数字或 X', 'en-US': 'A mainland ID number has 18 characters: 17 digits and a digit or X' },
  RESIDENT_ID_REGION: { status: 400, 'zh-CN': '身份证号的地区码 {region} 无效', 'en-US': 'The region code {region} of the ID number is not valid' },
  RESIDENT_ID_BIRTH_DATE: { status: 400, 'zh-CN': '身份证号中的出生日期 {date} 无效', 'en-US': 'The birth date {date} in the ID number is not valid' },
  RESIDENT_ID_CHECKSUM: { status: 400, 'zh-CN': '身份证号校验位错误（应为 {expected}）', 'en-US': 'The ID number check digit is wrong (expected {expected})' },
  RESIDENT_PASSPORT_FORMAT: { status: 400, 'zh-CN': '护照号码应为 5–17 位字母或数字', 'en-US': 'A passport number has 5–17 letters or digits' },
  RESIDENT_HK_MACAU_FORMAT: { status: 400, 'zh-CN': '港澳居民来往内地通行证号码应为 H 或 M 加 8 位数字', 'en-US': 'A Hong Kong/Macau permit number is H or M followed by 8 digits' },
  RESIDENT_TAIWAN_FORMAT: { status: 400, 'zh-CN': '台湾居民来往大陆通行证号码应为 8 位数字', 'en-US': 'A Taiwan permit number has 8 digits' },
  RESIDENT_PHONE_FORMAT: { status: 400, 'zh-CN': '手机号应为 11 位，以 1 开头', 'en-US': 'A mobile number has 11 digits starting with 1' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    'zh-CN': '此请求编号（key）已用于另一项不同的提交；如确为新的提交，请重新生成编号后再试',
    'en-US': 'This key was already used for a different request; a new request needs a new key',
  },
} as const satisfies ErrorCatalog;

/**
 * The codes modules add. Each module's errors.ts declares its catalog with defineErrors and merges
 * the catalog's keys into this interface, so `new AppError('TUBE_FULL')` type-checks only where
 * the code exists.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModuleErrors {}

export type ErrorCode = keyof typeof PLATFORM_ERRORS | keyof ModuleErrors;

const CATALOG = new Map<string, { module: string; def: ErrorDef }>(Object.entries(PLATFORM_ERRORS).map(([c, def]) => [c, { module: 'platform', def }]));

/** A module declares its error codes (once, at load; a code two modules declare is a bug). */
export function defineErrors<const T extends ErrorCatalog>(module: string, errors: T): T {
  for (const [code, def] of Object.entries(errors)) {
    const taken = CATALOG.get(code);
    if (taken && taken.module !== module) throw new Error(`error code ${code} is declared by ${taken.module} and ${module}`);
    CATALOG.set(code, { module, def });
  }
  return errors;
}

function errorDef(code: ErrorCode): ErrorDef {
  const e = CATALOG.get(code);
  if (!e) throw new Error(`error code ${code} is used, but the module declaring it was not loaded`);
  return e.def;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly params: Record<string, string | number>;
  private readonly text?: Messages;

  constructor(
    code: ErrorCode,
    opts: { field?: string; params?: Record<string, string | number>; status?: number; messages?: Messages } = {},
  ) {
    super(code);
    this.code = code;
    this.status = opts.status ?? errorDef(code).status;
    this.field = opts.field;
    this.params = { ...(opts.field ? { field: opts.field } : {}), ...opts.params };
    this.text = opts.messages;
  }

  messages(): Messages {
    return this.text ?? messagesFor(this.code, this.params);
  }
}

export function messagesFor(code: ErrorCode, params: Record<string, string | number> = {}): Messages {
  const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
  const def = errorDef(code);
  return { 'zh-CN': fill(def['zh-CN']), 'en-US': fill(def['en-US']) };
}

/** The JSON shape of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; status: number; field?: string; message: string; messages: Messages };
}

export function errorBody(err: AppError, locale: Locale): ErrorBody {
  const messages = err.messages();
  return { error: { code: err.code, status: err.status, field: err.field, message: messages[locale], messages } };
}

/** Field-level validation failure, with the reason in both languages. */
export function fieldInvalid(field: string, reason: Messages): AppError {
  return new AppError('FIELD_INVALID', {
    field,
    messages: {
      'zh-CN': `字段“${field}”无效：${reason['zh-CN']}`,
      'en-US': `Field "${field}" is invalid: ${reason['en-US']}`,
    },
  });
}
