/**
 * FlowLens's answers to the three queries, two ways: in-process through
 * `createQueryEngine` over a read-only store (what the API does per request),
 * and end to end through the command line (`flowlens query ...`, a new
 * process each time, Node start-up and opening the database included).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowRecord } from '../../src/schema/flow-record.ts';
import type { QueryEngine } from '../../src/query/index.ts';
import type { FoundFlow, SeriesPoint, TopEntry } from './answers.ts';

/** The range every query covers. */
export interface Range {
  fromMs: number;
  toMs: number;
}

const BIN = new URL('../../bin/flowlens.js', import.meta.url).pathname;

/** Writes a configuration for the CLI: the store in `dataDir`, nothing expired. */
export function writeCliConfig(dir: string, dataDir: string): string {
  const file = join(dir, 'flowlens.yaml');
  writeFileSync(
    file,
    [
      'log:',
      '  level: silent',
      'storage:',
      `  path: ${JSON.stringify(dataDir)}`,
      '  retention:',
      '    maxAge: 36500d',
      '    maxAge1m: 36500d',
      '    maxAge1h: 36500d',
      '',
    ].join('\n'),
  );
  return file;
}

/** Runs `flowlens query ARGS --config FILE`; resolves with stdout. */
export async function runFlowLensCli(args: string[], config: string, timeoutMs: number): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'query', ...args, '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`flowlens query ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

/** The CLI's range options. */
export function cliRange(r: Range): string[] {
  return ['--from', new Date(r.fromMs).toISOString(), '--to', new Date(r.toMs).toISOString()];
}

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** `query top` output lines -> top entries. */
export function parseCliTop(text: string): TopEntry[] {
  return jsonLines(text).map((o) => ({
    key: String(o['key']),
    bytes: Number(o['bytes']),
    packets: Number(o['packets']),
    flows: Number(o['flows']),
  }));
}

/** `query series` output lines -> points. */
export function parseCliSeries(text: string): SeriesPoint[] {
  return jsonLines(text).map((o) => ({
    t: Date.parse(String(o['time'])),
    bytes: Number(o['bytes']),
    packets: Number(o['packets']),
    flows: Number(o['flows']),
  }));
}

/** A stored record -> the fields compared with nfdump. */
export function foundFlow(r: Partial<FlowRecord>): FoundFlow {
  return {
    endMs: Number(r.end),
    srcAddr: String(r.srcAddr),
    dstAddr: String(r.dstAddr),
    srcPort: Number(r.srcPort),
    dstPort: Number(r.dstPort),
    proto: Number(r.proto),
    packets: Number(r.packets),
    bytes: Number(r.bytes),
  };
}

/** `query flows` output lines -> found flows. */
export function parseCliFlows(text: string): FoundFlow[] {
  return jsonLines(text).map((o) => foundFlow(o as Partial<FlowRecord>));
}

/** Top-10 sources by bytes, in-process. */
export async function engineTop(engine: QueryEngine, range: Range, limit: number): Promise<TopEntry[]> {
  const rows = await engine.top({ range, dimension: 'srcAddr', metric: 'bytes', limit });
  return rows.map((r) => ({ key: String(r.key), bytes: r.bytes, packets: r.packets, flows: r.flows }));
}

/** The series, in-process; also says which table answered. */
export async function engineSeries(
  engine: QueryEngine,
  range: Range,
  stepMs: number,
): Promise<{ points: SeriesPoint[]; table: string }> {
  const res = await engine.series({ range, stepMs });
  return { points: res.points, table: res.table };
}

/** The newest `limit` matching flows and the number of matches, in-process (what the API returns). */
export async function engineSearch(
  engine: QueryEngine,
  range: Range,
  filter: string,
  limit: number,
): Promise<{ total: number; flows: FoundFlow[] }> {
  const res = await engine.flows({ range, filter, limit });
  return { total: res.total, flows: res.records.map(foundFlow) };
}

/** Flows and bytes of every match (verification only: a top over the protocol summed). */
export async function engineSearchTotals(
  engine: QueryEngine,
  range: Range,
  filter: string,
): Promise<{ flows: number; bytes: number }> {
  const rows = await engine.top({ range, filter, dimension: 'proto', limit: 1000 });
  return rows.reduce((t, r) => ({ flows: t.flows + r.flows, bytes: t.bytes + r.bytes }), {
    flows: 0,
    bytes: 0,
  });
}
