import { AppError, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import { sharingPolicy } from '../sharing.policy.js';
import { grantStatus, presentGrant, type Grant } from './grants.presenter.js';
import { createGrantsRepository, type GrantView } from './grants.repository.js';
import type { GrantListQuery } from './grants.schemas.js';
import { chinaToday } from '../../../shared/china-time.js';

/**
 * Grants 授权: made when an access application is granted (applications.service.ts), read by the
 * consumer's and the provider's departments, revoked with a reason by the provider department or
 * an administrator — effective on the consumer's next call (`onChanged` invalidates the lookup).
 */
export function createGrantsService(deps: { db: Db; clock: Clock; auditor: Auditor; onChanged: (consumerId: string) => void }) {
  const { db, auditor } = deps;
  const repo = createGrantsRepository();
  const today = chinaToday(deps.clock);

  async function visible(actor: Actor, id: string): Promise<GrantView> {
    const row = await repo.find(db, id);
    if (!row || !sharingPolicy.seesApplication(actor, { consumerDepartmentId: row.consumer_department_id, providerDepartmentId: row.provider_department_id })) {
      throw notFound('grant', id);
    }
    return row;
  }

  return {
    async list(actor: Actor, q: GrantListQuery): Promise<Page<Grant>> {
      const scope = scopeOf(actor);
      if (scope === 'none') return { items: [], nextCursor: null };
      const on = today();
      const rows = await repo.list(db, {
        departmentId: scope === 'all' ? null : scope.departmentId,
        consumerId: q.consumerId,
        resourceId: q.resourceId,
        interfaceId: q.interfaceId,
        status: q.status,
        today: on,
        before: decodeCursor(q.cursor),
        limit: q.limit,
      });
      return toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => presentGrant(r, on),
      );
    },

    async get(actor: Actor, id: string): Promise<Grant> {
      return presentGrant(await visible(actor, id), today());
    },

    async revoke(actor: Actor, id: string, reason: string): Promise<Grant> {
      const row = await visible(actor, id);
      sharingPolicy.assertCanRevokeGrant(actor, row.provider_department_id);
      const status = grantStatus(row, today());
      if (status !== 'ACTIVE') throw new AppError('SHARING_GRANT_NOT_ACTIVE', `Grant ${id} is ${status.toLowerCase()} already`, { status });
      const at = deps.clock.now().toISOString();
      await auditor.run(
        { actor, action: 'sharing.grant.revoke', targetType: 'grant', targetId: id, detail: { consumerId: row.consumer_id, reason } },
        async (trx) => {
          if ((await repo.revoke(trx, id, { at, by: actor.username, reason })) === 0) {
            throw new AppError('SHARING_GRANT_NOT_ACTIVE', `Grant ${id} was revoked by another request`, { status: 'REVOKED' });
          }
        },
      );
      deps.onChanged(row.consumer_id);
      return presentGrant((await repo.find(db, id))!, today());
    },
  };
}

export type GrantsService = ReturnType<typeof createGrantsService>;
