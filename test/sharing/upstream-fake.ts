import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { md5Hex } from '../../src/modules/sharing/upstream/zhejiang-scheme.js';

/**
 * A small provincial upstream the tests start on 127.0.0.1, port 0. It checks the Zhejiang
 * scheme as the province would: `/secret` issues a request secret to a correct
 * md5(appKey + appSecret + requestTime) sign; `/data` answers only a call signed with
 * md5(appKey + requestSecret + requestTime) of the secret it issued last, and otherwise says
 * the secret is stale the provincial way (HTTP 200, a JSON code and message).
 */
export type FakeUpstream = {
  url: string;
  close(): Promise<void>;
  hits: Record<string, number>;
  /** Every request the fake saw: path, query, headers, body. */
  seen: { path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: string }[];
  /** The request secret it issued last (null: none, or revoked). */
  secret: { value: string; endTime: number } | null;
  /** How long a refresh takes (ms): concurrent calls overlap it. */
  refreshDelayMs: number;
  /** What `/flaky` answers next. */
  flakyStatus: number;
  /** `/data` refuses every secret as stale (a province that lost its mind). */
  refuseData: boolean;
};

export async function startFakeUpstream(options: { appKey: string; appSecret: string; secretLifeMs?: number }): Promise<FakeUpstream> {
  const life = options.secretLifeMs ?? 15 * 60_000;
  let issued = 0;
  const fake: FakeUpstream = {
    url: '',
    close: async () => undefined,
    hits: {},
    seen: [],
    secret: null,
    refreshDelayMs: 0,
    flakyStatus: 500,
    refuseData: false,
  };
  const json = (res: http.ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(value));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const q = url.searchParams;
      fake.hits[url.pathname] = (fake.hits[url.pathname] ?? 0) + 1;
      fake.seen.push({ path: url.pathname, query: q, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const signedWith = (secret: string) =>
        q.get('appKey') === options.appKey && q.get('sign') === md5Hex(`${options.appKey}${secret}${q.get('requestTime')}`);
      switch (url.pathname) {
        case '/secret': {
          if (!signedWith(options.appSecret)) return json(res, 200, { code: '01', msg: '签名错误', datas: null });
          const requestTime = Number(q.get('requestTime'));
          setTimeout(() => {
            fake.secret = { value: `rs-${++issued}`, endTime: requestTime + life };
            json(res, 200, { code: '00', msg: '成功', datas: { requestSecret: fake.secret.value, requestSecretEndTime: fake.secret.endTime } });
          }, fake.refreshDelayMs);
          return;
        }
        case '/data': {
          const ok = !fake.refuseData && fake.secret !== null && Number(q.get('requestTime')) < fake.secret.endTime && signedWith(fake.secret.value);
          if (!ok) return json(res, 200, { code: '14', msg: 'requestSecret已过期或签名错误' });
          const body = Buffer.concat(chunks).toString('utf8');
          return json(res, 200, { code: '00', datas: { id: q.get('id'), method: req.method, contentType: req.headers['content-type'] ?? null, body } });
        }
        case '/plain':
          return json(res, q.get('missing') ? 404 : 200, { found: !q.get('missing'), token: req.headers['x-api-token'] ?? null });
        case '/flaky':
          return json(res, fake.flakyStatus, { status: fake.flakyStatus });
        case '/secret-slow':
        case '/slow':
          return; // never answers: the proxy's timeout ends the call
        case '/big':
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(Buffer.alloc(Number(q.get('size') ?? 0), 120));
          return;
        case '/redirect':
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
          res.end();
          return;
        default:
          return json(res, 404, {});
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
