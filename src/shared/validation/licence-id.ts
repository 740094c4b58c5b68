import { toHalfWidth } from './half-width.js';
import { checkUscc } from './uscc.js';

/**
 * E-licence identifiers (电子证照标识, GB/T 36904-2018):
 *
 *   1.2.156.3005.2 . <type code 21> . <issuer USCC 18> . <serial> . <version 3> . <check 1>
 *
 * Decisions (sources and reasoning in docs/adr/0028-e-licence-identifiers.md):
 * - Root `1.2.156.3005.2` (电子证照根代码): the same in every published identifier and
 *   implementation (research/cn-gov-platform.md §4.3, Hubei / Hefei / Shandong access guides).
 * - Type code (证照类型代码, GB/T 36902-2018): 21 characters = the 18-character USCC of the
 *   authority that defined the licence type + a 3-digit sequence (e.g. `11100000000013338W032`,
 *   a type defined by the housing ministry). The 18-character head is checked against the USCC
 *   alphabet only, not its check character: type codes are allocated by a national registry and
 *   looked up, and our reading of its inner layout is inferred from published examples, so a
 *   stricter rule could reject real identifiers. The identifier's own check character still
 *   catches a mistyped type code.
 * - Issuer (颁证机构代码): the issuing unit's USCC, fully checked with checkUscc (GB 32100).
 * - Serial (流水号): local schemes vary (dates, sequences, random strings). We accept 1–50
 *   characters from 0-9A-Z: the MOD 37,36 check is only defined over that alphabet, so any other
 *   character could not be covered by the check.
 * - Version (版本号): 3 digits from `001` (a licence's first version is 001; 000 is rejected).
 * - Check (校验位): ISO/IEC 7064 MOD 37,36 (GB/T 17710-2008 hybrid system, alphabet 0-9A-Z)
 *   over type code + issuer + serial + version concatenated WITHOUT the root and WITHOUT dots.
 *   Source: the Java reference implementations circulated with GB/T 36904 (CSDN
 *   weixin_42974824/115673267 computes it over `11100000000013338W002` + `11320482014138860P` +
 *   `201807250201` + `001`), and the published identifier
 *   `1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U` checks out that
 *   way (test vector in test/themes/licence-id-vectors.csv).
 * - Normalisation: full-width → half-width (IME input), the ideographic full stop `。` → `.`,
 *   whitespace removed, upper-case. Dots are the only separators accepted.
 */
export const LICENCE_OID = '1.2.156.3005.2';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const TYPE_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}$/;
const SERIAL = /^[0-9A-Z]{1,50}$/;
const VERSION = /^(?!000)[0-9]{3}$/;

export type LicenceIdParts = { oid: string; typeCode: string; issuerUscc: string; serial: string; version: string; check: string };
export type LicenceIdField = keyof LicenceIdParts | 'structure';
export type LicenceIdError = { field: LicenceIdField; code: string; message: string };
export type LicenceIdCheck =
  | { valid: true; normalized: string; parts: LicenceIdParts; errors: [] }
  | { valid: false; normalized: string; parts: LicenceIdParts | null; errors: LicenceIdError[] };

export function normaliseLicenceId(input: string): string {
  return toHalfWidth(input)
    .replace(/\u3002/g, '.')
    .replace(/\s+/g, '')
    .toUpperCase();
}

/**
 * ISO/IEC 7064 MOD 37,36 (hybrid system, M = 36, M+1 = 37) check character over 0-9A-Z; null
 * when a character is outside the alphabet or the input is empty.
 */
export function mod3736CheckChar(body: string): string | null {
  if (body.length === 0) return null;
  let p = 36;
  for (const ch of body) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    let s = (p + v) % 36;
    if (s === 0) s = 36;
    p = (s * 2) % 37;
  }
  return ALPHABET[(37 - p) % 36]!;
}

export type LicenceIdInput = { typeCode: string; issuerUscc: string; serial: string; version: string };

/** The check character of an identifier's parts (normalised first); null if a part has a foreign character. */
export function licenceCheckChar(parts: LicenceIdInput): string | null {
  const n = (s: string) => normaliseLicenceId(s);
  return mod3736CheckChar(`${n(parts.typeCode)}${n(parts.issuerUscc)}${n(parts.serial)}${n(parts.version)}`);
}

/** Splits, checks every part and the check character; all errors are reported, not just the first. */
export function parseLicenceId(input: string): LicenceIdCheck {
  const normalized = normaliseLicenceId(input);
  if (!normalized.startsWith(`${LICENCE_OID}.`)) {
    return { valid: false, normalized, parts: null, errors: [{ field: 'oid', code: 'PREFIX', message: `must start with ${LICENCE_OID}.` }] };
  }
  const rest = normalized.slice(LICENCE_OID.length + 1).split('.');
  if (rest.length !== 5) {
    const message = `expected 5 dot-separated parts after the root (type code, issuer, serial, version, check), got ${rest.length}`;
    return { valid: false, normalized, parts: null, errors: [{ field: 'structure', code: 'STRUCTURE', message }] };
  }
  const [typeCode, issuerUscc, serial, version, check] = rest as [string, string, string, string, string];
  const parts: LicenceIdParts = { oid: LICENCE_OID, typeCode, issuerUscc, serial, version, check };
  const errors: LicenceIdError[] = [];
  if (!TYPE_CODE.test(typeCode)) {
    errors.push({
      field: 'typeCode',
      code: 'TYPE_CODE',
      message: `type code must be 21 characters: an 18-character USCC of the defining authority and 3 digits (got '${typeCode}')`,
    });
  }
  const issuer = checkUscc(issuerUscc);
  if (!issuer.valid) errors.push({ field: 'issuerUscc', code: 'ISSUER_USCC', message: `issuer is not a valid USCC: ${issuer.reason}` });
  if (!SERIAL.test(serial)) errors.push({ field: 'serial', code: 'SERIAL', message: `serial must be 1-50 characters from 0-9A-Z (got '${serial}')` });
  if (!VERSION.test(version)) errors.push({ field: 'version', code: 'VERSION', message: `version must be 3 digits from 001 (got '${version}')` });
  const expected = licenceCheckChar(parts);
  if (check.length !== 1 || !ALPHABET.includes(check)) {
    errors.push({ field: 'check', code: 'CHECK', message: `check must be one character from 0-9A-Z (got '${check}')` });
  } else if (expected !== null && expected !== check) {
    errors.push({ field: 'check', code: 'CHECK', message: `check character should be '${expected}', not '${check}'` });
  }
  return errors.length === 0 ? { valid: true, normalized, parts, errors: [] } : { valid: false, normalized, parts, errors };
}

/** The shape the theme key registry uses for every key kind (as checkUscc / checkCitizenId). */
export type LicenceIdResult = { valid: true; normalized: string } | { valid: false; reason: string };

export function checkLicenceId(input: string): LicenceIdResult {
  const res = parseLicenceId(input);
  return res.valid ? { valid: true, normalized: res.normalized } : { valid: false, reason: res.errors.map((e) => e.message).join('; ') };
}

/** Mints a valid identifier from its parts (demo and test data); throws when a part is invalid. */
export function buildLicenceId(parts: LicenceIdInput): string {
  const body = [parts.typeCode, parts.issuerUscc, parts.serial, parts.version].map(normaliseLicenceId);
  const check = licenceCheckChar(parts);
  const id = `${LICENCE_OID}.${body.join('.')}.${check ?? '?'}`;
  const res = parseLicenceId(id);
  if (!res.valid) throw new Error(`cannot build an e-licence identifier: ${res.errors.map((e) => e.message).join('; ')}`);
  return res.normalized;
}
