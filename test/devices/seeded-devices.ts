/**
 * A device component with a few discovered devices, for the API's route
 * and OpenAPI tests: a Windows PC found by its DHCP fingerprint (id
 * SEEDED_DEVICE_ID) and a printer named by its host name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDeviceService, DEFAULT_DEVICES_CONFIG, type DeviceService } from '../../src/devices/index.ts';

/** The id of the seeded Windows PC (its MAC without colons). */
export const SEEDED_DEVICE_ID = '001122334401';

/** The seeded component and a way to remove its inventory file. */
export function createSeededDevices(nowMs = Date.now()): { devices: DeviceService; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'fld-seeded-'));
  const devices = createDeviceService(DEFAULT_DEVICES_CONFIG, {
    clock: createFakeClock(nowMs),
    log: createSilentLogger(),
    registry: new Registry(),
    vendorOf: () => undefined,
    file: join(dir, 'devices.json'),
    methods: [],
  });
  devices.observe([
    {
      source: 'dhcp',
      tsMs: nowMs,
      mac: '00:11:22:33:44:01',
      ip: '192.168.1.10',
      names: [{ name: 'DESKTOP-AB12CD3', source: 'dhcp-client' }],
      dhcp: {
        prl: [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252],
        options: [53, 61, 50, 12, 81, 60, 55],
        vendorClass: 'MSFT 5.0',
      },
    },
    {
      source: 'lease',
      tsMs: nowMs,
      mac: '00:11:22:33:44:03',
      ip: '192.168.1.12',
      names: [{ name: 'BRW001122334403', source: 'lease' }],
    },
  ]);
  return { devices, close: () => rmSync(dir, { recursive: true, force: true }) };
}
