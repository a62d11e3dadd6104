// Answer schemas shared by the staff routes and the residents' portal.
import { Type } from 'typebox';
import { Instant, lit, Nullable } from '../../platform/schemas.js';
import { RULE_KEYS } from './rules.js';

export const WordsSchema = Type.Object({
  'zh-CN': Type.String({ minLength: 1, maxLength: 200 }),
  'en-US': Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  'ko-KR': Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
});
export const ColourLit = lit(['green', 'yellow', 'red'] as const);
export const Reason = Type.Object({
  rule: lit(RULE_KEYS),
  version: Type.Integer(),
  colour: lit(['red', 'yellow'] as const),
  name: WordsSchema,
  plain: WordsSchema,
  fact: Type.Object({ at: Instant, detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()])) }),
});
export const OverrideSchema = Type.Object({ id: Type.Integer(), colour: ColourLit, reason: Type.String(), expiresAt: Instant, by: Nullable(Type.String()), at: Instant });
export const ColourSchema = Type.Object({
  residentId: Type.Integer(),
  colour: ColourLit,
  ruled: { ...ColourLit, description: 'the colour the rules give (the same as colour unless overridden)' },
  reasons: Type.Array(Reason),
  override: Nullable(OverrideSchema),
});
export const AppealSchema = Type.Object({
  id: Type.Integer(),
  resident: Type.Object({ id: Type.Integer(), name: Type.String() }),
  colour: Type.String(),
  text: Type.String(),
  at: Instant,
  answeredAt: Nullable(Instant),
  answeredBy: Nullable(Type.String()),
  outcome: Nullable(lit(['changed', 'kept'] as const)),
  answer: Nullable(Type.String()),
});
/** What a resident reads: the colour and each reason in plain words (no rule internals, no staff facts). */
export const PlainColourSchema = Type.Object({
  colour: ColourLit,
  reasons: Type.Array(Type.Object({ colour: lit(['red', 'yellow'] as const), plain: WordsSchema, since: Instant })),
  override: Nullable(Type.Object({ colour: ColourLit, reason: Type.String(), expiresAt: Instant })),
});
