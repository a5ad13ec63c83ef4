/**
 * A sender thread: builds its stream once, then sends it to 127.0.0.1:port
 * paced in bursts on a ~1 ms timer. Each tick sends what is due by the clock
 * (elapsed time × rate), so timer jitter changes the burst size, not the rate;
 * a sender that cannot keep up shows it in its achieved rate.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { buildExportStream } from './export-stream.ts';
import type { FromSender, SenderInit, SenderResult, ToSender } from './sender-messages.ts';

const init = workerData as SenderInit;
const port = parentPort!;
/** Datagrams sent between clock reads when sending flat out. */
const MAX_MODE_CHUNK = 64;
/** A sender gives up this long after its planned end (bounded even when starved of CPU). */
const OVERRUN_MS = 2_000;
const SEND_BUFFER_BYTES = 4 * 1024 * 1024;

const stream = buildExportStream({
  protocol: init.protocol,
  domain: init.domain,
  seed: init.seed,
  ringDatagrams: init.ringDatagrams,
  maxDatagramBytes: init.maxDatagramBytes,
  nowMs: init.nowMs,
});

async function run(): Promise<SenderResult> {
  const socket = createSocket('udp4');
  let sendErrors = 0;
  socket.on('error', () => sendErrors++);
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  socket.setSendBufferSize(SEND_BUFFER_BYTES);
  socket.connect(init.port, '127.0.0.1');
  await once(socket, 'connect');

  const { data, template } = stream;
  let templates = 0;
  const sendTemplate = (): void => {
    stream.stampTemplate(template);
    socket.send(template);
    templates++;
  };
  sendTemplate();
  await new Promise((r) => setTimeout(r, init.templateLeadMs));

  const perMs = init.flowsPerSec / stream.flowsPerDatagram / 1000;
  const total = init.flowsPerSec > 0 ? Math.round(perMs * init.durationMs) : Infinity;
  const start = performance.now();
  const elu0 = performance.eventLoopUtilization();
  const deadline = start + init.durationMs + (init.flowsPerSec > 0 ? OVERRUN_MS : 0);
  let nextTemplate = start + init.templateIntervalMs;
  let sent = 0;
  let ring = 0;
  const sendOne = (): void => {
    const b = data[ring]!;
    ring = ring + 1 === data.length ? 0 : ring + 1;
    stream.stampData(b);
    socket.send(b);
    sent++;
  };

  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      if (now >= nextTemplate) {
        sendTemplate();
        nextTemplate += init.templateIntervalMs;
      }
      if (init.flowsPerSec > 0) {
        const due = Math.min(total, Math.floor((now - start) * perMs));
        while (sent < due) sendOne();
      } else {
        for (let i = 0; i < MAX_MODE_CHUNK; i++) sendOne();
      }
      if (sent >= total || now >= deadline) resolve();
      else if (init.flowsPerSec > 0) setTimeout(tick, 1);
      else setImmediate(tick);
    };
    tick();
  });
  const elapsedMs = performance.now() - start;
  const busy = performance.eventLoopUtilization(elu0).utilization;
  // Sends complete in order: once a last template's send is done, all before it are.
  stream.stampTemplate(template);
  templates++;
  await new Promise<void>((r) => socket.send(template, () => r()));
  socket.close();
  return {
    flowsPerDatagram: stream.flowsPerDatagram,
    datagramBytes: data[0]!.length,
    dataDatagrams: sent,
    templateDatagrams: templates,
    sendErrors,
    flows: (sent - sendErrors) * stream.flowsPerDatagram,
    elapsedMs,
    busy,
  };
}

port.on('message', (m: ToSender) => {
  if (m.t === 'start') {
    run().then(
      (result) => port.postMessage({ t: 'done', result } satisfies FromSender),
      (err: unknown) => {
        throw err;
      },
    );
  }
});
port.postMessage({ t: 'ready' } satisfies FromSender);
