import type { Actor } from '../../../shared/actor.js';
import type { Resource } from '../../catalog/index.js';
import { maskValue, type RecordValue } from '../../collection/index.js';
import type { MasterView, ThemeDefinition } from '../contracts.js';
import { licencesPolicy } from './licences.policy.js';
import type { LicenceView } from './licences.schemas.js';
import { validityOf } from './validity.js';

/** The e-licence theme's master attributes (themes-plan: fixed) → the fields of a Licence. */
const FIELDS = {
  name: 'name',
  typeCode: 'type_code',
  number: 'number',
  holder: 'holder',
  holderCode: 'holder_code',
  holderCodeType: 'holder_code_type',
  issuer: 'issuer',
  issuerCode: 'issuer_code',
  issueDate: 'issue_date',
  validFrom: 'valid_from',
  validTo: 'valid_to',
  regionCode: 'region_code',
  status: 'status',
} as const;

export type PresentContext = {
  actor: Actor;
  theme: ThemeDefinition;
  /** The theme's member resources by id (their items' masking rules, classification). */
  entries: Map<string, Resource>;
  masked: boolean;
  /** Today in China Standard Time (YYYY-MM-DD). */
  today: string;
};

const text = (v: RecordValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

/**
 * A licence master as the API shows it. Validity is computed from the stored values before any
 * masking; each shown value is masked by the rule of the member item it survived from.
 */
export function presentLicence(master: MasterView, ctx: PresentContext): LicenceView {
  const a = master.attributes;
  const value = (code: string): string | null => {
    const v = a[code];
    if (v === null || v === undefined) return null;
    const from = master.provenance[code];
    if (!from) return text(v);
    const entry = ctx.entries.get(from.resourceId);
    if (!licencesPolicy.sourceVisible(ctx.actor, entry)) return null;
    if (!ctx.masked) return text(v);
    const itemCode = ctx.theme.members.find((m) => m.resourceId === from.resourceId)?.attributes[code];
    const rule = entry?.items?.find((i) => i.code === itemCode)?.maskingRule ?? null;
    return text(maskValue(rule, v) as RecordValue);
  };
  const fields = Object.fromEntries(Object.entries(FIELDS).map(([field, code]) => [field, value(code)])) as Record<keyof typeof FIELDS, string | null>;
  const provenance: LicenceView['provenance'] = {};
  for (const [code, from] of Object.entries(master.provenance)) {
    if (licencesPolicy.sourceVisible(ctx.actor, ctx.entries.get(from.resourceId)))
      provenance[code] = { resourceId: from.resourceId, receivedAt: from.receivedAt };
  }
  return {
    identifier: master.key,
    ...fields,
    regionCode: fields.regionCode ?? master.regionCode,
    validity: validityOf({ status: a.status, validFrom: a.valid_from, validTo: a.valid_to }, ctx.today),
    masked: ctx.masked,
    provenance,
  };
}
