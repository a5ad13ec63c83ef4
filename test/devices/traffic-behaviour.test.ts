/**
 * Traffic behaviour as evidence: flows through the live view (as `serve`
 * wires it: each live delta's hosts and largest flows go to the device
 * component) show which device serves a known service port; that device
 * gets "traffic" evidence, strangers get no device.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { createDeviceService, DEFAULT_DEVICES_CONFIG } from '../../src/devices/index.ts';
import { createLiveAggregator, createLiveState, DEFAULT_LIVE_CONFIG } from '../../src/live/index.ts';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import { flow, T0 } from '../live/support.ts';

test('a device serving JetDirect and IPP is a printer by its traffic; strangers get no device', () => {
  const clock = createFakeClock(T0);
  const dir = mkdtempSync(join(tmpdir(), 'fld-traffic-'));
  try {
    const devices = createDeviceService(DEFAULT_DEVICES_CONFIG, {
      clock,
      log: createSilentLogger(),
      registry: new Registry(),
      vendorOf: () => undefined,
      file: join(dir, 'devices.json'),
      methods: [],
    });
    const live = createLiveState({ clock, config: DEFAULT_LIVE_CONFIG });
    live.start();
    live.onDelta((d) => devices.addFlowTraffic(d.hosts, d.endMs, d.largestFlows));
    const agg = createLiveAggregator({ source: 'w0', startMs: T0 });
    const feed = (...records: FlowRecord[]): void => {
      for (const r of records) agg.add(r, clock.now());
      live.apply(agg.drain(clock.now()));
      clock.advance(1000);
    };
    // Known from ARP only: nothing says what it is yet.
    devices.observe([{ source: 'arp', tsMs: T0, mac: '00:11:22:33:44:55', ip: '192.168.1.50' }]);
    const id = devices.inventory.byIp('192.168.1.50')!.id;
    assert.equal(devices.inventory.classification(id)!.deviceType.value, 'unknown');

    feed(
      // A PC prints to it (bidirectional flow: the destination serves).
      flow({ srcAddr: '192.168.1.5', dstAddr: '192.168.1.50', srcPort: 50123, dstPort: 9100, bytes: 90_000 }),
      // A NetFlow reply record from it: source port 631, ephemeral destination port.
      flow({ srcAddr: '192.168.1.50', dstAddr: '192.168.1.6', srcPort: 631, dstPort: 51234, bytes: 4000 }),
      // A stranger serving DNS: not a device, and none is made for it.
      flow({ srcAddr: '192.168.1.5', dstAddr: '198.51.100.53', srcPort: 53000, dstPort: 53, proto: 17 }),
    );
    const c = devices.inventory.classification(id)!;
    assert.equal(c.deviceType.value, 'printer');
    assert.ok(c.deviceType.confidence > 0.3, String(c.deviceType.confidence));
    assert.deepEqual(c.deviceType.evidence.map((e) => [e.kind, e.detail]).sort(), [
      ['traffic', 'serves TCP/631 (IPP printing)'],
      ['traffic', 'serves TCP/9100 (JetDirect raw printing)'],
    ]);
    assert.equal(devices.inventory.byIp('198.51.100.53'), undefined);
    assert.equal(devices.inventory.size, 1);

    // The same behaviour again adds no evidence (deduplicated), only refreshes it.
    const before = devices.inventory.get(id)!.evidence.length;
    feed(flow({ srcAddr: '192.168.1.7', dstAddr: '192.168.1.50', srcPort: 50999, dstPort: 9100 }));
    assert.equal(devices.inventory.get(id)!.evidence.length, before);
    live.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
