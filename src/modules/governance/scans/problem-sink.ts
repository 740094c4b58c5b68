/** One rule's outcome in a scan, as handed to the problems workflow. */
export type ScanResultForProblems = {
  ruleId: string;
  resourceId: string;
  itemCode: string | null;
  kind: string;
  dimension: string;
  severity: string;
  checked: number;
  passed: number;
  failed: number;
  /** A capped sample of failing record keys. */
  sample: string[];
};

/**
 * Where a finished scan's results go (the problems service implements it): one problem per failing
 * (rule, resource), re-checked ones closed. Called once per scanned resource after its results are stored.
 */
export type ProblemSink = {
  syncFromResults(scanId: string, resourceId: string, results: readonly ScanResultForProblems[]): Promise<void>;
};
