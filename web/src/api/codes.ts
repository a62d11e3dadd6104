// The code colours API, staff side (server/src/modules/codes/routes.ts): a person's colour with
// every rule that fired and the fact behind it, an officer's override (a colour, a reason, hours)
// and its revocation, the appeals of my area and their answers, and the colour rules (each edit a
// new version). Shapes are pieces of the generated schema.d.ts (`npm run api`).
import { api, call } from './client';
import { every, type Answer, type BodyOf } from './types';

export type ResidentColour = Answer<'/api/residents/{id}/colour'>;
export type Colour = ResidentColour['colour'];
export type ColourReason = ResidentColour['reasons'][number];
export type ColourOverride = NonNullable<ResidentColour['override']>;
export type OverrideInput = BodyOf<'/api/residents/{id}/colour-override', 'post'>;
export type ColourAppeal = Answer<'/api/colour-appeals'>['items'][number];
export type AppealAnswer = BodyOf<'/api/colour-appeals/{id}/answer', 'post'>;
export type ColourRule = Answer<'/api/colour-rules'>['items'][number];
export type RuleKey = ColourRule['key'];
export type RuleEdit = BodyOf<'/api/colour-rules/{key}', 'put'>;
export type Words = ColourRule['names'];
export type WordsLanguage = keyof Words;

export const COLOURS = every<Colour>()(['green', 'yellow', 'red']);
export const RULE_COLOURS = every<ColourRule['colour']>()(['red', 'yellow']);
export const WORDS_LANGUAGES = every<WordsLanguage>()(['zh-CN', 'en-US', 'ko-KR']);

/** The bounds the server checks an override's and an answer's hours against (at most 14 days). */
export const OVERRIDE_HOURS = { min: 1, max: 336, default: 24 };

const id = (n: number) => ({ path: { id: n } });

export const codes = {
  colour: (residentId: number) => call(api.GET('/api/residents/{id}/colour', { params: id(residentId) })),
  override: (residentId: number, body: OverrideInput) => call(api.POST('/api/residents/{id}/colour-override', { params: id(residentId), body })),
  revoke: (residentId: number, reason: string) => call(api.POST('/api/residents/{id}/colour-override/revoke', { params: id(residentId), body: { reason } })),
  appeals: (open: boolean) => call(api.GET('/api/colour-appeals', { params: { query: { open } } })),
  answer: (appealId: number, body: AppealAnswer) => call(api.POST('/api/colour-appeals/{id}/answer', { params: id(appealId), body })),
  rules: () => call(api.GET('/api/colour-rules')),
  updateRule: (key: RuleKey, body: RuleEdit) => call(api.PUT('/api/colour-rules/{key}', { params: { path: { key } }, body })),
};

/** Words in the language asked for, else the Chinese ones (always there). */
export function wordsIn(w: Words, lang: string): string {
  return (lang === 'en-US' || lang === 'ko-KR' ? w[lang] : undefined) || w['zh-CN'];
}
