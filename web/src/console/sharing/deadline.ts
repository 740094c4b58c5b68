// SLA countdowns: the API gives each step's due date (counted in working days by the platform's
// calendar); the UI shows the calendar days left until it, in Shanghai's date.
const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function shanghaiToday(now = new Date()): string {
  return SHANGHAI.format(now);
}

/** Days from `today` to `due` (both YYYY-MM-DD): 0 on the day, negative once past. */
export function daysLeft(due: string, today = shanghaiToday()): number {
  const day = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  return Math.round((day(due) - day(today)) / 86_400_000);
}
