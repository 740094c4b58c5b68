import { AppError, forbidden, notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { OpenCatalog } from '../contracts.js';
import type { OpenViewer } from '../users/users.service.js';
import { datasetLinks } from './dataset-links.repository.js';
import { knownDatasets } from './known-datasets.js';
import { presentOpenScenario, type OpenScenario } from './scenarios.presenter.js';
import { createOpenScenariosRepository, type OpenScenarioRow } from './scenarios.repository.js';
import type { OpenModeration, OpenScenarioInput, OpenScenarioListQuery } from './scenarios.schemas.js';

const platformWide = (actor: Actor | null) => actor !== null && actor.role !== 'OFFICER';

/**
 * Scenarios (应用场景): reuses of open datasets submitted by public users, shown to everyone only
 * once a platform administrator published them; a rejection carries a reason for the submitter.
 */
export function createOpenScenariosService(deps: { db: Db; clock: Clock; auditor: Auditor; datasets: Pick<OpenCatalog, 'dataset'> }) {
  const { db, clock, auditor } = deps;
  const repo = createOpenScenariosRepository();

  async function withLinks(rows: OpenScenarioRow[]): Promise<OpenScenario[]> {
    const links = await datasetLinks.of(
      db,
      'scenario',
      rows.map((r) => r.id),
    );
    return rows.map((r) => presentOpenScenario(r, links.get(r.id) ?? []));
  }

  return {
    async submit(viewer: OpenViewer, input: OpenScenarioInput): Promise<OpenScenario> {
      const datasetIds = await knownDatasets(deps.datasets, input.datasetIds, 'body.datasetIds');
      const row: OpenScenarioRow = {
        id: newId(),
        type: input.type,
        title: input.title,
        description: input.description,
        url: input.url ?? null,
        user_id: viewer.userId,
        submitter_name: viewer.displayName,
        status: 'pending',
        reason: null,
        moderator_name: null,
        moderated_at: null,
        created_at: clock.now().toISOString(),
      };
      await auditor.run(
        { actor: null, action: 'open-scenario.submit', targetType: 'open scenario', targetId: row.id, detail: { datasetIds, openUser: viewer.username } },
        async (trx) => {
          await repo.insert(trx, row);
          await datasetLinks.add(trx, 'scenario', row.id, datasetIds);
        },
      );
      return (await withLinks([row]))[0]!;
    },

    /** Everyone: published ones. Platform roles: any state. A public user with mine=true: their own. */
    async list(who: { actor: Actor | null; viewer: OpenViewer | null }, q: OpenScenarioListQuery): Promise<Page<OpenScenario>> {
      const mine = q.mine === 'true';
      if (mine && !who.viewer) throw new AppError('UNAUTHENTICATED', 'mine=true needs a public-user sign-in');
      if (q.status && q.status !== 'published' && !mine && !platformWide(who.actor))
        throw forbidden('Only platform roles list scenarios awaiting or refused publication');
      const status = q.status ?? (mine || platformWide(who.actor) ? undefined : 'published');
      const rows = await repo.list(db, {
        status,
        userId: mine ? who.viewer!.userId : undefined,
        datasetId: q.datasetId,
        before: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const page = toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => r,
      );
      return { items: await withLinks(page.items), nextCursor: page.nextCursor };
    },

    async get(who: { actor: Actor | null; viewer: OpenViewer | null }, id: string): Promise<OpenScenario> {
      const row = await repo.find(db, id);
      const visible = row && (row.status === 'published' || platformWide(who.actor) || row.user_id === who.viewer?.userId);
      if (!visible) throw notFound('scenario', id);
      return (await withLinks([row]))[0]!;
    },

    async moderate(actor: Actor, id: string, body: OpenModeration): Promise<OpenScenario> {
      if (actor.role !== 'ADMIN') throw forbidden('Only platform administrators publish scenarios');
      const row = await repo.find(db, id);
      if (!row) throw notFound('scenario', id);
      const reason = body.reason?.trim() ?? '';
      if (body.decision === 'reject' && reason.length < 2) {
        throw new AppError('VALIDATION_FAILED', 'A rejection needs a reason', {
          errors: [{ path: 'body.reason', code: 'required', message: 'required when rejecting' }],
        });
      }
      const set = {
        status: body.decision === 'publish' ? 'published' : 'rejected',
        reason: reason || null,
        moderator_name: actor.username,
        moderated_at: clock.now().toISOString(),
      };
      await auditor.run({ actor, action: `open-scenario.${body.decision}`, targetType: 'open scenario', targetId: id }, async (trx) => {
        if ((await repo.moderate(trx, id, set)) === 0) {
          throw new AppError('OPEN_STATE_INVALID', `The scenario is ${row.status} already; only a pending one is moderated`, {
            state: row.status,
            allowed: ['pending'],
          });
        }
      });
      return (await withLinks([(await repo.find(db, id))!]))[0]!;
    },
  };
}

export type OpenScenariosService = ReturnType<typeof createOpenScenariosService>;
