/**
 * sFlow version 5 decoder (https://sflow.org/sflow_version_5.txt): flow
 * samples become FlowRecords, counter samples update per-interface counters.
 * Decoding is pure apart from the per-agent state (sequence numbers, drops,
 * latest counters), which is bounded.
 */
import type { DatagramContext, DecodeOutput } from '../result.ts';
import { createAgentTable } from './agent-state.ts';
import { decodeDatagram } from './datagram.ts';
import type { InterfaceCounters } from './interface-counters.ts';

export type { InterfaceCounters } from './interface-counters.ts';

/** Bounds of one decoder; every field has a default. */
export interface SflowDecoderOptions {
  /** Samples decoded per datagram; more are counted as `limit_exceeded` and dropped. Default 1024. */
  maxSamplesPerDatagram?: number;
  /** Agents (address + sub-agent id) remembered; the least recently seen makes room. Default 10 000. */
  maxAgents?: number;
  /** Interfaces (and samplers) remembered per agent; the oldest makes room. Default 4096. */
  maxInterfacesPerAgent?: number;
}

/** What the decoder knows about one agent (address + sub-agent id). */
export interface SflowAgentStats {
  /** Agent address from the datagram header (may differ from the UDP source). */
  agent: string;
  subAgentId: number;
  datagrams: number;
  /** Datagrams missing from the agent's sequence numbers. */
  lostDatagrams: number;
  /** Flow samples missing from the samplers' sequence numbers. */
  lostSamples: number;
  /**
   * Packets the agent's samplers report they dropped for lack of resources
   * (the flow samples' cumulative `drops`, summed as increases since first seen).
   */
  drops: number;
  lastSeenMs: number;
}

/** Totals over the decoder's state. */
export interface SflowDecoderStats {
  /** Agents remembered. */
  agents: number;
  /** Interfaces with counters remembered, over all agents. */
  interfaces: number;
  /** Sampler drops over all agents remembered (see SflowAgentStats.drops). */
  drops: number;
}

/** A stateful sFlow v5 decoder: one per collector (or per worker). */
export interface SflowDecoder {
  /** Decodes one sFlow v5 datagram; never throws, whatever the bytes. */
  decode(datagram: Uint8Array, ctx: DatagramContext): DecodeOutput;
  /** Latest counter samples per agent and interface (generic if_counters and ethernet counters), with when they were received. */
  counters(): InterfaceCounters[];
  /** Counts of agents and interfaces remembered, and sampler drops. */
  stats(): SflowDecoderStats;
  /** Per-agent datagram, loss and drop counts. */
  agents(): SflowAgentStats[];
}

const DEFAULT_MAX_SAMPLES_PER_DATAGRAM = 1024;
const DEFAULT_MAX_AGENTS = 10_000;
const DEFAULT_MAX_INTERFACES_PER_AGENT = 4096;

/** Creates a decoder with empty state. */
export function createSflowDecoder(opts: SflowDecoderOptions = {}): SflowDecoder {
  const maxSamples = opts.maxSamplesPerDatagram ?? DEFAULT_MAX_SAMPLES_PER_DATAGRAM;
  const table = createAgentTable(
    opts.maxAgents ?? DEFAULT_MAX_AGENTS,
    opts.maxInterfacesPerAgent ?? DEFAULT_MAX_INTERFACES_PER_AGENT,
  );
  return {
    decode: (datagram, ctx) => decodeDatagram(table, maxSamples, datagram, ctx),
    counters() {
      const all: InterfaceCounters[] = [];
      for (const agent of table.agents()) for (const c of agent.interfaces.values()) all.push({ ...c });
      return all;
    },
    stats() {
      let drops = 0;
      for (const agent of table.agents()) drops += agent.drops;
      return { agents: table.size(), interfaces: table.interfaceCount(), drops };
    },
    agents() {
      const all: SflowAgentStats[] = [];
      for (const a of table.agents()) {
        const { agent, subAgentId, datagrams, lostDatagrams, lostSamples, drops, lastSeenMs } = a;
        all.push({ agent, subAgentId, datagrams, lostDatagrams, lostSamples, drops, lastSeenMs });
      }
      return all;
    },
  };
}
