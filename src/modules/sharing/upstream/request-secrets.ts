/**
 * The request secrets of Zhejiang-scheme interfaces, in memory per interface (a restarted
 * process obtains new ones). A secret is refreshed once `refreshAt` of its life has passed
 * (default 80%), before the upstream would refuse it; concurrent calls wait on one refresh; a
 * failed refresh falls back to the old secret while it is still valid. `fingerprint` names what
 * the secret was obtained with (app key, refresh URL, sealed app secret): a changed interface
 * starts afresh.
 */
export type Obtained = { value: string; expiresAt: number };

type Held = Obtained & { obtainedAt: number; fingerprint: string };

export function createRequestSecrets(options: { now: () => number; refreshAt?: number }) {
  const refreshAt = options.refreshAt ?? 0.8;
  const held = new Map<string, Held>();
  const pending = new Map<string, { fingerprint: string; promise: Promise<Held> }>();

  function refresh(id: string, fingerprint: string, obtain: () => Promise<Obtained>): Promise<Held> {
    const running = pending.get(id);
    if (running?.fingerprint === fingerprint) return running.promise;
    const obtainedAt = options.now();
    const promise = obtain()
      .then((o) => {
        const h = { ...o, obtainedAt, fingerprint };
        // A refresh for an older fingerprint never overwrites a newer one's secret.
        if (pending.get(id)?.promise === promise) held.set(id, h);
        return h;
      })
      .finally(() => {
        if (pending.get(id)?.promise === promise) pending.delete(id);
      });
    pending.set(id, { fingerprint, promise });
    return promise;
  }

  return {
    async get(id: string, fingerprint: string, obtain: () => Promise<Obtained>): Promise<string> {
      const h = held.get(id);
      const now = options.now();
      const usable = h && h.fingerprint === fingerprint && now < h.expiresAt ? h : null;
      if (usable && now < usable.obtainedAt + refreshAt * (usable.expiresAt - usable.obtainedAt)) return usable.value;
      try {
        return (await refresh(id, fingerprint, obtain)).value;
      } catch (err) {
        if (usable && options.now() < usable.expiresAt) return usable.value;
        throw err;
      }
    },

    /** The upstream refused `value`: the next get refreshes (once, however many calls saw it refused). */
    invalidate(id: string, value: string): void {
      if (held.get(id)?.value === value) held.delete(id);
    },

    /** When the held secret expires (tests, diagnostics). */
    expiresAt: (id: string) => held.get(id)?.expiresAt ?? null,
  };
}

export type RequestSecrets = ReturnType<typeof createRequestSecrets>;
