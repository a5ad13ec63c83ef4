import { createSystemClock, type Clock, type Timer } from '../../common/clock.ts';
import { rateLimited, type Logger } from '../../common/logger.ts';
import { dumpcapCaptureArgs, parseDumpcapDrops, spawnDumpcap, type DumpcapExit } from './dumpcap.ts';
import { CaptureError, classifyDumpcapExit, spawnFailure } from './errors.ts';
import { createPcapngParser, type InterfaceStatistics, type PcapngBlockSink } from './pcapng-stream.ts';

/** One interface to capture on, each with its own filter. */
export interface CaptureInterface {
  name: string;
  /** BPF (libpcap) filter; everything when absent or empty. */
  filter?: string;
  /** Bytes kept of each frame (dumpcap's default 262144 when absent). */
  snaplen?: number;
  /** Promiscuous mode (default true). */
  promiscuous?: boolean;
  /** `ip netns` namespace the interface lives in (tests, special setups; needs root). */
  netns?: string;
}

/** Restart and shutdown timing; every field has a default. */
export interface CaptureTiming {
  /** First restart delay after dumpcap dies; doubles per consecutive failure. */
  restartDelayMs?: number;
  restartMaxDelayMs?: number;
  /** Consecutive failed runs after which the interface is given up ("failed"). */
  maxRestarts?: number;
  /** A run at least this long resets the failure count. */
  stableRunMs?: number;
  /** SIGTERM -> SIGKILL grace on stop. */
  stopGraceMs?: number;
}

/** Dependencies and options of `createLiveCapture`. */
export interface LiveCaptureDeps extends CaptureTiming {
  interfaces: readonly CaptureInterface[];
  /** dumpcap binary (PATH lookup when bare); default "dumpcap". */
  dumpcapPath?: string;
  log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  clock?: Clock;
  /**
   * Called for every captured frame, synchronously, in capture order per
   * interface: the frame is `data[start..end)`, cut from `origLen` bytes on
   * the wire, a view of dumpcap's output valid only during the call (no copy
   * or object a frame: a consumer that keeps it copies it).
   */
  onFrame(ifName: string, ...frame: Parameters<PcapngBlockSink['pushFrame']>): void;
  /** Called for every failed dumpcap run (a restart follows when `error.retryable`). */
  onError(error: CaptureError): void;
}

/** Where an interface's capture is. */
export type CaptureState = 'idle' | 'starting' | 'capturing' | 'restarting' | 'failed' | 'stopped';

/** Counters of one interface since start(); they survive dumpcap restarts. */
export interface InterfaceCaptureStats {
  name: string;
  state: CaptureState;
  packets: number;
  /** Frame bytes on the wire (original lengths). */
  bytes: number;
  /** Frame bytes delivered (cut by the snap length). */
  capturedBytes: number;
  /** Frames the kernel or dumpcap dropped; known when a dumpcap run ends (its last report). */
  drops: number;
  restarts: number;
  /** Exceptions thrown by onFrame (counted, logged at a limited rate). */
  callbackErrors: number;
  lastError?: { code: string; message: string };
}

/** A live capture over several interfaces. */
export interface LiveCapture {
  start(): void;
  /** Terminates every dumpcap (SIGTERM, then SIGKILL) and resolves once all have exited. */
  stop(): Promise<void>;
  stats(): InterfaceCaptureStats[];
}

const DEFAULTS: Required<CaptureTiming> = {
  restartDelayMs: 1000,
  restartMaxDelayMs: 60_000,
  maxRestarts: 10,
  stableRunMs: 60_000,
  stopGraceMs: 5000,
};

/** Builds an inert live capture: nothing runs until start(). */
export function createLiveCapture(deps: LiveCaptureDeps): LiveCapture {
  const clock = deps.clock ?? createSystemClock();
  const timing = { ...DEFAULTS, ...definedOnly(deps) };
  const runners = deps.interfaces.map((iface) => createRunner(iface, deps, clock, timing));
  return {
    start: () => runners.forEach((r) => r.start()),
    stop: async () => {
      await Promise.all(runners.map((r) => r.stop()));
    },
    stats: () => runners.map((r) => ({ ...r.stats })),
  };
}

function definedOnly(t: CaptureTiming): CaptureTiming {
  return Object.fromEntries(
    Object.entries(t).filter(([k, v]) => k in DEFAULTS && typeof v === 'number'),
  ) as CaptureTiming;
}

interface Runner {
  stats: InterfaceCaptureStats;
  start(): void;
  stop(): Promise<void>;
}

function createRunner(
  iface: CaptureInterface,
  deps: LiveCaptureDeps,
  clock: Clock,
  timing: Required<CaptureTiming>,
): Runner {
  const dumpcapPath = deps.dumpcapPath ?? 'dumpcap';
  const stats: InterfaceCaptureStats = {
    name: iface.name,
    state: 'idle',
    ...{ packets: 0, bytes: 0, capturedBytes: 0, drops: 0, restarts: 0, callbackErrors: 0 },
  };
  const logCallbackError = rateLimited(clock.now, 10_000, (suppressed, err: unknown) =>
    deps.log.error({ err, interface: iface.name, suppressed }, 'capture onFrame failed'),
  );
  let proc: ReturnType<typeof spawnDumpcap> | undefined;
  let restartTimer: Timer | undefined;
  let stopping = false;
  let failures = 0;

  const launch = (): void => {
    restartTimer = undefined;
    stats.state = 'starting';
    const runStart = clock.now();
    let isb: InterfaceStatistics | undefined;
    let streamError: CaptureError | undefined;
    const parser = createPcapngParser({
      onInterface: () => {
        stats.state = 'capturing';
        deps.log.info({ interface: iface.name, filter: iface.filter }, 'capture started');
      },
      onStatistics: (s) => (isb = s),
      pushFrame: (tsMs, linkType, data, start, end, origLen) => {
        stats.packets++;
        stats.bytes += origLen;
        stats.capturedBytes += end - start;
        try {
          deps.onFrame(iface.name, tsMs, linkType, data, start, end, origLen);
        } catch (err) {
          stats.callbackErrors++;
          logCallbackError(err);
        }
      },
    });
    const args = [...dumpcapCaptureArgs({ ...iface, interface: iface.name }), '-n', '-w', '-', '-q'];
    const p = spawnDumpcap(dumpcapPath, args, iface.netns, clock);
    proc = p;
    p.child.stdout?.on('data', (chunk: Buffer) => {
      if (streamError) return;
      try {
        parser.write(chunk);
      } catch (cause) {
        streamError = new CaptureError('FLOWLENS_ERR_CAPTURE_STREAM', iface.name, String(cause), { cause });
        p.child.kill('SIGKILL');
      }
    });
    void p.exited.then((exit) => {
      stats.drops += parseDumpcapDrops(exit.stderr)?.dropped ?? isb?.dropped ?? 0;
      if (proc === p) proc = undefined;
      if (stopping) return;
      onRunEnd(streamError ?? failureOf(exit), clock.now() - runStart);
    });
  };

  const failureOf = (exit: DumpcapExit): CaptureError =>
    exit.spawnError
      ? spawnFailure(iface.name, dumpcapPath, exit.spawnError)
      : classifyDumpcapExit(iface.name, exit.stderr, exit);

  const onRunEnd = (err: CaptureError, ranMs: number): void => {
    stats.lastError = { code: err.code, message: err.message };
    failures = ranMs >= timing.stableRunMs ? 1 : failures + 1;
    const giveUp = !err.retryable || failures > timing.maxRestarts;
    deps.log.warn({ interface: iface.name, code: err.code, giveUp }, err.message);
    reportError(err);
    if (giveUp) {
      stats.state = 'failed';
      return;
    }
    const delay = Math.min(timing.restartMaxDelayMs, timing.restartDelayMs * 2 ** (failures - 1));
    stats.state = 'restarting';
    stats.restarts++;
    restartTimer = clock.setTimeout(launch, delay);
  };

  const reportError = (err: CaptureError): void => {
    try {
      deps.onError(err);
    } catch (e) {
      deps.log.error({ err: e }, 'capture onError failed');
    }
  };

  return {
    stats,
    start() {
      if (proc || restartTimer || stats.state === 'capturing') return;
      stopping = false;
      failures = 0;
      launch();
    },
    async stop() {
      stopping = true;
      restartTimer?.cancel();
      restartTimer = undefined;
      const p = proc;
      if (p) await p.stop(timing.stopGraceMs);
      if (stats.state !== 'failed') stats.state = stats.state === 'idle' ? 'idle' : 'stopped';
    },
  };
}
