import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a recording is. "interrupted": FlowLens ended while it ran (found so at the next start). */
export type RecordingState = 'recording' | 'stopped' | 'failed' | 'interrupted';

/** What the index keeps of a recording; the files themselves are read from its folder. */
export interface RecordingMeta {
  id: string;
  name: string;
  interface: string;
  filter: string;
  netns?: string;
  snaplen?: number;
  promiscuous?: boolean;
  state: RecordingState;
  startedMs: number;
  stoppedMs?: number;
  error?: { code: string; message: string };
  /** Frames dumpcap captured in all (deleted files included); known once it has ended. */
  packets?: number;
  /** The dumpcap writing it, so a restart can end one left behind. */
  pid?: number;
}

const INDEX_FILE = 'recordings.json';
const INDEX_VERSION = 1;

/** Reads the index of `dir`; an absent index is an empty one. */
export async function loadIndex(dir: string): Promise<RecordingMeta[]> {
  let text: string;
  try {
    text = await readFile(join(dir, INDEX_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const doc = JSON.parse(text) as { version?: number; recordings?: RecordingMeta[] };
  if (doc.version !== INDEX_VERSION || !Array.isArray(doc.recordings)) {
    throw new Error(`${join(dir, INDEX_FILE)}: unknown index version ${doc.version}`);
  }
  return doc.recordings;
}

/**
 * Returns a saver that writes the index atomically (temporary file, then
 * rename) and one write at a time, so a crash never leaves half an index.
 */
export function createIndexWriter(dir: string): (recordings: readonly RecordingMeta[]) => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return (recordings) => {
    const text = JSON.stringify({ version: INDEX_VERSION, recordings }, null, 2);
    const write = async (): Promise<void> => {
      const tmp = join(dir, `${INDEX_FILE}.tmp`);
      await writeFile(tmp, text);
      await rename(tmp, join(dir, INDEX_FILE));
    };
    chain = chain.then(write, write);
    return chain;
  };
}
