/**
 * sFlow v5 encoder for the demo (sflow.org/sflow_version_5.txt): flow
 * samples holding a sampled Ethernet/IPv4/TCP-or-UDP header, one sample per
 * `samplingRate` packets of each flow (at least one for a sampled flow).
 */
import { IF_LAN, IF_WAN } from './catalog.ts';
import type { DemoFlow } from './traffic.ts';

const SAMPLES_PER_DATAGRAM = 8;
const HEADER_PROTOCOL_ETHERNET = 1;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_IPV4 = 0x0800;

/** Encodes flows as sFlow samples; `agent` is the agent address as a number. */
export function createSflowEncoder(agent: number, samplingRate: number, rnd: () => number) {
  let sequence = 1;
  let sampleSeq = 1;
  let pool = 0;
  return {
    encode(flows: DemoFlow[], nowMs: number, bootMs: number): Buffer[] {
      const samples: Buffer[] = [];
      for (const f of flows) {
        const expected = f.packets / samplingRate;
        const n = Math.floor(expected) + (rnd() < expected % 1 ? 1 : 0);
        const frame = Math.min(1514, Math.round(f.bytes / f.packets) + 18);
        for (let i = 0; i < Math.min(n, 50); i++) samples.push(flowSample(f, frame));
      }
      const out: Buffer[] = [];
      for (let i = 0; i < samples.length; i += SAMPLES_PER_DATAGRAM) {
        const chunk = samples.slice(i, i + SAMPLES_PER_DATAGRAM);
        const head = Buffer.alloc(28);
        head.writeUInt32BE(5, 0);
        head.writeUInt32BE(1, 4);
        head.writeUInt32BE(agent, 8);
        head.writeUInt32BE(0, 12);
        head.writeUInt32BE(sequence++, 16);
        head.writeUInt32BE((nowMs - bootMs) >>> 0, 20);
        head.writeUInt32BE(chunk.length, 24);
        out.push(Buffer.concat([head, ...chunk]));
      }
      return out;
    },
  };

  function flowSample(f: DemoFlow, frameLength: number): Buffer {
    const header = packetHeader(f, frameLength);
    const padded = (header.length + 3) & ~3;
    const record = Buffer.alloc(8 + 16 + padded);
    record.writeUInt32BE(1, 0); // sampled_header
    record.writeUInt32BE(16 + padded, 4);
    record.writeUInt32BE(HEADER_PROTOCOL_ETHERNET, 8);
    record.writeUInt32BE(frameLength, 12);
    record.writeUInt32BE(4, 16);
    record.writeUInt32BE(header.length, 20);
    header.copy(record, 24);
    pool += samplingRate;
    const body = Buffer.alloc(32);
    body.writeUInt32BE(sampleSeq++, 0);
    body.writeUInt32BE(IF_WAN, 4); // one source (ifIndex 1), one sequence
    body.writeUInt32BE(samplingRate, 8);
    body.writeUInt32BE(pool >>> 0, 12);
    body.writeUInt32BE(0, 16);
    body.writeUInt32BE(f.inbound ? IF_WAN : IF_LAN, 20);
    body.writeUInt32BE(f.inbound ? IF_LAN : IF_WAN, 24);
    body.writeUInt32BE(1, 28);
    const sample = Buffer.alloc(8);
    sample.writeUInt32BE(1, 0); // flow_sample
    sample.writeUInt32BE(body.length + record.length, 4);
    return Buffer.concat([sample, body, record]);
  }
}

/** Ethernet + 802.1Q + IPv4 + the first bytes of TCP or UDP. */
function packetHeader(f: DemoFlow, frameLength: number): Buffer {
  const l4 = Buffer.alloc(f.proto === 6 ? 20 : 8);
  l4.writeUInt16BE(f.srcPort, 0);
  l4.writeUInt16BE(f.dstPort, 2);
  if (f.proto === 6) {
    l4.writeUInt8(0x50, 12);
    l4.writeUInt8(f.tcpFlags, 13);
    l4.writeUInt16BE(65535, 14);
  } else {
    l4.writeUInt16BE(Math.max(8, frameLength - 18 - 20), 4);
  }
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(Math.max(20 + l4.length, frameLength - 18), 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(f.proto, 9);
  ip.writeUInt32BE(f.src, 12);
  ip.writeUInt32BE(f.dst, 16);
  const eth = Buffer.alloc(18);
  Buffer.from([0x3c, 0x22, 0xfb, 0x10, f.vlan, f.localHost]).copy(eth, f.inbound ? 0 : 6);
  Buffer.from([0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01]).copy(eth, f.inbound ? 6 : 0);
  eth.writeUInt16BE(ETHERTYPE_VLAN, 12);
  eth.writeUInt16BE(f.vlan, 14);
  eth.writeUInt16BE(ETHERTYPE_IPV4, 16);
  return Buffer.concat([eth, ip, l4]);
}
