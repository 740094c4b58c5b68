import { useEffect, useState } from 'react';

// The portal's public user (注册用户) session: its token (kjo_…) in sessionStorage, apart from the
// console's staff token, so signing in on one never signs in on the other.
const KEY = 'kuaiji.openSession';
const EVENT = 'kuaiji-open-session';

export type OpenSession = { token: string; username: string; displayName: string };

export const openSession = {
  read(): OpenSession | null {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as OpenSession) : null;
  },
  save(s: OpenSession) {
    sessionStorage.setItem(KEY, JSON.stringify(s));
    window.dispatchEvent(new Event(EVENT));
  },
  clear() {
    sessionStorage.removeItem(KEY);
    window.dispatchEvent(new Event(EVENT));
  },
};

/** The signed-in public user, following sign-in and sign-out on any page. */
export function useOpenSession(): OpenSession | null {
  const [s, setS] = useState(openSession.read);
  useEffect(() => {
    const on = () => setS(openSession.read());
    window.addEventListener(EVENT, on);
    return () => window.removeEventListener(EVENT, on);
  }, []);
  return s;
}
