import type { QualityProfileTable } from '../../../storage/schema.js';
import type { ItemProfile } from './profile.js';

export function presentProfileJob(row: QualityProfileTable) {
  return {
    id: row.id,
    resourceId: row.resource_id,
    status: row.status as 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted',
    progress: { rowsRead: Number(row.rows_read) },
    error: row.error,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** A stored profile, items in the catalogue's order; values (top values, min/max) only when the caller may see them. */
export function presentProfile(
  row: Omit<QualityProfileTable, 'items' | 'rows'> & { rows: number; items: unknown[] },
  /** Item code → name, in the catalogue's order. */
  names: ReadonlyMap<string, string>,
  showValues: boolean,
) {
  const position = new Map([...names.keys()].map((code, i) => [code, i]));
  const order = (code: string) => position.get(code) ?? position.size;
  return {
    id: row.id,
    resourceId: row.resource_id,
    profiledAt: row.started_at ?? row.created_at,
    finishedAt: row.finished_at ?? row.created_at,
    rows: row.rows,
    valuesShown: showValues,
    items: [...(row.items as ItemProfile[])]
      .sort((a, b) => order(a.itemCode) - order(b.itemCode))
      .map((i) => ({
        itemCode: i.itemCode,
        name: names.get(i.itemCode) ?? null,
        dataType: i.dataType,
        rows: i.rows,
        nulls: i.nulls,
        empty: i.empty,
        nullRate: i.nullRate,
        distinct: i.distinct,
        min: showValues ? i.min : null,
        max: showValues ? i.max : null,
        topValues: showValues ? i.topValues : [],
        lengths: i.lengths,
        patterns: i.patterns,
      })),
  };
}
