/** A hash route split into its path and its query (`#/datasets?q=…&domain=…`). */
export function splitHash(hashPath: string): { path: string; query: URLSearchParams } {
  const at = hashPath.indexOf('?');
  return at < 0 ? { path: hashPath, query: new URLSearchParams() } : { path: hashPath.slice(0, at), query: new URLSearchParams(hashPath.slice(at + 1)) };
}

/** The hash of a search page with these parameters (empty ones left out). */
export function searchHash(params: Record<string, string>): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
  const qs = q.toString();
  return qs ? `#/datasets?${qs}` : '#/datasets';
}
