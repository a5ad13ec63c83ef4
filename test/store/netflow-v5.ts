/** NetFlow v5 datagrams for store tests: 30 records each, distinct per (datagram, record). */

const HEADER = 24;
const RECORD = 48;
/** Records per datagram (the v5 maximum). */
export const V5_RECORDS = 30;

/** Datagram number `seq`: records whose source port encodes (seq, i); bytes = 100 + i. */
export function buildV5(seq: number, unixSecs: number): Buffer {
  const b = Buffer.alloc(HEADER + V5_RECORDS * RECORD);
  const uptime = 1_000_000;
  b.writeUInt16BE(5, 0);
  b.writeUInt16BE(V5_RECORDS, 2);
  b.writeUInt32BE(uptime, 4);
  b.writeUInt32BE(unixSecs, 8);
  b.writeUInt32BE(seq * V5_RECORDS, 16);
  for (let i = 0; i < V5_RECORDS; i++) {
    const o = HEADER + i * RECORD;
    b.writeUInt32BE(0x0a000000 + (seq & 0xffff) * 256 + i, o); // srcaddr 10.x.y.i
    b.writeUInt32BE(0xc0a80000 + i, o + 4); // dstaddr 192.168.0.i
    b.writeUInt16BE(1, o + 12);
    b.writeUInt16BE(2, o + 14);
    b.writeUInt32BE(1, o + 16); // packets
    b.writeUInt32BE(100 + i, o + 20); // bytes
    b.writeUInt32BE(uptime - 1000, o + 24);
    b.writeUInt32BE(uptime - 10, o + 28);
    b.writeUInt16BE(1024 + (seq % 60_000), o + 32);
    b.writeUInt16BE(443, o + 34);
    b.writeUInt8(6, o + 38);
  }
  return b;
}
