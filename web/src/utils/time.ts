// Times are shown in Asia/Shanghai unless the user says otherwise.
import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TIME_ZONE = 'Asia/Shanghai';

// The console's one way to write a time: to the minute, in Shanghai, everywhere (tables, cards,
// the campaign screens). Seconds only where they tell things apart (an audit record's tooltip).
export const TIME_FORMAT = 'YYYY-MM-DD HH:mm';
export const CLOCK_FORMAT = 'HH:mm';

/** 2026-05-12 14:30 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return dayjs(iso).tz(TIME_ZONE).format(TIME_FORMAT);
}

/** 14:30 */
export function formatClock(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  return dayjs(iso).tz(TIME_ZONE).format(CLOCK_FORMAT);
}

/** 2026-05-12 14:30:05, for the one place a second matters (which of two records came first) */
export function formatTimeExact(iso: string | null | undefined): string {
  if (!iso) return '—';
  return dayjs(iso).tz(TIME_ZONE).format(`${TIME_FORMAT}:ss`);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.length === 10 ? iso : dayjs(iso).tz(TIME_ZONE).format('YYYY-MM-DD');
}

/** A picked day (in Shanghai) as the instant its day starts or ends, for API filters. */
export function dayStart(d: Dayjs): string {
  return dayjs.tz(d.format('YYYY-MM-DD'), TIME_ZONE).startOf('day').toISOString();
}
export function dayEnd(d: Dayjs): string {
  return dayjs.tz(d.format('YYYY-MM-DD'), TIME_ZONE).endOf('day').toISOString();
}

export { dayjs };
