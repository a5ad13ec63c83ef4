import type { Readable } from 'node:stream';
import type { CapturedPacket } from '../file/index.ts';
import { pcapngPackets } from '../file/pcapng.ts';

/**
 * pcapng from a byte stream (dumpcap's `-w -`): the push parser of
 * ingest/file/pcapng.ts, which capture files and the meter's file feed
 * share, and an async generator over a Readable.
 */
export {
  createPcapngParser,
  PcapngStreamError,
  type InterfaceStatistics,
  type PcapngBlockSink,
  type PcapngParser,
} from '../file/pcapng.ts';

/**
 * Streams the frames of a pcapng byte stream (for example dumpcap's stdout).
 * A truncated last block ends the stream quietly, as tshark does.
 */
export function readPacketsFromStream(stream: Readable): AsyncGenerator<CapturedPacket> {
  return pcapngPackets(stream as AsyncIterable<Uint8Array | string>);
}
