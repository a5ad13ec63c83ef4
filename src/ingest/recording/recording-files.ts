import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordingMeta } from './index-store.ts';

/** One ring file of a recording. */
export interface RecordingFile {
  name: string;
  bytes: number;
  /** When dumpcap opened it (from the name dumpcap gives it, to the second). */
  startedMs: number;
  /** Last write; absent while the file is being written. */
  endedMs?: number;
  /** The file a running recording is writing. */
  active: boolean;
}

/** dumpcap's ring file names: <prefix>_<5-digit number>_<YYYYMMDDhhmmss, local time>.pcapng. */
const RING_FILE = /^rec_\d{5,}_(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)\.pcapng$/;

function startOf(name: string): number | undefined {
  const m = RING_FILE.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s).getTime();
}

/** The ring files of a recording on disk, oldest first; the newest is active while recording. */
export async function listRecordingFiles(folder: string, meta: RecordingMeta): Promise<RecordingFile[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => RING_FILE.test(n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: RecordingFile[] = [];
  for (const name of names.sort()) {
    // A file dumpcap or the budget removed since readdir is simply not listed.
    const st = await stat(join(folder, name)).catch(() => undefined);
    if (!st) continue;
    const startedMs = startOf(name) ?? st.mtimeMs;
    files.push({ name, bytes: st.size, startedMs, endedMs: st.mtimeMs, active: false });
  }
  const last = files.at(-1);
  if (last && meta.state === 'recording') {
    last.active = true;
    delete last.endedMs;
  }
  return files;
}
