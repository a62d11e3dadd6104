// An export's file name carries the Beijing date: at 01:30 in Beijing (17:30 UTC the day before)
// the residents export is named for the Beijing day, not UTC's.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { shanghaiDate } from '../src/platform/time.js';
import { ADMIN_PASSWORD, signIn, startTestApp, type Client, type TestApp } from './helpers.js';

let t: TestApp;
let admin: Client;

beforeAll(async () => {
  t = await startTestApp();
  admin = await signIn(t.app, 'admin', ADMIN_PASSWORD);
}, 60_000);
afterAll(async () => {
  vi.useRealTimers();
  await t?.close();
});

describe('export file names', () => {
  it('shanghaiDate: the Beijing day of an instant', () => {
    expect(shanghaiDate(new Date('2026-05-12T17:30:00Z'))).toBe('2026-05-13');
    expect(shanghaiDate(new Date('2026-05-12T15:59:59Z'))).toBe('2026-05-12');
    expect(shanghaiDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('the residents export is named for the Beijing date when UTC is still on the day before', async () => {
    // only Date is faked: timers and the database's own clock run as usual
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-05-12T17:30:00Z') });
    try {
      const res = await admin.get('/api/residents/export.xlsx');
      expect(res.statusCode).toBe(200);
      const disposition = decodeURIComponent(String(res.headers['content-disposition']));
      expect(disposition).toContain('居民台账-2026-05-13.xlsx');
    } finally {
      vi.useRealTimers();
    }
  });
});
