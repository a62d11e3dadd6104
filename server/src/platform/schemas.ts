// Shared TypeBox pieces for routes.
import { Type } from 'typebox';

export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 100, description: 'opaque cursor from the previous page' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
};
