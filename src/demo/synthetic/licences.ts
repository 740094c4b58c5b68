import { buildLicenceId } from '../../shared/validation/licence-id.js';
import { buildUscc } from '../../shared/validation/uscc.js';

/**
 * SYNTHETIC e-licence types of the demo's four e-licence resources (105xxx): the licence's name,
 * its type code (GB/T 36902: the 18-character USCC of the authority that defined the type, here a
 * synthetic one, and a 3-digit sequence) and the holder's code type (111 ID number, 001 USCC).
 */
export type DemoLicenceType = { name: string; typeCode: string; holderCodeType: '111' | '001' };

const definedBy = (body8: string, seq: string) => `${buildUscc('11100000', body8)}${seq}`;

export const DEMO_LICENCE_TYPES: Readonly<Record<string, DemoLicenceType>> = {
  '105001/00001': { name: '营业执照', typeCode: definedBy('00000101', '001'), holderCodeType: '001' },
  '105002/00001': { name: '居民身份证', typeCode: definedBy('00000102', '001'), holderCodeType: '111' },
  '105003/00001': { name: '不动产权证书', typeCode: definedBy('00000103', '001'), holderCodeType: '111' },
  '105004/00001': { name: '食品经营许可证', typeCode: definedBy('00000101', '002'), holderCodeType: '001' },
};

/**
 * The k-th licence of a resource issued by `issuerUscc` (the provider department): a valid
 * identifier (GB/T 36904, check character ISO 7064 MOD 37,36), distinct for distinct k.
 */
export function demoLicenceId(resourceCode: string, issuerUscc: string, k: number): string {
  const type = DEMO_LICENCE_TYPES[resourceCode] ?? DEMO_LICENCE_TYPES['105001/00001']!;
  return buildLicenceId({
    typeCode: type.typeCode,
    issuerUscc,
    serial: `${2016 + (k % 10)}${String(Math.floor(k / 10) + 1).padStart(8, '0')}`,
    version: '001',
  });
}
