/**
 * Metered flows carry the server name tshark reads (issue #5): for every
 * capture holding TLS, QUIC, HTTP or DNS, file by file, each flow that
 * `flowlens meter` writes has as `serverName` the first name tshark reads
 * (`tls.handshake.extensions_server_name`, `http.host`, `dns.qry.name`) in
 * the packets of that flow's 5-tuple and time span, and the application the
 * name implies (DNS flows stay DNS); a flow tshark names nothing in has no
 * name. SSDP's Host header (HTTP over UDP) names no server and is left out.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { runMeter } from '../../src/app/commands/meter.ts';
import { createHostAppMap } from '../../src/enrich/app/index.ts';
import { requireTool, sharedCapture } from '../support/system-tool.ts';
import { readTsharkFields } from '../support/tshark-fields.ts';

const CAPTURES = [
  'dhcp/1kxun.pcap',
  'dhcp/gnutella.pcap',
  'mdns_ssdp/dnssd.pcap',
  'mdns_ssdp/mdns-no-assoc.pcap',
  'mixed_voip_retrans/android.pcap',
  'mixed_voip_retrans/iphone.pcap',
  'mixed_voip_retrans/sip-method__sip.pcap',
  'mixed_voip_retrans/syn_retransmit_with_ts.pcap',
  'mixed_voip_retrans/teams.pcap',
  'mixed_voip_retrans/whatsapp_login_call.pcap',
  'tunnels/ayiya3.pcap',
  'tunnels/erspan.pcap',
  'tunnels/gre-pptp.pcap',
  'tunnels/gre-sample.pcap',
  'tunnels/gtp-iphone.pcap',
  'tunnels/gtp1_gn_normal_incl_fragmentation.pcap',
  'tunnels/gtp2_different_udp_port.pcap',
  'tunnels/gtp7_ipv6.pcap',
  'tunnels/http-qinq-0.pcap',
  'tunnels/ipv6-gtp6.pcap',
  'tunnels/mixed-vlan-mpls.pcap',
  'tunnels/pppoe-over-qinq.pcap',
  'tunnels/pppoe-session-http.pcap',
  'tunnels/twovlan.pcap',
  'tunnels/vlan-collisions.pcap',
  'tunnels/vlan-ipv6.pcap',
  'tunnels/vlan-qinqinq.pcap',
  'tunnels/vxlan-encapsulated-http.pcap',
];

const FIELDS = [
  'frame.time_epoch',
  'frame.protocols',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
  'tls.handshake.extensions_server_name',
  'http.host',
  'dns.qry.name',
  'vlan.id',
];

interface Named {
  key: string;
  ms: number;
  name: string;
  dns: boolean;
}

interface MeteredFlow {
  proto: number;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  start: number;
  end: number;
  vlan?: number;
  serverName?: string;
  appProto?: string;
}

/** Direction-free 5-tuple. */
function flowKey(proto: number, a: string, ap: number, b: string, bp: number): string {
  const x = `${a}|${ap}`;
  const y = `${b}|${bp}`;
  return x < y ? `${proto}|${x}|${y}` : `${proto}|${y}|${x}`;
}

/** tshark keeps the Host header as sent; the meter reports the name without the port, in lower case. */
function normalise(name: string): string {
  return name.toLowerCase().replace(/:\d+$/, '');
}

/** Every packet tshark reads a name in: its innermost 5-tuple, time and first name. */
async function tsharkNames(tshark: string, path: string): Promise<Named[]> {
  const rows = await readTsharkFields(tshark, path, FIELDS);
  const out: Named[] = [];
  for (const r of rows) {
    const layers = r[1]?.[0]?.split(':') ?? [];
    const tcp = layers.lastIndexOf('tcp') > layers.lastIndexOf('udp');
    // HTTP over UDP is SSDP (M-SEARCH * HTTP/1.1, Host: 239.255.255.250:1900): no server asked for.
    const name = r[10]?.[0] ?? (tcp ? r[11]?.[0] : undefined) ?? r[12]?.[0];
    if (name === undefined || layers.includes('icmp') || layers.includes('icmpv6')) continue;
    // The innermost IP layer is the last of ip/ipv6 in frame.protocols (6in4, AYIYA, GTP, ...).
    const v6 = layers.lastIndexOf('ipv6') > layers.lastIndexOf('ip');
    const src = (v6 ? r[4] : r[2])?.at(-1);
    const dst = (v6 ? r[5] : r[3])?.at(-1);
    const sp = Number((tcp ? r[6] : r[8])?.at(-1));
    const dp = Number((tcp ? r[7] : r[9])?.at(-1));
    if (src === undefined || dst === undefined) continue;
    const ms = Math.floor(Number(r[0]![0]) * 1000);
    const dns = r[10]?.[0] === undefined && r[11]?.[0] === undefined;
    // The meter keeps flows of different VLANs apart (innermost tag), as the tshark comparisons do.
    const vlan = Number(r[13]?.at(-1) ?? 0);
    out.push({ key: `${flowKey(tcp ? 6 : 17, src, sp, dst, dp)}|${vlan}`, ms, name: normalise(name), dns });
  }
  return out;
}

async function meteredFlows(path: string): Promise<MeteredFlow[]> {
  const parts: string[] = [];
  const sink = (keep: boolean): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        if (keep) parts.push(chunk.toString('utf8'));
        done();
      },
    });
  await runMeter([path], 'jsonl', { stdout: sink(true), stderr: sink(false) }, {}, { threads: 1 });
  return parts
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MeteredFlow);
}

const hostApps = createHostAppMap();

for (const rel of CAPTURES) {
  test(`metered server names agree with tshark: ${rel}`, async (t) => {
    const tshark = requireTool(t, 'tshark');
    if (!tshark) return;
    const path = sharedCapture(rel);
    const named = await tsharkNames(tshark, path);
    const flows = await meteredFlows(path);
    const failures: string[] = [];
    let checked = 0;
    for (const f of flows) {
      const key = `${flowKey(f.proto, f.srcAddr, f.srcPort, f.dstAddr, f.dstPort)}|${f.vlan ?? 0}`;
      const first = named.find((n) => n.key === key && n.ms >= f.start && n.ms <= f.end);
      const want = first?.name;
      const what = `${key} @${f.start}`;
      if (want === undefined) {
        // tshark's TCP analysis ignores VLANs: a request repeated in another VLAN is a retransmission
        // to it, not dissected again; the meter's flow of that VLAN names it as the first one did.
        const tuple = key.slice(0, key.lastIndexOf('|'));
        const elsewhere = named.some((n) => n.key.startsWith(`${tuple}|`) && n.name === f.serverName);
        if (f.serverName !== undefined && !elsewhere)
          failures.push(`${what}: tshark reads no name, meter ${f.serverName}`);
        continue;
      }
      checked++;
      if (f.serverName !== want) failures.push(`${what}: want ${want}, got ${f.serverName}`);
      else {
        // A DNS flow is DNS whatever it asks for; TLS, QUIC and HTTP flows are the named service's.
        const app = first?.dns === true ? 'DNS' : hostApps.lookup(want);
        if (app !== undefined && f.appProto !== app)
          failures.push(`${what}: ${want} is ${app}, not ${f.appProto}`);
      }
    }
    t.diagnostic(`${rel}: ${flows.length} flows, ${checked} named by tshark, ${failures.length} differ`);
    assert.ok(checked > 0, 'tshark names some flow');
    assert.deepEqual(failures, []);
  });
}
