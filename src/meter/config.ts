/** Flow meter configuration: every tunable has its unit in its name. */
export interface FlowMeterConfig {
  /** A flow with no packet for this long is exported and forgotten. */
  idleTimeoutMs: number;
  /** A flow longer than this is exported and goes on with fresh counters (as NetFlow's active timeout). */
  activeTimeoutMs: number;
  /** After a TCP RST, or FIN both ways, the flow lingers this long for stray packets, then is exported. */
  tcpClosedTimeoutMs: number;
  /** Flows kept at most; when full, the least recently seen is exported early and counted as evicted. */
  maxFlows: number;
  /**
   * How many payload bytes of a packet the PayloadInspector sees (a view,
   * not a copy): a TLS ClientHello's server name can sit a kilobyte in.
   */
  payloadBytes: number;
  /** Payload packets per direction the PayloadInspector may see (joined while a message is cut). */
  inspectPackets: number;
  /** With an injected clock (live capture): how often quiet flows are expired. */
  sweepIntervalMs: number;
  /** Non-first fragments are matched to their flow through this many remembered first fragments. */
  maxFragments: number;
}

/** Defaults: NetFlow-like timeouts (Cisco: 15 s inactive, 30 min active; we use 60 s/30 min as nfpcapd/softflowd do). */
export const DEFAULT_FLOW_METER_CONFIG: FlowMeterConfig = {
  idleTimeoutMs: 60_000,
  activeTimeoutMs: 1_800_000,
  tcpClosedTimeoutMs: 5_000,
  maxFlows: 1_000_000,
  payloadBytes: 2048,
  inspectPackets: 4,
  sweepIntervalMs: 1_000,
  maxFragments: 4_096,
};
