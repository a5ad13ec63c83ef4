/**
 * Generates the demo's flows: each second a number of conversations between
 * local hosts and remote services, following a daily curve (quiet at night,
 * busiest in the evening), plus a few anomalies that come and go (a port
 * scan from outside, a large upload to an unusual country, a UDP flood).
 * Deterministic for a given seed and clock.
 */
import { parseIpv4Number } from '../common/net.ts';
import { HOSTS_PER_SUBNET, LOCAL_SUBNETS, SERVICES, type DemoService } from './catalog.ts';

/** One unidirectional flow, as an exporter would report it. */
export interface DemoFlow {
  src: number;
  dst: number;
  srcPort: number;
  dstPort: number;
  proto: number;
  bytes: number;
  packets: number;
  startMs: number;
  endMs: number;
  tcpFlags: number;
  /** true when it comes from the internet (in on the WAN interface). */
  inbound: boolean;
  app: string;
  vlan: number;
  /** Last byte of the local host's MAC address. */
  localHost: number;
}

/** A small fast PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Traffic intensity at a time of day: 0.25 at 4 am to 1 at 8 pm (local time). */
export function dailyFactor(ms: number): number {
  const d = new Date(ms);
  const hour = d.getHours() + d.getMinutes() / 60;
  return 0.25 + 0.75 * (0.5 - 0.5 * Math.cos(((hour - 4) / 24) * 2 * Math.PI)) ** 1.3;
}

const TOTAL_WEIGHT = SERVICES.reduce((n, s) => n + s.weight, 0);
const FLOWS_PER_SECOND = 120;
const MTU_PAYLOAD = 1400;
const TCP_ACK_PSH = 0x18;
const TCP_SYN_ACK_FIN = 0x13;
const TCP_SYN = 0x02;

function pickService(rnd: () => number): DemoService {
  let r = rnd() * TOTAL_WEIGHT;
  for (const s of SERVICES) {
    r -= s.weight;
    if (r <= 0) return s;
  }
  return SERVICES[0] as DemoService;
}

function inBlock(rnd: () => number, block: [string, number]): number {
  const size = 2 ** (32 - block[1]);
  return parseIpv4Number(block[0]) + 1 + Math.floor(rnd() * (size - 2));
}

/** A local host: heavy users (low indexes) are picked far more often. */
function pickLocal(rnd: () => number): { addr: number; vlan: number; host: number } {
  const subnet = LOCAL_SUBNETS[Math.floor(rnd() * LOCAL_SUBNETS.length)] as number;
  const host = 10 + Math.floor(HOSTS_PER_SUBNET * rnd() ** 2.2);
  return { addr: parseIpv4Number(`10.20.${subnet}.${host}`), vlan: subnet, host };
}

/** The flows of one conversation (both directions). */
function conversation(rnd: () => number, endMs: number, seconds: number, scale: number): DemoFlow[] {
  const s = pickService(rnd);
  const local = pickLocal(rnd);
  const remote = inBlock(rnd, s.blocks[Math.floor(rnd() * s.blocks.length)] as [string, number]);
  const ephemeral = 32768 + Math.floor(rnd() * 28000);
  const down = Math.max(64, Math.round(s.downBytes * seconds * scale * (0.2 + 1.6 * rnd())));
  const up = Math.max(64, Math.round(down * s.upShare * (0.5 + rnd())));
  const startMs = endMs - Math.round(seconds * 1000 * (0.3 + 0.7 * rnd()));
  const flags = s.proto === 6 ? TCP_ACK_PSH | (rnd() < 0.3 ? TCP_SYN_ACK_FIN : 0) : 0;
  const base = {
    proto: s.proto,
    startMs,
    endMs,
    tcpFlags: flags,
    app: s.app,
    vlan: local.vlan,
    localHost: local.host,
  };
  return [
    {
      ...base,
      src: remote,
      dst: local.addr,
      srcPort: s.port,
      dstPort: ephemeral,
      bytes: down,
      packets: Math.ceil(down / MTU_PAYLOAD),
      inbound: true,
    },
    {
      ...base,
      src: local.addr,
      dst: remote,
      srcPort: ephemeral,
      dstPort: s.port,
      bytes: up,
      packets: Math.max(1, Math.ceil(up / 600)),
      inbound: false,
    },
  ];
}

/** Anomalies active at `ms`: each runs for part of a repeating cycle. */
function anomalies(rnd: () => number, ms: number): DemoFlow[] {
  const out: DemoFlow[] = [];
  const sec = Math.floor(ms / 1000);
  const scanner = parseIpv4Number('185.220.101.47');
  if (sec % 300 < 40) {
    // A port scan: one outside address probing many ports of a few hosts.
    for (let i = 0; i < 40; i++) {
      const local = pickLocal(rnd);
      out.push({
        src: scanner,
        dst: local.addr,
        srcPort: 40000 + Math.floor(rnd() * 20000),
        dstPort: 1 + Math.floor(rnd() * 10000),
        proto: 6,
        bytes: 44,
        packets: 1,
        startMs: ms - 5,
        endMs: ms,
        tcpFlags: TCP_SYN,
        inbound: true,
        app: 'Port scan',
        vlan: local.vlan,
        localHost: local.host,
      });
    }
  }
  if (sec % 420 > 200 && sec % 420 < 290) {
    // A large upload from one workstation to an address abroad.
    out.push({
      src: parseIpv4Number('10.20.30.77'),
      dst: parseIpv4Number('5.188.206.14'),
      srcPort: 51515,
      dstPort: 443,
      proto: 6,
      bytes: 9_000_000 + Math.floor(rnd() * 2_000_000),
      packets: 6800,
      startMs: ms - 1000,
      endMs: ms,
      tcpFlags: TCP_ACK_PSH,
      inbound: false,
      app: 'HTTPS',
      vlan: 30,
      localHost: 77,
    });
  }
  return out;
}

/** The flows that ended within the second before `ms`; `scale` multiplies volumes (backfill uses whole minutes). */
export function flowsForSecond(rnd: () => number, ms: number, seconds = 1): DemoFlow[] {
  const factor = dailyFactor(ms);
  const n = Math.round(FLOWS_PER_SECOND * factor * (0.85 + 0.3 * rnd()));
  const flows: DemoFlow[] = [];
  for (let i = 0; i < n; i++) flows.push(...conversation(rnd, ms - Math.floor(rnd() * 1000), seconds, 1));
  if (seconds === 1) flows.push(...anomalies(rnd, ms));
  return flows;
}
