// The server's own facts (GET /api/health): the public address residents open, printed on
// household cards and posters — the server's configuration (PUBLIC_URL), not the address the
// officer's browser happens to use (often localhost on the laptop itself).
import { api, call } from './client';
import type { Answer } from './types';

export type Health = Answer<'/api/health'>;

let pending: Promise<Health> | undefined;

export const system = {
  /** asked once per page load; a failure is asked again next time */
  health: () =>
    (pending ??= call(api.GET('/api/health')).catch((err: unknown) => {
      pending = undefined;
      throw err;
    })),
};

/** `<public address>/self-report`, the page residents open with their personal code. */
export const selfReportUrl = (base: string) => `${base}/self-report`;
