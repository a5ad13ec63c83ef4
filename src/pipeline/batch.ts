/**
 * Datagrams cross from the receiving thread to decode workers in batches:
 * payloads packed into one transferable buffer, so a batch costs one message
 * and no per-datagram structured clone (architecture.md §6).
 */
export interface DatagramBatch {
  /** Payloads, back to back. */
  bytes: ArrayBuffer;
  /** Start of datagram i in `bytes`; offsets[count] is the end. */
  offsets: Uint32Array;
  receivedMs: Float64Array;
  exporters: string[];
  count: number;
}

/** Fills one batch at a time; `take()` hands it over and starts a new one. */
export class BatchBuilder {
  private bytes: Uint8Array;
  private offsets: Uint32Array;
  private received: Float64Array;
  private exporters: string[] = [];
  private used = 0;
  private readonly maxDatagrams: number;

  constructor(maxDatagrams: number) {
    this.maxDatagrams = maxDatagrams;
    this.bytes = new Uint8Array(maxDatagrams * 1500);
    this.offsets = new Uint32Array(maxDatagrams + 1);
    this.received = new Float64Array(maxDatagrams);
  }

  get count(): number {
    return this.exporters.length;
  }

  get full(): boolean {
    return this.exporters.length >= this.maxDatagrams;
  }

  add(payload: Uint8Array, exporter: string, receivedMs: number): void {
    if (this.used + payload.length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + payload.length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    const i = this.exporters.length;
    this.bytes.set(payload, this.used);
    this.offsets[i] = this.used;
    this.received[i] = receivedMs;
    this.exporters.push(exporter);
    this.used += payload.length;
    this.offsets[i + 1] = this.used;
  }

  take(): DatagramBatch {
    const batch: DatagramBatch = {
      bytes: this.bytes.buffer.slice(0, this.used) as ArrayBuffer,
      offsets: this.offsets.slice(0, this.exporters.length + 1),
      receivedMs: this.received.slice(0, this.exporters.length),
      exporters: this.exporters,
      count: this.exporters.length,
    };
    this.exporters = [];
    this.used = 0;
    return batch;
  }
}

/** The transfer list of a batch for postMessage. */
export function batchTransferList(b: DatagramBatch): ArrayBuffer[] {
  return [b.bytes, b.offsets.buffer as ArrayBuffer, b.receivedMs.buffer as ArrayBuffer];
}
