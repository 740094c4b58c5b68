import { newId } from '../../../shared/ids.js';
import { fromJson, toJson, type Db } from '../../../storage/dialect.js';
import type { RecordValue } from '../../collection/index.js';
import type { Theme } from '../definitions/theme-definition.js';
import type { ConflictRow, MasterRow, MastersRepository, TermRow } from './masters.repository.js';
import { ranker, survive, type ConflictCandidate } from './survivorship.js';
import { readTouched } from './sync-stage.js';
import { termsOf } from './terms.js';

export type RecomputeOutcome = { updated: number; deleted: number; conflictsOpened: number; conflictsResolved: number };

/**
 * Survivorship for the masters a change touched, and only those (ADR 0033): their ids staged in a
 * TEMP table, their masters, crosswalk rows and conflicts read through one join each, surviving
 * values, provenance and conflicts decided in JavaScript (half-width comparison and GeoJSON have
 * no portable SQL form), then written with prepared multi-row upserts; their lookup terms
 * rewritten only for masters whose new terms differ from the stored ones (read in the same join:
 * a member adding attributes no term uses writes none); a master left without a source is removed.
 */
export async function recomputeMasters(db: Db, repo: MastersRepository, theme: Theme, masterIds: Iterable<string>, now: string): Promise<RecomputeOutcome> {
  const ids = [...new Set(masterIds)];
  const out: RecomputeOutcome = { updated: 0, deleted: 0, conflictsOpened: 0, conflictsResolved: 0 };
  if (ids.length === 0) return out;
  const def = theme.definition;
  const rank = ranker(def);
  const { masters, sources, conflicts, terms: stored } = await readTouched(db, ids);
  const storedTerms = new Map<string, { term: string; value: string }[]>();
  for (const t of stored) {
    const list = storedTerms.get(t.master_id) ?? [];
    list.push(t);
    storedTerms.set(t.master_id, list);
  }
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
  /** Masters whose terms are rewritten: their new terms differ from the stored ones. */
  const retermed: string[] = [];
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
    const next = termsOf(def, m.master_key, s.attributes);
    if (!sameTerms(storedTerms.get(m.id) ?? [], next)) {
      retermed.push(m.id);
      for (const t of next) terms.push({ theme_id: theme.id, term: t.term, value: t.value, master_id: m.id });
    }

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
  await repo.replaceTerms(db, retermed, terms);
  await repo.upsertConflicts(db, conflictWrites);
  if (orphans.length) {
    await repo.deleteConflictsOfMasters(db, orphans);
    await repo.deleteMasters(db, orphans);
  }
  out.updated = updates.length;
  out.deleted = orphans.length;
  return out;
}

function sameTerms(a: readonly { term: string; value: string }[], b: readonly { term: string; value: string }[]): boolean {
  const key = (t: { term: string; value: string }) => `${t.term}\u0000${t.value}`;
  const set = new Set(a.map(key));
  const other = new Set(b.map(key));
  return set.size === other.size && [...other].every((k) => set.has(k));
}

function sameCandidates(a: readonly ConflictCandidate[], b: readonly ConflictCandidate[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, n) => {
    const y = b[n]!;
    return x.resourceId === y.resourceId && x.sourceKey === y.sourceKey && x.value === y.value && x.receivedAt === y.receivedAt;
  });
}
