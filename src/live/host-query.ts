/** Host list queries over the host table: filter, sort, page, then build views. */
import { hostRates, hostRecentFlows, type HostEntry } from './host-table.ts';
import type { HostPage, HostQuery, HostView } from './views.ts';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

/** The view of one host at `nowMs`. */
export function toHostView(
  h: HostEntry,
  nowMs: number,
  activeWindowMs: number,
  spanSeconds: number,
): HostView {
  const r = hostRates(h, nowMs, spanSeconds);
  const v: HostView = {
    addr: h.addr,
    local: h.local,
    active: h.lastSeenMs >= nowMs - activeWindowMs,
    bytesIn: h.bytesIn,
    bytesOut: h.bytesOut,
    packetsIn: h.packetsIn,
    packetsOut: h.packetsOut,
    flows: h.flows,
    recentFlows: hostRecentFlows(h, nowMs, activeWindowMs),
    ...r,
    firstSeenMs: h.firstSeenMs,
    lastSeenMs: h.lastSeenMs,
  };
  if (h.name !== undefined) v.name = h.name;
  return v;
}

/** Filters, sorts (largest / newest first) and pages hosts. */
export function queryHosts(
  hosts: Iterable<HostEntry>,
  q: HostQuery,
  nowMs: number,
  activeWindowMs: number,
  spanSeconds: number,
): HostPage {
  const since = nowMs - activeWindowMs;
  const search = q.search?.toLowerCase();
  const list: HostEntry[] = [];
  for (const h of hosts) {
    if (q.local !== undefined && h.local !== q.local) continue;
    if (q.active === true && h.lastSeenMs < since) continue;
    if (q.active === false && h.lastSeenMs >= since) continue;
    if (
      search !== undefined &&
      !h.addr.includes(search) &&
      !(h.name?.toLowerCase().includes(search) ?? false)
    )
      continue;
    list.push(h);
  }
  const view = (h: HostEntry): HostView => toHostView(h, nowMs, activeWindowMs, spanSeconds);
  const offset = Math.max(0, q.offset ?? 0);
  const limit = Math.min(MAX_LIMIT, Math.max(0, q.limit ?? DEFAULT_LIMIT));
  const sort = q.sort ?? 'bytes';
  if (sort === 'rate' || sort === 'sent' || sort === 'received') {
    // Rates need every view; the other orders sort entries and build views for the page only.
    const rate =
      sort === 'rate'
        ? (v: HostView) => v.bpsIn + v.bpsOut
        : sort === 'sent'
          ? (v: HostView) => v.bpsOut
          : (v: HostView) => v.bpsIn;
    const views = list.map(view).sort((a, b) => rate(b) - rate(a));
    return { total: list.length, items: views.slice(offset, offset + limit) };
  }
  const key: Record<Exclude<typeof sort, 'rate' | 'sent' | 'received'>, (h: HostEntry) => number> = {
    bytes: (h) => h.bytesIn + h.bytesOut,
    flows: (h) => h.flows,
    lastSeen: (h) => h.lastSeenMs,
    firstSeen: (h) => h.firstSeenMs,
  };
  const k = key[sort];
  list.sort((a, b) => k(b) - k(a));
  return { total: list.length, items: list.slice(offset, offset + limit).map(view) };
}
