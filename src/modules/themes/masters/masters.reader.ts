import type { Db } from '../../../storage/dialect.js';
import type { MasterReader, MasterView, SourceLink, ThemeSnapshot } from '../contracts.js';
import { themeOf } from '../definitions/theme-definition.js';
import { createThemesRepository } from '../definitions/themes.repository.js';
import { normaliseKey } from '../keys/normalise-key.js';
import { createMastersRepository, type SourceRow } from './masters.repository.js';
import { presentMaster, presentSourceLink } from './masters.presenter.js';
import { ORG_CODE_TERM, termValue } from './terms.js';

const MAX_LIMIT = 1000;

/**
 * The masters as the other parts read them (one-id, licences, spatial, figures). No access checks
 * here: callers apply their own policy. A raw key is normalised by the theme's key kind first; an
 * organisation code finds the USCC master it bridges to.
 */
export function createMasterReader(deps: { db: Db }): MasterReader {
  const { db } = deps;
  const themes = createThemesRepository();
  const repo = createMastersRepository();

  async function theme(code: string) {
    const row = await themes.byCode(db, code);
    return row ? themeOf(row) : null;
  }

  let cached: { stamp: string; list: ThemeSnapshot[] } | null = null;
  /** The themes, read again only when the stamp (count, sum of versions, last update) moved. */
  async function snapshot(): Promise<ThemeSnapshot[]> {
    const s = await db
      .selectFrom('themes')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('version').as('v'), eb.fn.max('updated_at').as('u')])
      .executeTakeFirst();
    const u = s?.u as unknown;
    const stamp = `${String(s?.n)}|${String(s?.v)}|${u instanceof Date ? u.toISOString() : String(u)}`;
    if (cached?.stamp === stamp) return cached.list;
    const list = (await themes.list(db)).map(themeOf);
    cached = { stamp, list };
    return list;
  }

  const linksOf = (rows: readonly SourceRow[], code: string): SourceLink[] =>
    [...rows].sort((a, b) => (a.resource_id + a.source_key < b.resource_id + b.source_key ? -1 : 1)).map((r) => presentSourceLink(r, code));

  return {
    themes: snapshot,

    async findWithSources(list, rawKey) {
      const keyed: { t: ThemeSnapshot; key: string }[] = [];
      const bridged: { t: ThemeSnapshot; orgCode: string }[] = [];
      for (const t of list) {
        const k = normaliseKey(t.definition.keyKind, rawKey);
        if (!k.ok) continue;
        if ('orgCode' in k) bridged.push({ t, orgCode: k.orgCode });
        else keyed.push({ t, key: k.key });
      }
      const rows = keyed.length
        ? await db
            .selectFrom('theme_masters')
            .selectAll()
            .where((eb) => eb.or(keyed.map(({ t, key }) => eb.and([eb('theme_id', '=', t.id), eb('master_key', '=', key)]))))
            .execute()
        : [];
      for (const { t, orgCode } of bridged) {
        const ids = [...new Set((await repo.termHits(db, t.id, ORG_CODE_TERM, [orgCode])).map((h) => h.master_id))];
        if (ids.length === 1) rows.push(...(await repo.mastersByIds(db, ids)));
      }
      const byTheme = new Map(rows.map((r) => [r.theme_id, r]));
      const found = list.flatMap((t) => {
        const row = byTheme.get(t.id);
        return row ? [{ t, row }] : [];
      });
      const sources = await repo.sourcesOfMasters(
        db,
        found.map((f) => f.row.id),
      );
      const byMaster = new Map<string, SourceRow[]>();
      for (const r of sources) byMaster.set(r.master_id!, [...(byMaster.get(r.master_id!) ?? []), r]);
      return found.map(({ t, row }) => ({
        themeCode: t.definition.code,
        master: presentMaster(row, t.definition.code),
        links: linksOf(byMaster.get(row.id) ?? [], t.definition.code),
      }));
    },

    async findByKey(themeCode, rawKey) {
      const t = await theme(themeCode);
      if (!t) return null;
      const k = normaliseKey(t.definition.keyKind, rawKey);
      if (!k.ok) return null;
      if ('orgCode' in k) {
        const hits = await repo.termHits(db, t.id, ORG_CODE_TERM, [k.orgCode]);
        const ids = [...new Set(hits.map((h) => h.master_id))];
        if (ids.length !== 1) return null;
        const [row] = await repo.mastersByIds(db, ids);
        return row ? presentMaster(row, themeCode) : null;
      }
      const row = await repo.findMaster(db, t.id, k.key);
      return row ? presentMaster(row, themeCode) : null;
    },

    async findByAttribute(themeCode, attribute, value, limit = 100): Promise<MasterView[]> {
      const t = await theme(themeCode);
      const v = termValue(value);
      if (!t || v === null) return [];
      const hits = await repo.termHits(db, t.id, attribute, [v]);
      const ids = [...new Set(hits.map((h) => h.master_id))].slice(0, Math.min(Math.max(limit, 1), MAX_LIMIT));
      const rows = await repo.mastersByIds(db, ids);
      return rows.sort((a, b) => (a.master_key < b.master_key ? -1 : a.master_key > b.master_key ? 1 : 0)).map((r) => presentMaster(r, themeCode));
    },

    async sources(masterId) {
      const rows = await repo.sourcesOfMasters(db, [masterId]);
      if (rows.length === 0) return [];
      const t = await themes.byId(db, rows[0]!.theme_id);
      return linksOf(rows, t?.code ?? '');
    },
  };
}
