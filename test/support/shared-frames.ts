/** The frames of the shared captures, for tests that go over all of them. */
import { readdirSync } from 'node:fs';
import { readPackets, type CapturedPacket } from '../../src/ingest/file/index.ts';
import { sharedCapture } from './system-tool.ts';

/** Every frame of the pcap/pcapng files in `dirs` (of ../shared/captures), with where it is ("dir/file #n"). */
export async function* sharedCaptureFrames(
  dirs: readonly string[],
): AsyncGenerator<{ where: string; packet: CapturedPacket }> {
  for (const dir of dirs)
    for (const f of readdirSync(sharedCapture(dir)).filter((x) => /\.pcap(ng)?$/.test(x))) {
      let n = 0;
      for await (const packet of readPackets(sharedCapture(`${dir}/${f}`)))
        yield { where: `${dir}/${f} #${++n}`, packet };
    }
}
