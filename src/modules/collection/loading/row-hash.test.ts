import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rowHash } from './row-hash.js';

/** The rendering every stored `_hash` was made with: changing it would make every re-sent row look changed. */
const reference = (s: string) => createHash('md5').update(s).digest('base64url');

describe('rowHash', () => {
  it('is the MD5 of the values joined with U+001F, null as U+0000, buffers as base64', () => {
    expect(rowHash(['330602199001011234', '张三', null, 42, 1.5, true, Buffer.from('xy'), '', undefined])).toBe(
      reference('330602199001011234\u001f张三\u001f\u0000\u001f42\u001f1.5\u001ftrue\u001feHk=\u001f\u001f\u0000\u001f'),
    );
  });

  it('tells null from the empty string and does not depend on a previous call', () => {
    const a = rowHash(['a', null, 'c']);
    expect(rowHash(['a', '', 'c'])).not.toBe(a);
    expect(rowHash(['x', 'y', 'z', 'w'])).toBe(reference('x\u001fy\u001fz\u001fw\u001f'));
    expect(rowHash(['a', null, 'c'])).toBe(a);
  });
});
