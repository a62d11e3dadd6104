// The outbox: the development SMS page (what would have been sent by SMS with no SMS centre configured).
import { api, call } from './client';
import type { Answer } from './types';

export type DevSms = Answer<'/api/dev-sms'>['items'][number];

export const outbox = {
  devSms: (to: string | undefined, page: number, limit = 50) => call(api.GET('/api/dev-sms', { params: { query: { to, page, limit } } })),
};
