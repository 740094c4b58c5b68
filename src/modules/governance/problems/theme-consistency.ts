import type { ProblemSink } from '../scans/problem-sink.js';

/** One member resource of a theme after a sync: its records that joined a master, and those on which another source disagrees. */
export type ThemeConsistencyResult = {
  themeCode: string;
  resourceId: string;
  checked: number;
  failed: number;
  /** A capped sample of the member's record keys (recordKeyText) in an open conflict. */
  sample: string[];
};

/** Where a theme sync's conflicts go (injected into themes by deps.ts): consistency problems 一致性 of the provider department. */
export type ThemeConsistencySink = (syncId: string, results: readonly ThemeConsistencyResult[]) => Promise<void>;

/** The system rule a theme's conflicts are problems of: one per (theme, member resource), like a scan's rule per resource. */
export const themeConsistencyRuleId = (themeCode: string) => `theme:${themeCode}`;

/**
 * Conflicts between a theme's member sources (DOMAIN.md §8) as governance problems, through the
 * problems workflow's own syncFromResults: a member with conflicts opens (or updates) a problem of
 * dimension consistency; a member whose sources agree again re-checks and closes it.
 */
export function createThemeConsistencySink(problems: ProblemSink): ThemeConsistencySink {
  return async (syncId, results) => {
    for (const r of results) {
      await problems.syncFromResults(syncId, r.resourceId, [
        {
          ruleId: themeConsistencyRuleId(r.themeCode),
          resourceId: r.resourceId,
          itemCode: null,
          kind: 'consistency',
          dimension: 'consistency',
          severity: 'medium',
          checked: r.checked,
          passed: r.checked - r.failed,
          failed: r.failed,
          sample: r.sample,
        },
      ]);
    }
  };
}
