import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { TargetGuard } from '../security/source-security.js';

export type GetAnswer = { status: number; contentType: string | null; text: string; url: URL };

const MAX_REDIRECTS = 5;
const MAX_BODY_BYTES = 256 * 1024 * 1024;

export class GetError extends Error {
  constructor(
    message: string,
    readonly timeout = false,
  ) {
    super(message);
  }
}

/**
 * GET with every hop checked by the guard: the URL's host is resolved and checked, the socket
 * goes to that checked address (a second DNS answer cannot move it), and each redirect is
 * checked the same way. Configured headers (credentials) are not sent on to another origin.
 */
export async function guardedGet(start: URL, options: { guard: TargetGuard; headers: Record<string, string>; signal: AbortSignal }): Promise<GetAnswer> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const address = await options.guard.check({ host, port, family: 'http' });
    const sameOrigin = url.origin === start.origin;
    const res = await request(
      url,
      address,
      { accept: 'application/json', 'accept-encoding': 'gzip, deflate, br', ...(sameOrigin ? options.headers : {}) },
      options.signal,
    );
    const status = res.statusCode ?? 0;
    const location = res.headers.location;
    if (status >= 300 && status < 400 && location) {
      res.resume();
      if (hop >= MAX_REDIRECTS) throw new GetError(`more than ${MAX_REDIRECTS} redirects`);
      const next = URL.canParse(location, url.href) ? new URL(location, url) : null;
      if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:')) throw new GetError('redirected to something that is not an http(s) URL');
      url = next;
      continue;
    }
    const text = await body(res, options.signal);
    return { status, contentType: res.headers['content-type'] ?? null, text, url };
  }
}

function request(url: URL, address: string, headers: Record<string, string>, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const req = lib.request(
      {
        method: 'GET',
        host: address,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: { host: url.host, ...headers },
        // TLS is checked against the name in the URL, not the address connected to.
        ...(url.protocol === 'https:' && !net.isIP(host) ? { servername: host } : {}),
        ...(url.username ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
        signal,
      },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

async function body(res: http.IncomingMessage, signal: AbortSignal): Promise<string> {
  const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
  let stream: Readable = res;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = res.pipe(zlib.createGunzip());
  else if (encoding === 'deflate') stream = res.pipe(zlib.createInflate());
  else if (encoding === 'br') stream = res.pipe(zlib.createBrotliDecompress());
  const chunks: Buffer[] = [];
  let size = 0;
  const onAbort = () => stream.destroy(signal.reason as Error);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        res.destroy();
        throw new GetError(`the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`);
      }
      chunks.push(chunk as Buffer);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks).toString('utf8');
}
