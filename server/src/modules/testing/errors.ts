// Error codes of this module (mass testing), declared once; AppError finds them by code.
import { defineErrors } from '../../platform/errors.js';

/** Mass testing: campaigns, rounds, sites, lanes, tubes, boxes, results, exemptions. */
export const TESTING_ERRORS = defineErrors('testing', {
  CAMPAIGN_NOT_FOUND: { status: 404, 'zh-CN': '检测任务 {id} 不存在或不在您的管辖范围内', 'en-US': 'Campaign {id} does not exist or is outside your area' },
  CAMPAIGN_PLACE_OUTSIDE: { status: 400, 'zh-CN': '地点“{name}”不在该检测任务的所属地点之下', 'en-US': 'Place "{name}" is not under the place that owns this campaign' },
  ROUND_NOT_FOUND: { status: 404, 'zh-CN': '检测轮次 {id} 不存在', 'en-US': 'Round {id} does not exist' },
  ROUND_NOT_OPEN: { status: 409, 'zh-CN': '该检测任务现在没有进行中的轮次', 'en-US': 'This campaign has no round running now' },
  ROUND_OVERLAP: { status: 409, 'zh-CN': '与第 {number} 轮时间重叠', 'en-US': 'Overlaps round {number}' },
  SITE_NOT_FOUND: { status: 404, 'zh-CN': '采样点 {id} 不存在或不在您的管辖范围内', 'en-US': 'Sampling site {id} does not exist or is outside your area' },
  SITE_NAME_TAKEN: { status: 409, 'zh-CN': '该检测任务已有名为“{name}”的采样点', 'en-US': 'This campaign already has a site named "{name}"' },
  LANE_NOT_FOUND: { status: 404, 'zh-CN': '采样通道 {id} 不存在或不在您的管辖范围内', 'en-US': 'Lane {id} does not exist or is outside your area' },
  PERSON_UNKNOWN: { status: 404, 'zh-CN': '未登记的人员：可现场登记后再采样', 'en-US': 'This person is not registered; register them on the spot, then sample' },
  CODE_REVOKED: {
    status: 410,
    'zh-CN': '此个人码已作废（户卡已挂失换码），请使用新的户卡或身份证',
    'en-US': 'This personal code was revoked (the household card was replaced); use the new card or an ID document',
    'ko-KR': '이 개인 코드는 폐기되었습니다(가구 카드 재발급). 새 카드나 신분증을 사용하세요',
  },
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
  RESULT_TUBE_NOT_RECEIVED: { status: 409, 'zh-CN': '试管 {barcode} 所在转运箱（{box}）尚未被实验室接收，不能出结果', 'en-US': 'Tube {barcode} is in no box a lab received (box: {box}); receive the box first' },
  RESULT_VALUE: { status: 400, 'zh-CN': '结果应为 阴性/阳性/无效（或 negative/positive/invalid）', 'en-US': 'A result is negative, positive or invalid (阴性/阳性/无效)' },
  RESULTS_REJECTED: { status: 400, 'zh-CN': '有 {count} 行未通过校验，整批未写入；请按报告修正后重新上传', 'en-US': '{count} rows were rejected and nothing was written; fix them as the report says and upload again' },
  RESULTS_NOT_RECEIVED: { status: 409, 'zh-CN': '有 {count} 支试管所在的转运箱尚未被实验室接收，整批未写入；请先接收', 'en-US': '{count} tubes are in no box a lab received and nothing was written; receive the boxes first' },
  RESULT_DUPLICATE_IN_FILE: { status: 400, 'zh-CN': '与第 {row} 行是同一试管', 'en-US': 'Same tube as row {row}' },
  EXEMPTION_REASON: { status: 400, 'zh-CN': '免检原因无效', 'en-US': 'Not a valid exemption reason' },
});

declare module '../../platform/errors.js' {
  interface ModuleErrors extends Record<keyof typeof TESTING_ERRORS, true> {}
}
