/**
 * `npm run demo`: FlowLens with a temporary data folder plus the built-in
 * demo exporter (NetFlow v9, IPFIX and sFlow from three simulated devices),
 * so that the dashboard is alive within seconds. Prints the URL and a
 * one-time login. Ports: FLOWLENS_DEMO_PORT (HTTP, default 3000); the
 * collectors listen on loopback 2055/4739/6343 (FLOWLENS_DEMO_UDP_BASE moves them).
 */
import { fileURLToPath } from 'node:url';
import { createDemoExporter } from '../src/demo/index.ts';
import { launchFlowLens } from '../src/demo/launch.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const httpPort = Number(process.env.FLOWLENS_DEMO_PORT ?? 3000);
const udpBase = process.env.FLOWLENS_DEMO_UDP_BASE ? Number(process.env.FLOWLENS_DEMO_UDP_BASE) : undefined;
const ports = udpBase
  ? { netflowPort: udpBase, ipfixPort: udpBase + 1, sflowPort: udpBase + 2 }
  : { netflowPort: 2055, ipfixPort: 4739, sflowPort: 6343 };

const flowlens = await launchFlowLens({ root, httpPort, ...ports });
const demo = createDemoExporter(
  { targets: { host: '127.0.0.1', ...ports }, backfillMinutes: 180 },
  {
    now: () => Date.now(),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (h) => clearInterval(h),
  },
);
await demo.start();
process.stdout.write(
  [
    '',
    `  FlowLens demo is running: ${flowlens.url}`,
    `  log in as "${flowlens.username}" with password "${flowlens.password}"`,
    '  three demo exporters (NetFlow v9, IPFIX, sFlow) send from 127.0.0.2-4; Ctrl-C stops everything.',
    '',
  ].join('\n'),
);
const shutdown = (): void => {
  void demo
    .stop()
    .then(() => flowlens.stop())
    .then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
