import { describe, expect, it } from 'vitest';
import { pairsSeenBy, rollUp, type PairCount } from '../../src/modules/sharing/figures/call-rollups.js';

const pairs: PairCount[] = [
  { interfaceId: 'i1', consumerId: 'c1', departmentId: 'dA', calls: 10, errors: 1 },
  { interfaceId: 'i2', consumerId: 'c1', departmentId: 'dA', calls: 5, errors: 0 },
  { interfaceId: 'i1', consumerId: 'c2', departmentId: 'dB', calls: 7, errors: 7 },
  { interfaceId: 'i3', consumerId: 'c3', departmentId: 'dB', calls: 15, errors: 2 },
];

describe('call roll-ups', () => {
  it('sums per key, most calls first, ties by key', () => {
    expect(rollUp(pairs, (p) => p.interfaceId)).toEqual([
      { key: 'i1', calls: 17, errors: 8 },
      { key: 'i3', calls: 15, errors: 2 },
      { key: 'i2', calls: 5, errors: 0 },
    ]);
    expect(rollUp(pairs, (p) => p.departmentId)).toEqual(
      [
        { key: 'dA', calls: 15, errors: 1 },
        { key: 'dB', calls: 22, errors: 9 },
      ].sort((a, b) => b.calls - a.calls),
    );
    expect(
      rollUp([...pairs, { interfaceId: 'i0', consumerId: 'c0', departmentId: 'dC', calls: 17, errors: 0 }], (p) => p.interfaceId).map((r) => r.key),
    ).toEqual(['i0', 'i1', 'i3', 'i2']);
  });

  it('shows the callers to staff, a department its own, the public none', () => {
    expect(pairsSeenBy('all', pairs)).toHaveLength(4);
    expect(pairsSeenBy('none', pairs)).toEqual([]);
    expect(pairsSeenBy({ departmentId: 'dB' }, pairs).map((p) => p.consumerId)).toEqual(['c2', 'c3']);
  });
});
