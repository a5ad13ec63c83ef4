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
