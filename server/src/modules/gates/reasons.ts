// What a gate says, in the words the person stopped (or let through) is shown, beside the colour
// rules' own plain words (codes module).
export interface Words {
  'zh-CN': string;
  'en-US'?: string;
  'ko-KR'?: string;
}

export const GATE_REASONS = {
  fever: { 'zh-CN': '体温 ≥ 37.3 °C，请到临时观察点复测', 'en-US': 'Temperature 37.3 °C or above: please go to the observation point to be measured again', 'ko-KR': '체온 37.3 °C 이상: 관찰 지점에서 다시 측정해 주세요' },
  not_registered: { 'zh-CN': '未登记的人员，请进行访客登记', 'en-US': 'Not registered here: please register as a visitor', 'ko-KR': '등록되지 않은 분입니다. 방문객 등록을 해 주세요' },
  code_invalid: { 'zh-CN': '无法识别的码，请出示个人码或身份证', 'en-US': 'Unreadable code: show your personal code or ID card', 'ko-KR': '인식할 수 없는 코드입니다. 개인 코드나 신분증을 보여 주세요' },
  code_revoked: { 'zh-CN': '该码已作废（已换发新码），请出示新码或身份证', 'en-US': 'This code was replaced by a new one: show the new code or your ID card', 'ko-KR': '이 코드는 새 코드로 교체되었습니다. 새 코드나 신분증을 보여 주세요' },
  returning_home: { 'zh-CN': '返回住所，进入后请居家', 'en-US': 'Returning home: stay at home once inside', 'ko-KR': '귀가: 들어가신 후 집에 머물러 주세요' },
  visitor_pass: { 'zh-CN': '当日访客通行', 'en-US': "Visitor's pass for today", 'ko-KR': '당일 방문객 출입증' },
  pass_expired: { 'zh-CN': '访客通行证已过期，请重新登记', 'en-US': "The visitor's pass has expired: register again", 'ko-KR': '방문객 출입증이 만료되었습니다. 다시 등록해 주세요' },
  pass_elsewhere: { 'zh-CN': '该访客通行证不适用于本小区', 'en-US': "The visitor's pass is for another compound", 'ko-KR': '이 방문객 출입증은 다른 단지용입니다' },
} as const satisfies Record<string, Words>;

export type GateReasonKey = keyof typeof GATE_REASONS;
