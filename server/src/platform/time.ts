// The calendar of the people using the system: China Standard Time (Asia/Shanghai, UTC+8, no
// daylight saving), whatever zone the server's clock runs in.
export const TIME_ZONE = 'Asia/Shanghai';

const day = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Beijing date of an instant, YYYY-MM-DD (for file names and day labels). */
export function shanghaiDate(at: Date = new Date()): string {
  return day.format(at);
}
