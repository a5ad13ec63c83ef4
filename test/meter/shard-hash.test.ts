/**
 * The shard hash read from a frame's bytes (`quickShardHash`) is the one its
 * decoded flow gives (`shardHash` of the inner addresses, ports and
 * protocol), on every frame of the shared captures it accepts; and it
 * accepts the plain IPv4/IPv6 TCP/UDP frames, not tunnels or fragments.
 * The flow table's hash read from the bytes (`quickFlowHashes`, which the
 * meter then uses instead of hashing the key) is the key's own, VLAN
 * included, on the same frames, and is read for the same frames.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import {
  createPacketDecoder,
  quickFlowHashes,
  quickShardHash,
  shardHash,
} from '../../src/decode/packet/index.ts';
import { buildFlowKey, createFlowKey } from '../../src/meter/flow-key.ts';
import { readPackets } from '../../src/ingest/file/index.ts';
import { sharedCapture } from '../support/system-tool.ts';

const DIRS = ['tunnels', 'mixed_voip_retrans', 'dhcp', 'mdns_ssdp'];
const LINKTYPE_ETHERNET = 1;

/** Every Ethernet frame of the captures, with where it comes from (`dir/file #n`). */
async function* ethernetFrames(): AsyncGenerator<{ where: string; data: Uint8Array }> {
  for (const dir of DIRS)
    for (const f of readdirSync(sharedCapture(dir)).filter((x) => /\.pcap(ng)?$/.test(x))) {
      let n = 0;
      for await (const p of readPackets(sharedCapture(`${dir}/${f}`))) {
        n++;
        if (p.linkType === LINKTYPE_ETHERNET) yield { where: `${dir}/${f} #${n}`, data: p.data };
      }
    }
}

test('quickShardHash agrees with the decoded flow on every frame it accepts', async () => {
  const decoder = createPacketDecoder();
  const v = decoder.view;
  let accepted = 0;
  let declined = 0;
  const mismatches: string[] = [];
  for await (const { where, data } of ethernetFrames()) {
    const quick = quickShardHash(data, 0, data.length);
    if (quick < 0) {
      declined++;
      continue;
    }
    accepted++;
    if (decoder.decode(LINKTYPE_ETHERNET, data) !== 'ok' || v.tunnelType !== 0) {
      mismatches.push(`${where}: accepted but not a plain flow`);
      continue;
    }
    let addrXor = 0;
    for (let i = 0; i < 8; i++) addrXor ^= v.addr[i]!;
    const want = shardHash(v.proto, addrXor >>> 0, v.srcPort ^ v.dstPort);
    if (want !== quick) mismatches.push(`${where}: ${quick} != ${want}`);
  }
  assert.deepEqual(mismatches.slice(0, 20), []);
  assert.ok(accepted > 5000 && declined > 500, `${accepted} accepted, ${declined} declined`);
});

test('quickFlowHashes gives the hash buildFlowKey gives, for the frames quickShardHash reads', async () => {
  const decoder = createPacketDecoder();
  const v = decoder.view;
  const key = createFlowKey();
  const hashes = new Float64Array(1);
  let accepted = 0;
  let vlanTagged = 0;
  const mismatches: string[] = [];
  for await (const { where, data } of ethernetFrames()) {
    // Each frame at an offset in a larger buffer, as the meter's chunks hold them.
    const buf = new Uint8Array(data.length + 7);
    buf.set(data, 3);
    quickFlowHashes(buf, Int32Array.of(3), Int32Array.of(3 + data.length), 1, hashes);
    const quick = hashes[0]!;
    if (quick >= 0 !== quickShardHash(data, 0, data.length) >= 0) {
      mismatches.push(`${where}: read by one of the two quick hashes only`);
      continue;
    }
    if (quick < 0) continue;
    accepted++;
    if (decoder.decode(LINKTYPE_ETHERNET, data) !== 'ok') continue; // counted by the test above
    if (v.vlan !== 0) vlanTagged++;
    buildFlowKey(v, key);
    if (key.hash !== quick) mismatches.push(`${where}: ${quick} != ${key.hash}`);
  }
  assert.deepEqual(mismatches.slice(0, 20), []);
  assert.ok(accepted > 5000 && vlanTagged > 0, `${accepted} accepted, ${vlanTagged} with a VLAN`);
});
