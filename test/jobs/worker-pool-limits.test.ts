import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJobKind, type JobEnded } from '../../src/jobs/job-kind.js';
import { createWorkerPool, type WorkerPool } from '../../src/jobs/worker-pool.js';
import type { LimitsTestInput } from './fixtures/limits.job.js';

type Limits = { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number; stackSizeMb: number };
const limitsKind = defineJobKind<LimitsTestInput, { limits: Limits; threadId: number }>('test.limits', new URL('./fixtures/limits.job.js', import.meta.url));

const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, reason: (err as JobEnded).reason, message: (err as Error).message }),
  );

describe('worker pool: the heap limits of its workers', () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = createWorkerPool({ concurrency: 2, heapMb: 96 });
    pool.register(limitsKind);
  });
  afterAll(() => pool.stop());

  it('starts each worker with a small young generation by default, not the 48 MB V8 derives from a 1 GB heap', async () => {
    expect(pool.youngMb).toBe(16);
    const { limits } = await pool.run(limitsKind, { action: 'limits' }).result;
    expect(limits).toMatchObject({ maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 });
  });

  it('takes the young generation from its options', async () => {
    const own = createWorkerPool({ concurrency: 1, heapMb: 128, youngMb: 8 });
    own.register(limitsKind);
    try {
      expect((await own.run(limitsKind, { action: 'limits' }).result).limits).toMatchObject({ maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 });
    } finally {
      await own.stop();
    }
  });

  it('with the smaller young generation, a job past its heap cap still fails alone with the clear reason; the pool goes on', async () => {
    const [bomb, beside] = await Promise.all([
      outcome(pool.run(limitsKind, { action: 'eat-memory' }).result),
      outcome(pool.run(limitsKind, { action: 'limits' }).result),
    ]);
    expect(bomb).toEqual({ ok: false, reason: 'out-of-memory', message: expect.stringContaining('ran out of memory') });
    expect(bomb.ok === false && bomb.message).toContain('limit of 96 MB');
    expect(bomb.ok === false && bomb.message).toContain('nothing of it was stored');
    expect(beside).toMatchObject({ ok: true });
    // The next job gets a new worker with the same limits.
    expect((await pool.run(limitsKind, { action: 'limits' }).result).limits).toMatchObject({ maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 });
  }, 60_000);
});
