/**
 * Packet recordings: dumpcap writes each recording into a ring of pcapng
 * files rotated by size and time; the recorder keeps all recordings within one
 * disk budget (oldest closed files first), lists them, streams a file for
 * download and remembers them across restarts (recordings.json in its folder).
 */

/** The recorder component and its types. */
export {
  createRecorder,
  RecordingError,
  type Recorder,
  type RecorderDeps,
  type RecorderStats,
  type Recording,
  type RecordingRequest,
} from './recorder.ts';
/** A ring file of a recording. */
export type { RecordingFile } from './recording-files.ts';
/** Where a recording is: recording, stopped, failed, interrupted. */
export type { RecordingState } from './index-store.ts';
/** The budget rule on its own (pure), for tests and for the API's "would it fit" answers. */
export { planDeletions, ringFilesPerRecording, type BudgetFile } from './budget.ts';
