/**
 * The producer side of the store worker, used inside a decode worker: fills
 * columnar batches and posts each full one (and a partial one every
 * `maxDelayMs`) on the port, transferring its buffers.
 */
import type { MessagePort } from 'node:worker_threads';
import type { FlowRecord } from '../../schema/flow-record.ts';
import { batchTransferList, createBatchBuilder } from '../columnar/batch.ts';
import type { FromProducer } from './messages.ts';

/** Feeds one producer's flows to the store worker. */
export interface StoreProducer {
  add(r: FlowRecord): void;
  /** Sends a partial batch when it has waited `maxDelayMs`; call from a timer. */
  tick(): void;
  /** Sends what is left and tells the store this producer is done. */
  end(): void;
}

export interface StoreProducerOptions {
  batchRows: number;
  maxDelayMs: number;
  now: () => number;
}

/** A producer posting to `port`. */
export function createStoreProducer(port: MessagePort, opts: StoreProducerOptions): StoreProducer {
  const builder = createBatchBuilder(opts.batchRows);
  let firstAt = 0;
  const send = (): void => {
    if (builder.count === 0) return;
    const batch = builder.take();
    const m: FromProducer = { t: 'batch', batch };
    port.postMessage(m, batchTransferList(batch));
  };
  return {
    add(r) {
      if (builder.count === 0) firstAt = opts.now();
      builder.add(r, opts.now());
      if (builder.full) send();
    },
    tick() {
      if (builder.count > 0 && opts.now() - firstAt >= opts.maxDelayMs) send();
    },
    end() {
      send();
      port.postMessage({ t: 'end' } satisfies FromProducer);
      port.close();
    },
  };
}
