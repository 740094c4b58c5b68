import type { Clock } from '../../src/shared/clock.js';
import type { TestApp } from '../test-app.js';

/** A clock the tests move (sessions expire, quotas renew at Beijing midnight, applications expire). */
export function movableClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(iso).getTime();
  return { now: () => new Date(now), set: (next: string) => void (now = new Date(next).getTime()), advance: (ms: number) => void (now += ms) };
}

let n = 0;
/** Registers a public user and signs in: their token (kjo_…) and id. */
export async function publicUser(t: TestApp, over: { username?: string; password?: string } = {}) {
  n += 1;
  const username = over.username ?? `dev${n}_${Math.random().toString(36).slice(2, 8)}`;
  const password = over.password ?? 'correct horse battery';
  const reg = await t.app.inject({ method: 'POST', url: '/api/v1/open/users', payload: { username, email: `${username}@example.org`, password } });
  if (reg.statusCode !== 201) throw new Error(`register: ${reg.statusCode} ${reg.body}`);
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/open/sessions', payload: { login: username, password } });
  if (login.statusCode !== 201) throw new Error(`login: ${login.statusCode} ${login.body}`);
  return { id: reg.json().id as string, username, password, token: login.json().token as string };
}

export const openBearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Publishes a resource as an open dataset (as the administrator) and returns the dataset's id. */
export async function publishDataset(t: TestApp, resourceId: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/open/datasets',
    headers: { authorization: `Bearer ${t.adminToken}` },
    payload: { resourceId },
  });
  if (res.statusCode !== 201) throw new Error(`publish: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}
