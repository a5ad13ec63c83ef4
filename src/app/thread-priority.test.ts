import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { keepIngestThreadsNiced } from './thread-priority.ts';

function threads(): { comm: string; nice: number }[] {
  return readdirSync('/proc/self/task').map((tid) => ({
    comm: readFileSync(`/proc/self/task/${tid}/comm`, 'latin1').trim(),
    // Field 19 of stat is the nice value; the comm field (2) may hold spaces, so count from its ')'.
    nice: Number(readFileSync(`/proc/self/task/${tid}/stat`, 'latin1').split(') ')[1]!.split(' ')[16]),
  }));
}

test(
  'worker threads are reniced and the main thread is not',
  { skip: !existsSync('/proc/self/task') },
  async () => {
    const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((r) => w.once('online', r));
    const stop = keepIngestThreadsNiced(7);
    try {
      const all = threads();
      const workers = all.filter((t) => t.comm === 'WorkerThread');
      assert.ok(workers.length >= 1, 'the worker thread is listed');
      for (const t of workers) assert.equal(t.nice, 7);
      const main = all.find((t) => t.comm === 'MainThread' || t.comm === 'node');
      assert.ok(main, 'the main thread is listed');
      assert.equal(main.nice, 0);
    } finally {
      stop();
      await w.terminate();
    }
  },
);

test('nice 0 changes nothing', { skip: !existsSync('/proc/self/task') }, async () => {
  const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
  await new Promise((r) => w.once('online', r));
  keepIngestThreadsNiced(0)();
  try {
    for (const t of threads().filter((x) => x.comm === 'WorkerThread')) assert.equal(t.nice, 0);
  } finally {
    await w.terminate();
  }
});
