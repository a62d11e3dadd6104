// The codes module's public entry: personal code colours from rules that are data, read from the
// facts at each look (colour.ts), with officers' overrides and residents' appeals. Gates, the
// residents' app and later workflows ask coloursOf / plainColour.
import type { FangkongModule } from '../../platform/module.js';
import type { ColourAnswer } from './colour.js';
import { CODE_ERRORS } from './errors.js';
import { CODE_PERMISSIONS } from './permissions.js';
import { codeRoutes } from './routes.js';

export { colourOf, coloursOf, type ColourAnswer, type Reason } from './colour.js';
export { appealsOf, submitAppeal, type AppellantRef } from './appeals.js';
export { AppealSchema, PlainColourSchema } from './schemas.js';

/** What the person themself reads: the colour, each reason in plain words with its date, and an override's reason. */
export function plainColour(c: ColourAnswer) {
  return {
    colour: c.colour,
    reasons: c.override ? [] : c.reasons.map((r) => ({ colour: r.colour, plain: r.plain, since: r.fact.at })),
    override: c.override ? { colour: c.override.colour, reason: c.override.reason, expiresAt: c.override.expiresAt } : null,
  };
}

export const codesModule: FangkongModule = {
  name: 'codes',
  routes: [codeRoutes],
  placePathTables: ['colour_appeals'],
  errors: CODE_ERRORS,
  permissions: CODE_PERMISSIONS,
};
