// Puts a server error on the form field it names (error.field → Form.Item error).
import type { FormInstance } from 'antd';
import { ApiError } from '../api';
import { errorText } from './useErrorMessage';

/** Returns true if the error was shown on a field of the form. */
export function applyFieldError(form: FormInstance, err: unknown, lang: string, fieldMap: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const name = fieldMap[err.field] ?? err.field;
  if (form.getFieldInstance(name) === undefined && !Object.prototype.hasOwnProperty.call(form.getFieldsValue(true), name)) return false;
  form.setFields([{ name, errors: [err.text(lang)] }]);
  form.scrollToField(name, { block: 'center' });
  return true;
}

/**
 * After a failed submit, what the form shows above its fields: nothing when the error went on
 * the field it names or the session ended (the sign-in page says so); else the server's message,
 * or `fallback` for an error that is not the server's.
 */
export function formErrorText(form: FormInstance, err: unknown, lang: string, fallback: string, fieldMap: Record<string, string> = {}): string | undefined {
  if (applyFieldError(form, err, lang, fieldMap)) return undefined;
  if (err instanceof ApiError && err.sessionLost) return undefined;
  return errorText(err, lang, fallback);
}
