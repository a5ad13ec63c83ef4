/**
 * Both loads of the benchmark, or the record of an earlier one: with `--dir`,
 * a folder that already holds the same flows (same count, hours and seed) is
 * re-used as it is, so query experiments skip the minutes of loading. The
 * record keeps the load figures, so the report still shows them.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyntheticOptions } from '../../src/store/index.ts';
import { loadIntoFlowLens, type FlowLensLoadResult } from './flowlens-load.ts';
import { loadIntoNfcapd, type NfdumpLoadResult } from './nfdump-load.ts';

/** Where each copy lives, and how it was loaded. */
export interface Loaded {
  nfdumpDir: string;
  dataDir: string;
  nfdumpLoad: NfdumpLoadResult;
  flowlensLoad: FlowLensLoadResult;
  /** True when an earlier run's load was re-used. */
  reused: boolean;
}

interface LoadRecord {
  flows: SyntheticOptions;
  nfdumpLoad: NfdumpLoadResult;
  flowlensLoad: FlowLensLoadResult;
}

const RECORD_FILE = 'loaded.json';

const sameFlows = (a: SyntheticOptions, b: SyntheticOptions): boolean =>
  a.count === b.count && a.fromMs === b.fromMs && a.toMs === b.toMs && a.seed === b.seed;

/** Loads `flows` into nfcapd files and a FlowLens store under `root`, unless already there. */
export async function loadBoth(
  root: string,
  flows: SyntheticOptions,
  send: { flowsPerSec: number; senders: number },
  log: (s: string) => void,
  reloadFlowLens = false,
): Promise<Loaded> {
  const nfdumpDir = join(root, 'nfcapd');
  const dataDir = join(root, 'flowlens');
  const recordFile = join(root, RECORD_FILE);
  if (existsSync(recordFile)) {
    const rec = JSON.parse(readFileSync(recordFile, 'utf8')) as LoadRecord;
    if (sameFlows(rec.flows, flows) && reloadFlowLens) {
      // The nfcapd files stay; the store is written again (after a store change).
      log(`re-using the nfcapd files in ${root}; -> FlowLens store`);
      rmSync(dataDir, { recursive: true, force: true });
      const flowlensLoad = await loadIntoFlowLens(dataDir, flows);
      writeFileSync(recordFile, `${JSON.stringify({ ...rec, flowlensLoad }, null, 2)}\n`);
      return { nfdumpDir, dataDir, nfdumpLoad: rec.nfdumpLoad, flowlensLoad, reused: false };
    }
    if (sameFlows(rec.flows, flows)) {
      log(`re-using the loads in ${root}`);
      return { nfdumpDir, dataDir, nfdumpLoad: rec.nfdumpLoad, flowlensLoad: rec.flowlensLoad, reused: true };
    }
    log(`${root} holds other flows: loading again`);
  }
  rmSync(recordFile, { force: true });
  rmSync(nfdumpDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(nfdumpDir, { recursive: true });

  log(`${flows.count.toLocaleString('en')} flows -> nfcapd (NetFlow v9 at ${send.flowsPerSec}/s)`);
  const nfdumpLoad = await loadIntoNfcapd({ dir: nfdumpDir, flows, ...send });
  if (nfdumpLoad.stored !== flows.count)
    throw new Error(`nfcapd stored ${nfdumpLoad.stored} of ${flows.count} flows: lower --send-rate`);
  log(`-> FlowLens store`);
  const flowlensLoad = await loadIntoFlowLens(dataDir, flows);
  const rec: LoadRecord = { flows, nfdumpLoad, flowlensLoad };
  writeFileSync(recordFile, `${JSON.stringify(rec, null, 2)}\n`);
  return { nfdumpDir, dataDir, nfdumpLoad, flowlensLoad, reused: false };
}
