/**
 * A classic pcap file (pcap-savefile(5): microsecond times, Ethernet link
 * type) of `frames`, one record each, 1 ms apart from 1,700,000,000 s
 * (the second frame at 1,700,000,000.001 s), with `snaplen` in the header.
 */
export function classicPcap(frames: readonly Uint8Array[], snaplen = 65_535): Uint8Array {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.length, 0);
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, snaplen, true);
  dv.setUint32(20, 1, true);
  let o = 24;
  frames.forEach((f, i) => {
    dv.setUint32(o, 1_700_000_000, true);
    dv.setUint32(o + 4, i * 1000, true);
    dv.setUint32(o + 8, f.length, true);
    dv.setUint32(o + 12, f.length, true);
    b.set(f, o + 16);
    o += 16 + f.length;
  });
  return b;
}

/**
 * The same frames and times as classicPcap, as pcapng (draft-ietf-opsawg-pcapng):
 * a section header, one Ethernet interface (microsecond ticks) and an
 * enhanced packet block a frame, little- or big-endian; a `snaplen` of 0
 * leaves the interface's snap length unset.
 */
export function pcapng(frames: readonly Uint8Array[], le = true, snaplen = 0): Uint8Array {
  const blockBytes = (body: number): number => 12 + Math.ceil(body / 4) * 4;
  const size = blockBytes(16) + blockBytes(8) + frames.reduce((n, f) => n + blockBytes(20 + f.length), 0);
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  let o = 0;
  const block = (type: number, body: number, fill: (at: number) => void): void => {
    const len = blockBytes(body);
    dv.setUint32(o, type, le);
    dv.setUint32(o + 4, len, le);
    fill(o + 8);
    dv.setUint32(o + len - 4, len, le);
    o += len;
  };
  block(0x0a0d0d0a, 16, (at) => {
    dv.setUint32(at, 0x1a2b3c4d, le);
    dv.setUint16(at + 4, 1, le);
    dv.setInt32(at + 8, -1, le); // section length unknown (64 bits of ones)
    dv.setInt32(at + 12, -1, le);
  });
  block(1, 8, (at) => {
    dv.setUint16(at, 1, le);
    dv.setUint32(at + 4, snaplen, le);
  });
  frames.forEach((f, i) => {
    const us = 1_700_000_000 * 1e6 + i * 1000;
    block(6, 20 + f.length, (at) => {
      dv.setUint32(at + 4, Math.floor(us / 2 ** 32), le);
      dv.setUint32(at + 8, us % 2 ** 32, le);
      dv.setUint32(at + 12, f.length, le);
      dv.setUint32(at + 16, f.length, le);
      b.set(f, at + 20);
    });
  });
  return b;
}
