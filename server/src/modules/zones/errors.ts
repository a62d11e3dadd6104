// Error codes of the zones module, declared once; AppError finds them by code.
import { defineErrors } from '../../platform/errors.js';

export const ZONE_ERRORS = defineErrors('zones', {
  ZONE_NOT_FOUND: { status: 404, 'zh-CN': '区域 {id} 不存在或不在您的管辖范围内', 'en-US': 'Zone {id} does not exist or is outside your area' },
  ZONE_POLICY_NOT_FOUND: { status: 400, 'zh-CN': '字段“{field}”：没有名为 {key} 的管控策略', 'en-US': 'Field "{field}": there is no zone policy {key}' },
  // shown on the places field itself: the place's name says which one
  ZONE_EXISTS: { status: 409, 'zh-CN': '{place} 已是{zone}，请先降级或解除', 'en-US': '{place} is already a {zone}; step it down or lift it first' },
  ZONE_ENDED: { status: 409, 'zh-CN': '该区域已于 {at} 解除或降级，不能再变更', 'en-US': 'This zone was lifted or stepped down at {at}; it cannot change any more' },
  ZONE_POLICY_CURRENT: { status: 409, 'zh-CN': '该区域已执行策略的最新版本（第 {version} 版）', 'en-US': 'This zone already follows the latest version of its policy (version {version})' },
  ZONE_STEP_DOWN_LOOP: { status: 400, 'zh-CN': '字段“{field}”：降级后的策略不能是它自己', 'en-US': 'Field "{field}": a policy cannot step down to itself' },
});

declare module '../../platform/errors.js' {
  interface ModuleErrors extends Record<keyof typeof ZONE_ERRORS, true> {}
}
