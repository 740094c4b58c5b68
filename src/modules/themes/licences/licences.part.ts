import type { Clock } from '../../../shared/clock.js';
import type { Db } from '../../../storage/dialect.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import type { MasterReader, ThemeDefinition } from '../contracts.js';
import { themeOf } from '../definitions/theme-definition.js';
import { createThemesRepository } from '../definitions/themes.repository.js';
import { licencesRoutes } from './licences.routes.js';
import { createLicencesService, LICENCE_THEME } from './licences.service.js';

export type LicencesPartDeps = { db: Db; clock: Clock; auditor: Auditor; catalog: CatalogReader; masters: MasterReader };

/** C: e-licences 电子证照 — `/api/v1/licences/verify/:identifier`, `/api/v1/licences/:identifier`, `/api/v1/licences?holderCode=`; ADR 0028. */
export function createLicencesPart(deps: LicencesPartDeps) {
  const themes = createThemesRepository();
  const theme = async (): Promise<ThemeDefinition | null> => {
    const row = await themes.byCode(deps.db, LICENCE_THEME);
    return row ? themeOf(row).definition : null;
  };
  const service = createLicencesService({ ...deps, theme });
  return { service, routes: licencesRoutes(service) };
}
