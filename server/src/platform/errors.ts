// One error type for the whole server: a stable code, an HTTP status, the field at fault
// and a message in both languages. Clients show the message; logs carry the code.

export type Locale = 'zh-CN' | 'en-US';
export type Messages = Record<Locale, string>;

/** Every error the API can return. The texts may use {placeholders} filled from params. */
export const ERRORS = {
  BODY_MALFORMED: { status: 400, 'zh-CN': '请求内容不是有效的 JSON', 'en-US': 'The request body is not valid JSON' },
  BODY_TOO_LARGE: { status: 413, 'zh-CN': '请求内容过大', 'en-US': 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型', 'en-US': 'Unsupported content type' },
  FIELD_INVALID: { status: 400, 'zh-CN': '字段“{field}”无效：{reason}', 'en-US': 'Field "{field}" is invalid: {reason}' },
  FIELD_REQUIRED: { status: 400, 'zh-CN': '缺少必填字段“{field}”', 'en-US': 'Field "{field}" is required' },
  NOT_FOUND: { status: 404, 'zh-CN': '未找到', 'en-US': 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, 'zh-CN': '接口不存在', 'en-US': 'No such API route' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', 'en-US': 'Too many requests, try again later' },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，已记录', 'en-US': 'Internal server error; it has been logged' },

  AUTH_REQUIRED: { status: 401, 'zh-CN': '请先登录', 'en-US': 'Please sign in' },
  AUTH_SESSION_EXPIRED: { status: 401, 'zh-CN': '登录已过期，请重新登录', 'en-US': 'Your session has expired; please sign in again' },
  AUTH_INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong username or password' },
  AUTH_LOCKED: { status: 423, 'zh-CN': '密码错误次数过多，账号已锁定至 {until}', 'en-US': 'Too many failed attempts; the account is locked until {until}' },
  AUTH_DISABLED: { status: 403, 'zh-CN': '账号已停用', 'en-US': 'This account is disabled' },
  AUTH_PASSWORD_WEAK: { status: 400, 'zh-CN': '新密码至少 10 位，且须包含字母和数字', 'en-US': 'The new password needs at least 10 characters with letters and digits' },
  AUTH_PASSWORD_WRONG: { status: 400, 'zh-CN': '当前密码不正确', 'en-US': 'The current password is wrong' },
  FORBIDDEN: { status: 403, 'zh-CN': '没有权限执行此操作', 'en-US': 'You are not allowed to do this' },
  OUT_OF_SCOPE: { status: 404, 'zh-CN': '未找到（或不在您的管辖范围内）', 'en-US': 'Not found (or outside your area)' },

  PLACE_NOT_FOUND: { status: 404, 'zh-CN': '地点 {id} 不存在或不在您的管辖范围内', 'en-US': 'Place {id} does not exist or is outside your area' },
  PLACE_BAD_PARENT: { status: 400, 'zh-CN': '“{kind}”不能建在“{parentKind}”之下', 'en-US': 'A {kind} cannot be placed under a {parentKind}' },
  PLACE_NAME_TAKEN: { status: 409, 'zh-CN': '同一上级下已有名为“{name}”的地点', 'en-US': 'A place named "{name}" already exists under this parent' },
  PLACE_MOVE_CYCLE: { status: 400, 'zh-CN': '不能把地点移动到它自己的下级', 'en-US': 'A place cannot be moved under itself' },
  PLACE_NOT_EMPTY: { status: 409, 'zh-CN': '该地点下仍有 {count} 名居民，不能归档', 'en-US': 'This place still has {count} residents and cannot be archived' },
  HOUSEHOLD_PLACE_KIND: { status: 400, 'zh-CN': '住户必须属于单元或楼栋', 'en-US': 'A household must belong to a unit or a building' },
  HOUSEHOLD_NOT_FOUND: { status: 404, 'zh-CN': '住户 {id} 不存在或不在您的管辖范围内', 'en-US': 'Household {id} does not exist or is outside your area' },
  HOUSEHOLD_EXISTS: { status: 409, 'zh-CN': '该单元已有房号 {room}', 'en-US': 'Room {room} already exists in this unit' },

  RESIDENT_NOT_FOUND: { status: 404, 'zh-CN': '居民 {id} 不存在或不在您的管辖范围内', 'en-US': 'Resident {id} does not exist or is outside your area' },
  RESIDENT_DUPLICATE_ID: { status: 409, 'zh-CN': '该证件号码已登记', 'en-US': 'A resident with this ID number is already registered' },
  RESIDENT_ID_FORMAT: { status: 400, 'zh-CN': '身份证号须为 18 位：17 位数字加 1 位数字或 X', 'en-US': 'A mainland ID number has 18 characters: 17 digits and a digit or X' },
  RESIDENT_ID_REGION: { status: 400, 'zh-CN': '身份证号的地区码 {region} 无效', 'en-US': 'The region code {region} of the ID number is not valid' },
  RESIDENT_ID_BIRTH_DATE: { status: 400, 'zh-CN': '身份证号中的出生日期 {date} 无效', 'en-US': 'The birth date {date} in the ID number is not valid' },
  RESIDENT_ID_CHECKSUM: { status: 400, 'zh-CN': '身份证号校验位错误（应为 {expected}）', 'en-US': 'The ID number check digit is wrong (expected {expected})' },
  RESIDENT_PASSPORT_FORMAT: { status: 400, 'zh-CN': '护照号码应为 5–17 位字母或数字', 'en-US': 'A passport number has 5–17 letters or digits' },
  RESIDENT_HK_MACAU_FORMAT: { status: 400, 'zh-CN': '港澳居民来往内地通行证号码应为 H 或 M 加 8 位数字', 'en-US': 'A Hong Kong/Macau permit number is H or M followed by 8 digits' },
  RESIDENT_TAIWAN_FORMAT: { status: 400, 'zh-CN': '台湾居民来往大陆通行证号码应为 8 位数字', 'en-US': 'A Taiwan permit number has 8 digits' },
  RESIDENT_PHONE_FORMAT: { status: 400, 'zh-CN': '手机号应为 11 位，以 1 开头', 'en-US': 'A mobile number has 11 digits starting with 1' },
  RESIDENT_DUE_DATE: { status: 400, 'zh-CN': '孕妇须填写预产期', 'en-US': 'A pregnant resident needs a due date' },

  IMPORT_FILE_TYPE: { status: 400, 'zh-CN': '只支持 CSV 或 XLSX 文件', 'en-US': 'Only CSV or XLSX files are supported' },
  IMPORT_NO_FILE: { status: 400, 'zh-CN': '请上传文件', 'en-US': 'Please upload a file' },
  IMPORT_NOT_FOUND: { status: 404, 'zh-CN': '导入任务 {id} 不存在', 'en-US': 'Import job {id} does not exist' },
  IMPORT_NOT_READY: { status: 409, 'zh-CN': '导入任务当前状态为“{status}”，不能提交', 'en-US': 'The import job is "{status}" and cannot be committed' },
  IMPORT_HAS_ERRORS: { status: 409, 'zh-CN': '文件有 {count} 行错误，请修正后重新上传', 'en-US': 'The file has {count} rejected rows; fix them and upload again' },
  IMPORT_MISSING_COLUMN: { status: 400, 'zh-CN': '文件缺少必需的列“{column}”', 'en-US': 'The file lacks the required column "{column}"' },
  IMPORT_UNKNOWN_PLACE: { status: 400, 'zh-CN': '地点“{name}”不存在', 'en-US': 'Place "{name}" does not exist' },
  IMPORT_DUPLICATE_IN_FILE: { status: 400, 'zh-CN': '与第 {row} 行证件号码重复', 'en-US': 'Same ID number as row {row}' },

  CAMPAIGN_NOT_FOUND: { status: 404, 'zh-CN': '检测任务 {id} 不存在或不在您的管辖范围内', 'en-US': 'Campaign {id} does not exist or is outside your area' },
  CAMPAIGN_PLACE_OUTSIDE: { status: 400, 'zh-CN': '地点“{name}”不在该检测任务的所属地点之下', 'en-US': 'Place "{name}" is not under the place that owns this campaign' },
  ROUND_NOT_FOUND: { status: 404, 'zh-CN': '检测轮次 {id} 不存在', 'en-US': 'Round {id} does not exist' },
  ROUND_NOT_OPEN: { status: 409, 'zh-CN': '该检测任务现在没有进行中的轮次', 'en-US': 'This campaign has no round running now' },
  ROUND_OVERLAP: { status: 409, 'zh-CN': '与第 {number} 轮时间重叠', 'en-US': 'Overlaps round {number}' },
  SITE_NOT_FOUND: { status: 404, 'zh-CN': '采样点 {id} 不存在或不在您的管辖范围内', 'en-US': 'Sampling site {id} does not exist or is outside your area' },
  SITE_NAME_TAKEN: { status: 409, 'zh-CN': '该检测任务已有名为“{name}”的采样点', 'en-US': 'This campaign already has a site named "{name}"' },
  LANE_NOT_FOUND: { status: 404, 'zh-CN': '采样通道 {id} 不存在或不在您的管辖范围内', 'en-US': 'Lane {id} does not exist or is outside your area' },
  PERSON_UNKNOWN: { status: 404, 'zh-CN': '未登记的人员：可现场登记后再采样', 'en-US': 'This person is not registered; register them on the spot, then sample' },
  CODE_INVALID: { status: 400, 'zh-CN': '无法识别的个人码（可能被改动或不属于本系统）', 'en-US': 'This personal code is not valid (edited, or from another system)' },
  TUBE_SEALED: { status: 409, 'zh-CN': '试管 {barcode} 已封管，请换新管', 'en-US': 'Tube {barcode} is sealed; take a new tube' },
  TUBE_FULL: { status: 409, 'zh-CN': '试管 {barcode} 已满（{poolSize} 人），请换新管', 'en-US': 'Tube {barcode} is full ({poolSize} people); take a new tube' },
  TUBE_OTHER_ROUND: { status: 409, 'zh-CN': '试管 {barcode} 已在其他轮次使用', 'en-US': 'Tube {barcode} was used in another round' },
  TUBE_OTHER_HOUSEHOLD: { status: 409, 'zh-CN': '试管 {barcode} 为一户一管，此人不属于该户', 'en-US': 'Tube {barcode} is one tube per household, and this person is from another household' },
  TUBE_NOT_FOUND: { status: 404, 'zh-CN': '试管 {barcode} 不存在', 'en-US': 'Tube {barcode} does not exist' },
  TUBE_EMPTY: { status: 409, 'zh-CN': '试管 {barcode} 还没有人，不能封管', 'en-US': 'Tube {barcode} holds nobody yet and cannot be sealed' },
  TUBE_NOT_SEALED: { status: 409, 'zh-CN': '试管 {barcode} 尚未封管，不能装箱', 'en-US': 'Tube {barcode} is not sealed and cannot be boxed' },
  TUBE_IN_OTHER_BOX: { status: 409, 'zh-CN': '试管 {barcode} 已装入转运箱 {box}', 'en-US': 'Tube {barcode} is already in box {box}' },
  BOX_NOT_FOUND: { status: 404, 'zh-CN': '转运箱 {barcode} 不存在', 'en-US': 'Box {barcode} does not exist' },
  BOX_STATE: { status: 409, 'zh-CN': '转运箱 {barcode} 当前为“{state}”，不能{action}', 'en-US': 'Box {barcode} is {state} and cannot be {action}' },
  RESULT_TUBE_UNKNOWN: { status: 400, 'zh-CN': '试管 {barcode} 不存在或不在您的范围内', 'en-US': 'Tube {barcode} does not exist or is outside your area' },
  RESULT_TUBE_OPEN: { status: 400, 'zh-CN': '试管 {barcode} 尚未封管，不能出结果', 'en-US': 'Tube {barcode} is not sealed yet and cannot have a result' },
  RESULT_VALUE: { status: 400, 'zh-CN': '结果应为 阴性/阳性/无效（或 negative/positive/invalid）', 'en-US': 'A result is negative, positive or invalid (阴性/阳性/无效)' },
  RESULTS_REJECTED: { status: 400, 'zh-CN': '有 {count} 行未通过校验，整批未写入；请按报告修正后重新上传', 'en-US': '{count} rows were rejected and nothing was written; fix them as the report says and upload again' },
  RESULT_DUPLICATE_IN_FILE: { status: 400, 'zh-CN': '与第 {row} 行是同一试管', 'en-US': 'Same tube as row {row}' },
  EXEMPTION_REASON: { status: 400, 'zh-CN': '免检原因无效', 'en-US': 'Not a valid exemption reason' },

  IDEMPOTENCY_KEY_REUSED: {
    status: 409,
    'zh-CN': '此请求编号（key）已用于另一项不同的提交；如确为新的提交，请重新生成编号后再试',
    'en-US': 'This key was already used for a different request; a new request needs a new key',
  },

  USER_NOT_FOUND: { status: 404, 'zh-CN': '账号 {id} 不存在或不在您的管辖范围内', 'en-US': 'Account {id} does not exist or is outside your area' },
  USER_EXISTS: { status: 409, 'zh-CN': '用户名“{username}”已被使用', 'en-US': 'The username "{username}" is taken' },
  USER_ROLE_NOT_ALLOWED: { status: 403, 'zh-CN': '您不能授予“{role}”角色', 'en-US': 'You cannot grant the role "{role}"' },
  USER_SCOPE_REQUIRED: { status: 400, 'zh-CN': '该角色必须指定管辖地点', 'en-US': 'This role needs a place scope' },
} as const satisfies Record<string, { status: number } & Messages>;

export type ErrorCode = keyof typeof ERRORS;

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
    this.status = opts.status ?? ERRORS[code].status;
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
  return { 'zh-CN': fill(ERRORS[code]['zh-CN']), 'en-US': fill(ERRORS[code]['en-US']) };
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
