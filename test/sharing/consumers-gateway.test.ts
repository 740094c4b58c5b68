import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer } from '../test-app.js';
import { gatewayFixture, PEOPLE, type GatewayFixture } from './gateway-fixtures.js';

/** A signed gateway call as a consumer system sends it (the canonical string of signature.ts, written out here by hand). */
function signedCall(t: GatewayFixture, url: string, o: { secret?: string; timestamp?: string; nonce?: string } = {}) {
  const timestamp = o.timestamp ?? String(t.clock.now().getTime());
  const nonce = o.nonce ?? randomBytes(12).toString('hex');
  const [path, query = ''] = url.split('?');
  const canonical = query
    .split('&')
    .filter(Boolean)
    .map((p) => p.split('=').map((x) => encodeURIComponent(decodeURIComponent(x))))
    .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : 1))
    .map(([n, v]) => `${n}=${v ?? ''}`)
    .join('&');
  const signature = createHmac('sha256', o.secret ?? t.consumer.secret)
    .update(['GET', path, canonical, timestamp, nonce].join('\n'))
    .digest('base64');
  const headers = {
    'x-app-key': t.consumer.appKey,
    'x-timestamp': timestamp,
    'x-nonce': nonce,
    'x-signature': signature,
    'x-purpose': encodeURIComponent('企业开办业务核验'),
  };
  return { send: () => t.app.inject({ method: 'GET', url, headers }) };
}

// End to end through the gateway's HTTP surface: the authenticator sees the request line as sent.
describeEachDialect('sharing: consumers call the gateway with a signature or a token', (fresh) => {
  let db: TestDb;
  let t: GatewayFixture;
  beforeAll(async () => {
    // Shareable: the fixture's loads run in worker threads, which open the SQLite file themselves.
    db = await fresh({ shareable: true });
    t = await gatewayFixture(db);
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  const person = PEOPLE[0]!.person_id;

  it('a signed call is answered; the same request replayed, a wrong secret or a stale timestamp is refused', async () => {
    const url = `/gateway/people/v1?person_id=${person}&items=district`;
    const first = signedCall(t, url);
    const ok = await first.send();
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.body).toContain(PEOPLE[0]!.district);
    const replay = await first.send();
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('SHARING_NONCE_REPLAYED');
    expect((await signedCall(t, url, { secret: 'kjs_not-the-secret' }).send()).json().code).toBe('SHARING_SIGNATURE_INVALID');
    const stale = await signedCall(t, url, { timestamp: String(t.clock.now().getTime() - 301_000) }).send();
    expect(stale.json().code).toBe('SHARING_SIGNATURE_EXPIRED');
    // Parameters in another order sign the same canonical query.
    expect((await signedCall(t, `/gateway/people/v1?items=district&person_id=${person}`).send()).statusCode).toBe(200);
  });

  it("after a key rotation the old key's bearer token fails on the very next call", async () => {
    const url = `/gateway/people/v1?person_id=${person}`;
    const head = { ...bearer(t.consumer.token), 'x-purpose': encodeURIComponent('核验') };
    expect((await t.app.inject({ method: 'GET', url, headers: head })).statusCode).toBe(200);
    await t.app.inject({ method: 'POST', url: `/api/v1/sharing/consumers/${t.consumer.id}/keys`, headers: bearer(t.deptA.token) });
    const rotated = await t.app.inject({ method: 'GET', url, headers: head });
    expect(rotated.statusCode).toBe(401);
    expect(rotated.json().code).toBe('SHARING_CREDENTIALS_INVALID');
  });
});
