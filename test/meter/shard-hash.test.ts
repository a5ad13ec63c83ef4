/**
 * The shard hash read from a frame's bytes (`quickShardHash`) is the one its
 * decoded flow gives (`shardHash` of the inner addresses, ports and
 * protocol), on every frame of the shared captures it accepts; and it
 * accepts the plain IPv4/IPv6 TCP/UDP frames, not tunnels or fragments.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPacketDecoder, quickShardHash, shardHash } from '../../src/decode/packet/index.ts';
import { sharedCaptureFrames } from '../support/shared-frames.ts';

const DIRS = ['tunnels', 'mixed_voip_retrans', 'dhcp', 'mdns_ssdp'];
const LINKTYPE_ETHERNET = 1;

test('quickShardHash agrees with the decoded flow on every frame it accepts', async () => {
  const decoder = createPacketDecoder();
  const v = decoder.view;
  let accepted = 0;
  let declined = 0;
  const mismatches: string[] = [];
  for await (const { where, packet: p } of sharedCaptureFrames(DIRS)) {
    if (p.linkType !== LINKTYPE_ETHERNET) continue;
    const quick = quickShardHash(p.data, 0, p.data.length);
    if (quick < 0) {
      declined++;
      continue;
    }
    accepted++;
    if (decoder.decode(p.linkType, p.data) !== 'ok' || v.tunnelType !== 0) {
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
