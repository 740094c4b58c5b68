/** What the HTTP benchmarks share: a free port, waiting for a server, and reading wrk's `--latency` report. */
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';

export type WrkResult = { rps: number; p50: number; p99: number; errors: number };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function waitFor(url: string, child: ChildProcess, seconds = 60): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

/** wrk's latency figures in milliseconds. */
function toMs(v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v.trim());
  if (!m) throw new Error(`cannot read wrk latency '${v}'`);
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000, m: 60_000 } as const)[m[2] as 'us' | 'ms' | 's' | 'm'];
}

/** Requests/s, p50 and p99 (ms) and errors (non-2xx/3xx answers and socket errors) from wrk's `--latency` output. */
export function readWrk(out: string, stderr = ''): WrkResult {
  const get = (re: RegExp) => {
    const m = re.exec(out);
    if (!m) throw new Error(`unexpected wrk output:\n${out}${stderr}`);
    return m[1]!;
  };
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = Number(non2xx?.[1] ?? 0) + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps: Number(get(/Requests\/sec:\s+([\d.]+)/)), p50: toMs(get(/\s50%\s+(\S+)/)), p99: toMs(get(/\s99%\s+(\S+)/)), errors };
}
