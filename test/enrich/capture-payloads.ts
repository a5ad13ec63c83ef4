/**
 * Transport payloads of every frame of a capture, with the frame number
 * tshark gives it (1-based, every frame counted), decoded by the meter's
 * packet decoder (tunnels, VLANs, PPPoE walked to the inner packet).
 */
import { formatIpv4Number } from '../../src/common/net.ts';
import { createPacketDecoder } from '../../src/decode/packet/index.ts';
import { readPackets } from '../../src/ingest/file/index.ts';

/** One frame's transport payload. */
export interface FramePayload {
  frame: number;
  proto: number;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
}

function ipv6Of(words: Uint32Array, at: number): string {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) b.writeUInt32BE(words[at + i]!, i * 4);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Every TCP/UDP frame with a payload, in capture order. */
export async function readFramePayloads(path: string): Promise<FramePayload[]> {
  const dec = createPacketDecoder();
  const out: FramePayload[] = [];
  let frame = 0;
  for await (const pkt of readPackets(path)) {
    frame++;
    if (dec.decode(pkt.linkType, pkt.data) !== 'ok') continue;
    const v = dec.view;
    if ((v.proto !== 6 && v.proto !== 17) || v.payloadCaptured === 0) continue;
    const b = dec.lastFrame();
    out.push({
      frame,
      proto: v.proto,
      srcAddr: v.family === 4 ? formatIpv4Number(v.addr[3]!) : ipv6Of(v.addr, 0),
      dstAddr: v.family === 4 ? formatIpv4Number(v.addr[7]!) : ipv6Of(v.addr, 4),
      srcPort: v.srcPort,
      dstPort: v.dstPort,
      payload: Uint8Array.from(b.subarray(v.payloadOffset, v.payloadOffset + v.payloadCaptured)),
    });
  }
  return out;
}
