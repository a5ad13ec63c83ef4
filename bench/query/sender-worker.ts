/**
 * A sender thread: encodes its share of the flows as NetFlow v9 on the fly
 * and sends them to 127.0.0.1:port, paced on a ~1 ms timer by the clock
 * (elapsed × rate), so timer jitter changes the burst size, not the rate.
 * The template goes first, then again every templateIntervalMs.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { SyntheticOptions } from '../../src/store/index.ts';
import { createV9Encoder } from './v9-encode.ts';

/** What the runner gives a sender (workerData). */
export interface QuerySenderInit {
  port: number;
  flows: SyntheticOptions;
  /** This sender's flows: [first, end). */
  first: number;
  end: number;
  sourceId: number;
  maxDatagramBytes: number;
  flowsPerSec: number;
  templateIntervalMs: number;
  templateLeadMs: number;
}

/** What a sender reports when done. */
export interface QuerySenderResult {
  flows: number;
  datagrams: number;
  sendErrors: number;
  elapsedMs: number;
}

const SEND_BUFFER_BYTES = 4 * 1024 * 1024;

async function run(init: QuerySenderInit): Promise<QuerySenderResult> {
  const enc = createV9Encoder(init.flows, init.first, init.end, init.sourceId, init.maxDatagramBytes);
  const socket = createSocket('udp4');
  let sendErrors = 0;
  socket.on('error', () => sendErrors++);
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  socket.setSendBufferSize(SEND_BUFFER_BYTES);
  socket.connect(init.port, '127.0.0.1');
  await once(socket, 'connect');
  socket.send(enc.template());
  await new Promise((r) => setTimeout(r, init.templateLeadMs));

  const perMs = init.flowsPerSec / 1000;
  const start = performance.now();
  let nextTemplate = start + init.templateIntervalMs;
  let flows = 0;
  let datagrams = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      if (now >= nextTemplate) {
        socket.send(enc.template());
        nextTemplate += init.templateIntervalMs;
      }
      const due = (now - start) * perMs;
      while (flows < due) {
        const b = enc.next();
        if (!b) return resolve();
        socket.send(b);
        flows += b.readUInt16BE(2);
        datagrams++;
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  const elapsedMs = performance.now() - start;
  // Sends complete in order: once this last one is done, every one before it is.
  await new Promise<void>((r) => socket.send(enc.template(), () => r()));
  socket.close();
  return { flows, datagrams, sendErrors, elapsedMs };
}

const port = parentPort!;
run(workerData as QuerySenderInit).then(
  (result) => port.postMessage(result),
  (err: unknown) => {
    throw err;
  },
);
