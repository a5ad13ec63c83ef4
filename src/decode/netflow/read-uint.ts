/** Big-endian readers for IPFIX/NetFlow field values. */

/** Seconds between the NTP era 0 epoch (1900) and the Unix epoch (RFC 5905). */
const NTP_UNIX_OFFSET_SEC = 2208988800;
const TWO_POW_32 = 4294967296;

/** Unsigned big-endian integer of `len` bytes (reduced-size encoding, RFC 7011 §6.2). */
export function readUint(v: DataView, off: number, len: number): number {
  switch (len) {
    case 1:
      return v.getUint8(off);
    case 2:
      return v.getUint16(off);
    case 4:
      return v.getUint32(off);
    case 8:
      return v.getUint32(off) * TWO_POW_32 + v.getUint32(off + 4);
    default: {
      let x = 0;
      for (let i = 0; i < len; i++) x = x * 256 + v.getUint8(off + i);
      return x;
    }
  }
}

/** Epoch ms of the 8-byte NTP timestamp at `off` (RFC 7011 §6.1.9-6.1.10). */
export function readNtpMs(v: DataView, off: number): number {
  const sec = v.getUint32(off);
  const frac = v.getUint32(off + 4);
  return (sec - NTP_UNIX_OFFSET_SEC) * 1000 + Math.floor((frac * 1000) / TWO_POW_32);
}
