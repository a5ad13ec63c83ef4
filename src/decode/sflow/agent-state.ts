/**
 * What the decoder remembers per sFlow agent (agent address + sub-agent id):
 * datagram and flow-sample sequence numbers (for loss), the samplers'
 * cumulative drop counters, and the latest interface counters. Every map is
 * bounded; the least recently seen entry makes room for a new one.
 */
import type { DecodeOutput } from '../result.ts';
import { countError } from '../result.ts';
import type { InterfaceCounters } from './interface-counters.ts';

/** One sampler (data source) of an agent. */
export interface SamplerState {
  flowSeq: number;
  hasFlowSeq: boolean;
  /** Last value of the sample's cumulative `drops` field. */
  drops: number;
  hasDrops: boolean;
}

/** One agent (address + sub-agent id). */
export interface AgentState {
  agent: string;
  subAgentId: number;
  datagramSeq: number;
  hasDatagramSeq: boolean;
  datagrams: number;
  lostDatagrams: number;
  lostSamples: number;
  /** Sum of the increases of every sampler's `drops` counter since first seen. */
  drops: number;
  lastSeenMs: number;
  samplers: Map<number, SamplerState>;
  interfaces: Map<number, InterfaceCounters>;
}

/** A backwards step of at most this many is a late (reordered) datagram or sample, not a restart. */
const REORDER_WINDOW = 1024;
/** A forward jump larger than this is a restart or garbage, not loss (2^20: ~100 s at 10k datagrams/s). */
const MAX_PLAUSIBLE_GAP = 1 << 20;
/** Eviction order is refreshed at most this often per agent. */
const LRU_TOUCH_MS = 1000;
/** `advance` results that are not a loss count. */
const LATE = -1;
const RESTART = -2;

/**
 * Compares a sequence number with the last one: the number lost in between
 * (>= 0, baseline moves), LATE (keep the baseline) or RESTART (new baseline,
 * nothing lost). 32-bit wrap-around is a forward step.
 */
function advance(last: number, seq: number): number {
  const forward = (seq - last) >>> 0;
  if (forward === 0) return LATE;
  if (forward <= MAX_PLAUSIBLE_GAP) return forward - 1;
  return (last - seq) >>> 0 <= REORDER_WINDOW ? LATE : RESTART;
}

/** The bounded table of agents of one decoder. */
export interface AgentTable {
  /** The agent's state, created (evicting the least recently seen when full) if new. */
  lookup(agent: string, subAgentId: number, nowMs: number, errors: DecodeOutput['errors']): AgentState;
  /** Accounts a datagram sequence number; returns datagrams lost before it. */
  trackDatagram(state: AgentState, seq: number): number;
  /** Accounts a flow sample's sequence number and drops; returns samples lost before it. */
  trackFlowSample(state: AgentState, sourceKey: number, seq: number, drops: number): number;
  /** The interface entry to update, created if new (bounded per agent). */
  interfaceOf(state: AgentState, ifIndex: number, errors: DecodeOutput['errors']): InterfaceCounters;
  agents(): IterableIterator<AgentState>;
  size(): number;
  interfaceCount(): number;
}

/** Creates an empty table holding at most `maxAgents` agents of `maxInterfaces` interfaces each. */
export function createAgentTable(maxAgents: number, maxInterfaces: number): AgentTable {
  const byKey = new Map<string, AgentState>();
  let interfaces = 0;

  function lookup(agent: string, subAgentId: number, nowMs: number, errors: DecodeOutput['errors']) {
    const key = `${agent}/${subAgentId}`;
    let state = byKey.get(key);
    if (!state) {
      if (byKey.size >= maxAgents) evictOldestAgent(errors);
      state = newAgent(agent, subAgentId);
      byKey.set(key, state);
    } else if (nowMs - state.lastSeenMs >= LRU_TOUCH_MS) {
      // Re-insert so Map order is least recently seen first; at most once a
      // second per agent, as a busy agent sends thousands of datagrams a second.
      byKey.delete(key);
      byKey.set(key, state);
    }
    state.lastSeenMs = nowMs;
    state.datagrams++;
    return state;
  }

  function evictOldestAgent(errors: DecodeOutput['errors']): void {
    const oldest = byKey.keys().next();
    if (oldest.done) return;
    interfaces -= byKey.get(oldest.value)?.interfaces.size ?? 0;
    byKey.delete(oldest.value);
    countError(errors, 'limit_exceeded');
  }

  function trackDatagram(state: AgentState, seq: number): number {
    if (!state.hasDatagramSeq) {
      state.hasDatagramSeq = true;
      state.datagramSeq = seq;
      return 0;
    }
    const lost = advance(state.datagramSeq, seq);
    if (lost === LATE) return 0;
    // A restarted agent numbers its samples afresh too.
    if (lost === RESTART) state.samplers.clear();
    state.datagramSeq = seq;
    const n = Math.max(lost, 0);
    state.lostDatagrams += n;
    return n;
  }

  function trackFlowSample(state: AgentState, sourceKey: number, seq: number, drops: number): number {
    let s = state.samplers.get(sourceKey);
    if (!s) {
      if (state.samplers.size >= maxInterfaces) {
        const oldest = state.samplers.keys().next();
        if (!oldest.done) state.samplers.delete(oldest.value);
      }
      s = { flowSeq: seq, hasFlowSeq: false, drops, hasDrops: false };
      state.samplers.set(sourceKey, s);
    }
    accountDrops(state, s, drops);
    if (!s.hasFlowSeq) {
      s.hasFlowSeq = true;
      s.flowSeq = seq;
      return 0;
    }
    const lost = advance(s.flowSeq, seq);
    if (lost === LATE) return 0;
    s.flowSeq = seq;
    const n = Math.max(lost, 0);
    state.lostSamples += n;
    return n;
  }

  function interfaceOf(state: AgentState, ifIndex: number, errors: DecodeOutput['errors']) {
    let entry = state.interfaces.get(ifIndex);
    if (entry) return entry;
    if (state.interfaces.size >= maxInterfaces) {
      const oldest = state.interfaces.keys().next();
      if (!oldest.done && state.interfaces.delete(oldest.value)) interfaces--;
      countError(errors, 'limit_exceeded');
    }
    entry = { agent: state.agent, subAgentId: state.subAgentId, ifIndex, updatedMs: state.lastSeenMs };
    state.interfaces.set(ifIndex, entry);
    interfaces++;
    return entry;
  }

  return {
    lookup,
    trackDatagram,
    trackFlowSample,
    interfaceOf,
    agents: () => byKey.values(),
    size: () => byKey.size,
    interfaceCount: () => interfaces,
  };
}

/**
 * `drops` counts since the agent started (sFlow v5 §5, flow_sample.drops), so
 * only increases are added; a smaller value means the counter was reset.
 */
function accountDrops(state: AgentState, s: SamplerState, drops: number): void {
  if (s.hasDrops) state.drops += drops >= s.drops ? drops - s.drops : drops;
  s.hasDrops = true;
  s.drops = drops;
}

function newAgent(agent: string, subAgentId: number): AgentState {
  return {
    agent,
    subAgentId,
    datagramSeq: 0,
    hasDatagramSeq: false,
    datagrams: 0,
    lostDatagrams: 0,
    lostSamples: 0,
    drops: 0,
    lastSeenMs: 0,
    samplers: new Map(),
    interfaces: new Map(),
  };
}
