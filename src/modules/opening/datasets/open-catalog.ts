import type { Db, Dialect } from '../../../storage/dialect.js';
import type { Clock } from '../../../shared/clock.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { OpenCatalog, OpenDataset } from '../contracts.js';
import { indexTerms } from '../search/index-terms.js';
import { queryTerms } from '../search/segment.js';
import { presentDataset } from './datasets.presenter.js';
import { createDatasetsRepository, type DatasetState } from './datasets.repository.js';
import { openItemsOf, presentOpenItem, refusalOf, withItems, type FullResource as Resource } from './open-items.js';

type Snapshot = {
  stamp: string | null;
  fingerprint: string;
  at: number;
  list: readonly OpenDataset[];
  byKey: Map<string, OpenDataset>;
  /** The catalogue entry each listed dataset was built from (all items: the record reader needs the keys). */
  resources: Map<string, Resource>;
  /** Text matches of this snapshot (the index changes only with publications, which make a new snapshot). */
  matches: Map<string, Map<string, number>>;
};

const MATCH_CACHE = 500;

export type OpenCatalogInternal = OpenCatalog & {
  /** Drops the cached list: the next read rebuilds it (publication changes, loads). */
  invalidate(): void;
  /** A listed dataset with the catalogue entry it is a view of, or null. */
  entry(idOrName: string): Promise<{ dataset: OpenDataset; resource: Resource } | null>;
  /**
   * As `entry`, with the catalogue entry read again now: what reads records uses this, so a
   * resource closed or an item closed a moment ago is never read, even before the list refreshes.
   */
  live(idOrName: string): Promise<{ dataset: OpenDataset; resource: Resource } | null>;
  /** Terms of a dataset as the index holds them (publish and update write them). */
  indexOf(dataset: OpenDataset): Map<string, number>;
};

/**
 * The open catalogue (OpenCatalog): every published dataset, built from its publication row and
 * the catalogue as it is now, kept in memory. The cache is checked per read: on SQLite against
 * the database's change stamp (exact: a commit by any process changes it), on PostgreSQL after
 * `freshnessMs`, and dropped at once on publication changes and loads in this process. A dataset
 * whose resource became classified, PROHIBITED or L4 after publication is left out (suspended),
 * and a resource whose items changed has its terms re-indexed, so no closed item is findable.
 * On PostgreSQL a catalogue change made elsewhere shows in the list within `freshnessMs`; record
 * reads never wait for that (`live` reads the catalogue entry again).
 */
export function createOpenCatalog(deps: { db: Db; dialect: Dialect; clock: Clock; catalog: CatalogReader; freshnessMs?: number }): OpenCatalogInternal {
  const repo = createDatasetsRepository();
  const freshnessMs = deps.freshnessMs ?? 1000;
  let snapshot: Snapshot | null = null;
  let dirty = true;
  let building: Promise<Snapshot> | null = null;

  async function build(stamp: string | null, fingerprint: string): Promise<Snapshot> {
    dirty = false;
    const states = await repo.states(deps.db);
    const previous = snapshot?.resources ?? new Map<string, Resource>();
    const stale = states.filter((s) => previous.get(s.id)?.version !== s.r_version).map((s) => s.resource_id);
    const staleSet = new Set(stale);
    const fetched = new Map<string, Resource>();
    for (let i = 0; i < stale.length; i += 500) {
      for (const r of await deps.catalog.resources(stale.slice(i, i + 500), 'all', deps.db)) fetched.set(r.id, withItems(r));
    }
    const list: OpenDataset[] = [];
    const resources = new Map<string, Resource>();
    for (const s of states) {
      const resource = staleSet.has(s.resource_id) ? fetched.get(s.resource_id) : previous.get(s.id);
      if (!resource || refusalOf(resource) !== null) continue;
      const dataset = presentDataset(s, resource, openItemsOf(resource));
      if (s.resource_version !== resource.version) await reindex(s, dataset, resource.version);
      list.push(dataset);
      resources.set(s.id, resource);
    }
    const byKey = new Map<string, OpenDataset>();
    for (const d of list) byKey.set(d.id, d).set(d.name, d);
    return { stamp, fingerprint, at: deps.clock.now().getTime(), list, byKey, resources, matches: new Map() };
  }

  /** The catalogue entry changed since the terms were written (items opened or closed, renamed). */
  async function reindex(s: DatasetState, dataset: OpenDataset, version: number) {
    await deps.db.transaction().execute(async (trx) => {
      await repo.replaceTerms(trx, s.id, indexTerms(dataset));
      await repo.update(trx, s.id, { resource_version: version });
    });
  }

  async function current(): Promise<Snapshot> {
    // Read first: a list built after it is at least as new as the stamp it is kept under.
    const stamp = await deps.dialect.changeStamp(deps.db);
    const s = snapshot;
    if (s && !dirty && (stamp !== null ? stamp === s.stamp : deps.clock.now().getTime() - s.at < freshnessMs)) return s;
    building ??= (async () => {
      const wasDirty = dirty;
      const fingerprint = await repo.fingerprint(deps.db);
      // Another write (an audit row, a counter) moved the stamp but nothing the list shows changed.
      if (s && !wasDirty && fingerprint === s.fingerprint) {
        s.stamp = stamp;
        s.at = deps.clock.now().getTime();
        return s;
      }
      return build(stamp, fingerprint);
    })().finally(() => {
      building = null;
    });
    snapshot = await building;
    return snapshot;
  }

  return {
    async datasets() {
      return (await current()).list;
    },
    async dataset(idOrName) {
      return (await current()).byKey.get(idOrName) ?? null;
    },
    async entry(idOrName) {
      const s = await current();
      const dataset = s.byKey.get(idOrName);
      const resource = dataset && s.resources.get(dataset.id);
      return dataset && resource ? { dataset, resource } : null;
    },
    async live(idOrName) {
      const s = await current();
      const dataset = s.byKey.get(idOrName);
      if (!dataset) return null;
      const found = await deps.catalog.resource(dataset.resourceId, 'all', deps.db);
      const resource = found && withItems(found);
      if (!resource || refusalOf(resource) !== null) return null;
      if (resource.version === s.resources.get(dataset.id)?.version) return { dataset, resource };
      const items = openItemsOf(resource);
      return {
        dataset: { ...dataset, items: items.map(presentOpenItem), openType: items.some((i) => i.openType === 'RESTRICTED') ? 'RESTRICTED' : 'UNCONDITIONAL' },
        resource,
      };
    },
    async match(q) {
      const s = await current();
      const terms = queryTerms(q);
      const key = terms.join('\u0000');
      const hit = s.matches.get(key);
      if (hit) return new Map(hit);
      const rows = await repo.match(deps.db, terms);
      const found = new Map(rows.filter((r) => s.byKey.has(r.dataset_id)).map((r) => [r.dataset_id, r.score]));
      if (s.matches.size >= MATCH_CACHE) s.matches.delete(s.matches.keys().next().value!);
      s.matches.set(key, found);
      return new Map(found);
    },
    invalidate() {
      dirty = true;
    },
    indexOf: indexTerms,
  };
}
