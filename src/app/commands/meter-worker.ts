/**
 * A worker thread of `flowlens meter`: meters one shard of one file
 * (meter-shards.ts starts it) and posts its lines chunk by chunk, waiting
 * while it is too far ahead of what the main thread has written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CaptureFileError } from '../../ingest/file/index.ts';
import { meterFile } from './meter-file.ts';
import { byteLength, createLineBuffer } from './meter-output.ts';
import type { ShardMessage, ShardWorkerData } from './meter-shards.ts';

/** A wait is bounded so that a worker never sleeps through its termination. */
const WAIT_MS = 1000;
const data = workerData as ShardWorkerData;
const port = parentPort!;
const written = new Int32Array(data.written);
const lines = createLineBuffer();
let seq = 0;
/** Bytes of lines posted before chunk k (index k): what is still unwritten is posted[seq] - posted[written]. */
const posted = [0];

/** Posts the lines of chunk `seq`; blocks while more than `maxAheadBytes` are posted but not yet written. */
const chunkDone = (): undefined => {
  const chunks = lines.take();
  const msg: ShardMessage = { kind: 'lines', seq, chunks };
  port.postMessage(
    msg,
    chunks.map((c) => c.buffer as ArrayBuffer),
  );
  posted.push(posted[seq]! + byteLength(chunks));
  seq++;
  for (
    let w = Atomics.load(written, 0);
    posted[seq]! - posted[w]! > data.maxAheadBytes;
    w = Atomics.load(written, 0)
  )
    Atomics.wait(written, 0, w, WAIT_MS);
  return undefined;
};

try {
  const stats = await meterFile(data.job, lines, chunkDone);
  port.postMessage({ kind: 'done', stats } satisfies ShardMessage);
} catch (err) {
  const usage = err instanceof CaptureFileError;
  port.postMessage({ kind: 'error', message: (err as Error).message, usage } satisfies ShardMessage);
}
