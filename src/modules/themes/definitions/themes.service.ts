import { notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader, Resource } from '../../catalog/index.js';
import type { ThemeDefinition } from '../contracts.js';
import { createMastersRepository } from '../masters/masters.repository.js';
import type { SyncService } from '../masters/sync.service.js';
import { themesPolicy } from '../themes.policy.js';
import { themeOf, type Theme } from './theme-definition.js';
import { presentMemberState, presentThemeSummary } from './themes.presenter.js';
import { createThemesRepository } from './themes.repository.js';
import type { ThemeInput } from './themes.schemas.js';
import { validateDefinition } from './validate-definition.js';

export type ThemesDeps = { db: Db; clock: Clock; auditor: Auditor; catalog: CatalogReader; sync: SyncService };

/** Theme definitions 主题库定义: read by anyone signed in, written by a platform administrator (audited), each write queuing a sync of every member. */
export function createThemesService(deps: ThemesDeps) {
  const { db, clock, auditor, catalog, sync } = deps;
  const repo = createThemesRepository();
  const masters = createMastersRepository();

  async function summary(actor: Actor, theme: Theme) {
    const ids = theme.definition.members.map((m) => m.resourceId);
    const resources = new Map((await catalog.resources(ids, scopeOf(actor))).map((r) => [r.id, r]));
    const [states, counts] = await Promise.all([masters.memberStates(db, theme.id), masters.counts(db, theme.id)]);
    return presentThemeSummary(theme, resources, states, counts);
  }

  async function themeOr404(code: string): Promise<Theme> {
    const row = await repo.byCode(db, code);
    if (!row) throw notFound('theme', code);
    return themeOf(row);
  }

  return {
    async list(actor: Actor) {
      const rows = await repo.list(db);
      return { items: await Promise.all(rows.map((r) => summary(actor, themeOf(r)))) };
    },

    async get(actor: Actor, code: string) {
      const theme = await themeOr404(code);
      return { ...(await summary(actor, theme)), definition: theme.definition };
    },

    /** Creates or replaces a definition (checked against the catalogue), then queues a full sync of every member; former members leave. */
    async put(actor: Actor, code: string, input: ThemeInput) {
      themesPolicy.assertCanDefine(actor);
      const ids = [...new Set(input.members.map((m) => m.resourceId))];
      const resources = new Map<string, Resource>((await catalog.resources(ids, 'all')).map((r) => [r.id, r]));
      validateDefinition(input, resources);
      const existing = await repo.byCode(db, code);
      const now = clock.now().toISOString();
      const { name, nameEn, keyKind, ...rest } = input;
      const id = existing?.id ?? newId();
      const version = (existing?.version ?? 0) + 1;
      await auditor.run(
        { actor, action: existing ? 'themes.update' : 'themes.create', targetType: 'theme', targetId: code, detail: { version, members: ids } },
        (trx) =>
          existing
            ? repo.update(trx, id, { name, name_en: nameEn, key_kind: keyKind, definition: toJson(rest), version, updated_at: now })
            : repo.insert(trx, { id, code, name, name_en: nameEn, key_kind: keyKind, definition: toJson(rest), version, created_at: now, updated_at: now }),
      );
      const former = existing
        ? themeOf(existing)
            .definition.members.map((m) => m.resourceId)
            .filter((r) => !ids.includes(r))
        : [];
      if (former.length) await sync.queue(id, null, { drop: former });
      // Every row is matched afresh (a key kind or a priority may have changed); masters left without a source fall away.
      for (const r of ids) await sync.queue(id, r, { force: true });
      return this.get(actor, code);
    },

    /** Queues a sync of every member (202): the answer is the members' state right after queuing. */
    async sync(actor: Actor, code: string) {
      themesPolicy.assertCanDefine(actor);
      const theme = await themeOr404(code);
      await auditor.run(
        { actor, action: 'themes.sync', targetType: 'theme', targetId: code, detail: { members: theme.definition.members.map((m) => m.resourceId) } },
        async () => undefined,
      );
      for (const m of theme.definition.members) await sync.queue(theme.id, m.resourceId);
      const states = await masters.memberStates(db, theme.id);
      return {
        members: theme.definition.members.map((m) => ({ resourceId: m.resourceId, ...presentMemberState(states.find((s) => s.resource_id === m.resourceId)) })),
      };
    },

    themeOr404,
    definitionOf: async (code: string): Promise<ThemeDefinition> => (await themeOr404(code)).definition,
  };
}

export type ThemesService = ReturnType<typeof createThemesService>;
