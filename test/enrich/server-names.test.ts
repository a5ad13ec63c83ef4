/**
 * The built-in detectors against tshark on the shared captures, file by
 * file: every TCP flow's first client payload and every UDP datagram must
 * give the server name tshark reads (`tls.handshake.extensions_server_name`,
 * `http.host`, `dns.qry.name`) and the application the host map implies.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCategoryMap } from '../../src/enrich/app/categories.ts';
import { createHostAppMap } from '../../src/enrich/app/host-apps.ts';
import { createBuiltinInspector } from '../../src/enrich/app/inspector.ts';
import { requireTool, sharedCapture } from '../support/system-tool.ts';
import { readTsharkFields } from '../support/tshark-fields.ts';
import { readFramePayloads, type FramePayload } from './capture-payloads.ts';

const CAPTURES = [
  'mixed_voip_retrans/teams.pcap',
  'mixed_voip_retrans/android.pcap',
  'mixed_voip_retrans/iphone.pcap',
  'mixed_voip_retrans/whatsapp_login_call.pcap',
  'mixed_voip_retrans/sip-method__sip.pcap',
  'mixed_voip_retrans/syn_retransmit_with_ts.pcap',
  'dhcp/1kxun.pcap',
  'dhcp/gnutella.pcap',
  'mdns_ssdp/dnssd.pcap',
  'tunnels/erspan.pcap',
  'tunnels/gtp-iphone.pcap',
  'tunnels/pppoe-over-qinq.pcap',
  'tunnels/vxlan-encapsulated-http.pcap',
  'tunnels/gre-sample.pcap',
];

const FIELDS = ['frame.number', 'tls.handshake.extensions_server_name', 'http.host', 'dns.qry.name'];
const FILTER = 'tls.handshake.extensions_server_name or (http.host and tcp) or dns.qry.name';

/** Client payload packets per TCP flow given to the inspector. */
const CLIENT_PACKETS = 4;

/** tshark keeps the Host header as sent; the detector reports the name without the port. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/:\d+$/, '');
}

function flowKey(p: FramePayload): string {
  const a = `${p.srcAddr}|${p.srcPort}`;
  const b = `${p.dstAddr}|${p.dstPort}`;
  return a < b ? `${p.proto}|${a}|${b}` : `${p.proto}|${b}|${a}`;
}

for (const rel of CAPTURES) {
  test(`server names: ${rel}`, async (t) => {
    const tshark = requireTool(t, 'tshark');
    if (!tshark) return;
    const path = sharedCapture(rel);
    const rows = await readTsharkFields(tshark, path, FIELDS, { filter: FILTER });
    const want = new Map<number, string>();
    for (const r of rows) {
      const name = r[1]?.[0] ?? r[2]?.[0] ?? r[3]?.[0];
      if (name !== undefined) want.set(Number(r[0]![0]), normalise(name));
    }
    const frames = await readFramePayloads(path);
    const hostApps = createHostAppMap();
    const inspector = createBuiltinInspector({ hostApps, categories: createCategoryMap() });
    // TCP: the first client payloads of each flow (`inspectFlow`, as the meter's multi-packet hook
    // would hand them); tshark names the frame that completes a reassembled message, so flows are
    // compared, not frames.
    const firstTcp = new Map<string, FramePayload[]>();
    const tcpWant = new Map<string, string>();
    const failures: string[] = [];
    let checked = 0;
    for (const p of frames) {
      if (p.proto === 6) {
        const k = flowKey(p);
        const list = firstTcp.get(k) ?? [];
        if (list.length === 0) firstTcp.set(k, list);
        if (list.length < CLIENT_PACKETS && (list[0] === undefined || list[0].srcPort === p.srcPort))
          list.push(p);
        const w = want.get(p.frame);
        if (w !== undefined && !tcpWant.has(k)) tcpWant.set(k, w);
        continue;
      }
      const w = want.get(p.frame);
      if (w === undefined) continue;
      const d = inspector.inspect({ ...p, fromInitiator: true });
      checked++;
      if (d?.serverName !== w) failures.push(`frame ${p.frame}: want ${w}, got ${d?.serverName}`);
    }
    for (const [k, w] of tcpWant) {
      const list = firstTcp.get(k)!;
      const p = list[0]!;
      const d = inspector.inspectFlow({ ...p, clientPayload: list.map((x) => x.payload), serverPayload: [] });
      checked++;
      if (d?.serverName !== w) failures.push(`flow of frame ${p.frame}: want ${w}, got ${d?.serverName}`);
      else if (d.appProto !== (hostApps.lookup(w) ?? d.l7Proto))
        failures.push(`frame ${p.frame}: app ${d.appProto}`);
    }
    t.diagnostic(`${rel}: ${checked} names checked against tshark, ${failures.length} differ`);
    assert.ok(checked > 0, 'tshark found names to compare');
    assert.deepEqual(failures, []);
  });
}
