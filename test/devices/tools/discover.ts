/**
 * Runs the device component inside a test network namespace (started with
 * `ip netns exec NS node discover.ts CONFIG_JSON`): every enabled discovery
 * method once, then prints each device's detail as one JSON array on stdout.
 */
import { Registry } from 'prom-client';
import { createSystemClock } from '../../../src/common/clock.ts';
import { createSilentLogger } from '../../../src/common/logger.ts';
import {
  createDeviceService,
  createDiscoveryMethods,
  deviceDetail,
  devicesConfigSchema,
} from '../../../src/devices/index.ts';

const cfg = devicesConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const clock = createSystemClock();
const methods = createDiscoveryMethods(cfg, { clock });
const s = createDeviceService(cfg, {
  clock,
  log: createSilentLogger(),
  registry: new Registry(),
  vendorOf: () => undefined,
  file: '/nonexistent/devices.json',
  methods,
});
const failures: string[] = [];
for (const m of methods) {
  const r = await s.runDiscovery(m.name);
  if (!r.ok) failures.push(`${m.name}: ${r.error?.message}`);
}
const devices = s.inventory.list().map((d) => deviceDetail(s.inventory, d));
process.stdout.write(JSON.stringify({ failures, devices }));
