import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type Series = { name: string; values: (number | null)[] };

/**
 * A bar chart (or a pie for one series with `pie`) with its figures also written as a table
 * under it: readable without the canvas, and what the browser test compares with the API.
 */
export function Chart(props: {
  id: string;
  title: string;
  categories: string[];
  series: Series[];
  pie?: boolean;
  format?: (n: number | null) => string;
  max?: number;
  /** The caption of the figures' table (a message of the catalogue). */
  tableLabel: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { categories, series, pie, max, tableLabel } = props;
  const horizontal = categories.length > 8;
  const format = props.format ?? ((n: number | null) => (n === null ? '—' : n.toLocaleString()));
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const option: echarts.EChartsCoreOption = pie
      ? {
          tooltip: { trigger: 'item' },
          series: [{ type: 'pie', radius: ['35%', '65%'], data: categories.map((name, i) => ({ name, value: series[0]?.values[i] ?? 0 })) }],
        }
      : {
          tooltip: { trigger: 'axis' },
          legend: series.length > 1 ? { top: 0 } : undefined,
          grid: { left: 8, right: 16, top: series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
          // Many categories (departments) read better as horizontal bars, one row each.
          [horizontal ? 'yAxis' : 'xAxis']: { type: 'category', data: categories, inverse: horizontal, axisLabel: { interval: 0, rotate: 0 } },
          [horizontal ? 'xAxis' : 'yAxis']: { type: 'value', max },
          series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values })),
        };
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [categories, series, pie, max, horizontal]);
  return (
    <figure className="chart" data-testid={`chart-${props.id}`}>
      <figcaption>{props.title}</figcaption>
      <div ref={ref} className="chart-canvas" style={horizontal ? { height: 40 + categories.length * 22 } : undefined} />
      <details className="table-wrap" open={categories.length <= 8}>
        <summary className="muted small">{tableLabel}</summary>
        <table className="chart-table">
          <thead>
            <tr>
              <th />
              {series.map((s) => (
                <th key={s.name}>{s.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {categories.map((c, i) => (
              <tr key={c}>
                <th>{c}</th>
                {series.map((s) => (
                  <td key={s.name} data-value={s.values[i] ?? ''}>
                    {format(s.values[i] ?? null)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export function Figure({ id, label, value, raw }: { id: string; label: string; value: string; raw: number | null }) {
  return (
    <div className="figure" data-testid={`figure-${id}`} data-value={raw ?? ''}>
      <div className="figure-value">{value}</div>
      <div className="figure-label">{label}</div>
    </div>
  );
}
