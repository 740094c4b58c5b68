import { AppError, notFound } from '../../../errors.js';
import { scopeOf } from '../../../shared/access-scope.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { newId } from '../../../shared/ids.js';
import { decodeCursor, encodeCursor, type Page } from '../../../shared/page.js';
import { seal } from '../../../shared/secret-box.js';
import { toJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader, Resource } from '../../catalog/index.js';
import type { UpstreamConfig } from '../contracts.js';
import { secretContext, STATUS_MOVES, toInterface, type GeneratedConfig, type SharingInterface } from './interface-config.js';
import { interfaceOpenApi } from './interface-openapi.js';
import { interfacesPolicy } from './interfaces.policy.js';
import { presentInterface, type InterfaceView } from './interfaces.presenter.js';
import { createInterfacesRepository, type InterfaceRow } from './interfaces.repository.js';
import type { GeneratedInterfaceInput, InterfaceListQuery, InterfacePatchInput, UpstreamInterfaceInput } from './interfaces.schemas.js';

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, code: 'invalid_value', message }] });
const moveRefused = (from: string, to: string, detail: string) =>
  new AppError('INTERFACE_TRANSITION_INVALID', detail, { from, to, allowed: STATUS_MOVES[from as keyof typeof STATUS_MOVES] ?? [] });

export type InterfacesServiceDeps = {
  db: Db;
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  /** The key upstream secrets are sealed with (hex), resolved on first use. */
  secretKey: () => string;
  /** Called after every committed change (the gateway drops its cached interfaces). */
  onChange?: () => void;
};

/**
 * Sharing interfaces 共享接口 (DOMAIN.md §6): generated from a resource (lookup by its key items,
 * batch, filters on declared items, keyset paging) or registered upstream URLs the gateway
 * proxies. The provider department's officers or an administrator manage them; every change is
 * audited; upstream secrets are sealed and never returned.
 */
export function createInterfacesService(deps: InterfacesServiceDeps) {
  const { db, clock, auditor, catalog } = deps;
  const repo = createInterfacesRepository();
  const changed = () => deps.onChange?.();

  /** The interface for a caller who may see it (a classified resource's interface is 404 to others). */
  async function visible(actor: Actor, id: string): Promise<{ iface: SharingInterface; resource: Resource | null }> {
    const row = await repo.find(db, id);
    if (!row) throw notFound('interface', id);
    const iface = toInterface(row);
    if (iface.kind === 'UPSTREAM') return { iface, resource: null };
    const resource = await catalog.resource(iface.resourceId, scopeOf(actor));
    if (!resource) throw notFound('interface', id);
    return { iface, resource };
  }

  function generatedConfig(resource: Resource, keyItems: string[] | undefined, filterItems: string[]): GeneratedConfig {
    const items = resource.items ?? [];
    const codes = new Set(items.map((i) => i.code));
    const primary = items.filter((i) => i.primaryKey).map((i) => i.code);
    if (keyItems && (keyItems.length !== primary.length || keyItems.some((k) => !primary.includes(k)))) {
      throw invalid('body.keyItems', `The key items must be the resource's primary-key items (${primary.join(', ') || 'none'})`);
    }
    filterItems.forEach((f, n) => {
      if (!codes.has(f)) throw invalid(`body.filterItems.${n}`, `No data item '${f}' in resource ${resource.id}`);
      const item = items.find((i) => i.code === f)!;
      if (item.dataType === 'BINARY') throw invalid(`body.filterItems.${n}`, `Item '${f}' is binary: it cannot be filtered on`);
    });
    return { keyItems: primary, filterItems: [...new Set(filterItems)] };
  }

  const sealSecret = (id: string, secret: string | null | undefined) => (secret ? seal(secret, deps.secretKey(), secretContext(id)) : null);

  async function insert(actor: Actor, row: InterfaceRow): Promise<InterfaceView> {
    const detail = { code: row.code, version: row.version, kind: row.kind, resourceId: row.resource_id, departmentId: row.department_id };
    await auditor.run({ actor, action: 'sharing.interface.create', targetType: 'interface', targetId: row.id, detail }, (trx) => repo.insert(trx, row));
    changed();
    return presentInterface(toInterface((await repo.find(db, row.id))!));
  }

  const limitsOf = (input: { ratePerSecond?: number | null; quotaPerDay?: number | null; quotaPerMonth?: number | null }) => ({
    rate_per_second: input.ratePerSecond ?? null,
    quota_per_day: input.quotaPerDay ?? null,
    quota_per_month: input.quotaPerMonth ?? null,
  });

  return {
    async createGenerated(actor: Actor, input: GeneratedInterfaceInput): Promise<InterfaceView> {
      const resource = await catalog.resource(input.resourceId, scopeOf(actor));
      if (!resource) throw notFound('resource', input.resourceId);
      interfacesPolicy.assertCanManage(actor, resource.providerDepartmentId);
      const config = generatedConfig(resource, input.keyItems, input.filterItems);
      const at = clock.now().toISOString();
      return insert(actor, {
        id: newId(),
        code: input.code,
        version: input.version,
        name: input.name,
        kind: 'GENERATED',
        level: input.level,
        status: 'DRAFT',
        resource_id: resource.id,
        department_id: resource.providerDepartmentId,
        ...limitsOf(input),
        config: toJson(config),
        secret_sealed: null,
        created_at: at,
        updated_at: at,
      });
    },

    async createUpstream(actor: Actor, input: UpstreamInterfaceInput): Promise<InterfaceView> {
      const departmentId = input.departmentId ?? actor.departmentId;
      if (!departmentId) throw invalid('body.departmentId', 'An upstream interface needs its providing department');
      interfacesPolicy.assertCanManage(actor, departmentId);
      const config: UpstreamConfig = { url: input.url, method: input.method, timeoutMs: input.timeoutMs, auth: input.auth };
      const at = clock.now().toISOString();
      const id = newId();
      return insert(actor, {
        id,
        code: input.code,
        version: input.version,
        name: input.name,
        kind: 'UPSTREAM',
        level: input.level,
        status: 'DRAFT',
        resource_id: null,
        department_id: departmentId,
        ...limitsOf(input),
        config: toJson(config),
        secret_sealed: sealSecret(id, input.secret),
        created_at: at,
        updated_at: at,
      });
    },

    async update(actor: Actor, id: string, patch: InterfacePatchInput): Promise<InterfaceView> {
      const { iface, resource } = await visible(actor, id);
      interfacesPolicy.assertCanManage(actor, iface.departmentId);
      const set: Partial<InterfaceRow> = { updated_at: clock.now().toISOString() };
      if (patch.status !== undefined && patch.status !== iface.status) {
        if (!STATUS_MOVES[iface.status].includes(patch.status))
          throw moveRefused(iface.status, patch.status, `An interface cannot move from ${iface.status} to ${patch.status}`);
        set.status = patch.status;
      }
      for (const field of ['code', 'version'] as const) {
        if (patch[field] !== undefined && patch[field] !== iface[field]) {
          if (iface.status !== 'DRAFT')
            throw moveRefused(iface.status, iface.status, `The ${field} of a ${iface.status} interface cannot change: consumers call it by it`);
          set[field] = patch[field];
        }
      }
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.level !== undefined) set.level = patch.level;
      if (patch.ratePerSecond !== undefined) set.rate_per_second = patch.ratePerSecond;
      if (patch.quotaPerDay !== undefined) set.quota_per_day = patch.quotaPerDay;
      if (patch.quotaPerMonth !== undefined) set.quota_per_month = patch.quotaPerMonth;
      const upstreamFields = (['url', 'method', 'timeoutMs', 'auth', 'secret'] as const).filter((f) => patch[f] !== undefined);
      if (iface.kind === 'GENERATED') {
        if (upstreamFields.length > 0) throw invalid(`body.${upstreamFields[0]}`, 'Only upstream interfaces have this setting');
        if (patch.filterItems !== undefined) set.config = toJson(generatedConfig(resource!, undefined, patch.filterItems));
      } else {
        if (patch.filterItems !== undefined) throw invalid('body.filterItems', 'Only generated interfaces have filter items');
        const c = iface.config;
        set.config = toJson({
          url: patch.url ?? c.url,
          method: patch.method ?? c.method,
          timeoutMs: patch.timeoutMs ?? c.timeoutMs,
          auth: patch.auth ?? c.auth,
        } satisfies UpstreamConfig);
        if (patch.secret !== undefined) set.secret_sealed = sealSecret(id, patch.secret);
      }
      // Which fields changed, never their values (a secret, a URL with a token).
      const fields = Object.keys(patch).filter((k) => patch[k as keyof InterfacePatchInput] !== undefined);
      await auditor.run(
        {
          actor,
          action: 'sharing.interface.update',
          targetType: 'interface',
          targetId: id,
          detail: { fields, from: iface.status, to: set.status ?? iface.status },
        },
        async (trx) => {
          if ((await repo.update(trx, id, iface.status, set)) === 0)
            throw moveRefused(iface.status, set.status ?? iface.status, 'The interface changed while this request ran; read it again');
        },
      );
      changed();
      return presentInterface(toInterface((await repo.find(db, id))!));
    },

    /** Only a draft is deleted; a published or offline interface has calls and grants that name it. */
    async remove(actor: Actor, id: string): Promise<void> {
      const { iface } = await visible(actor, id);
      interfacesPolicy.assertCanManage(actor, iface.departmentId);
      if (iface.status !== 'DRAFT')
        throw moveRefused(iface.status, iface.status, `Only a draft interface can be deleted (this one is ${iface.status}): take it offline instead`);
      await auditor.run(
        { actor, action: 'sharing.interface.delete', targetType: 'interface', targetId: id, detail: { code: iface.code, version: iface.version } },
        async (trx) => {
          if ((await repo.remove(trx, id)) === 0) throw moveRefused(iface.status, iface.status, 'The interface changed while this request ran; read it again');
        },
      );
      changed();
    },

    async get(actor: Actor, id: string): Promise<InterfaceView> {
      return presentInterface((await visible(actor, id)).iface);
    },

    async openapi(actor: Actor, id: string): Promise<Record<string, unknown>> {
      const { iface, resource } = await visible(actor, id);
      return interfaceOpenApi(iface, resource?.items ?? []);
    },

    /** Newest first; interfaces of classified resources the caller may not see are left out (a page may then be shorter). */
    async list(actor: Actor, q: InterfaceListQuery): Promise<Page<InterfaceView>> {
      const rows = await repo.list(db, {
        kind: q.kind,
        status: q.status,
        resourceId: q.resourceId,
        departmentId: q.departmentId,
        before: decodeCursor(q.cursor),
        limit: q.limit,
      });
      const page = rows.slice(0, q.limit);
      const scope = scopeOf(actor);
      const seen = new Map<string, boolean>();
      const items: InterfaceView[] = [];
      for (const row of page) {
        if (row.resource_id) {
          if (!seen.has(row.resource_id)) {
            const owner = await catalog.owner(row.resource_id);
            seen.set(row.resource_id, owner !== null && catalog.canSee(owner, scope));
          }
          if (!seen.get(row.resource_id)) continue;
        }
        items.push(presentInterface(toInterface(row)));
      }
      const last = page[page.length - 1];
      return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.id) : null };
    },

    /** A published interface by code and version, for the gateway (which caches it); null otherwise. */
    async published(code: string, version: string): Promise<SharingInterface | null> {
      const row = await repo.findByCode(db, code, version);
      return row && row.status === 'PUBLISHED' ? toInterface(row) : null;
    },
  };
}

export type InterfacesService = ReturnType<typeof createInterfacesService>;
