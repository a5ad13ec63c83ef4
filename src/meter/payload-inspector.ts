/**
 * The application-detection hook: the enrichment component implements it
 * (signatures, nDPI); the meter hands it the first payload of each direction.
 */

/** What the inspector sees: one direction's first payload packet of a flow. */
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

/** An application label. Strings should come from a small fixed set: the meter interns them. */
export interface AppLabel {
  appProto: string;
  appCategory?: string;
}

/** Called at most twice per flow (once per direction); the first label returned is kept. */
export interface PayloadInspector {
  inspect(sample: PayloadSample): AppLabel | undefined;
}

/** The default: labels nothing, and the meter skips the call entirely. */
export const NO_PAYLOAD_INSPECTOR: PayloadInspector = { inspect: () => undefined };
