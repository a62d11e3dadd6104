// i18next with the two console languages. Chinese first; the choice is remembered in
// localStorage before sign-in and on the user (PATCH /api/auth/me) after.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import 'dayjs/locale/ko';
import zhCN from './zh-CN.json';
import enUS from './en-US.json';
import { setApiLocale, type Locale, type Messages } from '../api/client';

export const LOCALES: Locale[] = ['zh-CN', 'en-US'];
const STORAGE_KEY = 'fk.locale';

/** The language chosen in this browser (on the sign-in page, or the last one used here), if any. */
export function chosenLocale(): Locale | undefined {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'zh-CN' || v === 'en-US') return v;
  } catch {
    /* storage may be unavailable */
  }
  return undefined;
}

export function storedLocale(): Locale {
  return chosenLocale() ?? 'zh-CN';
}

export function rememberLocale(l: Locale) {
  try {
    localStorage.setItem(STORAGE_KEY, l);
  } catch {
    /* ignore */
  }
}

/** The residents' pages (mobile/home) also speak Korean: their texts only (modules/home.json), the rest falls back to English. */
export type ResidentLocale = Locale | 'ko-KR';
export const RESIDENT_LOCALES: ResidentLocale[] = ['zh-CN', 'en-US', 'ko-KR'];

function applySideEffects(l: ResidentLocale) {
  // the server's error bodies carry zh-CN and en-US: a Korean page asks in English and shows its own Korean by the code
  setApiLocale(l === 'ko-KR' ? 'en-US' : l);
  dayjs.locale(l === 'zh-CN' ? 'zh-cn' : l === 'ko-KR' ? 'ko' : 'en');
  document.documentElement.lang = l;
}

// Each workflow module keeps its texts in modules/<module>.json as { "zh-CN": {…}, "en-US": {…} },
// merged under its own top-level key, so modules can grow without touching one shared file.
type ModuleTexts = Record<Locale, Record<string, unknown>>;
const moduleFiles = import.meta.glob<ModuleTexts>('./modules/*.json', { eager: true, import: 'default' });
const moduleTexts = (l: Locale) =>
  Object.fromEntries(Object.entries(moduleFiles).map(([file, texts]) => [file.replace(/^.*\/(.+)\.json$/, '$1'), texts[l]]));

// the residents' texts: zh-CN and en-US like every module, plus ko-KR
const homeTexts = moduleFiles['./modules/home.json'] as unknown as Record<ResidentLocale, Record<string, unknown>>;

const initial = storedLocale();
void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: { ...zhCN, ...moduleTexts('zh-CN') } },
    'en-US': { translation: { ...enUS, ...moduleTexts('en-US') } },
    'ko-KR': { translation: { home: homeTexts['ko-KR'] } },
  },
  lng: initial,
  fallbackLng: { 'ko-KR': ['en-US'], default: ['zh-CN'] },
  interpolation: { escapeValue: false },
  returnNull: false,
});
applySideEffects(initial);
i18n.on('languageChanged', (l) => applySideEffects(l === 'en-US' || l === 'ko-KR' ? l : 'zh-CN'));

export function currentLocale(): Locale {
  return i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
}

/** Picks the text for the current language out of the one bilingual shape, { 'zh-CN', 'en-US' } (the API's Messages). */
export function pick(m: Messages | null | undefined): string {
  if (!m) return '';
  return m[currentLocale()] ?? '';
}

export default i18n;
