/**
 * The floor any Node.js collector stands on: one `node:dgram` socket that
 * only counts the flow records of each NetFlow v9 / IPFIX datagram (template
 * record lengths, then data set length / record length). No decoding,
 * enrichment or storage. Whatever rate this loses at, a collector written in
 * Node on the same machine loses at too.
 *
 *   node bench/ingest/floor-receiver.ts PORT RECEIVE_BUFFER_BYTES
 *
 * Prints "ready" once bound, and "records N" on SIGTERM before exiting.
 */
import dgram from 'node:dgram';

const port = Number(process.argv[2]);
const recvBufferSize = Number(process.argv[3]);
/** v9 header (RFC 3954 §5.1) and IPFIX header (RFC 7011 §3.1) lengths. */
const V9_HEADER = 20;
const IPFIX_HEADER = 16;
/** Template set ids: v9 0 (RFC 3954 §5.2), IPFIX 2 (RFC 7011 §3.3.2). */
const V9_TEMPLATE_SET = 0;
const IPFIX_TEMPLATE_SET = 2;
const FIRST_DATA_SET = 256;

const recordBytes = new Map<number, number>();
let records = 0;

function learnTemplates(b: Buffer, at: number, end: number, ipfix: boolean): void {
  let p = at;
  while (p + 4 <= end) {
    const id = b.readUInt16BE(p);
    const fields = b.readUInt16BE(p + 2);
    p += 4;
    let len = 0;
    for (let i = 0; i < fields && p + 4 <= end; i++) {
      const type = b.readUInt16BE(p);
      len += b.readUInt16BE(p + 2);
      p += ipfix && type & 0x8000 ? 8 : 4;
    }
    recordBytes.set(id, len);
  }
}

function count(b: Buffer): void {
  if (b.length < IPFIX_HEADER) return;
  const ipfix = b.readUInt16BE(0) === 10;
  let p = ipfix ? IPFIX_HEADER : V9_HEADER;
  while (p + 4 <= b.length) {
    const id = b.readUInt16BE(p);
    const len = b.readUInt16BE(p + 2);
    if (len < 4 || p + len > b.length) return;
    if (id === (ipfix ? IPFIX_TEMPLATE_SET : V9_TEMPLATE_SET)) learnTemplates(b, p + 4, p + len, ipfix);
    else if (id >= FIRST_DATA_SET) {
      const rl = recordBytes.get(id);
      if (rl) records += Math.floor((len - 4) / rl);
    }
    p += len;
  }
}

const sock = dgram.createSocket({ type: 'udp4', recvBufferSize });
sock.on('message', count);
sock.bind(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  process.stdout.write(`records ${records}\n`, () => process.exit(0));
});
