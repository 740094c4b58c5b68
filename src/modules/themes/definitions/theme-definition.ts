import { fromJson } from '../../../storage/dialect.js';
import type { KeyKind, ThemeDefinition } from '../contracts.js';
import type { ThemeRow } from './themes.repository.js';

/** A stored theme as the mechanism uses it: its row id, version and definition. */
export type Theme = { id: string; version: number; definition: ThemeDefinition };

export function themeOf(row: ThemeRow): Theme {
  const stored = fromJson<Omit<ThemeDefinition, 'code' | 'name' | 'nameEn' | 'keyKind'>>(row.definition, { attributes: [], members: [] });
  return {
    id: row.id,
    version: row.version,
    definition: { ...stored, code: row.code, name: row.name, nameEn: row.name_en, keyKind: row.key_kind as KeyKind },
  };
}
