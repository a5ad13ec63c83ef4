/** Small hand-built Ethernet/IPv4 frames for meter tests. */

/** An Ethernet + IPv4 + UDP frame from 10.0.0.`host`:`sport` to 192.0.2.1:`dport` with 8 payload bytes. */
export function udpFrame(host: number, sport: number, dport: number): Uint8Array {
  const b = new Uint8Array(14 + 20 + 8 + 8);
  b.set([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00], 0);
  const ip = 14;
  b.set([0x45, 0, 0, 36, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, host & 255, 192, 0, 2, 1], ip);
  const u = ip + 20;
  b.set([sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 16, 0, 0], u);
  return b;
}
