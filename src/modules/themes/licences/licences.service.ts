import { createHash } from 'node:crypto';
import { AppError, notFound } from '../../../errors.js';
import type { Actor } from '../../../shared/actor.js';
import type { Clock } from '../../../shared/clock.js';
import { licenceCheckChar, parseLicenceId } from '../../../shared/validation/licence-id.js';
import type { Auditor } from '../../audit/index.js';
import type { CatalogReader } from '../../catalog/index.js';
import { maskValue } from '../../collection/index.js';
import type { MasterReader, MasterView, ThemeDefinition } from '../contracts.js';
import { termValue } from '../masters/terms.js';
import { licencesPolicy } from './licences.policy.js';
import { presentLicence } from './licences.presenter.js';
import type { LicenceView, VerifyView } from './licences.schemas.js';
import { chinaToday } from './validity.js';

/** The e-licence theme's code (themes-plan: theme codes are fixed). */
export const LICENCE_THEME = 'elicence';
/** At most this many licences of one holder are answered (a person or firm holds a handful). */
const MAX_PER_HOLDER = 200;

export type LicencesDeps = {
  clock: Clock;
  auditor: Auditor;
  catalog: CatalogReader;
  masters: MasterReader;
  /** The e-licence theme's definition (members and their item mapping), null while it is not defined. */
  theme(): Promise<ThemeDefinition | null>;
};

export type ReadAsk = { useCause: string; unmasked: boolean };

/** A holder code never lands in the audit trail in clear: a citizen ID is masked, both are hashed. */
function holderForAudit(code: string) {
  const v = termValue(code) ?? '';
  const person = /^\d{17}[\dX]$|^\d{15}$/.test(v);
  return { holder: person ? String(maskValue('CITIZEN_ID', v)) : v, holderHash: createHash('sha256').update(`holder:${v}`).digest('hex') };
}

/**
 * The audit trail's target id of a licence: identifiers run to 80+ characters, longer than
 * audit_events.target_id (64), so the SHA-256 of the normalised identifier is the indexed target
 * and the identifier itself is kept in the detail.
 */
export const licenceHash = (identifier: string) => createHash('sha256').update(`licence:${identifier}`).digest('hex');

/**
 * E-licences 电子证照 (issue 13, DOMAIN.md §8): identifiers verified without any read; licences
 * read from the `elicence` theme's masters by identifier or by holder (+ type), with their
 * validity today; every read states a use reason and is audited, found or not.
 */
export function createLicencesService(deps: LicencesDeps) {
  async function context(actor: Actor, theme: ThemeDefinition, masked: boolean) {
    const ids = theme.members.map((m) => m.resourceId);
    const entries = new Map((await deps.catalog.resources(ids, 'all')).map((r) => [r.id, r]));
    return { actor, theme, entries, masked, today: chinaToday(deps.clock.now()) };
  }

  const present = async (actor: Actor, theme: ThemeDefinition, masters: MasterView[], masked: boolean) => {
    const ctx = await context(actor, theme, masked);
    return masters.map((m) => presentLicence(m, ctx));
  };

  return {
    /** Structure and check character only: no record is read, nothing is audited. */
    verify(identifier: string): VerifyView {
      const res = parseLicenceId(identifier);
      return {
        valid: res.valid,
        identifier: res.normalized,
        parts: res.parts,
        expectedCheck: res.parts ? licenceCheckChar(res.parts) : null,
        errors: res.errors,
      };
    },

    /** One licence by identifier; VALIDATION_FAILED for an identifier that does not verify, NOT_FOUND when none. */
    async get(actor: Actor, identifier: string, ask: ReadAsk): Promise<LicenceView> {
      const { masked } = licencesPolicy.read(actor, ask);
      const res = parseLicenceId(identifier);
      if (!res.valid) {
        throw new AppError('VALIDATION_FAILED', `Not a valid e-licence identifier: ${res.errors.map((e) => e.message).join('; ')}`, {
          errors: res.errors.map((e) => ({ path: 'params.identifier', code: e.code, message: e.message })),
        });
      }
      const theme = await deps.theme();
      const master = theme ? await deps.masters.findByKey(LICENCE_THEME, res.normalized) : null;
      const [licence] = theme && master ? await present(actor, theme, [master], masked) : [];
      await deps.auditor.read({
        actor,
        action: 'licence.read',
        targetType: 'licence',
        targetId: licenceHash(res.normalized),
        detail: {
          identifier: res.normalized,
          useCause: ask.useCause,
          found: licence !== undefined,
          masked,
          ...(licence ? { validity: licence.validity } : {}),
        },
      });
      if (!licence) throw notFound('licence', res.normalized);
      return licence;
    },

    /** The licences of a holder (citizen ID or USCC), optionally of one type, ordered by identifier. */
    async list(actor: Actor, q: ReadAsk & { holderCode: string; typeCode?: string | undefined }): Promise<{ items: LicenceView[] }> {
      const { masked } = licencesPolicy.read(actor, q);
      const theme = await deps.theme();
      let masters = theme ? await deps.masters.findByAttribute(LICENCE_THEME, 'holder_code', q.holderCode, MAX_PER_HOLDER) : [];
      const type = q.typeCode === undefined ? null : termValue(q.typeCode);
      if (type !== null) masters = masters.filter((m) => termValue(m.attributes.type_code) === type);
      const items = theme ? await present(actor, theme, masters, masked) : [];
      await deps.auditor.read({
        actor,
        action: 'licence.list',
        targetType: 'licence-holder',
        targetId: holderForAudit(q.holderCode).holderHash,
        detail: { useCause: q.useCause, ...holderForAudit(q.holderCode), typeCode: type, masked, identifiers: items.map((l) => l.identifier) },
      });
      return { items };
    },
  };
}

export type LicencesService = ReturnType<typeof createLicencesService>;
