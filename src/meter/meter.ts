/**
 * The flow meter: decoded packets -> bidirectional flows in a bounded table,
 * exported on idle/active timeout, TCP close, eviction or flush. Time is the
 * packets' own (files), or the injected clock's between packets (live).
 */
import type { Clock, Timer } from '../common/clock.ts';
import { createPacketDecoder, type PacketStatus } from '../decode/packet/index.ts';
import type { CapturedPacket } from '../ingest/file/index.ts';
import type { FlowRecord } from '../schema/flow-record.ts';
import { DEFAULT_FLOW_METER_CONFIG, type FlowMeterConfig } from './config.ts';
import { FLAG_CLOSED } from './flow-columns.ts';
import { buildFlowRecord } from './flow-export.ts';
import { buildFlowKey, createFlowKey, keyMatches } from './flow-key.ts';
import { createFlowTable } from './flow-table.ts';
import { countPacket, initFlow, restartCounters } from './flow-update.ts';
import { createFragmentMap } from './fragment-map.ts';
import { createClosingQueue, updateTcp } from './tcp-state.ts';
import { NO_PAYLOAD_INSPECTOR, type AppLabel, type PayloadInspector } from './payload-inspector.ts';
import { createSnooper, type SnoopListener } from './snoop-emitter.ts';

/** Problems counted by kind (never fatal). */
export type MeterErrorKind = Exclude<PacketStatus, 'ok' | 'non_ip' | 'fragment'> | 'orphan_fragment';

/** What the meter has seen. */
export interface MeterStats {
  packets: number;
  /** Packets decoded and added to a flow (non-first fragments are counted in `fragments` instead). */
  metered: number;
  /** Frames without IP (ARP, STP, LLDP, ...). */
  nonIp: number;
  /** Non-first fragments matched to their flow (tunnel fragments add no inner packet). */
  fragments: number;
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
  onFlow(cb: (r: FlowRecord) => void): () => void;
  onSnoop(cb: SnoopListener): () => void;
  stats(): MeterStats;
}

/** An inert meter; `push` may be called without `start` (files). */
export function createFlowMeter(deps: FlowMeterDeps): FlowMeter {
  const cfg: FlowMeterConfig = { ...DEFAULT_FLOW_METER_CONFIG, ...deps.config };
  const inspector = deps.inspector ?? NO_PAYLOAD_INSPECTOR;
  const decoder = createPacketDecoder();
  const v = decoder.view;
  const table = createFlowTable(cfg.maxFlows);
  const key = createFlowKey();
  const matches = (s: number): boolean => keyMatches(table.cols, s, key);
  const fragments = createFragmentMap(cfg.maxFragments);
  const closing = createClosingQueue(Math.min(cfg.maxFlows, 65_536));
  const snooper = createSnooper();
  const labels: AppLabel[] = [];
  const labelIndex = new Map<string, number>();
  const listeners: ((r: FlowRecord) => void)[] = [];
  const errors: Record<MeterErrorKind, number> = {
    truncated: 0,
    malformed: 0,
    unsupported: 0,
    orphan_fragment: 0,
  };
  const st = { packets: 0, metered: 0, nonIp: 0, fragments: 0, created: 0, exported: 0, evicted: 0 };
  let now = 0;
  let timer: Timer | undefined;

  const emit = (s: number): void => {
    const c = table.cols;
    if (c.packets[s * 2] === 0 && c.packets[s * 2 + 1] === 0) return; // nothing since an active export
    const r = buildFlowRecord(c, s, deps.exporter, labels);
    st.exported++;
    for (const cb of listeners) cb(r);
  };
  const finish = (s: number): void => {
    emit(s);
    table.remove(s);
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
  };
  const create = (tsMs: number): number => {
    let s = table.insert(key.hash);
    if (s < 0) {
      st.evicted++;
      finish(table.lruHead());
      s = table.insert(key.hash);
    }
    st.created++;
    initFlow(table.cols, s, key, v, tsMs);
    return s;
  };
  const label = (l: AppLabel): number => {
    const k = `${l.appProto}\u0000${l.appCategory ?? ''}`;
    let i = labelIndex.get(k);
    if (i === undefined && labels.length < 0xfffe) {
      labels.push(l);
      i = labels.length;
      labelIndex.set(k, i);
    }
    return i ?? 0;
  };
  const inspect = (s: number, d: number): void => {
    const c = table.cols;
    const bit = 16 << d;
    if ((c.state[s]! & bit) !== 0 || v.payloadCaptured === 0) return;
    c.state[s] = c.state[s]! | bit;
    if (c.appLabel[s] !== 0) return;
    const payload = decoder
      .lastFrame()
      .subarray(v.payloadOffset, v.payloadOffset + Math.min(v.payloadCaptured, cfg.payloadBytes));
    const l = inspector.inspect({
      proto: v.proto,
      srcPort: v.srcPort,
      dstPort: v.dstPort,
      fromInitiator: d === 0,
      payload,
    });
    if (l) c.appLabel[s] = label(l);
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
  const meter = (tsMs: number): void => {
    buildFlowKey(v, key);
    let s = table.find(key.hash, matches);
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
    if (v.proto === 6 && updateTcp(cols, s, d, v, tsMs)) closing.add(s, cols.gen[s]!, tsMs);
    if (inspector !== NO_PAYLOAD_INSPECTOR && v.payloadLength > 0) inspect(s, d);
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
    if (tsMs > now) {
      now = tsMs;
      expire(now);
    }
    const status = decoder.decode(linkType, data, start, end);
    if (status === 'ok') meter(tsMs);
    else if (status === 'fragment') fragment();
    else if (status === 'non_ip') st.nonIp++;
    else errors[status]++;
  };
  return {
    start() {
      if (deps.clock && !timer)
        timer = deps.clock.setInterval(() => expire(Math.max(now, deps.clock!.now())), cfg.sweepIntervalMs);
    },
    stop() {
      timer?.cancel();
      timer = undefined;
      this.flushAll();
    },
    push: (p) => pushFrame(p.tsMs, p.linkType, p.data),
    pushFrame,
    expire: (t) => expire(Math.max(now, t)),
    flushAll() {
      for (let s = table.ageHead(); s >= 0; s = table.ageHead()) finish(s);
      fragments.clear();
      closing.clear();
    },
    onFlow(cb) {
      listeners.push(cb);
      return () => listeners.splice(listeners.indexOf(cb) >>> 0, 1);
    },
    onSnoop: (cb) => snooper.subscribe(cb),
    stats: () => ({
      packets: st.packets,
      metered: st.metered,
      nonIp: st.nonIp,
      fragments: st.fragments,
      flowsCreated: st.created,
      flowsExported: st.exported,
      evicted: st.evicted,
      activeFlows: table.size,
      errors: { ...errors },
    }),
  };
}
