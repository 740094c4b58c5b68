import { decimal, integer } from './helpers.js';
import type { RowContext, ValueFn } from './types.js';

/** Readings and statistics: air, emissions, weather, water, budgets, industry, data sharing. SYNTHETIC. */

/** Month (1–12) of the row's time key, for seasonal values. */
function month(c: RowContext): number {
  const t = c.get('monitor_time') ?? c.get('observe_time') ?? c.get('stat_month');
  return t ? Number(t.length === 6 ? t.slice(4, 6) : t.slice(5, 7)) : 6;
}
const hour = (c: RowContext) => Number((c.get('monitor_time') ?? c.get('observe_time') ?? '2025-01-01 12').slice(11, 13));

/** PM2.5 drives the rest: higher in winter, as in the Yangtze delta. */
function air(c: RowContext) {
  return c.once('air', () => {
    const winter = Math.cos(((month(c) - 1) / 12) * 2 * Math.PI); // 1 in January, -1 in July
    const pm25 = Math.max(3, 32 + 20 * winter + (c.rnd.next() - 0.3) * 40);
    const pm10 = pm25 * (1.3 + c.rnd.next() * 0.6);
    const o3 = Math.max(5, 90 - 45 * winter + (c.rnd.next() - 0.5) * 60);
    const aqi = Math.round(Math.max(pm25 * 1.4, pm10 * 0.8, o3 * 0.6));
    const primary = aqi <= 50 ? '' : pm25 * 1.4 >= Math.max(pm10 * 0.8, o3 * 0.6) ? 'PM2.5' : pm10 * 0.8 >= o3 * 0.6 ? 'PM10' : 'O3';
    const level = aqi <= 50 ? '优' : aqi <= 100 ? '良' : aqi <= 150 ? '轻度污染' : aqi <= 200 ? '中度污染' : '重度污染';
    return { pm25: pm25.toFixed(1), pm10: pm10.toFixed(1), o3: o3.toFixed(1), aqi: String(aqi), primary, level };
  });
}

/** HJ 524-2009 codes with a typical limit (mg/L or mg/m³). */
const POLLUTANTS: Record<string, [string, number][]> = {
  废水: [
    ['w01018', 500],
    ['w21003', 35],
    ['w21011', 8],
  ],
  废气: [
    ['a21026', 50],
    ['a21002', 100],
    ['a34013', 10],
  ],
};
const pollutant = (c: RowContext) => c.once('pollutant', () => c.rnd.pick(POLLUTANTS[c.get('outlet_type') ?? '废水'] ?? POLLUTANTS['废水']!));

function weather(c: RowContext) {
  return c.once('weather', () => {
    const seasonal = 17 - 12 * Math.cos(((month(c) - 1) / 12) * 2 * Math.PI);
    const daily = -3 * Math.cos(((hour(c) - 3) / 24) * 2 * Math.PI);
    const raining = c.rnd.next() < 0.15;
    return { temperature: (seasonal + daily + (c.rnd.next() - 0.5) * 4).toFixed(1), raining };
  });
}

export const MEASURE_VALUES: Record<string, ValueFn> = {
  aqi: (c) => air(c).aqi,
  pm25: (c) => air(c).pm25,
  pm10: (c) => air(c).pm10,
  o3: (c) => air(c).o3,
  no2: (c) => decimal(c.rnd, 8, 60, 1),
  so2: (c) => decimal(c.rnd, 3, 15, 1),
  co: (c) => decimal(c.rnd, 0.3, 1.3),
  primary_pollutant: (c) => air(c).primary,
  quality_level: (c) => air(c).level,

  pollutant_code: (c) => pollutant(c)[0],
  concentration: (c) => {
    const limit = pollutant(c)[1];
    return (limit * (c.rnd.next() < 0.02 ? 1 + c.rnd.next() * 0.5 : 0.05 + c.rnd.next() * 0.8)).toFixed(3);
  },
  standard_limit: (c) => pollutant(c)[1].toFixed(3),

  temperature: (c) => weather(c).temperature,
  precipitation: (c) => (weather(c).raining ? decimal(c.rnd, 0.1, 12, 1) : '0.0'),
  humidity: (c) => (weather(c).raining ? integer(c.rnd, 85, 99) : integer(c.rnd, 45, 90)),
  wind_direction: (c) => integer(c.rnd, 0, 359),
  wind_speed: (c) => decimal(c.rnd, 0, 7, 1),
  visibility: (c) => (weather(c).raining ? integer(c.rnd, 1500, 8000) : integer(c.rnd, 5000, 30000)),
  pressure: (c) => decimal(c.rnd, 1003 + 8 * Math.cos(((month(c) - 1) / 12) * 2 * Math.PI), 1018 + 8 * Math.cos(((month(c) - 1) / 12) * 2 * Math.PI), 1),

  water_level: (c) => (Number(c.attrs['warning_level'] ?? 6) - 0.3 - c.rnd.next() * 2.5).toFixed(3),
  rainfall: (c) => (c.attrs['station_type'] === 'PP' || c.rnd.next() < 0.15 ? (c.rnd.next() < 0.8 ? '0.0' : decimal(c.rnd, 0.5, 20, 1)) : '0.0'),

  rating_grade: (c) => c.rnd.weighted(['绿', '蓝', '黄', '红', '黑'], [25, 55, 14, 5, 1]),
  rating_score: (c) => decimal(c.rnd, 60, 99),
  rating_org: (c) => c.authority().name,

  dibao_households: (c) => c.once('households', () => integer(c.rnd, 50, 600)),
  dibao_persons: (c) => c.once('persons', () => String(Math.round(Number(c.once('households', () => integer(c.rnd, 50, 600))) * (1.3 + c.rnd.next() * 0.5)))),
  tekun_persons: (c) => integer(c.rnd, 5, 80),
  expenditure: (c) => ((Number(c.get('dibao_persons') ?? 100) * (900 + c.rnd.next() * 300)) / 10000).toFixed(2),
  dibao_standard: (c) => {
    const year = Number((c.get('stat_month') ?? '202506').slice(0, 4));
    return (735 + (year - 2015) * 52).toFixed(2);
  },

  budget_amount: (c) => c.once('budget', () => decimal(c.rnd, 10, 5000)),
  final_amount: (c) => (Number(c.once('budget', () => decimal(c.rnd, 10, 5000))) * (0.85 + c.rnd.next() * 0.2)).toFixed(2),
  three_public_costs: (c) => (Number(c.once('budget', () => decimal(c.rnd, 10, 5000))) * c.rnd.next() * 0.03).toFixed(2),

  output_value: (c) => c.once('output', () => integer(c.rnd, 2000, 300000)),
  revenue: (c) => c.once('revenue', () => String(Math.round(Number(c.once('output', () => integer(c.rnd, 2000, 300000))) * (0.9 + c.rnd.next() * 0.2)))),
  profit: (c) => String(Math.round(Number(c.get('revenue') ?? 10000) * (-0.04 + c.rnd.next() * 0.16))),
  employees: (c) => integer(c.rnd, 20, 2000),

  call_count: (c) => integer(c.rnd, 0, 200000),
  success_rate: (c) => decimal(c.rnd, 95, 100),
  avg_latency_ms: (c) => integer(c.rnd, 20, 800),
};
