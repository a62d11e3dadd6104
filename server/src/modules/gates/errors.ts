// Error codes of the gates module, declared once; AppError finds them by code.
import { defineErrors } from '../../platform/errors.js';

export const GATE_ERRORS = defineErrors('gates', {
  GATE_NOT_FOUND: { status: 404, 'zh-CN': '卡口 {id} 不存在或不在您的管辖范围内', 'en-US': 'Gate {id} does not exist or is outside your area' },
  GATE_NO_PERSON: { status: 400, 'zh-CN': '请扫码，或输入证件号码（字段“{field}”）', 'en-US': 'Scan a code or type a document number (field "{field}")' },
});

declare module '../../platform/errors.js' {
  interface ModuleErrors extends Record<keyof typeof GATE_ERRORS, true> {}
}
