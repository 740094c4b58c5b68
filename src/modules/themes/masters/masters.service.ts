import { AppError, notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { decodeCompositeCursor, decodeCursor, toPage } from '../../../shared/page.js';
import { fromJson, type Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader, MaskingRule } from '../../catalog/index.js';
import { maskValue, type RecordValue } from '../../collection/index.js';
import type { Theme } from '../definitions/theme-definition.js';
import type { ThemesService } from '../definitions/themes.service.js';
import { normaliseKey } from '../keys/normalise-key.js';
import { themesPolicy } from '../themes.policy.js';
import { createMastersRepository, type ConflictRow, type MasterRow, type SourceRow } from './masters.repository.js';
import { presentMaster, presentSourceLink, sourceAttributes } from './masters.presenter.js';
import type { MastersQuery, ReviewQuery } from './masters.schemas.js';
import { recomputeMasters } from './recompute.js';
import type { ConflictCandidate } from './survivorship.js';

export type MastersDeps = { db: Db; clock: Clock; auditor: Auditor; catalog: CatalogReader; themes: ThemesService };

type Ask = { unmasked?: boolean; reason?: string };
type Masks = { key: MaskingRule | null; attributes: Map<string, MaskingRule | null> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Masters, the review queue and conflicts for the platform administrator (they gather personal
 * data of many departments). Values are masked by the masking rule of the member items they come
 * from — the strictest member's — unless `unmasked=true` with a reason, which the audit records.
 */
export function createMastersService(deps: MastersDeps) {
  const { db, clock, auditor, catalog, themes } = deps;
  const repo = createMastersRepository();

  /** Per attribute the masking rule of the items mapped to it (the first member, by priority, whose item has one), and the key item's. */
  async function masksOf(theme: Theme): Promise<Masks> {
    const members = [...theme.definition.members].sort((a, b) => a.priority - b.priority);
    const resources = new Map(
      (
        await catalog.resources(
          members.map((m) => m.resourceId),
          'all',
        )
      ).map((r) => [r.id, r]),
    );
    const ruleOf = (resourceId: string, item: string) => {
      const rule = resources.get(resourceId)?.items?.find((i) => i.code === item)?.maskingRule ?? null;
      return rule === 'NONE' ? null : rule;
    };
    const attributes = new Map<string, MaskingRule | null>();
    let key: MaskingRule | null = null;
    for (const m of members) {
      key ??= ruleOf(m.resourceId, m.keyItem);
      for (const [attribute, item] of Object.entries(m.attributes)) {
        if (!attributes.get(attribute)) attributes.set(attribute, ruleOf(m.resourceId, item));
      }
    }
    return { key, attributes };
  }

  function access(actor: Actor, ask: Ask): { masked: boolean; reason: string | null } {
    themesPolicy.assertCanReadMasters(actor);
    if (!ask.unmasked) return { masked: true, reason: null };
    const reason = ask.reason?.trim() ?? '';
    if (reason.length < 5) {
      throw new AppError('VALIDATION_FAILED', 'Reading unmasked masters needs a stated reason (at least 5 characters); it is audited', {
        errors: [{ path: 'query.reason', code: 'required', message: 'a reason is required with unmasked=true' }],
      });
    }
    return { masked: false, reason };
  }

  const maskAttrs = (masks: Masks, masked: boolean, values: Record<string, RecordValue>) =>
    masked ? Object.fromEntries(Object.entries(values).map(([a, v]) => [a, maskValue(masks.attributes.get(a) ?? null, v)])) : values;

  function view(theme: Theme, masks: Masks, masked: boolean, row: MasterRow) {
    const m = presentMaster(row, theme.definition.code);
    return { ...m, key: masked ? maskValue(masks.key, m.key) : m.key, attributes: maskAttrs(masks, masked, m.attributes), masked };
  }

  function conflictView(masks: Masks, masked: boolean, row: ConflictRow & { master_key?: string }) {
    const rule = masks.attributes.get(row.attribute) ?? null;
    return {
      id: row.id,
      masterId: row.master_id,
      masterKey: row.master_key === undefined ? null : masked ? maskValue(masks.key, row.master_key) : row.master_key,
      attribute: row.attribute,
      candidates: fromJson<ConflictCandidate[]>(row.candidates, []).map((c) => ({ ...c, value: masked ? maskValue(rule, c.value) : c.value })),
      status: row.status as 'OPEN' | 'RESOLVED',
      openedAt: row.opened_at,
      resolvedAt: row.resolved_at,
    };
  }

  const reviewView = (masks: Masks, masked: boolean, r: SourceRow) => ({
    resourceId: r.resource_id,
    sourceKey: r.source_key,
    rawKey: masked ? maskValue(masks.key, r.raw_key) : r.raw_key,
    attributes: maskAttrs(masks, masked, sourceAttributes(r)),
    reviewStatus: r.review_status as 'PENDING' | 'LINKED' | 'DISMISSED',
    reviewReason: r.review_reason,
    receivedAt: r.received_at,
    masterId: r.master_id,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
  });

  const audit = (
    actor: Actor,
    action: string,
    code: string,
    rows: number,
    a: { masked: boolean; reason: string | null },
    extra: Record<string, unknown> = {},
  ) =>
    auditor.read({
      actor,
      action,
      targetType: 'theme',
      targetId: code,
      detail: { rows, masked: a.masked, ...(a.masked ? {} : { unmasked: true, reason: a.reason }), ...extra },
    });

  /** The master named by a key (normalised as the theme's keys are; an organisation code bridges) or by its id. */
  async function masterOr404(theme: Theme, key: string): Promise<MasterRow> {
    if (UUID.test(key)) {
      const [row] = await repo.mastersByIds(db, [key]);
      if (row && row.theme_id === theme.id) return row;
    }
    const k = normaliseKey(theme.definition.keyKind, key);
    if (k.ok && 'key' in k) {
      const row = await repo.findMaster(db, theme.id, k.key);
      if (row) return row;
    } else if (k.ok) {
      const hits = [...new Set((await repo.termHits(db, theme.id, 'org_code', [k.orgCode])).map((h) => h.master_id))];
      if (hits.length === 1) {
        const [row] = await repo.mastersByIds(db, hits);
        if (row) return row;
      }
    }
    throw notFound('master', key);
  }

  return {
    async list(actor: Actor, code: string, q: MastersQuery) {
      const a = access(actor, q);
      const theme = await themes.themeOr404(code);
      const masks = await masksOf(theme);
      let prefix: string | undefined;
      if (q.q) {
        const k = normaliseKey(theme.definition.keyKind, q.q);
        prefix = k.ok && 'key' in k ? k.key : q.q.toUpperCase();
      }
      const rows = await repo.listMasters(db, theme.id, { prefix, after: decodeCursor(q.cursor), limit: q.limit + 1 });
      const page = toPage(
        rows,
        q.limit,
        (r) => r.master_key,
        (r) => view(theme, masks, a.masked, r),
      );
      await audit(actor, 'themes.masters.read', code, page.items.length, a);
      return page;
    },

    async get(actor: Actor, code: string, key: string, ask: Ask) {
      const a = access(actor, ask);
      const theme = await themes.themeOr404(code);
      const masks = await masksOf(theme);
      const row = await masterOr404(theme, key);
      const [sources, conflicts] = await Promise.all([repo.sourcesOfMasters(db, [row.id]), repo.conflictsOfMasters(db, [row.id])]);
      await audit(actor, 'themes.masters.read', code, 1, a, { masterId: row.id });
      return {
        ...view(theme, masks, a.masked, row),
        sources: sources
          .sort((x, y) => (x.resource_id + x.source_key < y.resource_id + y.source_key ? -1 : 1))
          .map((s) => ({ ...presentSourceLink(s, code), attributes: maskAttrs(masks, a.masked, sourceAttributes(s)) })),
        conflicts: conflicts.map((c) => conflictView(masks, a.masked, { ...c, master_key: row.master_key })),
      };
    },

    async review(actor: Actor, code: string, q: ReviewQuery) {
      const a = access(actor, q);
      const theme = await themes.themeOr404(code);
      const masks = await masksOf(theme);
      const after = decodeCompositeCursor(q.cursor, 2) as [string, string] | undefined;
      const rows = await repo.reviewPage(db, theme.id, q.status, after ?? null, q.limit + 1);
      const page = toPage(
        rows,
        q.limit,
        (r) => [r.resource_id, r.source_key],
        (r) => reviewView(masks, a.masked, r),
      );
      await audit(actor, 'themes.review.read', code, page.items.length, a);
      return page;
    },

    /** A reviewer links a waiting record to a master by hand (tier ATTRIBUTES, LINKED): survivorship of that master is recomputed at once. */
    async link(actor: Actor, code: string, input: { resourceId: string; sourceKey: string; masterKey: string; note?: string }) {
      themesPolicy.assertCanReadMasters(actor);
      const theme = await themes.themeOr404(code);
      const source = await repo.findSource(db, theme.id, input.resourceId, input.sourceKey);
      if (!source) throw notFound('review row', input.sourceKey);
      const master = await masterOr404(theme, input.masterKey);
      const now = clock.now().toISOString();
      await auditor.run(
        {
          actor,
          action: 'themes.review.link',
          targetType: 'theme',
          targetId: code,
          detail: { resourceId: input.resourceId, sourceKey: input.sourceKey, masterId: master.id },
        },
        async (trx) => {
          await repo.setReview(trx, theme.id, input.resourceId, input.sourceKey, {
            master_id: master.id,
            tier: 'ATTRIBUTES',
            review_status: 'LINKED',
            review_reason: input.note ?? null,
            reviewed_by: actor.username,
            reviewed_at: now,
            updated_at: now,
          });
          await recomputeMasters(trx, repo, theme, [master.id, ...(source.master_id ? [source.master_id] : [])], now);
        },
      );
      const masks = await masksOf(theme);
      return reviewView(masks, true, (await repo.findSource(db, theme.id, input.resourceId, input.sourceKey))!);
    },

    /** A reviewer decides a waiting record belongs to no master: it leaves the queue (and any master it was linked to). */
    async dismiss(actor: Actor, code: string, input: { resourceId: string; sourceKey: string; reason: string }) {
      themesPolicy.assertCanReadMasters(actor);
      const theme = await themes.themeOr404(code);
      const source = await repo.findSource(db, theme.id, input.resourceId, input.sourceKey);
      if (!source) throw notFound('review row', input.sourceKey);
      const now = clock.now().toISOString();
      await auditor.run(
        { actor, action: 'themes.review.dismiss', targetType: 'theme', targetId: code, detail: { resourceId: input.resourceId, sourceKey: input.sourceKey } },
        async (trx) => {
          await repo.setReview(trx, theme.id, input.resourceId, input.sourceKey, {
            master_id: null,
            tier: 'UNMATCHED',
            review_status: 'DISMISSED',
            review_reason: input.reason,
            reviewed_by: actor.username,
            reviewed_at: now,
            updated_at: now,
          });
          if (source.master_id) await recomputeMasters(trx, repo, theme, [source.master_id], now);
        },
      );
      const masks = await masksOf(theme);
      return reviewView(masks, true, (await repo.findSource(db, theme.id, input.resourceId, input.sourceKey))!);
    },

    async conflicts(actor: Actor, code: string, q: { status?: 'OPEN' | 'RESOLVED'; cursor?: string; limit: number } & Ask) {
      const a = access(actor, q);
      const theme = await themes.themeOr404(code);
      const masks = await masksOf(theme);
      const rows = await repo.conflictsPage(db, theme.id, q.status, decodeCursor(q.cursor) ?? null, q.limit + 1);
      const page = toPage(
        rows,
        q.limit,
        (r) => r.id,
        (r) => conflictView(masks, a.masked, r),
      );
      await audit(actor, 'themes.conflicts.read', code, page.items.length, a);
      return page;
    },
  };
}

export type MastersService = ReturnType<typeof createMastersService>;
