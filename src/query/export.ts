/**
 * Streaming export of a flow search as JSON Lines or CSV: rows are written as
 * the engine yields them, honouring the writer's back-pressure, so the
 * result is never held in memory.
 */
import type { Writable } from 'node:stream';
import { csvHeader, formatRecordLine, type RecordFormat } from '../schema/record-format.ts';
import type { FlowsQuery, QueryEngine } from './engine.ts';

/** Writes every matching flow to `out`; resolves with the number written. */
export async function exportFlows(
  engine: QueryEngine,
  q: FlowsQuery,
  format: RecordFormat,
  out: Writable,
): Promise<number> {
  let n = 0;
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  if (format === 'csv') await write(csvHeader());
  for await (const records of engine.streamFlows(q)) {
    let text = '';
    for (const r of records) text += formatRecordLine(r, format);
    n += records.length;
    await write(text);
  }
  return n;
}
