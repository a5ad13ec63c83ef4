/**
 * Live capture: one Wireshark `dumpcap` per interface (each with its own BPF
 * filter) streams pcapng to FlowLens, which parses it and hands every frame to
 * `onFrame`. Why dumpcap and not a libpcap binding: docs/adr/0002-live-capture-dumpcap.md.
 */

/** The live capture component: `createLiveCapture(deps)`, then start()/stop()/stats(). */
export {
  createLiveCapture,
  type LiveCapture,
  type LiveCaptureDeps,
  type CaptureInterface,
  type CaptureTiming,
  type CaptureState,
  type InterfaceCaptureStats,
} from './live-capture.ts';

/** Typed capture failures with stable codes (dumpcap missing, permission, no interface, bad filter). */
export { CaptureError, classifyDumpcapExit, spawnFailure, type CaptureErrorCode } from './errors.ts';

/** pcapng from a byte stream: a push parser and an async generator over a Readable. */
export {
  createPcapngParser,
  readPacketsFromStream,
  PcapngStreamError,
  type PcapngParser,
  type PcapngBlockSink,
  type InterfaceStatistics,
} from './pcapng-stream.ts';

/** Starting and stopping dumpcap processes; shared with ingest/recording. */
export {
  spawnDumpcap,
  dumpcapCaptureArgs,
  parseDumpcapDrops,
  type DumpcapTarget,
  type DumpcapProcess,
  type DumpcapExit,
} from './dumpcap.ts';
