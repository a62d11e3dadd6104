// Error codes of the residents' portal. A resident reads these, so each also has its Korean text
// (ko-KR: the resident page's third language); the error body carries zh-CN and en-US like every
// other answer, and the resident page shows ko-KR from its own catalogue by the code.
import { defineErrors } from '../../platform/errors.js';

export const PORTAL_ERRORS = defineErrors('portal', {
  OTP_WRONG: { status: 401, 'zh-CN': '验证码不正确', 'en-US': 'The code is wrong', 'ko-KR': '인증번호가 올바르지 않습니다' },
  OTP_LOCKED: {
    status: 401,
    'zh-CN': '验证码错误次数过多，此验证码已失效，请重新获取',
    'en-US': 'Too many wrong tries: this code no longer works; ask for a new one',
    'ko-KR': '잘못 입력한 횟수가 너무 많아 이 인증번호는 만료되었습니다. 새 인증번호를 요청하세요',
  },
  OTP_EXPIRED: {
    status: 401,
    'zh-CN': '验证码已过期或已使用，请重新获取',
    'en-US': 'The code has expired or was already used; ask for a new one',
    'ko-KR': '인증번호가 만료되었거나 이미 사용되었습니다. 새 인증번호를 요청하세요',
  },
  OTP_TOO_MANY: {
    status: 429,
    'zh-CN': '获取验证码过于频繁，请 {retryAfter} 秒后再试',
    'en-US': 'Too many codes asked for; try again in {retryAfter} s',
    'ko-KR': '인증번호 요청이 너무 잦습니다. {retryAfter}초 후에 다시 시도하세요',
  },
  CODE_UNKNOWN: {
    status: 404,
    'zh-CN': '无法识别此个人码，请核对户卡',
    'en-US': 'This personal code is not recognised; check the household card',
    'ko-KR': '이 개인 코드를 인식할 수 없습니다. 가구 카드를 확인하세요',
  },
  PORTAL_PERSON_NOT_FOUND: {
    status: 404,
    'zh-CN': '您的家庭中没有这位成员',
    'en-US': 'No such member of your household',
    'ko-KR': '가구에 해당 구성원이 없습니다',
  },
  PORTAL_NOTICE_NOT_FOUND: { status: 404, 'zh-CN': '通知不存在', 'en-US': 'No such notice', 'ko-KR': '알림이 없습니다' },
});

declare module '../../platform/errors.js' {
  interface ModuleErrors extends Record<keyof typeof PORTAL_ERRORS, true> {}
}
