import { findNetworkLayer, type CapturedPacket } from '../../src/ingest/file/index.ts';
import { runToExit, spawnTracked, type TrackedChild } from '../support/child-process.ts';
import { pollUntil } from '../support/poll-until.ts';
import type { NetnsPair } from './netns-pair.ts';

/** What the traffic generator sends from A to B; the tests compare captures with it. */
export const SENT = {
  udpPort: 5555,
  udpDatagrams: 10,
  udpPayloadBytes: 100,
  tcpPort: 6000,
  /** Sent by A, echoed back by B. */
  tcpPayloadBytes: 1000,
  pings: 3,
} as const;

/** B: a UDP sink and a TCP echo server, printing "ready" once both listen. */
const PEER = `
const dgram = require('node:dgram'), net = require('node:net');
const [addr, udpPort, tcpPort] = process.argv.slice(1);
const u = dgram.createSocket('udp4');
u.bind(Number(udpPort), addr, () => {
  net.createServer((s) => s.pipe(s)).listen(Number(tcpPort), addr, () => console.log('ready'));
});
`;

/** A: the UDP datagrams, then one TCP connection that sends and reads back its payload. */
const CLIENT = `
const dgram = require('node:dgram'), net = require('node:net');
const [addr, udpPort, n, size, tcpPort, tcpBytes] = process.argv.slice(1).map((v, i) => (i ? Number(v) : v));
const u = dgram.createSocket('udp4');
let sent = 0;
const next = () => {
  if (sent === n) { u.close(); return tcp(); }
  sent++;
  u.send(Buffer.alloc(size, sent), udpPort, addr, next);
};
const tcp = () => {
  const s = net.connect(tcpPort, addr, () => s.write(Buffer.alloc(tcpBytes, 7)));
  let got = 0;
  s.on('data', (d) => { got += d.length; if (got >= tcpBytes) s.end(); });
  s.on('close', () => console.log('done', got));
};
next();
`;

/** Starts B's servers and waits until they listen. */
export async function startPeer(pair: NetnsPair): Promise<TrackedChild> {
  const args = [String(SENT.udpPort), String(SENT.tcpPort)];
  const peer = spawnTracked('ip', [
    'netns',
    'exec',
    pair.nsB,
    process.execPath,
    '-e',
    PEER,
    pair.addrB,
    ...args,
  ]);
  await pollUntil(() => peer.stdout().includes('ready'), { timeoutMs: 30_000, what: 'the peer in B' });
  return peer;
}

/** Sends everything in SENT from A to B (UDP, TCP, then ping) and waits for the end. */
export async function sendTraffic(pair: NetnsPair): Promise<void> {
  const args = [
    pair.addrB,
    SENT.udpPort,
    SENT.udpDatagrams,
    SENT.udpPayloadBytes,
    SENT.tcpPort,
    SENT.tcpPayloadBytes,
  ];
  const client = ['netns', 'exec', pair.nsA, process.execPath, '-e', CLIENT, ...args.map(String)];
  const c = await runToExit('ip', client, { timeoutMs: 30_000 });
  if (c.code !== 0 || !c.stdout.includes(`done ${SENT.tcpPayloadBytes}`)) {
    throw new Error(`traffic client failed (${c.code}): ${c.stdout}${c.stderr}`);
  }
  const ping = [
    'netns',
    'exec',
    pair.nsA,
    'ping',
    '-n',
    '-q',
    '-c',
    String(SENT.pings),
    '-i',
    '0.2',
    pair.addrB,
  ];
  const p = await runToExit('ip', ping, { timeoutMs: 30_000 });
  if (p.code !== 0) throw new Error(`ping failed: ${p.stdout}${p.stderr}`);
}

/** Per-protocol counts of IPv4 frames, as the tests compare them with SENT. */
export interface TrafficSummary {
  frames: number;
  /** Frames carrying no IPv4 (ARP). */
  nonIp: number;
  icmpEchoRequests: number;
  icmpEchoReplies: number;
  udpToPort: Map<number, number>;
  udpPayloadBytes: number;
  tcpSyns: number;
  /** TCP payload bytes by destination port (A->B) and source port (B->A). */
  tcpPayloadTo: Map<number, number>;
  tcpPayloadFrom: Map<number, number>;
  other: number;
}

const add = (m: Map<number, number>, k: number, n: number): void => void m.set(k, (m.get(k) ?? 0) + n);

/** Sorts captured frames into the counts of TrafficSummary. */
export function summarize(packets: readonly CapturedPacket[]): TrafficSummary {
  const s: TrafficSummary = {
    frames: packets.length,
    ...{ nonIp: 0, icmpEchoRequests: 0, icmpEchoReplies: 0, udpPayloadBytes: 0, tcpSyns: 0, other: 0 },
    ...{ udpToPort: new Map(), tcpPayloadTo: new Map(), tcpPayloadFrom: new Map() },
  };
  for (const p of packets) {
    const nl = findNetworkLayer(p.linkType, p.data);
    if (!nl || nl.etherType !== 0x0800) {
      s.nonIp++;
      continue;
    }
    const b = Buffer.from(p.data.buffer, p.data.byteOffset + nl.offset, p.data.length - nl.offset);
    const hl = ((b[0] ?? 0) & 0x0f) * 4;
    const total = b.readUInt16BE(2);
    const l4 = b.subarray(hl, total);
    if (b[9] === 1) {
      if (l4[0] === 8) s.icmpEchoRequests++;
      else if (l4[0] === 0) s.icmpEchoReplies++;
      else s.other++;
    } else if (b[9] === 17) {
      add(s.udpToPort, l4.readUInt16BE(2), 1);
      s.udpPayloadBytes += l4.readUInt16BE(4) - 8;
    } else if (b[9] === 6) {
      const payload = l4.length - ((l4[12] ?? 0) >> 4) * 4;
      if (((l4[13] ?? 0) & 0x12) === 0x02) s.tcpSyns++;
      add(s.tcpPayloadTo, l4.readUInt16BE(2), payload);
      add(s.tcpPayloadFrom, l4.readUInt16BE(0), payload);
    } else s.other++;
  }
  return s;
}
