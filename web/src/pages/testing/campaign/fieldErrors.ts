// Server errors that name an indexed field ('places[0].placeId', 'rounds[1].endsAt') put on
// the Form.List item they mean; plain names as applyFieldError does.
import type { FormInstance } from 'antd';
import { ApiError } from '../../../api';

export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function has(values: unknown, path: (string | number)[]): boolean {
  let v = values;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !(p in (v as object))) return false;
    v = (v as Record<string | number, unknown>)[p];
  }
  return true;
}

/** Returns true if the error was shown on a field of the form. */
export function applyPathError(form: FormInstance, err: unknown, lang: string, fieldMap: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError) || !err.field) return false;
  const path = fieldPath(fieldMap[err.field] ?? err.field);
  // only a field the form has (registered, or a list item that exists)
  if (!has(form.getFieldsValue(), path) && !has(form.getFieldsValue(true), path)) return false;
  form.setFields([{ name: path, errors: [err.text(lang)] }]);
  form.scrollToField(path, { block: 'center' });
  return true;
}
