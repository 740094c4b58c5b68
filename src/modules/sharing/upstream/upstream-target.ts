import net from 'node:net';
import { AppError } from '../../../errors.js';
import { isInternal, parseAllowList, plainAddress, resolveHost } from '../../../shared/allow-list.js';

/**
 * Where an upstream interface may point (ADR 0008's idea, for sharing's proxy). The gateway
 * calls a URL an administrator typed on behalf of any consumer, so the URL must not turn the
 * platform into a way into its own machine: loopback and this machine's own addresses are refused
 * unless listed in KUAIJI_SOURCE_ALLOW (tests list 127.0.0.1 for their fake upstream); link-local
 * addresses, where clouds serve instance metadata and credentials (169.254.169.254, and AWS's
 * IPv6 fd00:ec2::254), are refused even when listed.
 */
const METADATA = (() => {
  const list = new net.BlockList();
  list.addSubnet('169.254.0.0', 16, 'ipv4');
  list.addSubnet('fe80::', 10, 'ipv6');
  list.addAddress('fd00:ec2::254', 'ipv6');
  return list;
})();

const familyOf = (a: string) => (net.isIPv4(a) ? 'ipv4' : 'ipv6');
const isMetadata = (address: string) => {
  const a = plainAddress(address);
  return METADATA.check(a, familyOf(a));
};

export type UpstreamTarget = { url: URL; host: string; port: number };

export class TargetRefused extends Error {}

/** The URL's shape: http(s), a host, no credentials in it (they go sealed, apart). */
export function upstreamUrl(text: string): UpstreamTarget {
  if (!URL.canParse(text)) throw new TargetRefused('not a URL');
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TargetRefused(`the protocol ${url.protocol} is not http or https`);
  if (url.username || url.password) throw new TargetRefused('the URL carries credentials: store them as the interface secret');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (!host) throw new TargetRefused('the URL names no host');
  return { url, host, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
}

export function createUpstreamGuard(allowEntries: readonly string[]) {
  const allow = parseAllowList(allowEntries);

  /** The address to connect to (checked once, so a second DNS answer cannot move the call). Throws TargetRefused. */
  async function resolve(target: UpstreamTarget): Promise<string> {
    let addresses: string[];
    try {
      addresses = await resolveHost(target.host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new TargetRefused(`the host ${target.host} does not resolve`);
    for (const a of addresses) {
      if (isMetadata(a)) throw new TargetRefused(`${target.host} reaches a link-local address (${a}), where clouds serve instance metadata`);
      if (isInternal(a) && !allow.lists(target.host, a, target.port))
        throw new TargetRefused(`${target.host}:${target.port} reaches this machine; an administrator can list it in KUAIJI_SOURCE_ALLOW`);
    }
    return addresses[0]!;
  }

  return {
    resolve,
    /** For the interfaces' save path: the URL checked now, as the proxy checks it on every call. */
    async check(url: string): Promise<void> {
      try {
        await resolve(upstreamUrl(url));
      } catch (err) {
        if (err instanceof TargetRefused) throw new AppError('UPSTREAM_TARGET_REFUSED', `the upstream URL is refused: ${err.message}`, { url });
        throw err;
      }
    },
  };
}

export type UpstreamGuard = ReturnType<typeof createUpstreamGuard>;
