import type { FastifyRequest } from 'fastify';

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * `scheme://host` of the OGC API's absolute links, as opening's CKAN and DCAT answers build theirs:
 * the configured public URL when there is one, else the request's protocol and Host header when
 * it is a plain host name (anything else falls back to localhost). X-Forwarded-* headers are not
 * read: the app trusts no proxy anywhere (Fastify's trustProxy is off).
 */
export function baseUrlOf(request: FastifyRequest, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = request.headers.host ?? '';
  return new URL(`${request.protocol}://${HOST.test(host) ? host : 'localhost'}`).origin;
}
