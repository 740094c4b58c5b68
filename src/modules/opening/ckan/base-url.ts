import type { FastifyRequest } from 'fastify';

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * `scheme://host` for absolute URLs in CKAN and DCAT answers (resource URLs, `help`, dataset
 * IRIs): the configured public URL when there is one, else the request's Host header when it is
 * a plain host name (anything else, e.g. a header carrying a path or markup, falls back to localhost).
 */
export function baseUrlOf(request: FastifyRequest, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = request.headers.host ?? '';
  return new URL(`${request.protocol}://${HOST.test(host) ? host : 'localhost'}`).origin;
}
