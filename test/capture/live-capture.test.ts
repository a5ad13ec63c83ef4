import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLiveCapture, type CaptureError } from '../../src/ingest/capture/index.ts';
import { createSilentLogger } from '../../src/common/logger.ts';
import type { CapturedPacket } from '../../src/ingest/file/index.ts';
import { pollUntil } from '../support/poll-until.ts';
import { createNetnsPair, requireNetnsTools } from './netns-pair.ts';
import { SENT, sendTraffic, startPeer, summarize } from './traffic.ts';

test('live capture on a veth pair between two namespaces sees the flows; a BPF filter narrows them', async (t) => {
  if (!requireNetnsTools(t, ['ping'])) return;
  const pair = createNetnsPair();
  const seen = new Map<string, CapturedPacket[]>();
  const errors: CaptureError[] = [];
  const capture = createLiveCapture({
    interfaces: [
      // B's end unfiltered, A's end with a filter: two dumpcaps, two namespaces.
      { name: pair.ifB, netns: pair.nsB },
      { name: pair.ifA, netns: pair.nsA, filter: `udp port ${SENT.udpPort}`, promiscuous: false },
    ],
    log: createSilentLogger(),
    // Each frame is a view valid during the call: kept as a copy.
    onFrame: (ifName, tsMs, linkType, data, start, end, origLen) =>
      seen.set(ifName, [
        ...(seen.get(ifName) ?? []),
        { tsMs, linkType, data: new Uint8Array(data.subarray(start, end)), origLen },
      ]),
    onError: (e) => errors.push(e),
  });
  let peer: Awaited<ReturnType<typeof startPeer>> | undefined;
  try {
    capture.start();
    await pollUntil(() => capture.stats().every((s) => s.state === 'capturing'), {
      timeoutMs: 30_000,
      what: `both dumpcaps capturing (${JSON.stringify(capture.stats())}, errors: ${errors.map((e) => e.message)})`,
    });
    peer = await startPeer(pair);
    await sendTraffic(pair);
    // Wait for the last frames (the ping replies) to come through dumpcap's pipe before stopping.
    await pollUntil(() => summarize(seen.get(pair.ifB) ?? []).icmpEchoReplies === SENT.pings, {
      timeoutMs: 30_000,
      what: 'the ping replies in the capture',
    });
    await pollUntil(() => (seen.get(pair.ifA)?.length ?? 0) >= SENT.udpDatagrams, {
      timeoutMs: 30_000,
      what: 'the filtered UDP datagrams',
    });
  } finally {
    await capture.stop();
    await peer?.stop();
    pair.remove();
  }
  assert.deepEqual(errors, []);

  const all = summarize(seen.get(pair.ifB) ?? []);
  assert.equal(all.udpToPort.get(SENT.udpPort), SENT.udpDatagrams);
  assert.equal(all.udpPayloadBytes, SENT.udpDatagrams * SENT.udpPayloadBytes);
  assert.equal(all.tcpSyns, 1);
  assert.equal(all.tcpPayloadTo.get(SENT.tcpPort), SENT.tcpPayloadBytes);
  assert.equal(all.tcpPayloadFrom.get(SENT.tcpPort), SENT.tcpPayloadBytes);
  assert.equal(all.icmpEchoRequests, SENT.pings);
  assert.equal(all.icmpEchoReplies, SENT.pings);
  assert.equal(all.other, 0);

  const filtered = summarize(seen.get(pair.ifA) ?? []);
  assert.equal(filtered.frames, SENT.udpDatagrams, 'only the UDP datagrams pass the filter');
  assert.deepEqual([...filtered.udpToPort], [[SENT.udpPort, SENT.udpDatagrams]]);

  const stats = new Map(capture.stats().map((s) => [s.name, s]));
  assert.equal(stats.get(pair.ifB)?.packets, all.frames);
  assert.equal(stats.get(pair.ifA)?.packets, SENT.udpDatagrams);
  assert.equal(stats.get(pair.ifA)?.bytes, SENT.udpDatagrams * (14 + 20 + 8 + SENT.udpPayloadBytes));
  for (const s of stats.values()) {
    assert.equal(s.state, 'stopped');
    assert.equal(s.drops, 0);
    assert.equal(s.restarts, 0);
  }
});
