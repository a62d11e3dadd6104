// Error codes of the codes module, declared once; AppError finds them by code.
import { defineErrors } from '../../platform/errors.js';

export const CODE_ERRORS = defineErrors('codes', {
  COLOUR_RULE_NOT_FOUND: { status: 404, 'zh-CN': '没有名为 {key} 的赋码规则', 'en-US': 'There is no colour rule {key}' },
  COLOUR_OVERRIDE_NONE: { status: 404, 'zh-CN': '该居民当前没有人工赋码', 'en-US': 'This resident has no override in force' },
  APPEAL_NOT_FOUND: { status: 404, 'zh-CN': '申诉 {id} 不存在或不在您的管辖范围内', 'en-US': 'Appeal {id} does not exist or is outside your area' },
  APPEAL_ANSWERED: { status: 409, 'zh-CN': '该申诉已于 {at} 答复', 'en-US': 'This appeal was answered at {at}' },
  APPEAL_OPEN: { status: 409, 'zh-CN': '您已有一条申诉正在处理，请等待答复', 'en-US': 'You already have an appeal waiting for an answer' },
});

declare module '../../platform/errors.js' {
  interface ModuleErrors extends Record<keyof typeof CODE_ERRORS, true> {}
}
