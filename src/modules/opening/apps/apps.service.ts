import { createHash, randomBytes } from 'node:crypto';
import { AppError, forbidden, notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { toBool, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { OpenViewer } from '../users/users.service.js';
import { presentOpenApp, type OpenApp } from './apps.presenter.js';
import { createOpenAppsRepository } from './apps.repository.js';
import type { OpenAppInput, OpenAppLimitsInput } from './apps.schemas.js';
import { createAppRateLimiter } from './rate-limiter.js';

/** Limits a new app gets (KUAIJI_OPEN_APP_RATE_PER_SECOND, KUAIJI_OPEN_APP_QUOTA_PER_DAY). */
export type AppLimitDefaults = { ratePerSecond: number; quotaPerDay: number };
export const DEFAULT_APP_LIMITS: AppLimitDefaults = { ratePerSecond: 10, quotaPerDay: 10_000 };

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const APP_KEY_PREFIX = 'kjd_'; // d for developer: apart from sharing's consumer keys (kja_) and public sessions (kjo_)

/**
 * Public users' apps for the open APIs: each has one key (shown once, stored as SHA-256 and its
 * last four characters) with a per-second rate and a daily quota. A revoked key stops at once.
 */
export function createOpenAppsService(deps: { db: Db; clock: Clock; auditor: Auditor; limits?: Partial<AppLimitDefaults> }) {
  const { db, clock, auditor } = deps;
  const repo = createOpenAppsRepository();
  const limits = { ...DEFAULT_APP_LIMITS, ...deps.limits };
  const limiter = createAppRateLimiter({ now: () => clock.now().getTime(), loadDayCalls: (appId, day) => repo.dayCalls(db, appId, day) });

  async function own(viewer: OpenViewer, id: string) {
    const row = await repo.find(db, id);
    // Another user's app is as absent as a missing one.
    if (!row || row.user_id !== viewer.userId) throw notFound('app', id);
    return row;
  }

  return {
    async create(viewer: OpenViewer, input: OpenAppInput): Promise<OpenApp & { appKey: string }> {
      const appKey = `${APP_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
      const row = {
        id: newId(),
        user_id: viewer.userId,
        name: input.name,
        description: input.description ?? null,
        key_hash: sha256(appKey),
        key_last4: appKey.slice(-4),
        rate_per_second: limits.ratePerSecond,
        quota_per_day: limits.quotaPerDay,
        created_at: clock.now().toISOString(),
        revoked_at: null,
      };
      await auditor.run({ actor: null, action: 'open-app.create', targetType: 'open app', targetId: row.id, detail: { openUser: viewer.username } }, (trx) =>
        repo.insert(trx, row),
      );
      return { ...presentOpenApp(row), appKey };
    },

    async list(viewer: OpenViewer): Promise<OpenApp[]> {
      return (await repo.listOf(db, viewer.userId)).map(presentOpenApp);
    },

    async revoke(viewer: OpenViewer, id: string): Promise<OpenApp> {
      await own(viewer, id);
      await auditor.run({ actor: null, action: 'open-app.revoke', targetType: 'open app', targetId: id, detail: { openUser: viewer.username } }, (trx) =>
        repo.revoke(trx, id, clock.now().toISOString()),
      );
      limiter.forget(id);
      return presentOpenApp((await repo.find(db, id))!);
    },

    /** An administrator raises or lowers an app's limits. */
    async setLimits(actor: Actor, id: string, input: OpenAppLimitsInput): Promise<OpenApp> {
      if (actor.role !== 'ADMIN') throw forbidden("Only platform administrators change an app's limits");
      const set = {
        ...(input.ratePerSecond !== undefined ? { rate_per_second: input.ratePerSecond } : {}),
        ...(input.quotaPerDay !== undefined ? { quota_per_day: input.quotaPerDay } : {}),
      };
      await auditor.run({ actor, action: 'open-app.limits', targetType: 'open app', targetId: id, detail: { ...input } }, async (trx) => {
        if (!(await repo.find(trx, id))) throw notFound('app', id);
        await repo.setLimits(trx, id, set);
      });
      return presentOpenApp((await repo.find(db, id))!);
    },

    /** OpenAccess.appFor: an app key → its user and app, one call counted against its limits. */
    async appFor(appKey: string): Promise<{ userId: string; appId: string }> {
      const row = appKey.startsWith(APP_KEY_PREFIX) ? await repo.byKey(db, sha256(appKey)) : undefined;
      if (!row || row.revoked_at || toBool(row.disabled)) throw new AppError('OPEN_APP_KEY_INVALID', 'The app key (X-App-Key) is unknown or revoked');
      await limiter.take({ id: row.id, ratePerSecond: Number(row.rate_per_second), quotaPerDay: Number(row.quota_per_day) });
      return { userId: row.user_id, appId: row.id };
    },

    /** Writes accepted calls per app and day, then reads today's counts again (called by the periodic flush). */
    async flushUsage(): Promise<void> {
      const rows = limiter.drain();
      if (rows.length > 0) {
        try {
          await repo.addCalls(db, rows);
        } catch (err) {
          limiter.restore(rows);
          throw err;
        }
      }
      // Other serving processes' written calls count from here on, even in a process that had none to write (ADR 0039).
      await limiter.resync();
    },
  };
}

export type OpenAppsService = ReturnType<typeof createOpenAppsService>;
