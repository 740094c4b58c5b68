import { newId } from '../../../shared/ids.js';
import { fromJson, toJson, type Db } from '../../../storage/dialect.js';
import { recordKeyText, type RecordEntry, type RecordReader, type RecordValue, type ReadRecord } from '../../collection/index.js';
import type { MatchTier, NormalisedKey } from '../contracts.js';
import type { Theme } from '../definitions/theme-definition.js';
import { normaliseKey } from '../keys/normalise-key.js';
import { createMastersRepository, type MasterRow, type SourceRow } from './masters.repository.js';
import { recomputeMasters } from './recompute.js';
import { foldStaged, type StagedRecord } from './sync-stage.js';
import type { ConflictCandidate } from './survivorship.js';
import { comboTerm, comboValue, ORG_CODE_TERM, termsOf } from './terms.js';

/** What one sync does: fold one member resource into its theme (or, with no member, only retry the review queue). */
export type SyncPlan = {
  syncId: string;
  theme: Theme;
  /** The member resource as the record reader needs it; null: no member pass, only the review queue's retry. */
  entry: RecordEntry | null;
  /** Rewrite every crosswalk row and recompute every master it touches (after a definition changed). */
  force: boolean;
  /** Resources no longer members of the theme: their crosswalk rows go (and masters left without a source). */
  drop: string[];
  now: string;
};

export type MemberConsistency = { resourceId: string; checked: number; failed: number; sample: string[] };

export type SyncOutput = {
  rowsSeen: number;
  /** Crosswalk rows written (new or changed), removed (their record is gone), and review rows matched on retry. */
  written: number;
  removed: number;
  retried: number;
  mastersCreated: number;
  conflictsOpened: number;
  conflictsResolved: number;
  /** Per member resource of the theme: checked = sources in a master, failed = those in an open conflict (governance's consistency problem). */
  consistency: MemberConsistency[];
  ms: number;
};

export type SyncProgress = { rowsSeen: number };

/** Rows per transaction: large enough for few round trips, small enough to keep a transaction short. */
export const SYNC_CHUNK = 5000;
const SAMPLE = 20;

type Candidate = {
  sourceKey: string;
  rawKey: string | null;
  key: NormalisedKey;
  attributes: Record<string, RecordValue>;
  receivedAt: string;
  before: SourceRow | undefined;
};

/**
 * The master-data mechanism for one theme member (issue 13): stream the member's records through
 * collection's record reader a chunk at a time; per chunk, in one transaction, normalise keys,
 * match (KEY / LEGACY → the master with that key, created when new; BRIDGE → the USCC master
 * whose organisation-code term it is; no valid key → a unique hit on one of the theme's attribute
 * combinations; else UNMATCHED, PENDING review), upsert the crosswalk and recompute survivorship
 * for the masters touched. Then remove crosswalk rows whose record is gone, retry the theme's
 * PENDING rows (a later member may make them matchable) and count conflicts per member.
 * Runs in a pool worker, or inline for a private in-memory database.
 */
export async function runSync(db: Db, records: RecordReader, plan: SyncPlan, onProgress: (p: SyncProgress) => void = () => undefined): Promise<SyncOutput> {
  const started = Date.now();
  const repo = createMastersRepository();
  const { theme } = plan;
  const def = theme.definition;
  const out: SyncOutput = {
    rowsSeen: 0,
    written: 0,
    removed: 0,
    retried: 0,
    mastersCreated: 0,
    conflictsOpened: 0,
    conflictsResolved: 0,
    consistency: [],
    ms: 0,
  };
  const tally = (r: { conflictsOpened: number; conflictsResolved: number }) => {
    out.conflictsOpened += r.conflictsOpened;
    out.conflictsResolved += r.conflictsResolved;
  };

  /** Masters for valid keys: found with one IN list, the missing ones created (and given their organisation-code term at once, so BRIDGE rows of the same chunk find them). */
  async function mastersFor(trx: Db, keys: string[]): Promise<Map<string, string>> {
    const found = new Map((await repo.mastersByKeys(trx, theme.id, keys)).map((m) => [m.master_key, m.id]));
    const missing = keys.filter((k) => !found.has(k));
    if (missing.length === 0) return found;
    const rows: MasterRow[] = missing.map((k) => ({
      id: newId(),
      theme_id: theme.id,
      master_key: k,
      attributes: '{}',
      provenance: '{}',
      source_count: 0,
      region_code: null,
      geometry: null,
      min_x: null,
      min_y: null,
      max_x: null,
      max_y: null,
      created_at: plan.now,
      updated_at: plan.now,
    }));
    await repo.insertMasters(trx, rows);
    // Another sync may have created some meanwhile: read back what exists now.
    const created = await repo.mastersByKeys(trx, theme.id, missing);
    const mine = new Set(rows.map((r) => r.id));
    for (const m of created) {
      found.set(m.master_key, m.id);
      if (mine.has(m.id)) out.mastersCreated++;
    }
    await writeKeyTerms(trx, created);
    return found;
  }

  /** New masters' terms that come from their key alone (a USCC's organisation code), so BRIDGE rows of the same chunk find them. */
  async function writeKeyTerms(trx: Db, created: readonly { id: string; master_key: string }[]) {
    if (created.length === 0) return;
    await repo.replaceTerms(
      trx,
      [],
      created.flatMap((m) =>
        termsOf({ ...def, attributes: [], fallbackMatch: [] }, m.master_key, {}).map((t) => ({
          theme_id: theme.id,
          term: t.term,
          value: t.value,
          master_id: m.id,
        })),
      ),
    );
  }

  /** Unique hits of values on one term: value → master id, left out when none or several masters carry it. */
  async function uniqueHits(trx: Db, term: string, values: string[]): Promise<Map<string, string>> {
    const hits = await repo.termHits(trx, theme.id, term, [...new Set(values)]);
    const by = new Map<string, Set<string>>();
    for (const h of hits) by.set(h.value, (by.get(h.value) ?? new Set()).add(h.master_id));
    return new Map([...by].filter(([, ids]) => ids.size === 1).map(([v, ids]) => [v, [...ids][0]!]));
  }

  /** Matches candidates and returns their crosswalk rows. */
  async function match(trx: Db, resourceId: string, cands: Candidate[]): Promise<SourceRow[]> {
    const keyed = cands.filter((c) => c.key.ok && 'key' in c.key);
    const masters = await mastersFor(
      trx,
      keyed.map((c) => (c.key as { key: string }).key),
    );
    const bridged = cands.filter((c) => c.key.ok && 'orgCode' in c.key);
    const bridges = await uniqueHits(
      trx,
      ORG_CODE_TERM,
      bridged.map((c) => (c.key as { orgCode: string }).orgCode),
    );
    const rest = cands.filter((c) => !c.key.ok || ('orgCode' in c.key && !bridges.has(c.key.orgCode)));
    const combos = def.fallbackMatch ?? [];
    const comboHits: Map<string, string>[] = [];
    for (const combo of combos) {
      const values = rest.map((c) => comboValue(combo, c.attributes)).filter((v): v is string => v !== null);
      comboHits.push(values.length ? await uniqueHits(trx, comboTerm(combo), values) : new Map());
    }

    return cands.map((c): SourceRow => {
      const base = {
        theme_id: theme.id,
        resource_id: resourceId,
        source_key: c.sourceKey,
        raw_key: c.rawKey,
        normalised_key: c.key.ok ? ('key' in c.key ? c.key.key : c.key.orgCode) : null,
        attributes: toJson(c.attributes),
        received_at: c.receivedAt,
        updated_at: plan.now,
      };
      const joined = (masterId: string, tier: MatchTier): SourceRow => ({
        ...base,
        master_id: masterId,
        tier,
        review_status: null,
        review_reason: null,
        reviewed_by: null,
        reviewed_at: null,
      });
      if (c.key.ok && 'key' in c.key) return joined(masters.get(c.key.key)!, c.key.tier);
      if (c.key.ok && bridges.has(c.key.orgCode)) return joined(bridges.get(c.key.orgCode)!, 'BRIDGE');
      // A reviewer's decision stands while the key stays unusable.
      const b = c.before;
      if (b && (b.review_status === 'LINKED' || b.review_status === 'DISMISSED')) {
        return {
          ...base,
          master_id: b.master_id,
          tier: b.tier,
          review_status: b.review_status,
          review_reason: b.review_reason,
          reviewed_by: b.reviewed_by,
          reviewed_at: b.reviewed_at,
        };
      }
      for (let n = 0; n < combos.length; n++) {
        const v = comboValue(combos[n]!, c.attributes);
        const hit = v === null ? undefined : comboHits[n]!.get(v);
        if (hit) return joined(hit, 'ATTRIBUTES');
      }
      const why = c.key.ok ? `no master has organisation code ${(c.key as { orgCode: string }).orgCode}` : c.key.reason;
      const reason = combos.length ? `${why}; no unique match on ${combos.map((x) => x.join('+')).join(' or ')}` : why;
      return {
        ...base,
        master_id: null,
        tier: 'UNMATCHED',
        review_status: 'PENDING',
        review_reason: reason.slice(0, 1000),
        reviewed_by: null,
        reviewed_at: null,
      };
    });
  }

  /**
   * One chunk in one transaction (ADR 0033): records with a usable key (KEY, LEGACY) go the
   * set-based way — staged, compared, masters created and the crosswalk upserted by single
   * statements (sync-stage.ts); the few others (an organisation code, no valid key) are matched
   * here as before. Then survivorship for every master the chunk touched.
   */
  async function foldChunk(resourceId: string, cands: Candidate[]) {
    const keyed: StagedRecord[] = [];
    const others: Candidate[] = [];
    for (const c of cands) {
      if (c.key.ok && 'key' in c.key) {
        keyed.push({
          sourceKey: c.sourceKey,
          rawKey: c.rawKey,
          key: c.key.key,
          tier: c.key.tier as StagedRecord['tier'],
          attributes: toJson(c.attributes),
          receivedAt: c.receivedAt,
          newMasterId: newId(),
        });
      } else others.push(c);
    }
    await db.transaction().execute(async (trx) => {
      const touched = new Set<string>();
      if (keyed.length) {
        const staged = await foldStaged(trx, { themeId: theme.id, resourceId, now: plan.now, force: plan.force }, keyed);
        out.written += staged.written;
        out.mastersCreated += staged.mastersCreated;
        for (const id of staged.touched) touched.add(id);
        await writeKeyTerms(trx, staged.created);
      }
      if (others.length) {
        const before = new Map(
          (
            await repo.sourcesByKeys(
              trx,
              theme.id,
              resourceId,
              others.map((c) => c.sourceKey),
            )
          ).map((r) => [r.source_key, r]),
        );
        const changed = others.filter((c) => {
          const b = before.get(c.sourceKey);
          c.before = b;
          return (
            plan.force ||
            !b ||
            b.review_status === 'PENDING' ||
            b.raw_key !== c.rawKey ||
            b.received_at !== c.receivedAt ||
            !sameValues(fromJson(b.attributes, {}), c.attributes)
          );
        });
        if (changed.length) {
          const rows = await match(trx, resourceId, changed);
          await repo.upsertSources(trx, rows);
          out.written += rows.length;
          for (const r of rows) if (r.master_id) touched.add(r.master_id);
          for (const c of changed) if (c.before?.master_id) touched.add(c.before.master_id);
        }
      }
      if (touched.size) tally(await recomputeMasters(trx, repo, theme, touched, plan.now));
    });
  }

  /** Removes crosswalk rows of a member (those not in `keep`, or all) and recomputes their masters. */
  async function sweep(resourceId: string, keep: ReadonlySet<string> | null) {
    let after: string | null = null;
    for (;;) {
      const page = await repo.sourceKeysPage(db, theme.id, resourceId, after, SYNC_CHUNK);
      if (page.length === 0) break;
      after = page[page.length - 1]!.source_key;
      const gone = keep ? page.filter((p) => !keep.has(p.source_key)) : page;
      if (gone.length) {
        await db.transaction().execute(async (trx) => {
          await repo.deleteSources(
            trx,
            theme.id,
            resourceId,
            gone.map((g) => g.source_key),
          );
          tally(
            await recomputeMasters(
              trx,
              repo,
              theme,
              gone.flatMap((g) => (g.master_id ? [g.master_id] : [])),
              plan.now,
            ),
          );
        });
        out.removed += gone.length;
      }
      if (page.length < SYNC_CHUNK) break;
    }
  }

  // 0. Former members leave the theme.
  for (const resourceId of plan.drop) if (!def.members.some((m) => m.resourceId === resourceId)) await sweep(resourceId, null);

  // 1. The member's records, a chunk at a time.
  if (plan.entry) {
    const entry = plan.entry;
    const resourceId = entry.id;
    const member = def.members.find((m) => m.resourceId === resourceId);
    if (!member) throw new Error(`resource ${resourceId} is not a member of theme ${def.code}`);
    const keyItems = entry.items.filter((i) => i.primaryKey).map((i) => i.code);
    const items = [...new Set([...keyItems, member.keyItem, ...Object.values(member.attributes)])];
    const stream = await records.export(entry, { actor: null, scope: 'all', masked: false, audit: false }, { items, meta: true });
    const seen = new Set<string>();
    let chunk: Candidate[] = [];
    for await (const rec of stream) {
      const c = candidateOf(rec, keyItems, member.keyItem, member.attributes, def.keyKind, plan.now);
      seen.add(c.sourceKey);
      chunk.push(c);
      if (chunk.length >= SYNC_CHUNK) {
        await foldChunk(resourceId, chunk);
        out.rowsSeen += chunk.length;
        chunk = [];
        onProgress({ rowsSeen: out.rowsSeen });
      }
    }
    if (chunk.length) await foldChunk(resourceId, chunk);
    out.rowsSeen += chunk.length;

    // 2. Crosswalk rows whose record no longer exists go, and masters left without a source with them.
    await sweep(resourceId, seen);
  }

  // 3. The theme's review queue, retried: masters created since may now match its rows.
  let after: [string, string] | null = null;
  for (;;) {
    const page = await repo.reviewPage(db, theme.id, 'PENDING', after, SYNC_CHUNK);
    if (page.length === 0) break;
    const last = page[page.length - 1]!;
    after = [last.resource_id, last.source_key];
    const byResource = new Map<string, SourceRow[]>();
    for (const r of page) byResource.set(r.resource_id, [...(byResource.get(r.resource_id) ?? []), r]);
    for (const [resourceId, rows] of byResource) {
      await db.transaction().execute(async (trx) => {
        const cands: Candidate[] = rows.map((r) => ({
          sourceKey: r.source_key,
          rawKey: r.raw_key,
          key: normaliseKey(def.keyKind, r.raw_key),
          attributes: fromJson<Record<string, RecordValue>>(r.attributes, {}),
          receivedAt: r.received_at,
          before: r,
        }));
        const matched = (await match(trx, resourceId, cands)).filter((r) => r.master_id !== null);
        if (matched.length === 0) return;
        await repo.upsertSources(trx, matched);
        out.retried += matched.length;
        tally(
          await recomputeMasters(
            trx,
            repo,
            theme,
            matched.map((m) => m.master_id!),
            plan.now,
          ),
        );
      });
    }
    if (page.length < SYNC_CHUNK) break;
  }

  // 4. Per member: its matched sources, and those in an open conflict (a consistency problem in governance).
  const { matched, open } = await repo.consistencyOf(db, theme.id);
  const failing = new Map<string, Set<string>>();
  for (const c of open) {
    for (const cand of fromJson<ConflictCandidate[]>(c.candidates, [])) {
      const set = failing.get(cand.resourceId) ?? new Set<string>();
      set.add(cand.sourceKey);
      failing.set(cand.resourceId, set);
    }
  }
  const checkedOf = new Map(matched.map((m) => [m.resourceId, m.n]));
  out.consistency = def.members.map((m) => {
    const keys = [...(failing.get(m.resourceId) ?? [])].sort();
    return { resourceId: m.resourceId, checked: checkedOf.get(m.resourceId) ?? 0, failed: keys.length, sample: keys.slice(0, SAMPLE) };
  });
  out.ms = Date.now() - started;
  return out;
}

function candidateOf(
  rec: ReadRecord,
  keyItems: readonly string[],
  keyItem: string,
  mapping: Readonly<Record<string, string>>,
  keyKind: Theme['definition']['keyKind'],
  now: string,
): Candidate {
  const value = (code: string) => {
    const v = rec[code];
    return v === undefined || (typeof v === 'object' && v !== null) ? null : v;
  };
  const sourceKey = recordKeyText(Object.fromEntries(keyItems.map((k) => [k, value(k)])));
  const raw = value(keyItem);
  const attributes: Record<string, RecordValue> = {};
  for (const [attribute, item] of Object.entries(mapping)) attributes[attribute] = value(item);
  return {
    sourceKey,
    rawKey: raw === null ? null : String(raw).slice(0, 100),
    key: normaliseKey(keyKind, raw),
    attributes,
    receivedAt: rec._meta?.receivedAt ?? now,
    before: undefined,
  };
}

function sameValues(a: Readonly<Record<string, RecordValue>>, b: Readonly<Record<string, RecordValue>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a[k] ?? null) === (b[k] ?? null));
}
