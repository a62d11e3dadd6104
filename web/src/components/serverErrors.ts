// Puts a server error on the form field it names (error.field → Form.Item error).
import type { FormInstance } from 'antd';
import { ApiError } from '../api';

/** Returns true if the error was shown on a field of the form. */
export function applyFieldError(form: FormInstance, err: unknown, lang: string, fieldMap: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const name = fieldMap[err.field] ?? err.field;
  if (form.getFieldInstance(name) === undefined && !Object.prototype.hasOwnProperty.call(form.getFieldsValue(true), name)) return false;
  form.setFields([{ name, errors: [err.text(lang)] }]);
  form.scrollToField(name, { block: 'center' });
  return true;
}
