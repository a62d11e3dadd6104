// Error codes of the notices module, declared once; AppError finds them by code.
import { defineErrors } from '../../platform/errors.js';

export const NOTICE_ERRORS = defineErrors('notices', {
  NOTICE_NOT_FOUND: { status: 404, 'zh-CN': '通知 {id} 不存在或不在您的管辖范围内', 'en-US': 'Notice {id} does not exist or is outside your area' },
  NOTICE_VARIABLE: {
    status: 400,
    'zh-CN': '字段“{field}”中的变量 {{variable}} 无效：可用 {allowed}',
    'en-US': 'Field "{field}": {{variable}} is not a variable here; use {allowed}',
  },
  NOTICE_NO_RECIPIENTS: { status: 400, 'zh-CN': '字段“{field}”：所选对象中没有居民，通知未发送', 'en-US': 'Field "{field}": nobody lives in what you chose; nothing was sent' },
  NOTICE_NO_SLOTS: { status: 409, 'zh-CN': '该轮次在您的范围内还没有排班时段（字段“{field}”），请先排班', 'en-US': 'This round has no schedule slots in your area (field "{field}"); plan the schedule first' },
  NOTICE_NOTHING_TO_RESEND: { status: 409, 'zh-CN': '没有需要重发的消息（字段“{field}”）', 'en-US': 'Nothing to resend (field "{field}")' },
});

declare module '../../platform/errors.js' {
  interface ModuleErrors extends Record<keyof typeof NOTICE_ERRORS, true> {}
}
