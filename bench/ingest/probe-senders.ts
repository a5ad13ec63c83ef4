/**
 * How fast the senders can go on this machine: each sends flat out for two
 * seconds to a bound socket nobody reads (the kernel delivers and drops), so
 * the figure includes the kernel's loopback work but no collector.
 */
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import type { Protocol } from './export-stream.ts';
import type { BenchOptions } from './options.ts';
import { prepareSend, type SendTotals } from './send.ts';

const PROBE_MS = 2_000;

/** Top send rate with `senders` threads. */
export async function probeSenders(
  o: BenchOptions,
  protocol: Protocol,
  senders: number,
): Promise<SendTotals> {
  const sink = createSocket('udp4');
  sink.bind(0, '127.0.0.1');
  await once(sink, 'listening');
  try {
    const s = await prepareSend({
      protocol,
      port: sink.address().port,
      flowsPerSec: 0,
      durationMs: PROBE_MS,
      senders,
      ringDatagrams: o.ringDatagrams,
      maxDatagramBytes: o.maxDatagramBytes,
      templateIntervalMs: o.templateIntervalMs,
      templateLeadMs: 0,
    });
    try {
      return await s.go();
    } finally {
      await s.close();
    }
  } finally {
    sink.close();
  }
}
