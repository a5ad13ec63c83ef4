/** True when every byte from `off` to `end` is zero: trailing padding, not a broken structure. */
export function isZeroTail(b: Uint8Array, off: number, end: number): boolean {
  for (let i = off; i < end; i++) if (b[i] !== 0) return false;
  return true;
}
