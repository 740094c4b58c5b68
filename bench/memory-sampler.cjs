/**
 * Memory sampler for bench/xlsx-load.ts --sample-memory: preloaded with `node -r` into the load
 * child, where Node also runs it in every worker thread (the job's). Each thread appends one JSON
 * line every KUAIJI_MEMLOG_MS (default 100) ms to the file KUAIJI_MEMLOG names:
 *   main thread: /proc/self/status (VmRSS, VmHWM, RssAnon, RssFile, RssShmem: the whole process)
 *                and process.memoryUsage() of the main isolate;
 *   a worker:    v8.getHeapStatistics() and the new/old space sizes of that worker's isolate, and
 *                its process.memoryUsage() (external and arrayBuffers are the isolate's own).
 * Plain CommonJS so that it runs unchanged in the built child and in its workers.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload (node -r) */
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');
const { isMainThread, threadId } = require('node:worker_threads');

const file = process.env.KUAIJI_MEMLOG;
if (file) {
  const every = Number(process.env.KUAIJI_MEMLOG_MS || 100);
  const mb = (n) => Math.round((n / 1048576) * 10) / 10;
  const sample = () => {
    const line = { t: Date.now(), thread: threadId };
    const m = process.memoryUsage();
    line.heapTotal = mb(m.heapTotal);
    line.heapUsed = mb(m.heapUsed);
    line.external = mb(m.external);
    line.arrayBuffers = mb(m.arrayBuffers);
    if (isMainThread) {
      const status = fs.readFileSync('/proc/self/status', 'utf8');
      for (const key of ['VmRSS', 'VmHWM', 'RssAnon', 'RssFile', 'RssShmem']) {
        const hit = new RegExp(`${key}:\\s+(\\d+) kB`).exec(status);
        if (hit) line[key] = Math.round(Number(hit[1]) / 102.4) / 10;
      }
    } else {
      const h = v8.getHeapStatistics();
      line.mallocedMemory = mb(h.malloced_memory);
      line.peakMalloced = mb(h.peak_malloced_memory);
      line.heapLimit = mb(h.heap_size_limit);
      for (const s of v8.getHeapSpaceStatistics()) {
        if (s.space_name === 'new_space') line.newSpace = mb(s.space_size);
        if (s.space_name === 'old_space') line.oldSpace = mb(s.space_size);
        if (s.space_name === 'large_object_space') line.largeObjects = mb(s.space_size);
        if (s.space_name === 'code_space') line.codeSpace = mb(s.space_size);
      }
    }
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  };
  setInterval(sample, every).unref();
  // The process's CPU seconds (every thread: getrusage RUSAGE_SELF), for rows per CPU second.
  if (isMainThread) {
    process.on('exit', () => {
      const cpu = process.cpuUsage();
      fs.appendFileSync(file, `${JSON.stringify({ t: Date.now(), thread: 0, exit: true, userCpu: cpu.user / 1e6, systemCpu: cpu.system / 1e6 })}\n`);
    });
  }
}
