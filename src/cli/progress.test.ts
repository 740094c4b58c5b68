import { describe, expect, it } from 'vitest';
import { createProgress, fitToWidth } from './progress.js';

function sink(isTTY: boolean, columns = 60) {
  const chunks: string[] = [];
  return { stream: { isTTY, columns, write: (s: string) => chunks.push(s) > 0 }, text: () => chunks.join('') };
}

describe('progress', () => {
  it('prints throttled lines, and always the first and the last, when stderr is not a terminal', () => {
    const out = sink(false);
    let t = 0;
    const p = createProgress('Loading', { stream: out.stream, intervalMs: 1000, now: () => t });
    for (let i = 1; i <= 10; i++) {
      t += 300;
      p.update(i, 10, `step ${i}`);
    }
    p.finish('done');
    const lines = out.text().trim().split('\n');
    expect(lines[0]).toBe('Loading: 1/10 (10%) step 1');
    expect(lines).toContain('Loading: 10/10 (100%) step 10');
    expect(lines.length).toBeLessThan(10);
    expect(lines.at(-1)).toBe('done');
    expect(out.text()).not.toContain('\r');
  });

  it('redraws one bar in place on a terminal and ends the line when finished', () => {
    const out = sink(true);
    const p = createProgress('Import', { stream: out.stream, intervalMs: 0, now: () => 0 });
    p.update(5, 10, 'resources stored');
    p.finish();
    const text = out.text();
    expect(text.startsWith('\rImport ████████████░░░░░░░░░░░░  50% 5/10 resources stored')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(2);
  });

  it('shows a bare count when the total is unknown', () => {
    const out = sink(false);
    const p = createProgress('Reading', { stream: out.stream, now: () => 0 });
    p.update(1200, undefined, 'rows read');
    p.finish();
    expect(out.text()).toBe('Reading: 1200 rows read\n');
  });

  it('cuts a line to the terminal width, counting Chinese characters as two columns', () => {
    expect(fitToWidth('abc', 10)).toBe('abc');
    expect(fitToWidth('绍兴市市场监督管理局', 9)).toBe('绍兴市市…');
  });
});
