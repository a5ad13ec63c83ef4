/**
 * The device component: the inventory, its file, the discovery scheduler,
 * the snooped-packet input and the metrics, behind one start/stop.
 */
import { reverse as dnsReverse } from 'node:dns/promises';
import type { Registry } from 'prom-client';
import type { Clock, Timer } from '../common/clock.ts';
import type { Logger } from '../common/logger.ts';
import type { SnoopEvent } from '../meter/index.ts';
import type { VendorLookup } from './classify.ts';
import type { DevicesConfig } from './config.ts';
import {
  createDiscoveryScheduler,
  type DiscoveryMethod,
  type DiscoveryScheduler,
  type RunResult,
} from './discovery/scheduler.ts';
import { trafficEvidence, type FlowEnds } from './fingerprints/traffic-rules.ts';
import { createInventory, type Inventory } from './inventory.ts';
import { createReverseDnsMethod } from './discovery/reverse-dns.ts';
import { latestAddress } from './view.ts';
import { readInventoryFile, writeInventoryFile } from './inventory-file.ts';
import { registerDeviceMetrics, registerDiscoveryMetrics } from './metrics.ts';
import type { Observation } from './model.ts';
import { createSnoopInput } from './snoop-input.ts';
import type { FetchLike } from './ssdp/description.ts';

/** What the device component needs. */
export interface DeviceServiceDeps {
  clock: Clock;
  log: Logger;
  /** Where the metrics go (the service's registry). */
  registry: Registry;
  /** MAC -> registry organisation (src/enrich/oui); `() => undefined` without one. */
  vendorOf: VendorLookup;
  /** The inventory file. */
  file: string;
  /** Discovery methods (discovery/methods.ts builds them from the configuration). */
  methods: DiscoveryMethod[];
  /** HTTP for UPnP descriptions of snooped SSDP announcements and Fingerbank; none: neither is fetched. */
  fetch?: FetchLike;
  /** PTR lookups for devices.discovery.reverseDns (node:dns's reverse unless given). */
  reverse?: (ip: string) => Promise<string[]>;
}

/** Traffic of one address over an interval (the live state's host deltas). */
export interface FlowTrafficDelta {
  addr: string;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
}

/** The running component. */
export interface DeviceService {
  /** Loads the inventory file, starts discovery and the save timer. */
  start(): Promise<void>;
  /** Stops discovery and saves. */
  stop(): Promise<void>;
  readonly inventory: Inventory;
  /** The meter's onSnoop listener. */
  onSnoop(e: SnoopEvent): void;
  /** Feeds observations (discovery methods, tests). */
  observe(obs: Observation[]): void;
  runDiscovery(method: string): Promise<RunResult>;
  /** Saves now when anything changed since the last save. */
  save(): Promise<void>;
  /** The device type of the device holding `ip` ("unknown" when none): the client metrics' device_type. */
  deviceTypeOf(ip: string): string;
  /**
   * Adds flow traffic to the devices holding the addresses, and the traffic
   * behaviour of `flows` (a device serving a known service port) as evidence;
   * unknown addresses are ignored.
   */
  addFlowTraffic(hosts: readonly FlowTrafficDelta[], atMs: number, flows?: readonly FlowEnds[]): void;
}

/** Builds the component; nothing happens until start(). */
export function createDeviceService(cfg: DevicesConfig, deps: DeviceServiceDeps): DeviceService {
  const { clock, log } = deps;
  const inventory = createInventory({
    vendorOf: deps.vendorOf,
    maxDevices: cfg.maxDevices,
    offlineAfterMs: cfg.offlineAfter,
  });
  const recorder = registerDiscoveryMetrics(deps.registry);
  registerDeviceMetrics(deps.registry, inventory, cfg.maxSeries);
  const observe = (obs: Observation[]): void => {
    for (const o of obs) inventory.observe(o);
  };
  const methods = [...deps.methods];
  const rdns = cfg.discovery.reverseDns;
  if (rdns.enabled)
    methods.push(
      createReverseDnsMethod({
        intervalMs: rdns.interval,
        timeoutMs: rdns.timeout,
        maxPerRun: rdns.maxPerRun,
        now: clock.now,
        addresses: () => inventory.list().flatMap((d) => (d.addresses[0] ? [latestAddress(d)] : [])),
        reverse: deps.reverse ?? ((ip) => dnsReverse(ip)),
      }),
    );
  const scheduler: DiscoveryScheduler = createDiscoveryScheduler({
    clock,
    log,
    methods,
    sink: observe,
    recorder,
    initialBackoffMs: cfg.retry.initialBackoff,
    maxBackoffMs: cfg.retry.maxBackoff,
  });
  const onSnoop = createSnoopInput(cfg, { clock, log, inventory, fetch: deps.fetch });
  let savedVersion = -1;
  let timer: Timer | undefined;
  let saving: Promise<void> = Promise.resolve();

  const save = async (): Promise<void> => {
    const v = inventory.version;
    if (v === savedVersion) return;
    await writeInventoryFile(deps.file, inventory.list(), clock.now());
    savedVersion = v;
  };
  const saveSerially = (): Promise<void> => (saving = saving.then(save, save));

  return {
    inventory,
    async start() {
      const saved = await readInventoryFile(deps.file);
      inventory.load(saved);
      savedVersion = inventory.version;
      log.info({ devices: saved.length, file: deps.file }, 'device inventory loaded');
      scheduler.start();
      timer = clock.setInterval(() => {
        inventory.updatePresence(clock.now());
        saveSerially().catch((err: unknown) => log.error({ err }, 'device inventory not saved'));
      }, cfg.saveInterval);
    },
    async stop() {
      timer?.cancel();
      scheduler.stop();
      inventory.updatePresence(clock.now());
      await saveSerially();
    },
    onSnoop,
    observe,
    runDiscovery: (m) => scheduler.runNow(m),
    save: saveSerially,
    addFlowTraffic(hosts, atMs, flows = []) {
      for (const h of hosts) inventory.addFlowTraffic(h.addr, h, atMs);
      for (const f of flows) {
        const t = trafficEvidence(f);
        if (t) inventory.addEvidenceAt(t.addr, t.evidence, atMs);
      }
    },
    deviceTypeOf(ip) {
      const d = inventory.byIp(ip);
      return d ? (inventory.classification(d.id)?.deviceType.value ?? 'unknown') : 'unknown';
    },
  };
}
