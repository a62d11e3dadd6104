// Times are shown in Asia/Shanghai unless the user says otherwise.
import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TIME_ZONE = 'Asia/Shanghai';

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return dayjs(iso).tz(TIME_ZONE).format('YYYY-MM-DD HH:mm:ss');
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
