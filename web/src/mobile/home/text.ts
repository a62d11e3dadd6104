// The resident reads every error in their own language: the portal's codes have Korean (and
// Chinese and English) texts in home.json; anything else shows the server's text (English on a
// Korean page, the body carries zh-CN and en-US).
import type { TFunction } from 'i18next';
import i18n from '../../i18n';
import { ApiError } from '../../api';

/** The seconds a 429 asks to wait, read from the server's text ("… in 42 s"). */
export function retryAfterOf(err: ApiError): number | undefined {
  const m = /(\d+)/.exec(err.messages['en-US'] ?? '');
  return m ? Number(m[1]) : undefined;
}

export function homeErrorText(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    const key = `home.errors.${err.code}`;
    if (i18n.exists(key)) return t(key, { retryAfter: retryAfterOf(err) ?? '' });
    return i18n.language === 'zh-CN' ? err.messages['zh-CN'] : err.messages['en-US'];
  }
  return t('home.errors.unexpected');
}
