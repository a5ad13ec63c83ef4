/**
 * The application-detection hook: the enrichment component implements it
 * (signatures, nDPI); the meter hands it the first payload of each direction.
 */

/**
 * What the inspector sees: one direction's first payload packet of a flow.
 * The sample, as its payload, is valid only during the call: the meter
 * refills one object for every payload rather than allocating one each.
 */
export interface PayloadSample {
  proto: number;
  /** Ports as seen in this packet (source = the sender of this payload). */
  srcPort: number;
  dstPort: number;
  /** True when the sender started the flow (client to server). */
  fromInitiator: boolean;
  /** At most `payloadBytes` captured bytes; valid only during the call (the buffer is reused). */
  payload: Uint8Array;
}

/**
 * What the inspector found. `appProto`/`appCategory` should come from a
 * small fixed set (the meter interns them); `serverName` (TLS/QUIC SNI, HTTP
 * Host, DNS question) and `ja4` are kept per flow.
 */
export interface AppLabel {
  appProto: string;
  appCategory?: string;
  serverName?: string;
  ja4?: string;
}

/**
 * Called with the first payload packet of each direction (the next one too
 * while nothing is found, or more joined while `wantsMore`); the first label
 * returned is kept.
 */
export interface PayloadInspector {
  inspect(sample: PayloadSample): AppLabel | undefined;
  /**
   * True when the payload is the start of a message longer than it (a TLS
   * ClientHello or HTTP request header cut by the end of the segment): the
   * meter joins it with the next payload packets of the direction (up to
   * `inspectPackets`) and asks again. Absent: never.
   */
  wantsMore?(sample: PayloadSample): boolean;
  /**
   * False when neither `inspect` nor `wantsMore` can find anything in a
   * payload of `proto` between these ports that is the `length` bytes at
   * `bytes[at]` (the frame itself: read them, keep nothing): the meter then
   * skips the sample (as if nothing was found) without making it. Absent:
   * every payload is shown.
   */
  mayMatch?(
    proto: number,
    srcPort: number,
    dstPort: number,
    bytes: Uint8Array,
    at: number,
    length: number,
  ): boolean;
}

/** The default: labels nothing, and the meter skips the call entirely. */
export const NO_PAYLOAD_INSPECTOR: PayloadInspector = { inspect: () => undefined };
