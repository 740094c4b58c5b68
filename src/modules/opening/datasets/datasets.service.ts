import type { z } from 'zod';
import { AppError, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader, Resource } from '../../catalog/index.js';
import type { OpenDataset } from '../contracts.js';
import { datasetsPolicy } from './datasets.policy.js';
import { presentDataset } from './datasets.presenter.js';
import { createDatasetsRepository, type DatasetRow } from './datasets.repository.js';
import { PublishInput, type UpdateInput } from './datasets.schemas.js';
import type { OpenCatalogInternal } from './open-catalog.js';
import { openItemsOf, refusalOf } from './open-items.js';

/** A name from the resource code: 330600/… is not URL-safe, so 301001/00012 → r-301001-00012. */
const nameOfCode = (code: string) => `r-${code.replace(/\//g, '-').toLowerCase()}`;

/**
 * Publication of open datasets (开放): a provider department's officer or an administrator opens
 * a resource whose open type allows it; only its open items show, masks applied when read. Every
 * change is audited and re-indexes the dataset's search terms in the same transaction.
 */
export function createDatasetsService(deps: { db: Db; clock: Clock; auditor: Auditor; catalog: CatalogReader; openCatalog: OpenCatalogInternal }) {
  const { db, clock, auditor, catalog, openCatalog } = deps;
  const repo = createDatasetsRepository();

  async function resourceFor(actor: Actor, resourceId: string): Promise<Resource> {
    // A classified entry the caller may not see is absent, as everywhere else (ADR 0009).
    const resource = await catalog.resource(resourceId, scopeOf(actor));
    if (!resource) throw notFound('resource', resourceId);
    datasetsPolicy.assertPublisher(actor, resource.providerDepartmentId);
    return resource;
  }

  function assertOpenable(resource: Resource) {
    const reason = refusalOf(resource);
    if (reason) throw new AppError('OPEN_NOT_ALLOWED', `Resource ${resource.code} may not be opened: ${reason}`, { resourceId: resource.id, reason });
  }

  /** Writes the dataset's index terms from what it shows now (open items only). */
  async function reindex(trx: Db, id: string, resource: Resource) {
    const state = (await repo.state(trx, id))!;
    await repo.replaceTerms(trx, id, openCatalog.indexOf(presentDataset(state, resource, openItemsOf(resource))));
  }

  /** The dataset as just written; the list is rebuilt on its next read (not here: publishing 10^4 datasets stays linear). */
  async function published(id: string, resource: Resource): Promise<OpenDataset> {
    openCatalog.invalidate();
    const state = await repo.state(db, id);
    if (!state) throw notFound('open dataset', id);
    return presentDataset(state, resource, openItemsOf(resource));
  }

  async function existing(actor: Actor, id: string) {
    const row = (await repo.find(db, id)) ?? (await openCatalog.dataset(id).then((d) => (d ? repo.find(db, d.id) : undefined)));
    if (!row) throw notFound('open dataset', id);
    return { row, resource: await resourceFor(actor, row.resource_id) };
  }

  return {
    async publish(actor: Actor, raw: PublishInput | z.input<typeof PublishInput>): Promise<OpenDataset> {
      // Callers other than the route (the demo, the CLI, benchmarks) get the same defaults and checks.
      const input = PublishInput.parse(raw);
      const resource = await resourceFor(actor, input.resourceId);
      assertOpenable(resource);
      if (await repo.findByResource(db, resource.id))
        throw new AppError('DUPLICATE', `Resource ${resource.code} is already published as an open dataset`, { resourceId: resource.id });
      const name = input.name ?? nameOfCode(resource.code);
      if (await repo.nameTaken(db, name)) throw new AppError('DUPLICATE', `An open dataset named '${name}' exists`, { field: 'name', name });
      const at = clock.now().toISOString();
      const row: DatasetRow = {
        id: newId(),
        name,
        resource_id: resource.id,
        title: input.title ?? resource.name,
        description: input.description ?? resource.summary,
        tags: toJson(input.tags.length ? input.tags : resource.tags),
        licence_id: input.licenceId,
        update_frequency: input.updateFrequency ?? null,
        temporal_from: input.temporal?.from ?? null,
        temporal_to: input.temporal?.to ?? null,
        resource_version: resource.version,
        published_by: actor.username,
        published_at: at,
        updated_at: at,
      };
      await auditor.run(
        {
          actor,
          action: 'open-dataset.publish',
          targetType: 'open-dataset',
          targetId: row.id,
          detail: { resourceId: resource.id, name, licenceId: row.licence_id },
        },
        async (trx) => {
          await repo.insert(trx, row);
          await reindex(trx, row.id, resource);
        },
      );
      return published(row.id, resource);
    },

    async update(actor: Actor, id: string, input: UpdateInput): Promise<OpenDataset> {
      const { row, resource } = await existing(actor, id);
      const set: Partial<DatasetRow> = { updated_at: clock.now().toISOString(), resource_version: resource.version };
      if (input.title !== undefined) set.title = input.title;
      if (input.description !== undefined) set.description = input.description;
      if (input.tags !== undefined) set.tags = toJson(input.tags);
      if (input.licenceId !== undefined) set.licence_id = input.licenceId;
      if (input.updateFrequency !== undefined) set.update_frequency = input.updateFrequency;
      if (input.temporal !== undefined) {
        set.temporal_from = input.temporal?.from ?? null;
        set.temporal_to = input.temporal?.to ?? null;
      }
      const changed = Object.keys(input).filter((k) => input[k as keyof UpdateInput] !== undefined);
      await auditor.run(
        { actor, action: 'open-dataset.update', targetType: 'open-dataset', targetId: row.id, detail: { resourceId: row.resource_id, changed } },
        async (trx) => {
          await repo.update(trx, row.id, set);
          await reindex(trx, row.id, resource);
        },
      );
      return published(row.id, resource);
    },

    /** Withdraws a dataset: it leaves the portal, the search index and every export at once. */
    async unpublish(actor: Actor, id: string): Promise<void> {
      const { row } = await existing(actor, id);
      await auditor.run(
        { actor, action: 'open-dataset.unpublish', targetType: 'open-dataset', targetId: row.id, detail: { resourceId: row.resource_id, name: row.name } },
        async (trx) => {
          await repo.remove(trx, row.id);
        },
      );
      openCatalog.invalidate();
    },
  };
}

export type DatasetsService = ReturnType<typeof createDatasetsService>;
