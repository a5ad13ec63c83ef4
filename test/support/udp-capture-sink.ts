import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { writeUdpPcap, type CapturedDatagram } from './pcap-udp-writer.ts';
import { pollUntil } from './poll-until.ts';

/** Options of `startUdpCaptureSink`. */
export interface UdpCaptureSinkOptions {
  /** Also send every datagram, unchanged, to 127.0.0.1:forwardPort (a running collector). */
  forwardPort?: number;
}

/**
 * A UDP receiver on 127.0.0.1 (an ephemeral port) standing in for a
 * collector: it records every datagram an exporter sends, can write them as
 * a pcap file and can forward each one to the real collector. Forwarded
 * datagrams come from the sink's own socket, so the collector sees exporter
 * 127.0.0.1.
 */
export interface UdpCaptureSink {
  /** The port exporters send to. */
  readonly port: number;
  /** Datagrams received, in arrival order. */
  readonly datagrams: readonly CapturedDatagram[];
  /** Datagrams forwarded and acknowledged by the kernel, and forwarding errors. */
  forwarded(): { sent: number; errors: number };
  /**
   * Waits until at least `min` datagrams arrived and none for `quietMs`, all
   * forwarded; throws after `timeoutMs`. Returns the number received.
   */
  waitQuiet(opts: { min: number; quietMs: number; timeoutMs: number }): Promise<number>;
  /** Writes what was received so far as a pcap file (Ethernet/IPv4/UDP). */
  writePcap(path: string): void;
  close(): Promise<void>;
}

/** A socket receive buffer large enough that a burst of exports is not dropped. */
const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

/** Binds the sink (and its forwarding socket) and starts recording. */
export async function startUdpCaptureSink(opts: UdpCaptureSinkOptions = {}): Promise<UdpCaptureSink> {
  const rx = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
  rx.bind(0, '127.0.0.1');
  await once(rx, 'listening');
  const port = rx.address().port;
  let tx: Socket | undefined;
  if (opts.forwardPort !== undefined) {
    tx = createSocket('udp4');
    tx.bind(0, '127.0.0.1');
    await once(tx, 'listening');
  }
  const datagrams: CapturedDatagram[] = [];
  let lastAt = Date.now();
  let sent = 0;
  let errors = 0;
  rx.on('message', (msg, rinfo) => {
    lastAt = Date.now();
    datagrams.push({
      tsMs: lastAt,
      srcAddr: rinfo.address,
      srcPort: rinfo.port,
      dstAddr: '127.0.0.1',
      dstPort: port,
      payload: new Uint8Array(msg),
    });
    tx?.send(msg, opts.forwardPort, '127.0.0.1', (err) => (err ? errors++ : sent++));
  });
  const forwardedAll = (): boolean => tx === undefined || sent + errors === datagrams.length;
  return {
    port,
    datagrams,
    forwarded: () => ({ sent, errors }),
    async waitQuiet({ min, quietMs, timeoutMs }) {
      return pollUntil(
        () =>
          datagrams.length >= min && Date.now() - lastAt >= quietMs && forwardedAll()
            ? datagrams.length
            : undefined,
        {
          timeoutMs,
          intervalMs: 50,
          what: `at least ${min} datagrams, then ${quietMs} ms of quiet, on UDP ${port}`,
        },
      );
    },
    writePcap: (path) => writeUdpPcap(path, datagrams),
    async close() {
      await Promise.all(
        [rx, tx].filter((s) => s !== undefined).map((s) => new Promise<void>((r) => s.close(() => r()))),
      );
    },
  };
}
