import { LICENCES } from '../datasets/licences.js';

/**
 * The licence register as CKAN's `license_list` shows it: the open datasets' fixed licence
 * list (datasets/licences.ts), in CKAN's licence dictionary shape.
 */
export type CkanLicence = { id: string; title: string; url: string | null; odConformance: boolean };

const BY_ID = new Map<string, CkanLicence>(LICENCES.map((l) => [l.id, l]));

/** A dataset's licence; an id no longer in the list is shown as itself, not open. */
export function licenceOf(id: string): CkanLicence {
  return BY_ID.get(id) ?? { id, title: id, url: null, odConformance: false };
}

export function presentLicences() {
  return LICENCES.map((l) => ({
    id: l.id,
    title: l.title,
    url: l.url ?? '',
    status: 'active',
    maintainer: '',
    family: '',
    is_generic: false,
    is_okd_compliant: l.odConformance,
    od_conformance: l.odConformance ? 'approved' : 'not reviewed',
    osd_conformance: 'not reviewed',
    domain_content: false,
    domain_data: true,
    domain_software: false,
  }));
}
