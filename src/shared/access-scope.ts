import type { Actor } from './actor.js';

/**
 * How much of the departments' data a caller may see beyond what is public: 'all' (the
 * platform's administrators, reviewers and auditors), one department (its officers), or 'none'
 * (anonymous callers, officers without a department). Repositories turn it into a WHERE clause;
 * the catalogue uses it for classified entries, collection for jobs and records.
 */
export type AccessScope = 'all' | 'none' | { departmentId: string };

export function scopeOf(actor: Actor | null): AccessScope {
  if (!actor) return 'none';
  if (actor.role === 'OFFICER') return actor.departmentId ? { departmentId: actor.departmentId } : 'none';
  return 'all';
}

/** Whether `scope` covers the data of `departmentId`. */
export function scopeCovers(scope: AccessScope, departmentId: string): boolean {
  return scope === 'all' || (scope !== 'none' && scope.departmentId === departmentId);
}
