/**
 * Dates as Solr reads them in range queries (`metadata_modified:[2024-01-01T00:00:00Z TO NOW]`):
 * an ISO 8601 instant (UTC when no offset is given; a bare date is its midnight) or `NOW`,
 * followed by date math — `+1DAY`, `-6MONTHS`, `/DAY` (round down). ckanext-dcat and
 * harvesters send these. Returns epoch milliseconds, or null when the text is not such a date.
 */
const UNITS: Record<string, 'ms' | 's' | 'min' | 'h' | 'd' | 'mo' | 'y'> = {
  MILLI: 'ms',
  MILLIS: 'ms',
  MILLISECOND: 'ms',
  MILLISECONDS: 'ms',
  SECOND: 's',
  SECONDS: 's',
  MINUTE: 'min',
  MINUTES: 'min',
  HOUR: 'h',
  HOURS: 'h',
  DAY: 'd',
  DAYS: 'd',
  DATE: 'd',
  MONTH: 'mo',
  MONTHS: 'mo',
  YEAR: 'y',
  YEARS: 'y',
};

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?/;
const MATH = /^(?:([+-])(\d{1,9})([A-Z]+)|\/([A-Z]+))/;

export function parseSolrDate(text: string, now: Date): number | null {
  let rest = text.trim();
  let d: Date;
  if (rest.startsWith('NOW')) {
    d = new Date(now.getTime());
    rest = rest.slice(3);
  } else {
    const m = ISO.exec(rest);
    if (!m) return null;
    const [, y, mo, da, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
    const ms = Number(frac.padEnd(3, '0').slice(0, 3));
    const iso = `${y}-${mo}-${da}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}${zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`;
    const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(da)));
    if (calendar.getUTCMonth() !== Number(mo) - 1 || calendar.getUTCDate() !== Number(da) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
    d = new Date(iso);
    if (Number.isNaN(d.getTime())) return null;
    rest = rest.slice(m[0].length);
  }
  while (rest.length > 0) {
    const m = MATH.exec(rest);
    if (!m) return null;
    const unit = UNITS[m[3] ?? m[4] ?? ''];
    if (!unit) return null;
    if (m[4] !== undefined) roundDown(d, unit);
    else add(d, unit, (m[1] === '-' ? -1 : 1) * Number(m[2]));
    rest = rest.slice(m[0].length);
  }
  return d.getTime();
}

function add(d: Date, unit: string, n: number) {
  switch (unit) {
    case 'y':
      d.setUTCFullYear(d.getUTCFullYear() + n);
      break;
    case 'mo':
      d.setUTCMonth(d.getUTCMonth() + n);
      break;
    default:
      d.setTime(d.getTime() + n * { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'ms']);
  }
}

function roundDown(d: Date, unit: string) {
  const order = ['ms', 's', 'min', 'h', 'd', 'mo', 'y'];
  const level = order.indexOf(unit);
  if (level >= 1) d.setUTCMilliseconds(0);
  if (level >= 2) d.setUTCSeconds(0);
  if (level >= 3) d.setUTCMinutes(0);
  if (level >= 4) d.setUTCHours(0);
  if (level >= 5) d.setUTCDate(1);
  if (level >= 6) d.setUTCMonth(0);
}
