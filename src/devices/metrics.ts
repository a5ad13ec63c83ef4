/**
 * The discovery and device metrics of contracts.md, names and labels kept
 * from the old network exporter: device_discovery_duration_seconds{method},
 * device_discovery_failures_total{method}, device_info{ip,mac,manufacturer,
 * model,os,device_type}, device_type_confidence{ip,mac,device_type},
 * device_discovery_source{ip,source} and device_capabilities{ip,mac,capability}.
 *
 * Cardinality: only the maxSeries most recently seen devices have series,
 * one per device (its current address), never per flow; the gauges are
 * rebuilt at scrape time from the inventory, so a forgotten device's series
 * disappear with it.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DiscoveryRecorder } from './discovery/scheduler.ts';
import type { Inventory } from './inventory.ts';
import type { Device } from './model.ts';

/** Discovery run durations are spread over these bounds (seconds). */
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Registers the discovery metrics; returns the recorder the scheduler reports to. */
export function registerDiscoveryMetrics(registry: Registry): DiscoveryRecorder {
  const registers = [registry];
  const duration = new Histogram({
    name: 'device_discovery_duration_seconds',
    help: 'How long each device discovery run took, by method.',
    labelNames: ['method'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const failures = new Counter({
    name: 'device_discovery_failures_total',
    help: 'Device discovery runs that failed (error, time limit), by method.',
    labelNames: ['method'],
    registers,
  });
  return {
    duration: (method, seconds) => duration.observe({ method }, seconds),
    failure: (method) => failures.inc({ method }),
  };
}

/** The device currently holding an address (its latest). */
function currentIp(d: Device): string | undefined {
  let best: Device['addresses'][number] | undefined;
  for (const a of d.addresses) if (!best || a.lastSeenMs > best.lastSeenMs) best = a;
  return best?.ip;
}

/** The most recently seen `max` devices that have an address. */
function exported(inv: Inventory, max: number): { d: Device; ip: string }[] {
  const out: { d: Device; ip: string }[] = [];
  for (const d of inv.list()) {
    const ip = currentIp(d);
    if (ip) out.push({ d, ip });
  }
  if (out.length > max) out.sort((a, b) => b.d.lastSeenMs - a.d.lastSeenMs).length = max;
  return out;
}

/** Registers the per-device gauges, computed from `inv` at scrape time. */
export function registerDeviceMetrics(registry: Registry, inv: Inventory, maxSeries: number): void {
  const registers = [registry];
  const info = new Gauge({
    name: 'device_info',
    help: 'Always 1: what is known of a device (its classification; "unknown" where undecided).',
    labelNames: ['ip', 'mac', 'manufacturer', 'model', 'os', 'device_type'],
    registers,
    collect: pass,
  });
  const confidence = new Gauge({
    name: 'device_type_confidence',
    help: 'Confidence (0..1) of the device type shown in device_info.',
    labelNames: ['ip', 'mac', 'device_type'],
    registers,
    collect: pass,
  });
  const source = new Gauge({
    name: 'device_discovery_source',
    help: 'Unix time (s) at which a discovery source last saw the device.',
    labelNames: ['ip', 'source'],
    registers,
    collect: pass,
  });
  const caps = new Gauge({
    name: 'device_capabilities',
    help: 'Confidence (0..1) that the device has a capability (wifi, bluetooth, ethernet, ...).',
    labelNames: ['ip', 'mac', 'capability'],
    registers,
    collect: pass,
  });
  // prom-client calls collect() per metric: one pass per inventory version fills all four.
  let lastVersion = -1;
  function pass(): void {
    if (inv.version === lastVersion) return;
    lastVersion = inv.version;
    for (const g of [info, confidence, source, caps]) g.reset();
    for (const { d, ip } of exported(inv, maxSeries)) {
      const c = inv.classification(d.id);
      if (!c) continue;
      const mac = d.macs[0] ?? '';
      const type = c.deviceType.value;
      info.set(
        {
          ip,
          mac,
          manufacturer: c.manufacturer?.value ?? 'unknown',
          model: c.model?.value ?? 'unknown',
          os: c.os?.value ?? 'unknown',
          device_type: type,
        },
        1,
      );
      confidence.set({ ip, mac, device_type: type }, c.deviceType.confidence);
      for (const [s, r] of Object.entries(d.sources))
        source.set({ ip, source: s }, Math.floor(r.lastSeenMs / 1000));
      for (const cap of c.capabilities) caps.set({ ip, mac, capability: cap.value }, cap.confidence);
    }
  }
}
