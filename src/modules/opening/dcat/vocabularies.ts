/**
 * The namespaces and controlled vocabularies of the DCAT-AP 3 export: the EU Publications
 * Office authority tables for frequency and file type, and IANA media types, which DCAT-AP
 * recommends for dct:accrualPeriodicity, dct:format and dcat:mediaType.
 */
export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  locn: 'http://www.w3.org/ns/locn#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  dcatap: 'http://data.europa.eu/r5r/',
} as const;

export type Prefix = keyof typeof NS;

const FREQUENCY_AUTHORITY = 'http://publications.europa.eu/resource/authority/frequency/';
const FILE_TYPE_AUTHORITY = 'http://publications.europa.eu/resource/authority/file-type/';
const IANA_MEDIA_TYPES = 'http://www.iana.org/assignments/media-types/';

/** The catalogue's update frequency (01 realtime … 10 never) → the EU frequency authority. */
const FREQUENCIES: Record<string, string> = {
  '01': 'UPDATE_CONT',
  '02': 'DAILY',
  '03': 'WEEKLY',
  '04': 'MONTHLY',
  '05': 'QUARTERLY',
  '06': 'ANNUAL_2',
  '07': 'ANNUAL',
  '08': 'OTHER',
  '09': 'IRREG',
  '10': 'NEVER',
};

export function euFrequency(code: string): string | null {
  const f = FREQUENCIES[code];
  return f ? FREQUENCY_AUTHORITY + f : null;
}

/** A distribution format → the EU file-type authority (an API answers JSON). */
export function euFileType(format: string): string {
  return FILE_TYPE_AUTHORITY + (format === 'API' ? 'JSON' : format);
}

export function ianaMediaType(mediaType: string): string {
  return IANA_MEDIA_TYPES + mediaType;
}
