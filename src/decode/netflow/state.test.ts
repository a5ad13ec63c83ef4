import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetflowDecoder } from './index.ts';
import {
  ByteWriter,
  ipfixMessage,
  ipfixTemplate,
  set,
  v9OptionsTemplate,
  v9Packet,
  v9Template,
} from './test-builders.ts';

const ctx = { exporter: '192.0.2.5', receivedMs: 0 };

test('saveState/loadState round trip keeps templates, options templates and sampler tables', () => {
  const dec = createNetflowDecoder();
  dec.decode(
    v9Packet([
      set(
        1,
        v9OptionsTemplate(
          257,
          [[1, 4]],
          [
            [48, 1],
            [50, 4],
          ],
        ),
      ),
      set(
        0,
        v9Template(260, [
          [8, 4],
          [48, 1],
        ]),
      ),
    ]),
    ctx,
  );
  dec.decode(v9Packet([set(257, new ByteWriter().u32(0).u8(3).u32(250).build())]), ctx);
  dec.decode(
    ipfixMessage(
      [
        set(
          2,
          ipfixTemplate(300, [
            [8, 4],
            [100, 0xffff, 9],
          ]),
        ),
      ],
      { domain: 4 },
    ),
    ctx,
  );
  const saved = JSON.parse(JSON.stringify(dec.saveState())) as unknown;

  const fresh = createNetflowDecoder();
  fresh.loadState(saved);
  assert.deepEqual(fresh.stats(), { exporters: 1, templates: 3, pending: 0 });
  const v9 = fresh.decode(v9Packet([set(260, new ByteWriter().ipv4('10.1.1.1').u8(3).build())]), ctx);
  assert.equal(v9.records[0]?.samplingRate, 250);
  const ipfix = fresh.decode(
    ipfixMessage([set(300, new ByteWriter().ipv4('10.2.2.2').u8(2).u16(0xbeef).build())], { domain: 4 }),
    ctx,
  );
  assert.equal(ipfix.records[0]?.srcAddr, '10.2.2.2');
  assert.equal(ipfix.records[0]?.extra?.['9.100'], 48879);
});

test('loadState ignores garbage without throwing', () => {
  const dec = createNetflowDecoder();
  const garbage: unknown[] = [
    null,
    42,
    'x',
    { version: 99 },
    { version: 1, exporters: 'no' },
    { version: 1, exporters: [{ exporter: 1 }] },
    { version: 1, exporters: [{ exporter: 'a', domains: [{ version: 9, domain: -1 }] }] },
    {
      version: 1,
      exporters: [
        {
          exporter: 'a',
          domains: [
            {
              version: 10,
              domain: 1,
              templates: [
                { id: 12, isOptions: false, scopeCount: 0, fields: [[8, 4, 0]] },
                { id: 300, isOptions: false, scopeCount: 0, fields: [[8, 0, 0]] },
                { id: 301, isOptions: false, scopeCount: 0, fields: [['8', 4, 0]] },
                { id: 302, isOptions: true, scopeCount: 0, fields: [[8, 4, 0]] },
              ],
              samplers: [[1, -5], 'x'],
            },
          ],
        },
      ],
    },
  ];
  for (const g of garbage) dec.loadState(g);
  assert.equal(dec.stats().templates, 0);
  const hostile = {
    get version(): number {
      throw new Error('boom');
    },
  };
  assert.doesNotThrow(() => dec.loadState(hostile));
});
