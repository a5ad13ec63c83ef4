/**
 * The disk budget shared by all recordings, kept without racing dumpcap.
 *
 * Each running recording gets a share: dumpcap's own ring (`-b files:N`)
 * never holds more than N files, and a file never grows beyond `reserveBytes`
 * (the file size plus one frame: dumpcap switches files only after the frame
 * that crosses the size). So a running recording never uses more than
 * N x reserveBytes, whatever the traffic, and the recorder only has to make
 * room among the files of recordings that no longer run, when one starts:
 * their oldest files go first.
 */

/** A file of a recording that no longer runs, as seen on disk. */
export interface BudgetFile {
  recordingId: string;
  name: string;
  bytes: number;
  /** Ordering key: older files are deleted first. */
  startedMs: number;
}

/** Ring files per recording so that `maxRecordings` running at once fit in the budget (0: none fits). */
export function ringFilesPerRecording(
  maxDiskBytes: number,
  reserveBytes: number,
  maxRecordings: number,
): number {
  const n = Math.floor(maxDiskBytes / (reserveBytes * Math.max(1, maxRecordings)));
  // A ring of one file would throw away everything at each switch: two at least.
  return n >= 2 ? n : 0;
}

/**
 * Files to delete, oldest first, so that the stopped recordings' files plus
 * `reservedBytes` (the shares of running recordings) fit in `maxDiskBytes`.
 * `fits` is false when even deleting all of them is not enough.
 */
export function planDeletions(
  files: readonly BudgetFile[],
  reservedBytes: number,
  maxDiskBytes: number,
): { remove: BudgetFile[]; fits: boolean } {
  const oldestFirst = [...files].sort((a, b) => a.startedMs - b.startedMs || a.name.localeCompare(b.name));
  let used = oldestFirst.reduce((n, f) => n + f.bytes, 0) + reservedBytes;
  const remove: BudgetFile[] = [];
  for (const f of oldestFirst) {
    if (used <= maxDiskBytes) break;
    remove.push(f);
    used -= f.bytes;
  }
  return { remove, fits: used <= maxDiskBytes };
}
