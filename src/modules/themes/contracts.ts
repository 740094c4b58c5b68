/**
 * The seams between the themes module's parts (issue 13, DOMAIN.md §8), fixed first so each part
 * can be built against them:
 *
 *   definitions/ (themes and their members) → masters/ (the mechanism: normalise keys, match,
 *   crosswalk, survivorship, provenance, conflicts → governance, review queue) → MasterReader ←
 *   one-id/ (一证通办), licences/ (电子证照), spatial/ (OGC API – Features at /ogc), figures/.
 *
 * Tables: migration 0018 (src/storage/migrations/0018-themes.ts). Keys are normalised by keys/.
 */
import type { RecordKey, RecordValue } from '../collection/index.js';

/** What a theme is keyed by (DOMAIN.md §8). SUBJECT: a citizen ID or a USCC, told apart by form (credit). */
export const KEY_KINDS = ['CITIZEN_ID', 'USCC', 'SUBJECT', 'LICENCE_ID', 'GRID_CODE', 'FEATURE_ID'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/**
 * How a member record joined its master:
 * - KEY: its key was valid as carried (after trimming, full-width → half-width, case);
 * - LEGACY: a 15-digit citizen ID upgraded to 18 digits;
 * - BRIDGE: an organisation code (GB 11714) joined the USCC whose positions 9–17 it is;
 * - ATTRIBUTES: no valid key, matched on one of the theme's fixed attribute combinations;
 * - UNMATCHED: left in the review queue (never linked on a name alone).
 */
export const MATCH_TIERS = ['KEY', 'LEGACY', 'BRIDGE', 'ATTRIBUTES', 'UNMATCHED'] as const;
export type MatchTier = (typeof MATCH_TIERS)[number];

/** The outcome of normalising one raw key value for a key kind. */
export type NormalisedKey =
  | { ok: true; key: string; tier: 'KEY' | 'LEGACY' }
  /** An organisation code: the master is the USCC whose body (positions 9–17) equals `orgCode`. */
  | { ok: true; orgCode: string; tier: 'BRIDGE' }
  | { ok: false; reason: string };

/** A master attribute a theme keeps. */
export type ThemeAttribute = {
  code: string;
  name: string;
  nameEn: string;
  /** Kept in theme_master_terms so masters can be found by it (e.g. a licence's holder code). */
  indexed?: boolean;
};

/** A member resource: which of its items carries the key and which map to master attributes. */
export type ThemeMember = {
  /** The catalogue resource's id. */
  resourceId: string;
  /** The item carrying the theme key (a citizen ID, USCC, organisation code, licence id …). */
  keyItem: string;
  /** Master attribute code → the member's item code. */
  attributes: Record<string, string>;
  /** Lower wins; the default priority of this member for every attribute it maps. */
  priority: number;
};

export type ThemeDefinition = {
  code: string;
  name: string;
  nameEn: string;
  keyKind: KeyKind;
  attributes: ThemeAttribute[];
  members: ThemeMember[];
  /** Per attribute: member resource ids in order of authority, overriding the members' priority. */
  attributePriority?: Record<string, string[]>;
  /** Attribute combinations that may match a record without a valid key, e.g. [['name','birth_date','sex_code','region_code']]. Never one attribute alone. */
  fallbackMatch?: string[][];
  /** Spatial themes: the attributes holding the geometry (GeoJSON text) or a point's longitude/latitude. */
  geometry?: { geojson: string } | { longitude: string; latitude: string };
  /** The attribute holding the region code (spatial filtering, figures). */
  regionAttribute?: string;
};

/** Where one surviving attribute value came from. */
export type Provenance = { resourceId: string; sourceKey: string; receivedAt: string };

export type MasterView = {
  id: string;
  themeCode: string;
  key: string;
  attributes: Record<string, RecordValue>;
  provenance: Record<string, Provenance>;
  sourceCount: number;
  regionCode: string | null;
  updatedAt: string;
};

/** One crosswalk row: a member record that joined (or waits to join) a master. */
export type SourceLink = {
  themeCode: string;
  resourceId: string;
  /** The member record's key, as the record reader takes it (RecordReader.get/getMany). */
  recordKey: RecordKey;
  sourceKey: string;
  masterId: string | null;
  tier: MatchTier;
  receivedAt: string;
};

/**
 * How the other parts read the masters (implemented in masters/masters.reader.ts). No access
 * checks here: callers (one-id, licences, spatial, routes) apply their own policy.
 */
export interface MasterReader {
  /** The master of this theme whose normalised key equals the normalisation of `rawKey`; null when none. */
  findByKey(themeCode: string, rawKey: string): Promise<MasterView | null>;
  /** Masters whose indexed attribute `attribute` equals `value` (e.g. licences by holder code), at most `limit`. */
  findByAttribute(themeCode: string, attribute: string, value: string, limit?: number): Promise<MasterView[]>;
  /** The crosswalk rows of one master, every member record that joined it. */
  sources(masterId: string): Promise<SourceLink[]>;
  /**
   * Every theme's definition with its id, cached: per call one aggregate over the themes table
   * (count, versions, last update) decides whether they are read again, so a change by any
   * process is seen at once.
   */
  themes(): Promise<ThemeSnapshot[]>;
  /**
   * The master of `rawKey` in each of these themes (normalised per theme; an organisation code
   * finds the USCC master it bridges to) with its crosswalk rows — one statement for the keyed
   * masters and one for the crosswalk rows whatever the number of themes.
   */
  findWithSources(themes: readonly ThemeSnapshot[], rawKey: string): Promise<{ themeCode: string; master: MasterView; links: SourceLink[] }[]>;
}

/** A theme as MasterReader.themes() lists it. */
export type ThemeSnapshot = { id: string; version: number; definition: ThemeDefinition };
