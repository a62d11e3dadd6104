// Times of the campaign screens, always in Asia/Shanghai whatever the browser's zone: short
// forms for dense tables, and the bridge between Ant Design pickers (browser-local dayjs)
// and Shanghai wall-clock time.
import type { Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import { dayjs, formatClock, formatTime, TIME_ZONE } from '../../../utils/time';

const sh = (iso: string) => dayjs(iso).tz(TIME_ZONE);

/** 14:30 */
export function hm(iso: string | null | undefined): string {
  return formatClock(iso);
}

/** 05-12 14:30 */
export function mdhm(iso: string | null | undefined): string {
  return iso ? sh(iso).format('MM-DD HH:mm') : '—';
}

/** 2026-05-12 14:30 */
export function ymdhm(iso: string | null | undefined): string {
  return formatTime(iso);
}

/** The Shanghai day of an instant, YYYY-MM-DD. */
export function shDay(iso: string): string {
  return sh(iso).format('YYYY-MM-DD');
}

/** A window: the end without its date when it falls on the same day. */
export function span(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return `${ymdhm(from)} – ${ymdhm(to)}`;
  return shDay(from) === shDay(to) ? `${ymdhm(from)} – ${hm(to)}` : `${ymdhm(from)} – ${ymdhm(to)}`;
}

/** Like span, shorter: the year left out. */
export function shortSpan(from: string, to: string): string {
  return shDay(from) === shDay(to) ? `${mdhm(from)}–${hm(to)}` : `${mdhm(from)}–${mdhm(to)}`;
}

/** An instant as a picker value showing its Shanghai wall-clock time. */
export function toPicker(iso: string | number | Date): Dayjs {
  return dayjs(dayjs(iso).tz(TIME_ZONE).format('YYYY-MM-DDTHH:mm:ss'));
}

/** A picker value (Shanghai wall-clock time) as an instant. */
export function fromPicker(d: Dayjs): string {
  return dayjs.tz(d.format('YYYY-MM-DDTHH:mm:ss'), TIME_ZONE).toISOString();
}

/** 'HH:MM' ↔ a TimePicker value. */
export function fromHhmm(v: string | undefined): Dayjs | undefined {
  return v ? dayjs(`2000-01-01T${v}:00`) : undefined;
}
export function toHhmm(d: Dayjs | null | undefined): string | undefined {
  return d ? d.format('HH:mm') : undefined;
}

/** Shanghai day-long rounds over a window, as the server cuts them (UTC+8, no DST). */
export function dailyRoundCount(startsAt: number, endsAt: number): number {
  const DAY = 86_400_000;
  const OFFSET = 8 * 3_600_000;
  let n = 0;
  let start = startsAt;
  while (start < endsAt && n < 60) {
    const next = Math.floor((start + OFFSET) / DAY + 1) * DAY - OFFSET;
    start = Math.min(next, endsAt);
    n++;
  }
  return n;
}

/** "1 h 20 min" in the user's words. */
export function duration(seconds: number, t: TFunction): string {
  if (seconds < 60) return t('testing.units.seconds', { n: Math.round(seconds) });
  const m = Math.round(seconds / 60);
  if (m < 60) return t('testing.units.minutes', { n: m });
  return t('testing.units.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 });
}
