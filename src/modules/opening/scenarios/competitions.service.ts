import { AppError, forbidden, notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { OpenCatalog } from '../contracts.js';
import { chinaDate } from '../../../shared/china-time.js';
import type { OpenViewer } from '../users/users.service.js';
import { presentOpenCompetition, presentOpenEntry, type OpenCompetition, type OpenEntry } from './competitions.presenter.js';
import { createOpenCompetitionsRepository } from './competitions.repository.js';
import type { OpenCompetitionInput, OpenEntryInput } from './competitions.schemas.js';
import { datasetLinks } from './dataset-links.repository.js';
import { knownDatasets } from './known-datasets.js';

/**
 * Competitions (大赛) on open datasets: an administrator announces one with its datasets and
 * dates; public users enter teams while it runs (Beijing calendar days, inclusive).
 */
export function createOpenCompetitionsService(deps: { db: Db; clock: Clock; auditor: Auditor; datasets: Pick<OpenCatalog, 'dataset'> }) {
  const { db, clock, auditor } = deps;
  const repo = createOpenCompetitionsRepository();

  async function detail(id: string): Promise<OpenCompetition & { entries: OpenEntry[] }> {
    const row = await repo.find(db, id);
    if (!row) throw notFound('competition', id);
    const entries = await repo.entries(db, id);
    const [own, ofEntries] = await Promise.all([
      datasetLinks.of(db, 'competition', [id]),
      datasetLinks.of(
        db,
        'entry',
        entries.map((e) => e.id),
      ),
    ]);
    return { ...presentOpenCompetition(row, own.get(id) ?? [], entries.length), entries: entries.map((e) => presentOpenEntry(e, ofEntries.get(e.id) ?? [])) };
  }

  return {
    detail,
    async create(actor: Actor, input: OpenCompetitionInput) {
      if (actor.role !== 'ADMIN') throw forbidden('Only platform administrators announce competitions');
      const datasetIds = await knownDatasets(deps.datasets, input.datasetIds, 'body.datasetIds');
      const row = {
        id: newId(),
        title: input.title,
        description: input.description,
        organiser: input.organiser,
        starts_on: input.startsOn,
        ends_on: input.endsOn,
        created_at: clock.now().toISOString(),
      };
      await auditor.run(
        { actor, action: 'open-competition.create', targetType: 'open competition', targetId: row.id, detail: { title: row.title, datasetIds } },
        async (trx) => {
          await repo.insert(trx, row);
          await datasetLinks.add(trx, 'competition', row.id, datasetIds);
        },
      );
      return detail(row.id);
    },

    async list(): Promise<OpenCompetition[]> {
      const rows = await repo.list(db);
      const links = await datasetLinks.of(
        db,
        'competition',
        rows.map((r) => r.id),
      );
      return rows.map((r) => presentOpenCompetition(r, links.get(r.id) ?? [], Number(r.teams ?? 0)));
    },

    async enter(viewer: OpenViewer, id: string, input: OpenEntryInput) {
      const row = await repo.find(db, id);
      if (!row) throw notFound('competition', id);
      const today = chinaDate(clock.now().getTime());
      if (today < row.starts_on || today > row.ends_on) {
        throw new AppError('OPEN_STATE_INVALID', `The competition takes entries from ${row.starts_on} to ${row.ends_on}`, {
          state: today < row.starts_on ? 'upcoming' : 'ended',
          allowed: ['running'],
        });
      }
      const datasetIds = input.datasetIds
        ? await knownDatasets(deps.datasets, input.datasetIds, 'body.datasetIds')
        : (await datasetLinks.of(db, 'competition', [id])).get(id)!;
      const entry = {
        id: newId(),
        competition_id: id,
        user_id: viewer.userId,
        team_name: input.teamName,
        members: input.members,
        title: input.title,
        description: input.description,
        url: input.url ?? null,
        created_at: clock.now().toISOString(),
      };
      await auditor.run(
        {
          actor: null,
          action: 'open-competition.enter',
          targetType: 'open competition entry',
          targetId: entry.id,
          detail: { competitionId: id, openUser: viewer.username },
        },
        async (trx) => {
          await repo.insertEntry(trx, entry);
          if (datasetIds.length) await datasetLinks.add(trx, 'entry', entry.id, datasetIds);
        },
      );
      return presentOpenEntry(entry, [...datasetIds].sort());
    },
  };
}

export type OpenCompetitionsService = ReturnType<typeof createOpenCompetitionsService>;
