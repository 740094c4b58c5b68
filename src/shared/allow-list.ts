import dns from 'node:dns/promises';
import net from 'node:net';
import os from 'node:os';

/**
 * KUAIJI_SOURCE_ALLOW: where pull sources (collection) and upstream interfaces (sharing's proxy)
 * may connect besides the open network. Entries are
 * addresses (`127.0.0.1`, `::1`), networks (`10.0.0.0/8`, `fd00::/8`), host names
 * (`db.dept.example`) and any of these with a port (`db.dept.example:5432`, `[::1]:5432`).
 * Without an entry, addresses that reach the platform's own machine or its cloud metadata are
 * refused: loopback, link-local, unspecified, and the addresses of this machine's interfaces.
 */
type Entry = { host?: string; net?: net.BlockList; port: number | null };

export type AllowList = {
  /** True when `address` (already resolved) reached as `host:port` is listed. */
  lists(host: string, address: string, port: number): boolean;
};

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return net.isIPv4(address) ? 'ipv4' : 'ipv6';
}

/** Throws an Error naming the entry that is not understood (config.ts reports it at start). */
export function parseAllowList(entries: readonly string[]): AllowList {
  const parsed: Entry[] = entries.map((raw) => {
    const entry = raw.trim();
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && net.isIP(cidr[1]!)) {
      const list = new net.BlockList();
      const prefix = Number(cidr[2]);
      const family = familyOf(cidr[1]!);
      if (prefix > (family === 'ipv4' ? 32 : 128)) throw new Error(`KUAIJI_SOURCE_ALLOW: '${raw}' has a prefix longer than its address`);
      list.addSubnet(cidr[1]!, prefix, family);
      return { net: list, port: null };
    }
    let host = entry;
    let port: number | null = null;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const hostPort = /^([^:]+):(\d+)$/.exec(entry);
    if (bracketed) {
      host = bracketed[1]!;
      port = bracketed[2] ? Number(bracketed[2]) : null;
    } else if (hostPort) {
      host = hostPort[1]!;
      port = Number(hostPort[2]);
    }
    if (port !== null && (port < 1 || port > 65535)) throw new Error(`KUAIJI_SOURCE_ALLOW: '${raw}' has no valid port`);
    if (net.isIP(host)) {
      const list = new net.BlockList();
      list.addAddress(host, familyOf(host));
      return { net: list, port };
    }
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(host))
      throw new Error(`KUAIJI_SOURCE_ALLOW: '${raw}' is not a host, address or network`);
    return { host: host.toLowerCase(), port };
  });
  return {
    lists(host, address, port) {
      const name = host.toLowerCase();
      return parsed.some(
        (e) => (e.port === null || e.port === port) && (e.host ? e.host === name : e.net!.check(plainAddress(address), familyOf(plainAddress(address)))),
      );
    },
  };
}

/** `::ffff:127.0.0.1` is 127.0.0.1: an IPv4-mapped address must not slip past an IPv4 rule. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

const INTERNAL = (() => {
  const list = new net.BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addSubnet('169.254.0.0', 16, 'ipv4');
  list.addSubnet('0.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  list.addAddress('::', 'ipv6');
  list.addSubnet('fe80::', 10, 'ipv6');
  return list;
})();

/** Addresses of this machine: loopback, link-local, unspecified, and those of its own interfaces. */
export function isInternal(address: string): boolean {
  const a = plainAddress(address);
  if (INTERNAL.check(a, familyOf(a))) return true;
  return Object.values(os.networkInterfaces()).some((list) => (list ?? []).some((i) => plainAddress(i.address) === a));
}

/** Every address a host name stands for (an address stands for itself). */
export async function resolveHost(host: string): Promise<string[]> {
  if (net.isIP(host)) return [host];
  const found = await dns.lookup(host, { all: true, verbatim: true });
  return found.map((f) => f.address);
}
