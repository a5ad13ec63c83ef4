import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ListenAddress } from '../../config/index.ts';
import { readReceiveQueue } from './socket-drops.ts';

/** Receives datagrams on one address; parses nothing (architecture.md: ingest). */
export interface UdpListener {
  /** Binds; rejects with ListenError when the port is taken or the address invalid. */
  start(): Promise<void>;
  /**
   * Drains, then closes: datagrams already in the kernel's receive buffer are
   * read until the socket has been quiet for `drainQuietMs` (at most
   * `drainMaxMs`), so a graceful stop loses nothing that reached the host.
   */
  stop(): Promise<void>;
  /** The bound port (useful with port 0). */
  port(): number;
  readonly name: string;
}

/** A listener that cannot bind, with the configuration key it came from. */
export class ListenError extends Error {
  readonly code = 'FLOWLENS_ERR_LISTEN';
}

export interface UdpListenerOptions {
  /** Configuration key, for messages ("collector.netflow.listen"). */
  key: string;
  address: ListenAddress;
  receiveBufferBytes: number;
  onDatagram(msg: Buffer, rinfo: RemoteInfo): void;
  drainQuietMs?: number;
  drainMaxMs?: number;
}

const DRAIN_QUIET_MS = 100;
const DRAIN_MAX_MS = 3000;

export function createUdpListener(opts: UdpListenerOptions): UdpListener {
  const v6 = isIPv6(opts.address.host);
  const text = v6
    ? `[${opts.address.host}]:${opts.address.port}`
    : `${opts.address.host}:${opts.address.port}`;
  let socket: Socket | undefined;
  let lastMessageMs = 0;
  return {
    name: `${opts.key} ${text}`,
    port: () => socket?.address().port ?? opts.address.port,
    async start() {
      // ipv6Only keeps "[::]:2055" and "0.0.0.0:2055" from clashing, and exporter
      // addresses from arriving as ::ffff:a.b.c.d.
      const s = createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6 });
      s.on('message', (msg, rinfo) => {
        lastMessageMs = performance.now();
        opts.onDatagram(msg, rinfo);
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', (err: NodeJS.ErrnoException) => {
          const why =
            err.code === 'EADDRINUSE'
              ? `UDP port ${text} is already in use by another program`
              : err.code === 'EADDRNOTAVAIL'
                ? `address ${opts.address.host} is not on this machine`
                : err.code === 'EACCES'
                  ? `no permission to listen on UDP ${text}`
                  : `cannot listen on UDP ${text}: ${err.message}`;
          reject(new ListenError(`${opts.key}: ${why}`, { cause: err }));
        });
        s.bind({ address: opts.address.host, port: opts.address.port, exclusive: true }, () => resolve());
      });
      try {
        s.setRecvBufferSize(opts.receiveBufferBytes);
      } catch {
        // The kernel caps SO_RCVBUF at net.core.rmem_max; a smaller buffer still works.
      }
      s.removeAllListeners('error');
      s.on('error', () => undefined);
      socket = s;
    },
    async stop() {
      const s = socket;
      socket = undefined;
      if (!s) return;
      const quiet = opts.drainQuietMs ?? DRAIN_QUIET_MS;
      const deadline = performance.now() + (opts.drainMaxMs ?? DRAIN_MAX_MS);
      const port = s.address().port;
      // Read until the kernel queue is empty and no datagram came for a while.
      while (performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        if (performance.now() - lastMessageMs < quiet) continue;
        if ((await readReceiveQueue(port)) === 0) break;
      }
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
