import type { Writable } from 'node:stream';
import { AppError } from '../../../errors.js';
import { scopeOf, type AccessScope } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { CatalogReader } from '../../catalog/index.js';
import { toIsoDate } from '../calendar/working-days.js';
import { ACTIVE_PROBLEM_STATES } from '../problems/problem-states.js';
import { scoredResult, scoreRows, type ScoreRow } from '../scans/scores.js';
import { parseWeek, previousWeek, weekOf, type IsoWeek } from './iso-week.js';
import { presentRanking, type Ranking, type RankingRow } from './ranking.presenter.js';
import { createRankingRepository } from './ranking.repository.js';
import { writeRankingWorkbook } from './ranking-workbook.js';

const ACTIVE = new Set<string>(ACTIVE_PROBLEM_STATES);
type ProblemCounts = RankingRow['problems'];
const noProblems = (): ProblemCounts => ({ opened: 0, open: 0, overdue: 0, closed: 0 });

/** Competition ranking (1, 2, 2, 4) by score, highest first; departments without a score are not ranked. */
export function rankByScore(scores: ReadonlyMap<string, number | null>): Map<string, number> {
  const scored = [...scores].filter((e): e is [string, number] => e[1] !== null).sort((a, b) => b[1] - a[1]);
  const ranks = new Map<string, number>();
  scored.forEach(([id, score], i) => ranks.set(id, i > 0 && score === scored[i - 1]![1] ? ranks.get(scored[i - 1]![0])! : i + 1));
  return ranks;
}

/**
 * The weekly department ranking 一周一通报 (DOMAIN.md §5): departments by quality score over their
 * resources' latest scan results at the end of the week (scores.ts, ADR 0014), with the problems
 * opened, still open, overdue and closed that week, and the change from the week before. For the
 * current week "the end" is now. Figures cover the resources the caller may see, as the scores do.
 */
export function createRankingService(deps: { db: Db; clock: Clock; catalog: CatalogReader }) {
  const { db, clock, catalog } = deps;
  const repo = createRankingRepository();

  async function departmentScores(scope: AccessScope, end: string): Promise<Map<string, ScoreRow>> {
    const latest = await repo.latestResultsBefore(db, end);
    const resources = new Map((await catalog.resources([...new Set(latest.map((r) => r.resource_id))], scope)).map((r) => [r.id, r]));
    const scored = latest.flatMap((r) => scoredResult(r, resources));
    return new Map(scoreRows(scored, 'department').map((s) => [s.key, s]));
  }

  async function problemCounts(scope: AccessScope, week: IsoWeek, asOfDay: string): Promise<Map<string, ProblemCounts>> {
    const [states, closed] = await Promise.all([repo.statesAt(db, scope, week.end), repo.closedBetween(db, week.start, week.end)]);
    const out = new Map<string, ProblemCounts>();
    for (const p of states) {
      const c = out.get(p.department_id) ?? out.set(p.department_id, noProblems()).get(p.department_id)!;
      if (p.opened_at >= week.start) c.opened += 1;
      if (ACTIVE.has(p.status)) {
        c.open += 1;
        // Overdue as the problems list counts it: past the deadline on the day the figures stand at.
        if (p.deadline < asOfDay) c.overdue += 1;
      }
      if (closed.has(p.id)) c.closed += 1;
    }
    return out;
  }

  async function ranking(actor: Actor | null, weekText?: string): Promise<Ranking> {
    const now = clock.now();
    const week = weekText === undefined ? weekOf(now) : parseWeek(weekText);
    if (!week)
      throw new AppError('VALIDATION_FAILED', `'${weekText}' is not an ISO week (YYYY-Www, e.g. 2026-W48)`, {
        errors: [{ path: 'query.week', code: 'invalid_value', message: 'no such ISO week' }],
      });
    const scope = scopeOf(actor);
    const before = previousWeek(week);
    // A week not over yet stands at now.
    const asOf = now.toISOString() < week.end ? now.toISOString() : week.end;
    const asOfDay = asOf === week.end ? week.lastDay : toIsoDate(now);
    const [scores, previous, problems] = await Promise.all([
      departmentScores(scope, asOf),
      departmentScores(scope, before.end),
      problemCounts(scope, week, asOfDay),
    ]);
    const ids = [...new Set([...scores.keys(), ...problems.keys()])];
    const names = await repo.departmentNames(db, ids);
    const ranks = rankByScore(new Map(ids.map((id) => [id, scores.get(id)?.score ?? null])));
    const previousRanks = rankByScore(new Map([...previous].map(([id, s]) => [id, s.score])));
    return presentRanking({ week, previousWeek: before, asOf, ids, names, scores, previous, previousRanks, ranks, problems, noProblems });
  }

  return {
    ranking,

    /** A ranking as an XLSX workbook (一周一通报), streamed to `out`; read the ranking first, so a bad week is a 400, not a cut download. */
    writeWorkbook: (r: Ranking, out: Writable) => writeRankingWorkbook(out, r, { created: clock.now() }),
  };
}

export type RankingService = ReturnType<typeof createRankingService>;
