/**
 * The demo exporter: three simulated devices (a NetFlow v9 router, an IPFIX
 * firewall and an sFlow switch) sending realistic traffic of a few hundred
 * hosts to a FlowLens on this machine, once a second, after a backfill of
 * recent history so that charts and reports have something to show at once.
 */
import { parseIpv4Number } from '../common/net.ts';
import { LATE_AFTER_MS } from '../live/index.ts';
import { createSocket, type Socket } from 'node:dgram';
import { EXPORTERS, type DemoExporterSpec } from './catalog.ts';
import { createFlowEncoder, type FlowEncoder } from './netflow.ts';
import { createSflowEncoder } from './sflow.ts';
import { createRandom, flowsForSecond, type DemoFlow } from './traffic.ts';

/** Where the datagrams go (the loopback ports of the FlowLens listeners). */
export interface DemoTargets {
  host: string;
  netflowPort: number;
  ipfixPort: number;
  sflowPort: number;
}

/** Time and timers, injected so tests can drive the exporter. */
export interface DemoDeps {
  now: () => number;
  setInterval: (fn: () => void, ms: number) => { unref?: () => void };
  clearInterval: (handle: never) => void;
}

/** How the demo runs. */
export interface DemoOptions {
  targets: DemoTargets;
  /** Minutes of history sent at start (one summary per minute). */
  backfillMinutes?: number;
  seed?: number;
}

/** A running demo exporter. */
export interface DemoExporter {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Datagrams sent so far. */
  readonly sent: number;
}

const BOOT_AGO_MS = 7 * 24 * 3600_000;
const TICK_MS = 1000;

interface Device {
  spec: DemoExporterSpec;
  socket: Socket;
  port: number;
  send(flows: DemoFlow[], nowMs: number): Buffer[];
}

/** Creates the exporter (inert until start). */
export function createDemoExporter(opts: DemoOptions, deps: DemoDeps): DemoExporter {
  const rnd = createRandom(opts.seed ?? 7);
  const bootMs = deps.now() - BOOT_AGO_MS;
  let devices: Device[] = [];
  let timer: unknown;
  let sent = 0;

  const portOf = (spec: DemoExporterSpec): number =>
    spec.protocol === 'netflow9'
      ? opts.targets.netflowPort
      : spec.protocol === 'ipfix'
        ? opts.targets.ipfixPort
        : opts.targets.sflowPort;

  const makeDevice = async (spec: DemoExporterSpec, index: number): Promise<Device> => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: spec.address, port: 0 }, () => resolve());
    });
    let send: Device['send'];
    if (spec.protocol === 'sflow') {
      const enc = createSflowEncoder(parseIpv4Number(spec.address), spec.samplingRate, rnd);
      send = (flows, nowMs) => enc.encode(flows, nowMs, bootMs);
    } else {
      const enc: FlowEncoder = createFlowEncoder(spec.protocol, index + 1, bootMs);
      send = (flows, nowMs) => enc.encode(flows, nowMs);
    }
    return { spec, socket, port: portOf(spec), send };
  };

  /** `history`: flows of the past; sFlow samples carry no time (they count when they arrive), so its switch sends none. */
  const emit = (flows: DemoFlow[], nowMs: number, history = false): void => {
    // Each flow goes to one device, chosen by its share.
    const perDevice = devices.map(() => [] as DemoFlow[]);
    for (const f of flows) {
      let r = rnd();
      let i = 0;
      for (; i < devices.length - 1; i++) {
        r -= (devices[i] as Device).spec.share;
        if (r <= 0) break;
      }
      perDevice[i]?.push(f);
    }
    devices.forEach((d, i) => {
      if (history && d.spec.protocol === 'sflow') return;
      for (const buf of d.send(perDevice[i] ?? [], nowMs)) {
        d.socket.send(buf, d.port, opts.targets.host);
        sent++;
      }
    });
  };

  const backfill = async (minutes: number): Promise<void> => {
    const now = deps.now();
    // History stops short of the live view's window for late records: a summarised minute that
    // ended within it would count as traffic arriving now (a one-second spike of a whole minute's
    // bytes on the live charts). The few minutes between fill in as the demo runs.
    const newest = Math.ceil(LATE_AFTER_MS / 60_000) + 1;
    for (let m = minutes; m >= newest; m--) {
      const at = now - m * 60_000;
      // One minute summarised as 60 one-minute-long conversations per second's worth.
      emit(flowsForSecond(rnd, at, 60), now, true);
      if (m % 10 === 0) await new Promise((r) => setImmediate(r));
    }
  };

  return {
    get sent() {
      return sent;
    },
    async start() {
      devices = await Promise.all(EXPORTERS.map((spec, i) => makeDevice(spec, i)));
      const tick = (): void => emit(flowsForSecond(rnd, deps.now()), deps.now());
      tick();
      timer = deps.setInterval(tick, TICK_MS);
      await backfill(opts.backfillMinutes ?? 0);
    },
    async stop() {
      if (timer !== undefined) deps.clearInterval(timer as never);
      await Promise.all(devices.map((d) => new Promise<void>((r) => d.socket.close(() => r()))));
      devices = [];
    },
  };
}

/** The demo's devices, for the first-run guide and logs. */
export { EXPORTERS as DEMO_EXPORTERS } from './catalog.ts';
/** Configuration FlowLens needs to name the demo's applications. */
export const DEMO_APP_NAME_FIELDS = ['32473.1', '0.45001'];
