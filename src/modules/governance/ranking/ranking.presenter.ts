import type { ScoreRow } from '../scans/scores.js';
import type { IsoWeek } from './iso-week.js';

export type RankingRow = {
  rank: number | null;
  departmentId: string;
  departmentName: string;
  score: number | null;
  resourcesScanned: number;
  checked: number;
  passed: number;
  problems: { opened: number; open: number; overdue: number; closed: number };
  previous: { rank: number | null; score: number | null };
  change: { rank: number | null; score: number | null };
};

export type Ranking = {
  week: string;
  firstDay: string;
  lastDay: string;
  asOf: string;
  previousWeek: string;
  items: RankingRow[];
};

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Ranked departments first (rank, then name), then those without a score (by name). */
export function presentRanking(p: {
  week: IsoWeek;
  previousWeek: IsoWeek;
  asOf: string;
  ids: readonly string[];
  names: ReadonlyMap<string, string>;
  scores: ReadonlyMap<string, ScoreRow>;
  previous: ReadonlyMap<string, ScoreRow>;
  ranks: ReadonlyMap<string, number>;
  previousRanks: ReadonlyMap<string, number>;
  problems: ReadonlyMap<string, RankingRow['problems']>;
  noProblems: () => RankingRow['problems'];
}): Ranking {
  const items = p.ids.map((id): RankingRow => {
    const s = p.scores.get(id);
    const rank = p.ranks.get(id) ?? null;
    const score = s?.score ?? null;
    const previous = { rank: p.previousRanks.get(id) ?? null, score: p.previous.get(id)?.score ?? null };
    return {
      rank,
      departmentId: id,
      departmentName: p.names.get(id) ?? id,
      score,
      resourcesScanned: s?.resources ?? 0,
      checked: s?.checked ?? 0,
      passed: s?.passed ?? 0,
      problems: p.problems.get(id) ?? p.noProblems(),
      previous,
      change: {
        rank: rank !== null && previous.rank !== null ? previous.rank - rank : null,
        score: score !== null && previous.score !== null ? round(score - previous.score) : null,
      },
    };
  });
  items.sort(
    (a, b) =>
      (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
      a.departmentName.localeCompare(b.departmentName, 'zh-Hans-CN') ||
      a.departmentId.localeCompare(b.departmentId),
  );
  return { week: p.week.week, firstDay: p.week.firstDay, lastDay: p.week.lastDay, asOf: p.asOf, previousWeek: p.previousWeek.week, items };
}
