/**
 * The flow meter: decoded packets -> bidirectional flows in a bounded table,
 * exported on idle/active timeout, TCP close, eviction or flush. Time is the
 * packets' own (files), or the injected clock's between packets (live).
 */
import type { Clock, Timer } from '../common/clock.ts';
import { createPacketDecoder, quickShardHash, type PacketStatus } from '../decode/packet/index.ts';
import type { CapturedPacket } from '../ingest/file/index.ts';
import type { FlowRecord } from '../schema/flow-record.ts';
import { DEFAULT_FLOW_METER_CONFIG, type FlowMeterConfig } from './config.ts';
import { FLAG_CLOSED } from './flow-columns.ts';
import { buildFlowRecord } from './flow-export.ts';
import { createFlowJsonFormatter, type JsonOut } from './flow-json.ts';
import { buildFlowKey, createFlowKey, keyShardHash } from './flow-key.ts';
import { createFlowTable } from './flow-table.ts';
import { countPacket, initFlow, restartCounters } from './flow-update.ts';
import { createFragmentMap } from './fragment-map.ts';
import { createOuterFragments } from './outer-fragments.ts';
import { createClosingQueue, updateTcp } from './tcp-state.ts';
import { createAppLabeler } from './app-labels.ts';
import { NO_PAYLOAD_INSPECTOR, type PayloadInspector } from './payload-inspector.ts';
import { createSnooper, type SnoopListener } from './snoop-emitter.ts';

/** Shards split the shard hash's high 16 bits. */
const HASH_RANGE = 0x10000;
/** tcpdump.org/linktypes.html */
const LINKTYPE_ETHERNET = 1;

/** Problems counted by kind (never fatal). */
export type MeterErrorKind = Exclude<PacketStatus, 'ok' | 'non_ip' | 'fragment'> | 'orphan_fragment';

/** What the meter has seen. */
export interface MeterStats {
  packets: number;
  /** Packets decoded and added to a flow (non-first fragments are counted in `fragments` instead). */
  metered: number;
  /** Frames without IP (ARP, STP, LLDP, ...). */
  nonIp: number;
  /**
   * Fragments not metered on their own: non-first fragments matched to their
   * flow, and the first and middle fragments of a tunnel's outer packet (its
   * inner packet is metered, and counted in `metered`, with the fragment
   * that completes it).
   */
  fragments: number;
  /**
   * Non-first fragments seen (matched or orphaned). In a sharded meter
   * every shard looks up each one and only the owner of its flow finds it:
   * the orphans of N shards are `sum(orphan_fragment) - (N - 1) * fragmentLookups`.
   */
  fragmentLookups: number;
  flowsCreated: number;
  flowsExported: number;
  /** Flows exported early because the table was full (maxFlows). */
  evicted: number;
  activeFlows: number;
  errors: Record<MeterErrorKind, number>;
}

/** What the meter needs. */
export interface FlowMeterDeps {
  /** The `exporter` of every record: the capture file or interface. */
  exporter: string;
  config?: Partial<FlowMeterConfig>;
  /** Live capture: expires quiet flows between packets. Files need none. */
  clock?: Clock;
  inspector?: PayloadInspector;
  /**
   * One of several meters that read the same packets and split the flows by
   * key hash (one thread each): this one meters the flows whose hash falls
   * in [from, to) (fractions of the hash space) only. Every shard still sees
   * every packet's time, so timeouts are as unsharded; each holds at most
   * its share of maxFlows.
   */
  shard?: { from: number; to: number };
}

/** The meter's surface. */
export interface FlowMeter {
  start(): void;
  /** Stops the clock's timer and exports every flow. */
  stop(): void;
  push(packet: CapturedPacket): void;
  /** `push` without a packet object: the frame is `data[start..end)` (default: all). Only read during the call. */
  pushFrame(tsMs: number, linkType: number, data: Uint8Array, start?: number, end?: number): void;
  /** Exports flows that timed out by `nowMs`. */
  expire(nowMs: number): void;
  /** Exports and forgets every flow (end of a file). */
  flushAll(): void;
  /**
   * `flushAll` in steps, so that output can be written between them: exports
   * at most `maxFlows` more flows, in flushAll's order, and returns true once
   * every flow is exported and forgotten (as after flushAll). No packet may
   * be pushed between the steps of one flush.
   */
  flushSome(maxFlows: number): boolean;
  onFlow(cb: (r: FlowRecord) => void): () => void;
  /**
   * Each exported flow as one JSON Lines line in UTF-8 (newline included),
   * the text `JSON.stringify` gives for the `onFlow` record, written without
   * building the record: the fast path of `flowlens meter`. The bytes are
   * only valid during the call (the buffer is reused).
   */
  onFlowJson(cb: (line: Uint8Array) => void): () => void;
  /**
   * The same lines appended to `out` as flows are exported (no per-line
   * callback, view or copy): the fastest path. One `out` per meter; undefined
   * stops it.
   */
  appendFlowJson(out: JsonOut | undefined): void;
  onSnoop(cb: SnoopListener): () => void;
  stats(): MeterStats;
}

/** An inert meter; `push` may be called without `start` (files). */
export function createFlowMeter(deps: FlowMeterDeps): FlowMeter {
  const cfg: FlowMeterConfig = { ...DEFAULT_FLOW_METER_CONFIG, ...deps.config };
  // The shard's range of the hash's high 16 bits: [shardLo, shardHi).
  const shardLo = Math.round((deps.shard?.from ?? 0) * HASH_RANGE);
  const shardHi = Math.round((deps.shard?.to ?? 1) * HASH_RANGE);
  const sharded = shardLo > 0 || shardHi < HASH_RANGE;
  if (sharded) cfg.maxFlows = Math.max(1, Math.ceil((cfg.maxFlows * (shardHi - shardLo)) / HASH_RANGE));
  const inspector = deps.inspector ?? NO_PAYLOAD_INSPECTOR;
  const decoder = createPacketDecoder();
  const v = decoder.view;
  const table = createFlowTable(cfg.maxFlows);
  const key = createFlowKey();
  const fragments = createFragmentMap(cfg.maxFragments);
  const outer = createOuterFragments(cfg.maxFragments);
  const closing = createClosingQueue(Math.min(cfg.maxFlows, 65_536));
  const snooper = createSnooper();
  const labeler = createAppLabeler(inspector, cfg.payloadBytes, cfg.inspectPackets);
  const labels = labeler.labels;
  const listeners: ((r: FlowRecord) => void)[] = [];
  const lineListeners: ((line: Uint8Array) => void)[] = [];
  const json = createFlowJsonFormatter(deps.exporter);
  let jsonOut: JsonOut | undefined;
  const errors: Record<MeterErrorKind, number> = {
    truncated: 0,
    malformed: 0,
    unsupported: 0,
    orphan_fragment: 0,
  };
  const st = {
    packets: 0,
    metered: 0,
    nonIp: 0,
    fragments: 0,
    lookups: 0,
    created: 0,
    exported: 0,
    evicted: 0,
  };
  /**
   * `now`: the latest packet time. `nextDue`: no flow times out before this,
   * so packets skip the expiry check until then. A lower bound: after an
   * expiry pass it is the earliest due time of the three list heads, and
   * packets only make due times later (a touched head is replaced by a flow
   * seen no later), except a new flow or a close, which lower it below.
   *
   * Fields of an object rather than `let`s: a closure's `let` holding a
   * non-integer number gets a new heap number (and a write barrier) at every
   * assignment, i.e. every packet; a field declared as a double from the
   * start is written in place.
   */
  const times = { now: 0.5, nextDue: 0.5 };
  times.now = 0;
  times.nextDue = Infinity;
  let timer: Timer | undefined;
  /** The next flow to export of a flush in steps (flushSome), -1 when none is under way. */
  let flushAt = -1;

  const emit = (s: number): void => {
    const c = table.cols;
    if (c.packets[s * 2] === 0 && c.packets[s * 2 + 1] === 0) return; // nothing since an active export
    st.exported++;
    if (listeners.length > 0) {
      const r = buildFlowRecord(c, s, deps.exporter, labels, labeler.names(s));
      for (const cb of listeners) cb(r);
    }
    if (lineListeners.length > 0) {
      const line = json.format(c, s, labels, labeler.names(s));
      for (const cb of lineListeners) cb(line);
    }
    if (jsonOut) json.append(jsonOut, c, s, labels, labeler.names(s));
  };
  const finish = (s: number): void => {
    emit(s);
    table.remove(s);
    labeler.forget(s);
  };
  const expire = (t: number): void => {
    const c = table.cols;
    for (let s = table.lruHead(); s >= 0 && c.last[s]! + cfg.idleTimeoutMs <= t; s = table.lruHead())
      finish(s);
    for (let s = table.ageHead(); s >= 0 && c.first[s]! + cfg.activeTimeoutMs <= t; s = table.ageHead()) {
      emit(s);
      restartCounters(c, s, t);
      table.restartAge(s);
    }
    for (
      let s = closing.due(t - cfg.tcpClosedTimeoutMs, c.gen);
      s >= 0;
      s = closing.due(t - cfg.tcpClosedTimeoutMs, c.gen)
    )
      finish(s);
    const idle = table.lruHead();
    const aged = table.ageHead();
    times.nextDue = Math.min(
      idle >= 0 ? c.last[idle]! + cfg.idleTimeoutMs : Infinity,
      aged >= 0 ? c.first[aged]! + cfg.activeTimeoutMs : Infinity,
      closing.nextTime() + cfg.tcpClosedTimeoutMs,
    );
  };
  const create = (tsMs: number): number => {
    let s = table.insert(key.hash);
    if (s < 0) {
      st.evicted++;
      finish(table.lruHead());
      s = table.insert(key.hash);
    }
    st.created++;
    times.nextDue = Math.min(times.nextDue, tsMs + Math.min(cfg.idleTimeoutMs, cfg.activeTimeoutMs));
    initFlow(table.cols, s, key, v, tsMs);
    return s;
  };
  const direction = (s: number): number => {
    const initiatorIsA = (table.cols.keyMeta[s]! & (1 << 24)) === 0;
    return key.srcIsA === initiatorIsA ? 0 : 1;
  };
  /** A SYN with a new sequence number on a closed connection starts another (Wireshark: "port numbers reused"). */
  const reusesPorts = (s: number): boolean => {
    const c = table.cols;
    if ((c.state[s]! & FLAG_CLOSED) === 0 || v.proto !== 6 || (v.tcpFlags & 0x12) !== 0x02) return false;
    return c.nextSeq[s * 2 + direction(s)] !== (v.seq + 1) >>> 0;
  };
  /** True when a flow of shard hash `h` is this shard's (by the high 16 bits). */
  const inShard = (h: number): boolean => h >>> 16 >= shardLo && h >>> 16 < shardHi;
  /** Builds the packet's key; false when its flow belongs to another shard. */
  const keyMine = (): boolean => {
    buildFlowKey(v, key);
    return !sharded || inShard(keyShardHash(key));
  };
  /** Meters the decoded packet; its key is built (`keyMine`). */
  const meter = (tsMs: number): void => {
    let s = table.find(key);
    if (s >= 0 && reusesPorts(s)) {
      finish(s);
      s = -1;
    }
    if (s < 0) s = create(tsMs);
    const cols = table.cols;
    const d = direction(s);
    countPacket(cols, s, d, v, tsMs);
    table.touch(s);
    st.metered++;
    if (v.proto === 6 && updateTcp(cols, s, d, v, tsMs)) {
      closing.add(s, cols.gen[s]!, tsMs);
      times.nextDue = Math.min(times.nextDue, tsMs + cfg.tcpClosedTimeoutMs);
    }
    if (inspector !== NO_PAYLOAD_INSPECTOR && v.payloadLength > 0)
      labeler.inspect(cols, s, d, v, decoder.lastFrame());
    if (v.firstFragment) fragments.remember(v.fragHash, s, cols.gen[s]!, v.fragOuter, d);
    if (v.proto === 17 && snooper.active()) snooper.snoop(v, decoder.lastFrame(), tsMs);
  };
  const fragment = (): void => {
    const s = fragments.lookup(v.fragHash, table.cols.gen);
    if (s < 0) {
      errors.orphan_fragment++;
      return;
    }
    st.fragments++;
    if (fragments.lastOuter()) return; // the inner packet was counted whole from the first fragment
    // Routers count every fragment as a packet (NetFlow); so do we when the fragmented packet is the flow's own.
    const c = table.cols;
    const i = s * 2 + fragments.lastDirection();
    c.bytes[i] = c.bytes[i]! + v.ipBytes;
    c.packets[i] = c.packets[i]! + 1;
  };

  const pushFrame = (
    tsMs: number,
    linkType: number,
    data: Uint8Array,
    start = 0,
    end = data.length,
  ): void => {
    st.packets++;
    if (tsMs > times.now) {
      times.now = tsMs;
      if (times.now >= times.nextDue) expire(times.now);
    }
    // Sharded: the commonest frames tell their flow's shard before decoding; another shard's are skipped.
    let quick = -1;
    if (sharded && linkType === LINKTYPE_ETHERNET) {
      quick = quickShardHash(data, start, end);
      if (quick >= 0 && !inShard(quick)) return;
    }
    const status = decoder.decode(linkType, data, start, end);
    if (status === 'ok') {
      if (quick >= 0) buildFlowKey(v, key);
      else if (!keyMine()) return;
      if (!v.fragOuter || !v.firstFragment) meter(tsMs);
      else {
        outer.hold(v.fragHash, linkType, data.subarray(start, end), v.fragBytes, v.fragEnd, v.fragMore);
        st.fragments++;
      }
    } else if (status === 'fragment') {
      st.lookups++;
      if (!outer.has(v.fragHash)) return fragment();
      const first = outer.add(v.fragHash, v.fragBytes, v.fragEnd, v.fragMore);
      // The completing fragment meters the inner packet of the first one (which decodes as it did before).
      // It decodes to a flow of this shard: only this shard held the first fragment.
      if (first && decoder.decode(first.linkType, first.frame) === 'ok' && keyMine()) meter(tsMs);
      else st.fragments++;
    } else if (!sharded || quick >= 0 || shardLo === 0) {
      // Each packet is counted by one shard: its flow's (quick hash), else the first shard.
      if (status === 'non_ip') st.nonIp++;
      else errors[status]++;
    }
  };
  const flushSome = (maxFlows: number): boolean => {
    const c = table.cols;
    let s = flushAt >= 0 ? flushAt : table.ageHead();
    for (let n = 0; s >= 0 && n < maxFlows; n++, s = c.ageNext[s]!) emit(s);
    flushAt = s;
    if (s >= 0) return false;
    table.clear();
    labeler.clear();
    times.nextDue = Infinity;
    fragments.clear();
    outer.clear();
    closing.clear();
    return true;
  };
  return {
    start() {
      if (deps.clock && !timer)
        timer = deps.clock.setInterval(
          () => expire(Math.max(times.now, deps.clock!.now())),
          cfg.sweepIntervalMs,
        );
    },
    stop() {
      timer?.cancel();
      timer = undefined;
      this.flushAll();
    },
    push: (p) => pushFrame(p.tsMs, p.linkType, p.data),
    pushFrame,
    expire: (t) => expire(Math.max(times.now, t)),
    flushAll: () => void flushSome(Infinity),
    flushSome,
    onFlow: (cb) => subscribe(listeners, cb),
    onFlowJson: (cb) => subscribe(lineListeners, cb),
    appendFlowJson(out) {
      jsonOut = out;
    },
    onSnoop: (cb) => snooper.subscribe(cb),
    stats: () => ({
      packets: st.packets,
      metered: st.metered,
      nonIp: st.nonIp,
      fragments: st.fragments,
      fragmentLookups: st.lookups,
      flowsCreated: st.created,
      flowsExported: st.exported,
      evicted: st.evicted,
      activeFlows: table.size,
      errors: { ...errors },
    }),
  };
}

function subscribe<T>(list: T[], cb: T): () => void {
  list.push(cb);
  return () => {
    const i = list.indexOf(cb);
    if (i >= 0) list.splice(i, 1);
  };
}
