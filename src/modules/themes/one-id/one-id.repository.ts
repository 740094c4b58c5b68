import type { Db } from '../../../storage/dialect.js';
import type { ThemeDefinition } from '../contracts.js';
import { themeOf } from '../definitions/theme-definition.js';
import { createThemesRepository } from '../definitions/themes.repository.js';

/** Every theme's definition (members, attribute mapping), as the definitions part stores them. */
export async function readThemeDefinitions(db: Db): Promise<ThemeDefinition[]> {
  const rows = await createThemesRepository().list(db);
  return rows.map((r) => themeOf(r).definition);
}
