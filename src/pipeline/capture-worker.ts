/**
 * Capture worker: runs dumpcap on the configured interfaces (src/ingest/capture),
 * meters the packets into flows (src/meter, one meter per interface, the
 * interface name as exporter) and sends them through the same stages as
 * decoded exports (flow-sink.ts). A thread of its own, so metering never
 * delays UDP reception or decoding.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createSystemClock } from '../common/clock.ts';
import { createSilentLogger } from '../common/logger.ts';
import { createLiveCapture, type CaptureInterface } from '../ingest/capture/index.ts';
import { createFlowMeter, type FlowMeter, type SnoopEvent } from '../meter/index.ts';
import { createFlowSink, type FlowSinkInit } from './flow-sink.ts';
import type { CaptureStats, FromCaptureWorker, ToCaptureWorker } from './capture-messages.ts';

/** What the capture worker is started with. */
export interface CaptureWorkerInit {
  interfaces: CaptureInterface[];
  dumpcapPath: string;
  sink: FlowSinkInit;
  statsIntervalMs: number;
}

const init = workerData as CaptureWorkerInit;
const port = parentPort!;
const post = (m: FromCaptureWorker): void => port.postMessage(m);
const clock = createSystemClock();
const sink = createFlowSink(init.sink, (msg, fields) => post({ t: 'log', level: 'warn', msg, fields }));

/** DNS answers seen on the wire name addresses for enrichment (RFC 1035 TTLs are not in the event). */
const LEARNED_NAME_TTL_SEC = 300;
/** Discovery packets forwarded per report; a flood beyond this is counted, not queued. */
const MAX_SNOOP_PER_REPORT = 1000;
let snooped: SnoopEvent[] = [];
let snoopDropped = 0;

const meters = new Map<string, FlowMeter>();
for (const iface of init.interfaces) {
  const meter = createFlowMeter({
    exporter: iface.name,
    clock,
    ...(sink.enricher ? { inspector: sink.enricher.inspector } : {}),
  });
  meter.onFlow((r) => sink.add(r, clock.now()));
  meter.onSnoop((e) => {
    if (e.kind !== 'dns') {
      if (snooped.length < MAX_SNOOP_PER_REPORT) snooped.push(e);
      else snoopDropped++;
    }
    if (!e.dns || !sink.enricher) return;
    const answers = e.dns.answers.flatMap((a) =>
      a.addresses.map((address) => ({ address, name: a.name, ttlSec: LEARNED_NAME_TTL_SEC })),
    );
    if (answers.length > 0) sink.enricher.learnDns(answers);
  });
  meters.set(iface.name, meter);
}

const capture = createLiveCapture({
  interfaces: init.interfaces,
  dumpcapPath: init.dumpcapPath,
  log: createSilentLogger(),
  clock,
  onFrame: (ifName, tsMs, linkType, data, start, end) =>
    meters.get(ifName)?.pushFrame(tsMs, linkType, data, start, end),
  onError: (err) =>
    post({ t: 'log', level: 'warn', msg: err.message, fields: { code: err.code, retryable: err.retryable } }),
});

function stats(): CaptureStats {
  return {
    interfaces: capture.stats(),
    meters: [...meters].map(([name, m]) => ({ name, ...m.stats() })),
  };
}

function report(force = false): void {
  post({ t: 'stats', stats: stats() });
  if (snooped.length > 0 || snoopDropped > 0) {
    post({ t: 'snoop', events: snooped, dropped: snoopDropped });
    snooped = [];
    snoopDropped = 0;
  }
  const delta = sink.liveDelta(clock.now(), force);
  if (delta) post({ t: 'live', delta });
}

const timer = setInterval(report, init.statsIntervalMs);
for (const m of meters.values()) m.start();
capture.start();

port.on('message', (m: ToCaptureWorker) => {
  switch (m.t) {
    case 'live':
      sink.setLive(m.enabled);
      break;
    case 'stop':
      clearInterval(timer);
      capture
        .stop()
        .then(() => {
          // Every flow still in the tables goes out before the worker ends.
          for (const meter of meters.values()) meter.stop();
          report(true);
          sink.stop();
          post({ t: 'stopped' });
          port.close();
        })
        .catch((err: unknown) =>
          post({ t: 'log', level: 'error', msg: 'capture stop failed', fields: { err: String(err) } }),
        );
      break;
  }
});
post({ t: 'ready' });
