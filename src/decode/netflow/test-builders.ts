/**
 * Test support: builds NetFlow v5/v9 and IPFIX datagrams byte by byte, so
 * unit tests state exactly what is on the wire. Not used by the decoder.
 */

/** A growable big-endian byte writer. */
export class ByteWriter {
  private bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(Math.floor(v / 0x10000)).u16(v & 0xffff);
  }
  u64(v: number): this {
    return this.u32(Math.floor(v / 0x1_0000_0000)).u32(v % 0x1_0000_0000);
  }
  ipv4(a: string): this {
    for (const p of a.split('.')) this.u8(Number(p));
    return this;
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.u8(b[i] ?? 0);
    return this;
  }
  get length(): number {
    return this.bytes.length;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** Field specifier: [ie, length] or [ie, length, pen]. */
export type FieldSpec = [number, number] | [number, number, number];

/** An IPFIX/v9 set: id + 4-byte header + body (already padded by the caller if wanted). */
export function set(id: number, body: Uint8Array): Uint8Array {
  return new ByteWriter()
    .u16(id)
    .u16(body.length + 4)
    .raw(body)
    .build();
}

/** IPFIX template record body (for set id 2). */
export function ipfixTemplate(id: number, fields: FieldSpec[]): Uint8Array {
  const w = new ByteWriter().u16(id).u16(fields.length);
  for (const [ie, len, pen] of fields) {
    if (pen === undefined) w.u16(ie).u16(len);
    else
      w.u16(ie | 0x8000)
        .u16(len)
        .u32(pen);
  }
  return w.build();
}

/** IPFIX options template record body (for set id 3). */
export function ipfixOptionsTemplate(id: number, scopeCount: number, fields: FieldSpec[]): Uint8Array {
  const w = new ByteWriter().u16(id).u16(fields.length).u16(scopeCount);
  for (const [ie, len, pen] of fields) {
    if (pen === undefined) w.u16(ie).u16(len);
    else
      w.u16(ie | 0x8000)
        .u16(len)
        .u32(pen);
  }
  return w.build();
}

/** NetFlow v9 template record body (for flowset id 0). */
export function v9Template(id: number, fields: [number, number][]): Uint8Array {
  const w = new ByteWriter().u16(id).u16(fields.length);
  for (const [t, len] of fields) w.u16(t).u16(len);
  return w.build();
}

/** NetFlow v9 options template body (for flowset id 1), without padding. */
export function v9OptionsTemplate(
  id: number,
  scope: [number, number][],
  options: [number, number][],
): Uint8Array {
  const w = new ByteWriter()
    .u16(id)
    .u16(scope.length * 4)
    .u16(options.length * 4);
  for (const [t, len] of [...scope, ...options]) w.u16(t).u16(len);
  return w.build();
}

/** IPFIX message: header + sets. */
export function ipfixMessage(
  sets: Uint8Array[],
  opts: { exportSec?: number; seq?: number; domain?: number } = {},
): Uint8Array {
  const len = 16 + sets.reduce((n, s) => n + s.length, 0);
  const w = new ByteWriter()
    .u16(10)
    .u16(len)
    .u32(opts.exportSec ?? 1_700_000_000)
    .u32(opts.seq ?? 0)
    .u32(opts.domain ?? 1);
  for (const s of sets) w.raw(s);
  return w.build();
}

/** NetFlow v9 packet: header + flowsets. */
export function v9Packet(
  flowsets: Uint8Array[],
  opts: { uptimeMs?: number; unixSec?: number; seq?: number; sourceId?: number; count?: number } = {},
): Uint8Array {
  const w = new ByteWriter()
    .u16(9)
    .u16(opts.count ?? flowsets.length)
    .u32(opts.uptimeMs ?? 100_000)
    .u32(opts.unixSec ?? 1_700_000_000)
    .u32(opts.seq ?? 0)
    .u32(opts.sourceId ?? 0);
  for (const s of flowsets) w.raw(s);
  return w.build();
}

/** Concatenation of byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const w = new ByteWriter();
  for (const p of parts) w.raw(p);
  return w.build();
}
