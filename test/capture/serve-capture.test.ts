/**
 * `flowlens serve` with a live interface: dumpcap captures one end of a veth
 * pair between two namespaces, the meter turns the packets into flows, and the
 * flows take the same path as exported ones: stored (the API's flow search
 * finds them) and counted in the live view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService } from '../../src/app/index.ts';
import { createSystemClock } from '../../src/common/clock.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import { loadConfig } from '../../src/config/index.ts';
import { pollUntil } from '../support/poll-until.ts';
import { createNetnsPair, requireNetnsTools } from './netns-pair.ts';
import { SENT, sendTraffic, startPeer } from './traffic.ts';

/** Node script: one DHCPDISCOVER (BOOTP layout, RFC 2131 §2) to the address given, from port 68. */
const DHCP_DISCOVER = `
const u = require('node:dgram').createSocket('udp4');
const b = Buffer.alloc(300);
b[0] = 1; b[1] = 1; b[2] = 6; b.writeUInt32BE(0x12345678, 4);
Buffer.from([0x02, 0x42, 0xac, 0x11, 0x00, 0x07]).copy(b, 28);
b.writeUInt32BE(0x63825363, 236);
const opts = [53, 1, 1, 12, 20, ...Buffer.from('flowlens-test-client'), 55, 4, 1, 3, 6, 15, 255];
Buffer.from(opts).copy(b, 240);
u.bind(68, () => u.send(b, 67, process.argv[1], () => u.close()));
`;

interface FlowItem {
  type: string;
  exporter: string;
  srcAddr?: string;
  dstAddr?: string;
  dstPort?: number;
  proto?: number;
  packets: number;
  reversePackets?: number;
}

test('serve meters a live interface: flows stored, searchable through the API, filtered by BPF', async (t) => {
  if (!requireNetnsTools(t)) return;
  const pair = createNetnsPair();
  const dir = mkdtempSync(join(tmpdir(), 'flowlens-serve-capture-'));
  const token = 'test-token-serve-capture';
  const prevToken = process.env['FLOWLENS_API_TOKEN'];
  process.env['FLOWLENS_API_TOKEN'] = token;
  const { config } = loadConfig({
    cwd: dir,
    env: {
      FLOWLENS_HTTP_LISTEN: '127.0.0.1:0',
      FLOWLENS_COLLECTOR_NETFLOW_LISTEN: '',
      FLOWLENS_COLLECTOR_IPFIX_LISTEN: '',
      FLOWLENS_COLLECTOR_SFLOW_LISTEN: '',
      FLOWLENS_STORAGE_PATH: join(dir, 'data'),
      FLOWLENS_STORAGE_FLUSH_INTERVAL: '200ms',
      FLOWLENS_ENRICH_ENABLED: 'false',
      // TCP and DHCP only: the other UDP datagrams and the pings are filtered out by dumpcap.
      FLOWLENS_CAPTURE_INTERFACES: JSON.stringify([
        { name: pair.ifB, netns: pair.nsB, filter: 'tcp or (udp and port 67)' },
      ]),
    },
  });
  const svc = createService({ config, clock: createSystemClock(), log: createSilentLogger(), cwd: dir });
  const peer = await startPeer(pair);
  try {
    await svc.start();
    await pollUntil(() => (svc.capture.stats()?.interfaces[0]?.state ?? '') === 'capturing', {
      timeoutMs: 30_000,
      what: 'dumpcap capturing',
    });
    await sendTraffic(pair);
    // A DHCPDISCOVER from A (RFC 2131): the meter snoops it, device discovery makes a device of it.
    pair.exec(pair.nsA, process.execPath, ['-e', DHCP_DISCOVER, pair.addrB]);
    // Stopping exports every flow still in the meter table and flushes the store.
    await pollUntil(() => (svc.capture.stats()?.interfaces[0]?.packets ?? 0) > 0, {
      timeoutMs: 30_000,
      what: 'captured packets',
    });
    const stats = svc.capture.stats()!;
    assert.ok(stats.meters[0]!.packets > 0);
    await svc.capture.stop();
    const base = `http://${svc.httpAddress()}/api/v1`;
    const headers = { authorization: `Bearer ${token}` };
    let items: FlowItem[] = [];
    await pollUntil(
      async () => {
        const res = await fetch(`${base}/flows?from=-1h&limit=50`, { headers });
        items = ((await res.json()) as { items: FlowItem[] }).items;
        return items.length >= 2;
      },
      { timeoutMs: 30_000, what: 'metered flows in the store' },
    );
    // The TCP exchange and the DHCP request: nothing else passes the BPF filter.
    assert.equal(items.length, 2, JSON.stringify(items));
    assert.ok(items.some((f) => f.proto === 17 && f.dstPort === 67));
    const flow = items.find((f) => f.proto === 6);
    assert.equal(flow?.type, 'packets');
    assert.equal(flow?.exporter, pair.ifB);
    assert.equal(flow?.proto, 6);
    assert.equal(flow?.srcAddr, pair.addrA);
    assert.equal(flow?.dstAddr, pair.addrB);
    assert.equal(flow?.dstPort, SENT.tcpPort);
    assert.ok(flow!.packets >= 3 && (flow?.reversePackets ?? 0) >= 2, JSON.stringify(flow));
    // The snooped DHCP request became a device, named by the host name it sent (option 12).
    const devices = await fetch(`${base}/devices`, { headers });
    assert.equal(devices.status, 200);
    const list = (await devices.json()) as { items: { names?: unknown; macs?: unknown }[] };
    assert.match(JSON.stringify(list.items), /flowlens-test-client/);
  } finally {
    await svc.stop();
    await peer.stop();
    pair.remove();
    rmSync(dir, { recursive: true, force: true });
    if (prevToken === undefined) delete process.env['FLOWLENS_API_TOKEN'];
    else process.env['FLOWLENS_API_TOKEN'] = prevToken;
  }
});
