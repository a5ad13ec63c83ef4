/**
 * `flowlens import FILE...`: the flows of flow-export captures into the
 * configured store, with a progress line on a terminal. Packet captures
 * (for the meter) are not imported yet: they are reported and skipped.
 */
import type { Writable } from 'node:stream';
import { createSystemClock } from '../../common/clock.ts';
import { createSilentLogger } from '../../common/logger.ts';
import { loadConfig } from '../../config/index.ts';
import { createFlowDecoder, sniffFormat } from '../../decode/index.ts';
import { CaptureFileError, readUdpDatagrams } from '../../ingest/file/index.ts';
import {
  createBatchBuilder,
  clickhouseStoreConfig,
  createClickhouseStore,
  createDuckDbStore,
  duckDbStoreConfig,
  type FlowStore,
} from '../../store/index.ts';
import { UsageError } from './usage.ts';

/** Options of `import`. */
export interface ImportOptions {
  config?: string | undefined;
  cwd?: string;
}

/** Streams of `import`; `progress` is true on a terminal. */
export interface ImportIo {
  stderr: Writable & { isTTY?: boolean };
}

/** What was imported. */
export interface ImportSummary {
  files: number;
  datagrams: number;
  flows: number;
  skippedFiles: string[];
}

const BATCH_ROWS = 50_000;

/** Imports the captures; throws UsageError for an unreadable file or a store held by a server. */
export async function runImport(files: string[], opts: ImportOptions, io: ImportIo): Promise<ImportSummary> {
  if (files.length === 0) throw new UsageError('import needs at least one capture file');
  const { config } = loadConfig({ path: opts.config });
  const deps = { clock: createSystemClock(), log: createSilentLogger() };
  const store: FlowStore =
    config.storage.engine === 'clickhouse'
      ? createClickhouseStore({ ...deps, config: clickhouseStoreConfig(config.storage) })
      : createDuckDbStore({ ...deps, config: duckDbStoreConfig(config.storage, opts.cwd ?? process.cwd()) });
  try {
    await store.start();
  } catch (cause) {
    throw new UsageError((cause as Error).message, { cause });
  }
  const s: ImportSummary = { files: 0, datagrams: 0, flows: 0, skippedFiles: [] };
  const progress = io.stderr.isTTY === true;
  try {
    const decoder = createFlowDecoder();
    const builder = createBatchBuilder(BATCH_ROWS);
    for (const [i, file] of files.entries()) {
      const before = s.datagrams;
      await importFile(file, decoder, builder, store, s, () => {
        if (progress)
          io.stderr.write(`\r[${i + 1}/${files.length}] ${file}: ${s.flows.toLocaleString('en')} flows`);
      });
      if (s.datagrams === before) s.skippedFiles.push(file);
      s.files++;
    }
    if (builder.count > 0) store.write(builder.take());
    await store.flush();
  } finally {
    await store.stop();
  }
  if (progress) io.stderr.write('\n');
  const skipped = s.skippedFiles.length
    ? `; no flow exports in ${s.skippedFiles.join(', ')} (packet captures are not imported yet)`
    : '';
  io.stderr.write(
    `flowlens import: ${s.files} file(s), ${s.datagrams} datagrams, ${s.flows} flows stored${skipped}\n`,
  );
  return s;
}

async function importFile(
  file: string,
  decoder: ReturnType<typeof createFlowDecoder>,
  builder: ReturnType<typeof createBatchBuilder>,
  store: FlowStore,
  s: ImportSummary,
  tick: () => void,
): Promise<void> {
  try {
    for await (const d of readUdpDatagrams(file)) {
      const kind = sniffFormat(d.payload, true);
      if (!kind) continue;
      s.datagrams++;
      const now = Math.floor(d.tsMs);
      const res = decoder.decode(d.payload, { exporter: d.srcAddr, receivedMs: now }, kind);
      for (const r of res.records) {
        builder.add(r, now);
        s.flows++;
        if (builder.full) {
          store.write(builder.take());
          await store.flush();
          tick();
        }
      }
      if ((s.datagrams & 1023) === 0) tick();
    }
  } catch (cause) {
    if (cause instanceof CaptureFileError) throw new UsageError(cause.message, { cause });
    throw cause;
  }
  tick();
}
