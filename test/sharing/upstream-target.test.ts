import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { createUpstreamGuard } from '../../src/modules/sharing/upstream/upstream-target.js';

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('UPSTREAM_TARGET_REFUSED');
  return (err as AppError).message;
};

describe('upstream target guard', () => {
  it('refuses cloud metadata (link-local) addresses even when listed', async () => {
    const guard = createUpstreamGuard(['169.254.0.0/16', 'fe80::/10']);
    expect(await refusal(guard.check('http://169.254.169.254/latest/meta-data/'))).toContain('metadata');
    expect(await refusal(guard.check('http://[fe80::1]/'))).toContain('link-local');
    expect(await refusal(guard.check('http://[::ffff:169.254.169.254]/'))).toContain('link-local');
  });

  it('refuses this machine unless KUAIJI_SOURCE_ALLOW lists it', async () => {
    expect(await refusal(createUpstreamGuard([]).check('http://127.0.0.1:8080/api'))).toContain('KUAIJI_SOURCE_ALLOW');
    expect(await refusal(createUpstreamGuard([]).check('http://localhost/api'))).toContain('this machine');
    await expect(createUpstreamGuard(['127.0.0.1:8080']).check('http://127.0.0.1:8080/api')).resolves.toBeUndefined();
    expect(await refusal(createUpstreamGuard(['127.0.0.1:8080']).check('http://127.0.0.1:8081/api'))).toContain('this machine');
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    const guard = createUpstreamGuard([]);
    expect(await refusal(guard.check('file:///etc/passwd'))).toContain('file:');
    expect(await refusal(guard.check('ftp://example.org/'))).toContain('ftp:');
    expect(await refusal(guard.check('https://user:pw@example.org/'))).toContain('credentials');
    expect(await refusal(guard.check('not a url'))).toContain('not a URL');
  });

  it('lets an open-network address through', async () => {
    await expect(createUpstreamGuard([]).check('https://203.0.113.10/gateway/api')).resolves.toBeUndefined();
  });
});
