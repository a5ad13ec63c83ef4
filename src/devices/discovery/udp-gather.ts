/**
 * Send a multicast query and gather the answers for a while: the shape of
 * both mDNS browsing (RFC 6762 §5.2, to 224.0.0.251 / ff02::fb port 5353)
 * and SSDP M-SEARCH (UDA 2.0 §1.3.2, to 239.255.255.250 / ff02::c port
 * 1900). One socket per family, bound to an ephemeral port (answers to a
 * query from a port other than 5353 come back unicast: RFC 6762 §6.7), so
 * no local responder is disturbed; both closed when the window ends or the
 * run is aborted.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { Clock } from '../../common/clock.ts';

/** One answer. */
export interface UdpAnswer {
  from: string;
  payload: Uint8Array;
  atMs: number;
}

/** Where to send. */
export interface GatherTarget {
  family: 'udp4' | 'udp6';
  address: string;
  port: number;
  /** IPv4: the interface address to send from; IPv6: the interface name (scope). */
  multicastInterface?: string;
}

const MAX_ANSWERS = 10_000;

/** Sends `query` to every target and collects answers for `windowMs`. */
export function gatherAnswers(
  clock: Clock,
  targets: GatherTarget[],
  query: Uint8Array,
  windowMs: number,
  signal: AbortSignal,
): Promise<UdpAnswer[]> {
  return new Promise((resolve, reject) => {
    const answers: UdpAnswer[] = [];
    const sockets: Socket[] = [];
    let done = false;
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      timer.cancel();
      signal.removeEventListener('abort', onAbort);
      for (const s of sockets) s.close();
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(answers);
    };
    const onAbort = (): void => finish(signal.reason);
    const timer = clock.setTimeout(() => finish(), windowMs);
    signal.addEventListener('abort', onAbort, { once: true });
    for (const t of targets) {
      const s = createSocket({ type: t.family, reuseAddr: true });
      sockets.push(s);
      s.on('error', (err) => finish(err));
      s.on('message', (msg, rinfo) => {
        if (answers.length < MAX_ANSWERS)
          answers.push({ from: rinfo.address.replace(/%.*$/, ''), payload: msg, atMs: clock.now() });
      });
      s.bind(0, () => {
        try {
          if (t.multicastInterface) s.setMulticastInterface(t.multicastInterface);
          s.send(query, t.port, t.address);
        } catch (err) {
          finish(err);
        }
      });
    }
  });
}
