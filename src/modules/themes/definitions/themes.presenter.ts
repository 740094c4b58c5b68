import type { Resource } from '../../catalog/index.js';
import type { MemberStateRow } from '../masters/masters.repository.js';
import type { Theme } from './theme-definition.js';

export type ThemeCounts = { masters: number; sources: number; reviewPending: number; conflictsOpen: number };

export function presentMemberState(row: MemberStateRow | undefined) {
  return {
    status: (row?.status ?? 'NEVER') as 'NEVER' | 'QUEUED' | 'RUNNING' | 'IDLE' | 'FAILED',
    syncedAt: row?.synced_at ?? null,
    rowsSeen: Number(row?.rows_seen ?? 0),
    error: row?.error ?? null,
  };
}

/** A theme as GET /api/v1/themes lists it: its members named from the catalogue, their sync state, its counts. */
export function presentThemeSummary(theme: Theme, resources: ReadonlyMap<string, Resource>, states: readonly MemberStateRow[], counts: ThemeCounts) {
  const d = theme.definition;
  return {
    code: d.code,
    name: d.name,
    nameEn: d.nameEn,
    keyKind: d.keyKind,
    version: theme.version,
    attributes: d.attributes,
    members: d.members.map((m) => {
      // A classified resource the caller may not see is listed by id only.
      const r = resources.get(m.resourceId);
      return {
        resourceId: m.resourceId,
        resourceCode: r?.code ?? null,
        resourceName: r?.name ?? null,
        keyItem: m.keyItem,
        priority: m.priority,
        state: presentMemberState(states.find((s) => s.resource_id === m.resourceId)),
      };
    }),
    counts,
  };
}

export type ThemeSummary = ReturnType<typeof presentThemeSummary>;
