/**
 * Discovery pieces without the network: lease files, static client files,
 * the scheduler's backoff and time limit (fake clock), reverse DNS, flow
 * traffic, and the UPnP description rules (announcing host only, size limit).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { createFakeClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import {
  createDescriptionFetcher,
  createFingerbank,
  createDeviceService,
  createDiscoveryScheduler,
  DEFAULT_DEVICES_CONFIG,
  devicesConfigSchema,
  DiscoveryError,
  isOnHost,
  parseDnsmasqLeases,
  parseKeaLeases,
  parseStaticClients,
  type FetchLike,
} from '../../src/devices/index.ts';

const NOW = 1_700_000_000_000;

test('Kea CSV and dnsmasq leases: address, MAC, client id, the lease name; expired and declined skipped', () => {
  const kea = [
    'address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id',
    `192.168.1.10,00:11:22:33:44:55,01:00:11:22:33:44:55,3600,${NOW / 1000 + 3600},1,0,0,laptop.lan.,0,,0`,
    `192.168.1.11,00:11:22:33:44:56,,3600,${NOW / 1000 + 3600},1,0,0,,1,,0`,
    `192.168.1.12,00:11:22:33:44:57,,3600,${NOW / 1000 - 10},1,0,0,old,0,,0`,
  ].join('\n');
  const k = parseKeaLeases(kea, NOW);
  assert.equal(k.length, 1);
  assert.deepEqual(k[0], {
    source: 'lease',
    tsMs: NOW,
    ip: '192.168.1.10',
    mac: '00:11:22:33:44:55',
    clientId: '01001122334455',
    names: [{ name: 'laptop.lan', source: 'lease' }],
  });
  const dm = parseDnsmasqLeases(
    [
      `${NOW / 1000 + 60} 00:11:22:33:44:58 192.168.1.20 phone 01:00:11:22:33:44:58`,
      `${NOW / 1000 + 60} 00:11:22:33:44:59 192.168.1.21 * *`,
      'duid 00:01:00:01:2a:2b:2c:2d:00:11:22:33:44:55',
      `${NOW / 1000 + 60} 1234567 fd00::20 phone6 00:01:00:01`,
    ].join('\n'),
    NOW,
  );
  assert.deepEqual(
    dm.map((o) => [o.ip, o.mac, o.names?.[0]?.name, o.clientId]),
    [
      ['192.168.1.20', '00:11:22:33:44:58', 'phone', '01001122334458'],
      ['192.168.1.21', '00:11:22:33:44:59', undefined, undefined],
    ],
  );
});

test('static clients: the old JSON client file shapes and YAML', () => {
  const list = parseStaticClients(
    JSON.stringify({ clients: [{ ip: '10.0.0.2', mac: 'AA-BB-CC-00-11-22', name: 'nas', type: 'nas' }] }),
    'clients.json',
    NOW,
  );
  assert.equal(list[0]?.ip, '10.0.0.2');
  assert.equal(list[0]?.names?.[0]?.source, 'static');
  assert.deepEqual(
    list[0]?.evidence?.map((e) => [e.attribute, e.value, e.kind]),
    [['deviceType', 'nas', 'static']],
  );
  const keyed = parseStaticClients(
    JSON.stringify({ '10.0.0.3': { name: 'tv', device_type: 'tv' } }),
    'c.json',
    NOW,
  );
  assert.equal(keyed[0]?.ip, '10.0.0.3');
  const yaml = parseStaticClients(
    '- address: 10.0.0.4\n  hostname: printer\n  vendor: Brother\n',
    'c.yaml',
    NOW,
  );
  assert.equal(yaml[0]?.evidence?.[0]?.value, 'Brother');
  assert.throws(() => parseStaticClients('{', 'c.json', NOW), DiscoveryError);
});

test('scheduler: interval after success, doubling backoff after failures, time limit, metrics', async () => {
  const clock = createFakeClock(NOW);
  const runs: number[] = [];
  let fail = 3;
  const failures: string[] = [];
  const s = createDiscoveryScheduler({
    clock,
    log: createSilentLogger(),
    sink: () => undefined,
    recorder: { duration: () => undefined, failure: (m, code) => failures.push(`${m}:${code}`) },
    initialBackoffMs: 1000,
    maxBackoffMs: 3000,
    methods: [
      {
        name: 'm',
        intervalMs: 60_000,
        timeoutMs: 5000,
        run: async () => {
          runs.push(clock.now() - NOW);
          if (fail-- > 0) throw new Error('boom');
          return [];
        },
      },
    ],
  });
  s.start();
  for (let i = 0; i < 200; i++) {
    clock.advance(100);
    await new Promise((r) => setImmediate(r));
  }
  s.stop();
  // Runs at 0 (fails), +1 s (fails), +2 s (fails), +3 s (max backoff; succeeds); next only after 60 s.
  // (The next run is scheduled when the failed one settles: up to one 100 ms step after its timer.)
  const gaps = runs.slice(1).map((t, i) => t - runs[i]!);
  assert.equal(runs.length, 4, `runs at ${runs.join(', ')}`);
  for (const [i, want] of [1000, 2000, 3000].entries())
    assert.ok(gaps[i]! - want >= 0 && gaps[i]! - want <= 100, `gaps ${gaps.join(', ')}`);
  assert.deepEqual(failures, [
    'm:FLOWLENS_ERR_DISCOVERY_FAILED',
    'm:FLOWLENS_ERR_DISCOVERY_FAILED',
    'm:FLOWLENS_ERR_DISCOVERY_FAILED',
  ]);

  const hang = createDiscoveryScheduler({
    clock,
    log: createSilentLogger(),
    sink: () => undefined,
    recorder: { duration: () => undefined, failure: () => undefined },
    initialBackoffMs: 1000,
    maxBackoffMs: 1000,
    methods: [{ name: 'slow', intervalMs: 1000, timeoutMs: 500, run: () => new Promise(() => undefined) }],
  });
  const pending = hang.runNow('slow');
  clock.advance(600);
  const r = await pending;
  assert.equal(r.error?.code, 'FLOWLENS_ERR_DISCOVERY_TIMEOUT');
});

test('reverse DNS names and flow traffic land on known devices only', async () => {
  const clock = createFakeClock(NOW);
  const cfg = devicesConfigSchema.parse({ discovery: { reverseDns: { enabled: true } } });
  const s = createDeviceService(cfg, {
    clock,
    log: createSilentLogger(),
    registry: new Registry(),
    vendorOf: () => undefined,
    file: '/nonexistent/d.json',
    methods: [],
    reverse: async (ip) => (ip === '10.0.0.5' ? ['printer.lan.'] : Promise.reject(new Error('NXDOMAIN'))),
  });
  s.observe([
    { source: 'arp', tsMs: NOW, ip: '10.0.0.5', mac: '00:11:22:33:44:01' },
    { source: 'arp', tsMs: NOW, ip: '10.0.0.6', mac: '00:11:22:33:44:02' },
  ]);
  const r = await s.runDiscovery('rdns');
  assert.ok(r.ok);
  assert.equal(r.observations, 1);
  const d = s.inventory.byIp('10.0.0.5')!;
  assert.deepEqual(
    d.names.map((n) => [n.name, n.source]),
    [['printer.lan', 'rdns']],
  );
  assert.equal(s.inventory.classification(d.id)?.deviceType.value, 'printer');
  s.addFlowTraffic(
    [
      { addr: '10.0.0.5', bytesIn: 100, bytesOut: 50, packetsIn: 2, packetsOut: 1 },
      { addr: '192.0.2.9', bytesIn: 1, bytesOut: 1, packetsIn: 1, packetsOut: 1 },
    ],
    NOW + 1000,
  );
  s.addFlowTraffic([{ addr: '10.0.0.5', bytesIn: 1, bytesOut: 2, packetsIn: 1, packetsOut: 1 }], NOW + 2000);
  assert.deepEqual(
    { ...s.inventory.byIp('10.0.0.5')!.flowTraffic },
    { bytesIn: 101, bytesOut: 52, packetsIn: 3, packetsOut: 2, source: 'flow', atMs: NOW + 2000 },
  );
  assert.equal(s.inventory.byIp('192.0.2.9'), undefined);
  assert.equal(s.inventory.size, 2);
  void DEFAULT_DEVICES_CONFIG;
});

test('UPnP descriptions: only from the announcing host, within the size limit, cached', async () => {
  assert.ok(isOnHost('http://192.168.1.5:8080/d.xml', '192.168.1.5'));
  assert.ok(isOnHost('http://[fe80::1]:80/d.xml', 'fe80::1'));
  assert.ok(!isOnHost('http://192.168.1.6/d.xml', '192.168.1.5'));
  assert.ok(!isOnHost('https://192.168.1.5/d.xml', '192.168.1.5'));
  assert.ok(!isOnHost('file:///etc/passwd', '192.168.1.5'));
  let calls = 0;
  const xml =
    '<root><device><deviceType>urn:schemas-upnp-org:device:Printer:1</deviceType><manufacturer>Brother</manufacturer><modelName>HL-L2350DW</modelName></device></root>';
  const fetch: FetchLike = async (url) => {
    calls++;
    return new Response(url.endsWith('big.xml') ? 'x'.repeat(5000) : xml);
  };
  const f = createDescriptionFetcher({
    fetch,
    now: () => NOW,
    maxBytes: 1024,
    timeoutMs: 1000,
    cacheEntries: 10,
    ttlMs: 60_000,
  });
  const d = await f.get('http://10.0.0.7/d.xml', '10.0.0.7');
  assert.equal(d?.manufacturer, 'Brother');
  assert.equal(d?.model, 'HL-L2350DW');
  await f.get('http://10.0.0.7/d.xml', '10.0.0.7');
  assert.equal(calls, 1);
  assert.equal(await f.get('http://10.0.0.8/d.xml', '10.0.0.7'), undefined);
  assert.equal(calls, 1);
  assert.equal(await f.get('http://10.0.0.7/big.xml', '10.0.0.7'), undefined);
});

test('Fingerbank refines unsure DHCP clients: rate-limited, cached, failures tolerated', async () => {
  const asked: string[] = [];
  let fail = false;
  const fetch: FetchLike = async (url) => {
    asked.push(url);
    if (fail) throw new Error('offline');
    return Response.json({
      device_name: 'Printer or Scanner/Brother Printer',
      score: 90,
      manufacturer: { name: 'Brother' },
    });
  };
  const fb = createFingerbank(
    {
      apiKey: 'k',
      url: 'https://fb.example/api',
      requestsPerMinute: 2,
      cacheEntries: 10,
      cacheTtlMs: 60_000,
      timeoutMs: 1000,
    },
    fetch,
    () => NOW,
  );
  const ev = await fb.lookup({ dhcpFingerprint: '1,3,6', mac: '00:11:22:33:44:55' });
  assert.deepEqual(
    ev.map((e) => [e.attribute, e.value]),
    [
      ['deviceType', 'printer'],
      ['manufacturer', 'Brother'],
    ],
  );
  assert.match(asked[0]!, /key=k&dhcp_fingerprint=1%2C3%2C6&mac=00%3A11/);
  await fb.lookup({ dhcpFingerprint: '1,3,6', mac: '00:11:22:33:44:55' });
  assert.equal(fb.stats.cached, 1);
  fail = true;
  assert.deepEqual(await fb.lookup({ dhcpFingerprint: '1,3,7' }), []);
  assert.equal(fb.stats.failures, 1);
  assert.deepEqual(await fb.lookup({ dhcpFingerprint: '1,3,8' }), []);
  assert.equal(fb.stats.rateLimited, 1);
  assert.equal(asked.length, 2);

  // Through the service: an unknown fingerprint gets Fingerbank's evidence.
  fail = false;
  const clock = createFakeClock(NOW);
  const cfg = devicesConfigSchema.parse({ fingerbank: { apiKey: 'k' } });
  const s = createDeviceService(cfg, {
    clock,
    log: createSilentLogger(),
    registry: new Registry(),
    vendorOf: () => undefined,
    file: '/nonexistent/d.json',
    methods: [],
    fetch,
  });
  const payload = new Uint8Array(300);
  payload.set([1, 1, 6], 0);
  payload.set([0x00, 0x11, 0x22, 0x33, 0x44, 0x66], 28);
  payload.set([0x63, 0x82, 0x53, 0x63, 53, 1, 1, 55, 3, 1, 3, 6, 255], 236);
  s.onSnoop({
    kind: 'dhcp',
    tsMs: NOW,
    srcMac: '00:11:22:33:44:66',
    dstMac: 'ff:ff:ff:ff:ff:ff',
    srcAddr: '0.0.0.0',
    dstAddr: '255.255.255.255',
    srcPort: 68,
    dstPort: 67,
    payload,
  });
  await new Promise((r) => setTimeout(r, 20));
  const d = s.inventory.byMac('00:11:22:33:44:66')!;
  const c = s.inventory.classification(d.id)!;
  assert.equal(c.deviceType.value, 'printer');
  assert.equal(c.deviceType.evidence[0]?.kind, 'fingerbank');
});
