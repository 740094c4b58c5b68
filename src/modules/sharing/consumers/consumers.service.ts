import { AppError, notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { decodeCursor, toPage, type Page } from '../../../shared/page.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import { createGrantsRepository } from '../grants/grants.repository.js';
import { sharingPolicy } from '../sharing.policy.js';
import { issueCredential } from './credentials.js';
import { presentConsumer, type Consumer } from './consumers.presenter.js';
import { createConsumersRepository, type ConsumerRow } from './consumers.repository.js';
import type { ConsumerInput, ConsumerListQuery } from './consumers.schemas.js';

export type ConsumersServiceDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  /** The platform key (hex) secrets are sealed with. */
  secretKey: string;
  /** Called after every write, so authentication and grant lookups see it on the next call. */
  onChanged: (consumerId: string) => void;
};

export type IssuedConsumer = { consumer: Consumer; credentials: { id: string; appKey: string; secret: string; createdAt: string } };

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });

/**
 * Consumer systems 对接系统 (DOMAIN.md §6): a department registers one of its census systems and
 * receives an app key and a secret, shown once; keys rotate (the old one is retired at once) and a
 * consumer is revoked with its keys and grants. Every change is audited; secrets never are.
 */
export function createConsumersService(deps: ConsumersServiceDeps) {
  const { db, clock, auditor } = deps;
  const repo = createConsumersRepository();
  const grants = createGrantsRepository();

  async function present(row: ConsumerRow): Promise<Consumer> {
    return presentConsumer(row, await repo.credentialsOf(db, [row.id]));
  }

  /** A consumer `actor` may see, else 404 (another department's consumers are not theirs to know). */
  async function visible(actor: Actor, id: string): Promise<ConsumerRow> {
    const row = await repo.find(db, id);
    if (!row || !sharingPolicy.sees(actor, row.department_id)) throw notFound('consumer', id);
    return row;
  }

  /** Inserts a new key for a consumer; the plain secret leaves only in the answer. */
  async function newKey(trx: Db, consumerId: string, at: string) {
    const id = newId();
    const issued = issueCredential(id, deps.secretKey);
    await repo.insertCredential(trx, {
      id,
      consumer_id: consumerId,
      app_key: issued.appKey,
      secret_hash: issued.secretHash,
      secret_sealed: issued.secretSealed,
      secret_last4: issued.secretLast4,
      created_at: at,
      retired_at: null,
    });
    return { id, appKey: issued.appKey, secret: issued.secret, createdAt: at };
  }

  return {
    async register(actor: Actor, input: ConsumerInput): Promise<IssuedConsumer> {
      const system = await repo.system(db, input.systemId);
      if (!system) throw notFound('system', input.systemId);
      sharingPolicy.assertCanManageConsumer(actor, system.department_id);
      if (system.status === 'RETIRED') throw invalid('body.systemId', `System '${system.name}' is retired: a retired system cannot connect`);
      const existing = await repo.bySystem(db, system.id);
      if (existing) {
        throw new AppError(
          'DUPLICATE',
          `System '${system.name}' is registered already as consumer ${existing.id} (${existing.status}); rotate its key instead`,
          {
            entity: 'consumer',
            id: existing.id,
          },
        );
      }
      const at = clock.now().toISOString();
      const row: ConsumerRow = {
        id: newId(),
        system_id: system.id,
        department_id: system.department_id,
        name: input.name ?? system.name,
        status: 'ACTIVE',
        created_by: actor.username,
        created_at: at,
        updated_at: at,
      };
      const credentials = await auditor.run(
        {
          actor,
          action: 'sharing.consumer.register',
          targetType: 'consumer',
          targetId: row.id,
          detail: { systemId: system.id, departmentId: system.department_id },
        },
        async (trx) => {
          await repo.insert(trx, row);
          return newKey(trx, row.id, at);
        },
      );
      deps.onChanged(row.id);
      return { consumer: await present(row), credentials };
    },

    /** Officers see their department's consumers; platform roles every one (or one department's). */
    async list(actor: Actor, q: ConsumerListQuery): Promise<Page<Consumer>> {
      const scope = scopeOf(actor);
      if (scope === 'none') return { items: [], nextCursor: null };
      const departmentId = scope === 'all' ? (q.departmentId ?? null) : scope.departmentId;
      const rows = await repo.list(db, { departmentId, status: q.status, systemId: q.systemId, before: decodeCursor(q.cursor), limit: q.limit });
      const page = rows.slice(0, q.limit);
      const creds = await repo.credentialsOf(
        db,
        page.map((r) => r.id),
      );
      return toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => presentConsumer(r, creds),
      );
    },

    async get(actor: Actor, id: string): Promise<Consumer> {
      return present(await visible(actor, id));
    },

    /** A new key and secret (shown once); every earlier key is retired at once. */
    async rotateKey(actor: Actor, id: string): Promise<IssuedConsumer> {
      const row = await visible(actor, id);
      sharingPolicy.assertCanManageConsumer(actor, row.department_id);
      if (row.status !== 'ACTIVE') throw new AppError('SHARING_CONSUMER_REVOKED', `Consumer ${id} is revoked: its keys cannot be rotated`, { consumerId: id });
      const at = clock.now().toISOString();
      const credentials = await auditor.run({ actor, action: 'sharing.consumer.rotate-key', targetType: 'consumer', targetId: id }, async (trx) => {
        await repo.retireCredentials(trx, id, at);
        const issued = await newKey(trx, id, at);
        await repo.touch(trx, id, at);
        return issued;
      });
      deps.onChanged(id);
      return { consumer: await present((await repo.find(db, id))!), credentials };
    },

    /** Revokes a consumer: its keys are retired and its active grants revoked, effective on the next call. */
    async revoke(actor: Actor, id: string, reason: string | undefined): Promise<Consumer> {
      const row = await visible(actor, id);
      sharingPolicy.assertCanManageConsumer(actor, row.department_id);
      if (row.status !== 'ACTIVE') throw new AppError('SHARING_CONSUMER_REVOKED', `Consumer ${id} is revoked already`, { consumerId: id });
      const at = clock.now().toISOString();
      const note = reason?.trim() || null;
      await auditor.run({ actor, action: 'sharing.consumer.revoke', targetType: 'consumer', targetId: id, detail: { reason: note } }, async (trx) => {
        if ((await repo.setStatus(trx, id, 'ACTIVE', 'REVOKED', at)) === 0) {
          throw new AppError('SHARING_CONSUMER_REVOKED', `Consumer ${id} was revoked by another request`, { consumerId: id });
        }
        await repo.retireCredentials(trx, id, at);
        await grants.revokeActiveOfConsumer(trx, id, { at, by: actor.username, reason: `consumer system revoked${note ? `: ${note}` : ''}` });
      });
      deps.onChanged(id);
      return present((await repo.find(db, id))!);
    },
  };
}

export type ConsumersService = ReturnType<typeof createConsumersService>;
