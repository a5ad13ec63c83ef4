/**
 * Streaming parser of ClickHouse's TabSeparatedWithNamesAndTypes output:
 * rows split on raw newlines (data newlines are escaped), fields on tabs,
 * escapes undone into bytes (a FixedString(16) address is 16 raw bytes).
 */

/** A parsed result: column names and types, then rows of unescaped fields. */
export interface TsvResult {
  readonly names: string[];
  readonly types: string[];
  /** Rows in chunks; `null` marks \N. */
  readonly rows: AsyncIterable<TsvRow[]>;
}

/** One row: each field's bytes, or null for \N. */
export type TsvRow = (Buffer | null)[];

const TAB = 0x09;
const NL = 0x0a;
const BACKSLASH = 0x5c;
const ESCAPES: Record<number, number> = {
  0x62: 0x08, // \b
  0x66: 0x0c, // \f
  0x72: 0x0d, // \r
  0x6e: 0x0a, // \n
  0x74: 0x09, // \t
  0x30: 0x00, // \0
  0x61: 0x07, // \a
  0x76: 0x0b, // \v
};

function unescape(line: Buffer, from: number, to: number): Buffer | null {
  if (to - from === 2 && line[from] === BACKSLASH && line[from + 1] === 0x4e) return null;
  const i0 = line.indexOf(BACKSLASH, from);
  if (i0 < 0 || i0 >= to) return line.subarray(from, to);
  const out = Buffer.allocUnsafe(to - from);
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = line[i]!;
    if (c === BACKSLASH && i + 1 < to) {
      const e = line[++i]!;
      out[n++] = ESCAPES[e] ?? e;
    } else out[n++] = c;
  }
  return out.subarray(0, n);
}

/** Splits one line (without its newline) into fields. */
export function parseTsvLine(line: Buffer): TsvRow {
  const fields: TsvRow = [];
  let start = 0;
  for (;;) {
    const tab = line.indexOf(TAB, start);
    const end = tab < 0 ? line.length : tab;
    fields.push(unescape(line, start, end));
    if (tab < 0) return fields;
    start = tab + 1;
  }
}

async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer[]> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = buf.indexOf(NL, start); nl >= 0; nl = buf.indexOf(NL, start)) {
      out.push(buf.subarray(start, nl));
      start = nl + 1;
    }
    rest = Buffer.from(buf.subarray(start));
    if (out.length > 0) yield out;
  }
  if (rest.length > 0) yield [rest];
}

/** Parses a response stream; rejects when the header is missing (an empty or failed response). */
export async function parseTsvStream(stream: AsyncIterable<Buffer>): Promise<TsvResult> {
  const it = lines(stream)[Symbol.asyncIterator]();
  let pending: Buffer[] = [];
  const next = async (): Promise<Buffer | undefined> => {
    while (pending.length === 0) {
      const r = await it.next();
      if (r.done) return undefined;
      pending = r.value;
    }
    return pending.shift();
  };
  const names = await next();
  const types = await next();
  if (!names || !types) throw new Error('ClickHouse sent no result header');
  const header = { names: textFields(names), types: textFields(types) };
  const width = header.names.length;
  async function* rows(): AsyncGenerator<TsvRow[]> {
    const parse = (ls: Buffer[]): TsvRow[] =>
      ls.map((l) => {
        const row = parseTsvLine(l);
        // An error after the first rows is appended to the body as text.
        if (row.length !== width) throw new Error(`ClickHouse: ${l.toString('utf8').slice(0, 500)}`);
        return row;
      });
    if (pending.length > 0) yield parse(pending.splice(0));
    for (let r = await it.next(); !r.done; r = await it.next()) yield parse(r.value);
  }
  return { ...header, rows: rows() };
}

function textFields(line: Buffer): string[] {
  return parseTsvLine(line).map((f) => (f ?? Buffer.alloc(0)).toString('utf8'));
}
