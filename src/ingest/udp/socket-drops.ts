import { readFile } from 'node:fs/promises';

/** One UDP socket's kernel-side state from /proc/net/udp{,6} (proc(5)). */
interface SocketRow {
  port: number;
  /** Bytes waiting in the receive buffer (rx_queue). */
  rxQueue: number;
  /** Datagrams dropped because the receive buffer was full. */
  drops: number;
}

async function readRows(): Promise<SocketRow[]> {
  const rows: SocketRow[] = [];
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      const queues = cols[4];
      if (!local || !queues) continue;
      rows.push({
        port: parseInt(local.slice(local.lastIndexOf(':') + 1), 16),
        rxQueue: parseInt(queues.slice(queues.indexOf(':') + 1), 16) || 0,
        drops: Number(cols.at(-1)) || 0,
      });
    }
  }
  return rows;
}

/**
 * Datagrams the kernel dropped on our sockets because their receive buffer
 * was full, summed over the given local ports. 0 where /proc is not available.
 */
export async function readSocketDrops(ports: readonly number[]): Promise<number> {
  return (await readRows()).filter((r) => ports.includes(r.port)).reduce((a, r) => a + r.drops, 0);
}

/** Bytes still waiting in the receive buffers of sockets bound to `port`. */
export async function readReceiveQueue(port: number): Promise<number> {
  return (await readRows()).filter((r) => r.port === port).reduce((a, r) => a + r.rxQueue, 0);
}
