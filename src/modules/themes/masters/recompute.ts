import { newId } from '../../../shared/ids.js';
import { fromJson, toJson, type Db } from '../../../storage/dialect.js';
import type { RecordValue } from '../../collection/index.js';
import type { Theme } from '../definitions/theme-definition.js';
import type { ConflictRow, MasterRow, MastersRepository, TermRow } from './masters.repository.js';
import { ranker, survive, type ConflictCandidate } from './survivorship.js';
import { termsOf } from './terms.js';

export type RecomputeOutcome = { updated: number; deleted: number; conflictsOpened: number; conflictsResolved: number };

/**
 * Survivorship for the masters a change touched, and only those: their crosswalk rows read in
 * one IN list, surviving values and provenance written in multi-row upserts, their lookup terms
 * replaced, conflicts opened, updated or resolved; a master left without a source is removed.
 */
export async function recomputeMasters(db: Db, repo: MastersRepository, theme: Theme, masterIds: Iterable<string>, now: string): Promise<RecomputeOutcome> {
  const ids = [...new Set(masterIds)];
  const out: RecomputeOutcome = { updated: 0, deleted: 0, conflictsOpened: 0, conflictsResolved: 0 };
  if (ids.length === 0) return out;
  const def = theme.definition;
  const rank = ranker(def);
  const [masters, sources, conflicts] = await Promise.all([repo.mastersByIds(db, ids), repo.sourcesOfMasters(db, ids), repo.conflictsOfMasters(db, ids)]);
  const byMaster = new Map<string, typeof sources>();
  for (const s of sources) {
    const list = byMaster.get(s.master_id!) ?? [];
    list.push(s);
    byMaster.set(s.master_id!, list);
  }
  const conflictsOf = new Map<string, Map<string, ConflictRow>>();
  for (const c of conflicts) {
    const m = conflictsOf.get(c.master_id) ?? new Map<string, ConflictRow>();
    m.set(c.attribute, c);
    conflictsOf.set(c.master_id, m);
  }

  const updates: MasterRow[] = [];
  const terms: TermRow[] = [];
  const conflictWrites: ConflictRow[] = [];
  const orphans: string[] = [];
  for (const m of masters) {
    const rows = byMaster.get(m.id) ?? [];
    if (rows.length === 0) {
      orphans.push(m.id);
      continue;
    }
    const s = survive(
      def,
      rank,
      rows.map((r) => ({
        resourceId: r.resource_id,
        sourceKey: r.source_key,
        receivedAt: r.received_at,
        attributes: fromJson<Record<string, RecordValue>>(r.attributes, {}),
      })),
    );
    updates.push({
      ...m,
      attributes: toJson(s.attributes),
      provenance: toJson(s.provenance),
      source_count: rows.length,
      region_code: s.regionCode,
      geometry: s.geometry?.text ?? null,
      min_x: s.geometry?.minX ?? null,
      min_y: s.geometry?.minY ?? null,
      max_x: s.geometry?.maxX ?? null,
      max_y: s.geometry?.maxY ?? null,
      updated_at: now,
    });
    for (const t of termsOf(def, m.master_key, s.attributes)) terms.push({ theme_id: theme.id, term: t.term, value: t.value, master_id: m.id });

    const existing = conflictsOf.get(m.id) ?? new Map<string, ConflictRow>();
    const seen = new Set<string>();
    for (const c of s.conflicts) {
      seen.add(c.attribute);
      const before = existing.get(c.attribute);
      const open = before?.status === 'OPEN';
      if (open && sameCandidates(fromJson<ConflictCandidate[]>(before.candidates, []), c.candidates)) continue;
      if (!open) out.conflictsOpened++;
      conflictWrites.push({
        id: before?.id ?? newId(),
        theme_id: theme.id,
        master_id: m.id,
        attribute: c.attribute,
        candidates: toJson(c.candidates),
        status: 'OPEN',
        opened_at: open ? before.opened_at : now,
        resolved_at: null,
      });
    }
    for (const [attribute, before] of existing) {
      if (seen.has(attribute) || before.status !== 'OPEN') continue;
      out.conflictsResolved++;
      // JSON read back from PostgreSQL is an object again: written as text (pg would send an array as a PostgreSQL array).
      conflictWrites.push({ ...before, candidates: toJson(fromJson(before.candidates, [])), status: 'RESOLVED', resolved_at: now });
    }
  }
  await repo.updateMasters(db, updates);
  await repo.replaceTerms(
    db,
    updates.map((u) => u.id),
    terms,
  );
  await repo.upsertConflicts(db, conflictWrites);
  if (orphans.length) {
    await repo.deleteConflictsOfMasters(db, orphans);
    await repo.deleteMasters(db, orphans);
  }
  out.updated = updates.length;
  out.deleted = orphans.length;
  return out;
}

function sameCandidates(a: readonly ConflictCandidate[], b: readonly ConflictCandidate[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, n) => {
    const y = b[n]!;
    return x.resourceId === y.resourceId && x.sourceKey === y.sourceKey && x.value === y.value && x.receivedAt === y.receivedAt;
  });
}
