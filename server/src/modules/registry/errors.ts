// Error codes of this module (the registry), declared once; AppError finds them by code.
import { defineErrors } from '../../platform/errors.js';

/** The registry: places, households, residents, imports. */
export const REGISTRY_ERRORS = defineErrors('registry', {
  PLACE_BAD_PARENT: { status: 400, 'zh-CN': '“{kind}”不能建在“{parentKind}”之下', 'en-US': 'A {kind} cannot be placed under a {parentKind}' },
  PLACE_NAME_TAKEN: { status: 409, 'zh-CN': '同一上级下已有名为“{name}”的地点', 'en-US': 'A place named "{name}" already exists under this parent' },
  PLACE_MOVE_CYCLE: { status: 400, 'zh-CN': '不能把地点移动到它自己的下级', 'en-US': 'A place cannot be moved under itself' },
  PLACE_NOT_EMPTY: { status: 409, 'zh-CN': '该地点下仍有 {count} 名居民，不能归档', 'en-US': 'This place still has {count} residents and cannot be archived' },
  HOUSEHOLD_PLACE_KIND: { status: 400, 'zh-CN': '住户必须属于单元或楼栋', 'en-US': 'A household must belong to a unit or a building' },
  HOUSEHOLD_NOT_FOUND: { status: 404, 'zh-CN': '住户 {id} 不存在或不在您的管辖范围内', 'en-US': 'Household {id} does not exist or is outside your area' },
  HOUSEHOLD_EXISTS: { status: 409, 'zh-CN': '该单元已有房号 {room}', 'en-US': 'Room {room} already exists in this unit' },
  RESIDENT_NOT_FOUND: { status: 404, 'zh-CN': '居民 {id} 不存在或不在您的管辖范围内', 'en-US': 'Resident {id} does not exist or is outside your area' },
  RESIDENT_DUPLICATE_ID: { status: 409, 'zh-CN': '该证件号码已登记', 'en-US': 'A resident with this ID number is already registered' },
  RESIDENT_DUE_DATE: { status: 400, 'zh-CN': '孕妇须填写预产期', 'en-US': 'A pregnant resident needs a due date' },
  IMPORT_FILE_TYPE: { status: 400, 'zh-CN': '只支持 CSV 或 XLSX 文件', 'en-US': 'Only CSV or XLSX files are supported' },
  IMPORT_NO_FILE: { status: 400, 'zh-CN': '请上传文件', 'en-US': 'Please upload a file' },
  IMPORT_NOT_FOUND: { status: 404, 'zh-CN': '导入任务 {id} 不存在', 'en-US': 'Import job {id} does not exist' },
  IMPORT_NOT_READY: { status: 409, 'zh-CN': '导入任务当前状态为“{status}”，不能提交', 'en-US': 'The import job is "{status}" and cannot be committed' },
  IMPORT_HAS_ERRORS: { status: 409, 'zh-CN': '文件有 {count} 行错误，请修正后重新上传', 'en-US': 'The file has {count} rejected rows; fix them and upload again' },
  IMPORT_MISSING_COLUMN: { status: 400, 'zh-CN': '文件缺少必需的列“{column}”', 'en-US': 'The file lacks the required column "{column}"' },
  IMPORT_UNKNOWN_PLACE: { status: 400, 'zh-CN': '地点“{name}”不存在', 'en-US': 'Place "{name}" does not exist' },
  IMPORT_DUPLICATE_IN_FILE: { status: 400, 'zh-CN': '与第 {row} 行证件号码重复', 'en-US': 'Same ID number as row {row}' },
  IMPORT_DAMAGED: { status: 400, 'zh-CN': '文件无法解析：不是完整的 XLSX 工作簿（压缩包已损坏）', 'en-US': 'The file cannot be parsed: it is not a whole XLSX workbook (the zip is damaged)' },
  IMPORT_TOO_LARGE: { status: 413, 'zh-CN': '工作簿中的“{part}”解压后超过 {limit}', 'en-US': 'The workbook part "{part}" expands to more than {limit}' },
  IMPORT_TOO_MANY_ROWS: { status: 413, 'zh-CN': '文件超过 {limit} 行（第 {row} 行）', 'en-US': 'The file has more than {limit} rows (row {row})' },
  IMPORT_TOO_MANY_COLUMNS: { status: 422, 'zh-CN': '第 {row} 行有 {count} 列，最多 {limit} 列', 'en-US': 'Row {row} has {count} columns; at most {limit} are allowed' },
  IMPORT_CELL_TOO_LONG: { status: 422, 'zh-CN': '第 {row} 行第 {column} 列超过 {limit} 个字符', 'en-US': 'Row {row}, column {column} is longer than {limit} characters' },
  IMPORT_ROW_TOO_LONG: { status: 422, 'zh-CN': '第 {row} 行超过 {limit} 个字符', 'en-US': 'Row {row} is longer than {limit} characters' },
  IMPORT_CELL_TOO_LONG_IN: { status: 422, 'zh-CN': '工作簿中的“{part}”有一段文字超过 {limit} 个字符', 'en-US': 'The workbook part "{part}" holds a text longer than {limit} characters' },
  IMPORT_ROW_TOO_LONG_IN: { status: 422, 'zh-CN': '工作簿中的“{part}”有一行超过 {limit}', 'en-US': 'The workbook part "{part}" holds a row larger than {limit}' },
});

declare module '../../platform/errors.js' {
  interface ModuleErrors extends Record<keyof typeof REGISTRY_ERRORS, true> {}
}
