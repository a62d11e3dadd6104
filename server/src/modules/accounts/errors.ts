// Error codes of this module (accounts), declared once; AppError finds them by code.
import { defineErrors } from '../../platform/errors.js';

/** Accounts: sign-in, passwords, staff accounts. */
export const ACCOUNTS_ERRORS = defineErrors('accounts', {
  AUTH_INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', 'en-US': 'Wrong username or password' },
  AUTH_LOCKED: { status: 423, 'zh-CN': '密码错误次数过多，账号已锁定至 {until}', 'en-US': 'Too many failed attempts; the account is locked until {until}' },
  AUTH_PASSWORD_WEAK: { status: 400, 'zh-CN': '新密码至少 10 位，且须包含字母和数字', 'en-US': 'The new password needs at least 10 characters with letters and digits' },
  AUTH_PASSWORD_COMMON: {
    status: 400,
    'zh-CN': '这个密码太常见，很容易被猜中，请换一个',
    'en-US': 'This password is among the most common ones and easily guessed; choose another',
  },
  AUTH_PASSWORD_HAS_USERNAME: { status: 400, 'zh-CN': '密码不能包含用户名', 'en-US': 'The password must not contain the username' },
  AUTH_PASSWORD_WRONG: { status: 400, 'zh-CN': '当前密码不正确', 'en-US': 'The current password is wrong' },
  USER_NOT_FOUND: { status: 404, 'zh-CN': '账号 {id} 不存在或不在您的管辖范围内', 'en-US': 'Account {id} does not exist or is outside your area' },
  USER_EXISTS: { status: 409, 'zh-CN': '用户名“{username}”已被使用', 'en-US': 'The username "{username}" is taken' },
  USER_ROLE_NOT_ALLOWED: { status: 403, 'zh-CN': '您不能授予“{role}”角色', 'en-US': 'You cannot grant the role "{role}"' },
  USER_SCOPE_REQUIRED: { status: 400, 'zh-CN': '该角色必须指定管辖地点', 'en-US': 'This role needs a place scope' },
});

declare module '../../platform/errors.js' {
  interface ModuleErrors extends Record<keyof typeof ACCOUNTS_ERRORS, true> {}
}
