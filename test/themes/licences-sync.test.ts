import { afterAll, beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/shared/actor.js';
import { fixedClock } from '../../src/shared/clock.js';
import { citizenIdCheckChar } from '../../src/shared/validation/citizen-id.js';
import { buildLicenceId } from '../../src/shared/validation/licence-id.js';
import { buildUscc } from '../../src/shared/validation/uscc.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { resourceInput } from '../factories.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

const NOW = '2026-12-01T04:00:00.000Z';
const TYPE = '11100000000013338W032';
const ISSUER = buildUscc('11330600', 'KJ000106');
const first17 = '33060219850211456';
const PERSON = first17 + citizenIdCheckChar(first17);
const lic = (serial: string) => buildLicenceId({ typeCode: TYPE, issuerUscc: ISSUER, serial, version: '001' });
const A = lic('SX0001');
const B = lic('SX0002');

const str = (code: string, name: string, o: Record<string, unknown> = {}) => ({
  code,
  name,
  dataType: 'STRING' as const,
  length: 200,
  primaryKey: false,
  ...o,
});

/** The licences read masters built by the masters part itself: a definition PUT, a collected file, the sync. */
describeEachDialect('e-licences over masters built by the theme sync', (fresh) => {
  let db: TestDb;
  let t: TestApp;

  beforeAll(async () => {
    db = await fresh({ shareable: true });
    t = await buildTestApp(db, { clock: fixedClock(NOW) });
    const r = await t.services.resources.create(
      SYSTEM_ACTOR,
      resourceInput(t.deptA.id, {
        name: '特种作业操作资格证电子证照',
        shareType: 'UNCONDITIONAL',
        shareCondition: null,
        items: [
          str('licence_id', '证照标识', { length: 100, primaryKey: true }),
          str('licence_name', '证照名称'),
          str('licence_type_code', '证照类型代码', { length: 21 }),
          str('holder_name', '持证主体', { maskingRule: 'NAME' }),
          str('holder_code', '持证主体代码', { length: 18, maskingRule: 'CITIZEN_ID' }),
          str('holder_code_type', '持证主体代码类型', { length: 3 }),
          str('valid_from', '有效期起始日期', { length: 10 }),
          str('valid_to', '有效期截止日期', { length: 10 }),
          str('licence_status', '证照状态', { length: 10 }),
        ],
      }),
    );
    const csv = [
      'licence_id,licence_name,licence_type_code,holder_name,holder_code,holder_code_type,valid_from,valid_to,licence_status',
      `${A},特种作业操作资格证,${TYPE},钱多多,${PERSON},111,2025-01-01,2031-01-01,有效`,
      `${B.toLowerCase()},特种作业操作资格证,${TYPE},钱多多,${PERSON},111,2019-01-01,2025-01-01,有效`,
    ].join('\n');
    const load = await t.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${r.id}/uploads?wait=true&fileName=licences.csv`,
      headers: { ...bearer(t.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(load.json().job?.status, load.body).toBe('succeeded');
    const attrs = ['name', 'type_code', 'holder', 'holder_code', 'holder_code_type', 'valid_from', 'valid_to', 'status'];
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/themes/elicence',
      headers: bearer(t.adminToken),
      payload: {
        name: '电子证照库',
        nameEn: 'E-licence base',
        keyKind: 'LICENCE_ID',
        attributes: attrs.map((code) => ({ code, name: code, nameEn: code, ...(code === 'holder_code' ? { indexed: true } : {}) })),
        members: [
          {
            resourceId: r.id,
            keyItem: 'licence_id',
            priority: 1,
            attributes: {
              name: 'licence_name',
              type_code: 'licence_type_code',
              holder: 'holder_name',
              holder_code: 'holder_code',
              holder_code_type: 'holder_code_type',
              valid_from: 'valid_from',
              valid_to: 'valid_to',
              status: 'licence_status',
            },
          },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    await (t.services as unknown as { themeSync: { idle(): Promise<void> } }).themeSync.idle();
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('finds both licences by identifier (one carried in lower case) and by holder, with their validity', async () => {
    const h = { ...bearer(t.deptB.token), 'x-use-cause': 'check' };
    const a = await t.app.inject({ method: 'GET', url: `/api/v1/licences/${A}`, headers: h });
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json()).toMatchObject({
      identifier: A,
      holder: '钱**',
      holderCode: `${PERSON.slice(0, 6)}********${PERSON.slice(-4)}`,
      validity: 'VALID',
      masked: true,
    });
    const b = await t.app.inject({ method: 'GET', url: `/api/v1/licences/${B}`, headers: h });
    expect(b.json()).toMatchObject({ identifier: B, validity: 'EXPIRED' });
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/licences?holderCode=${PERSON}&typeCode=${TYPE}`, headers: h });
    expect(
      list
        .json()
        .items.map((l: { identifier: string }) => l.identifier)
        .sort(),
    ).toEqual([A, B].sort());
  });
});
