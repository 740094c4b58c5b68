import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export type Sent = { status: number; contentType: string | null; body: Buffer };

/** The upstream's answer passed the size cap: the rest is not read. */
export class TooLarge extends Error {}

export type SendOptions = {
  url: URL;
  /** The address the guard checked: the socket goes there, whatever DNS answers next. */
  address: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: Buffer | null;
  signal: AbortSignal;
  maxBytes: number;
};

/**
 * One HTTP exchange over node:http(s), not fetch: the connection goes to the checked address
 * (TLS still verified against the URL's host name), redirects are answers, never followed, and
 * the body is read up to `maxBytes` (a hostile upstream cannot fill the platform's memory).
 */
export function send(o: SendOptions): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const lib = o.url.protocol === 'https:' ? https : http;
    const host = o.url.hostname.replace(/^\[(.*)\]$/, '$1');
    const headers: Record<string, string> = { host: o.url.host, accept: '*/*', 'accept-encoding': 'identity', ...o.headers };
    if (o.body) headers['content-length'] = String(o.body.length);
    const req = lib.request(
      {
        method: o.method,
        host: o.address,
        port: o.url.port || undefined,
        path: `${o.url.pathname}${o.url.search}`,
        headers,
        ...(o.url.protocol === 'https:' && !net.isIP(host) ? { servername: host } : {}),
        signal: o.signal,
        // One socket per call: no keep-alive pool keyed by address outlives a changed DNS answer.
        agent: false,
      },
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > o.maxBytes) {
          res.destroy();
          reject(new TooLarge(`the answer declares ${declared} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > o.maxBytes) {
            res.destroy();
            reject(new TooLarge(`the answer is larger than ${o.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, body: Buffer.concat(chunks) }));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('the upstream closed the connection mid-answer')));
      },
    );
    req.on('error', reject);
    req.end(o.body ?? undefined);
  });
}
