import type { Db } from '../../../storage/dialect.js';
import type { MasterReader, MasterView } from '../contracts.js';
import { themeOf } from '../definitions/theme-definition.js';
import { createThemesRepository } from '../definitions/themes.repository.js';
import { normaliseKey } from '../keys/normalise-key.js';
import { createMastersRepository } from './masters.repository.js';
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

  return {
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
      const code = t?.code ?? '';
      return rows.sort((a, b) => (a.resource_id + a.source_key < b.resource_id + b.source_key ? -1 : 1)).map((r) => presentSourceLink(r, code));
    },
  };
}
