import { createReadStream, readFileSync } from 'node:fs';
import { mkdir, rm, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createSystemClock, type Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/logger.ts';
import {
  classifyDumpcapExit,
  dumpcapCaptureArgs,
  spawnDumpcap,
  spawnFailure,
  type CaptureError,
  type DumpcapProcess,
} from '../capture/index.ts';
import { planDeletions, ringFilesPerRecording, type BudgetFile } from './budget.ts';
import { createIndexWriter, loadIndex, type RecordingMeta } from './index-store.ts';
import { listRecordingFiles, type RecordingFile } from './recording-files.ts';

/** Dependencies and limits of `createRecorder`. */
export interface RecorderDeps {
  /** Folder holding one sub-folder per recording and the index. */
  dir: string;
  /** Budget for all recordings together. */
  maxDiskBytes: number;
  /** A ring file is closed at this size ... */
  fileSizeBytes: number;
  /** ... or after this long. */
  fileDurationMs: number;
  dumpcapPath?: string;
  clock?: Clock;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * Recordings that may run at once; each gets 1/maxRecordings of the budget
   * as its dumpcap ring, which is what makes the budget hold at every instant.
   */
  maxRecordings: number;
  /** SIGTERM -> SIGKILL grace when a recording stops (default 5 s). */
  stopGraceMs?: number;
}

/** What to record. */
export interface RecordingRequest {
  interface: string;
  /** BPF filter; everything when absent or empty. */
  filter?: string;
  name?: string;
  /** Bytes kept per frame (default 262144, dumpcap's); bounds the budget's per-file slack. */
  snaplen?: number;
  promiscuous?: boolean;
  /** `ip netns` namespace of the interface (tests, special setups; needs root). */
  netns?: string;
}

/** A recording and its files as they are on disk now. */
export interface Recording extends Omit<RecordingMeta, 'pid'> {
  files: RecordingFile[];
  bytes: number;
}

/** Recorder problems with stable codes; dumpcap's own failures are CaptureErrors. */
export class RecordingError extends Error {
  readonly code: 'FLOWLENS_ERR_RECORDING_NOT_FOUND' | 'FLOWLENS_ERR_RECORDING_BUDGET';
  constructor(code: RecordingError['code'], message: string) {
    super(message);
    this.name = 'RecordingError';
    this.code = code;
  }
}

/** Counters since load(). */
export interface RecorderStats {
  active: number;
  filesDeleted: number;
  bytesDeleted: number;
  /** Largest total size seen when the budget was checked (never above maxDiskBytes). */
  peakBytes: number;
}

/** Packet recordings into size/time-rotated pcapng rings within one disk budget. */
export interface Recorder {
  /** Reads the index; recordings that were running when FlowLens ended become "interrupted". */
  load(): Promise<void>;
  /** Stops every running recording (they stay listed as "stopped"). */
  close(): Promise<void>;
  start(req: RecordingRequest): Promise<Recording>;
  stop(id: string): Promise<Recording>;
  list(): Promise<Recording[]>;
  /** Streams one file of a recording; only names list() returns are accepted. */
  open(id: string, file: string): Promise<Readable>;
  delete(id: string): Promise<void>;
  stats(): RecorderStats;
}

const DEFAULT_SNAPLEN = 262_144;
/** pcapng block overhead around one frame (EPB header, options, padding), generously. */
const FRAME_OVERHEAD_BYTES = 1024;
/** A dumpcap that has not opened its first file by then is stopped (start() rejects). */
const START_TIMEOUT_MS = 30_000;
/** dumpcap's ring file prefix; files are rec_NNNNN_YYYYMMDDhhmmss.pcapng. */
const RING_PREFIX = 'rec.pcapng';

/** Builds an inert recorder: nothing is read or started until load(). */
export function createRecorder(deps: RecorderDeps): Recorder {
  const clock = deps.clock ?? createSystemClock();
  const dumpcapPath = deps.dumpcapPath ?? 'dumpcap';
  const saveIndex = createIndexWriter(deps.dir);
  const metas = new Map<string, RecordingMeta>();
  const running = new Map<string, { proc: DumpcapProcess; shareBytes: number }>();
  const stats: RecorderStats = { active: 0, filesDeleted: 0, bytesDeleted: 0, peakBytes: 0 };
  const folder = (id: string): string => join(deps.dir, id);
  const save = (): Promise<void> => saveIndex([...metas.values()]);
  // Budget checks run one at a time: two overlapping ones would count a deleted file twice.
  let budgetChain: Promise<unknown> = Promise.resolve();

  const view = async (m: RecordingMeta): Promise<Recording> => {
    const { pid: _p, ...rest } = m;
    const files = await listRecordingFiles(folder(m.id), m);
    return { ...rest, files, bytes: files.reduce((n, f) => n + f.bytes, 0) };
  };

  const find = (id: string): RecordingMeta => {
    const m = metas.get(id);
    if (!m) throw new RecordingError('FLOWLENS_ERR_RECORDING_NOT_FOUND', `no recording "${id}"`);
    return m;
  };

  /** Shares of the running recordings plus `extraBytes`; deletes stopped recordings' oldest files to fit. */
  const makeRoom = (extraBytes: number): Promise<boolean> => {
    const run = async (): Promise<boolean> => {
      const files: BudgetFile[] = [];
      let total = 0;
      for (const m of metas.values()) {
        for (const f of await listRecordingFiles(folder(m.id), m)) {
          total += f.bytes;
          if (!running.has(m.id)) files.push({ recordingId: m.id, ...f });
        }
      }
      stats.peakBytes = Math.max(stats.peakBytes, total);
      let reserved = extraBytes;
      for (const r of running.values()) reserved += r.shareBytes;
      const plan = planDeletions(files, reserved, deps.maxDiskBytes);
      for (const f of plan.remove) {
        await unlink(join(folder(f.recordingId), f.name)).catch(() => undefined);
        stats.filesDeleted++;
        stats.bytesDeleted += f.bytes;
      }
      if (plan.remove.length > 0)
        deps.log.info({ files: plan.remove.length }, 'recording budget: files deleted');
      return plan.fits;
    };
    const result = budgetChain.then(run, run);
    budgetChain = result.catch(() => undefined);
    return result;
  };

  const launch = (m: RecordingMeta, ringFiles: number, shareBytes: number): Promise<void> => {
    const args = [
      ...dumpcapCaptureArgs({ ...m, ...(m.snaplen ? { snaplen: m.snaplen } : {}) }),
      ...['-n', '-q', '-w', join(folder(m.id), RING_PREFIX)],
      // filesize is in kB; 1024 keeps files within fileSizeBytes whether dumpcap means 1000 or 1024.
      ...['-b', `filesize:${Math.max(1, Math.floor(deps.fileSizeBytes / 1024))}`],
      ...['-b', `duration:${Math.max(1, Math.round(deps.fileDurationMs / 1000))}`],
      ...['-b', `files:${ringFiles}`, '-b', 'printname:stdout'],
    ];
    const proc = spawnDumpcap(dumpcapPath, args, m.netns, clock);
    running.set(m.id, { proc, shareBytes });
    if (proc.child.pid !== undefined) m.pid = proc.child.pid;
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      let said = '';
      // dumpcap names its first file on stderr ("File: /path") once the capture is open.
      proc.child.stderr?.on('data', (text: string) => {
        said = opened ? '' : (said + text).slice(-4096);
        if (opened || !/^File: /m.test(said)) return;
        opened = true;
        startTimer.cancel();
        resolve();
      });
      const startTimer = clock.setTimeout(() => {
        if (opened) return;
        deps.log.warn({ recording: m.id }, 'dumpcap did not open its file; stopping it');
        void proc.stop(deps.stopGraceMs ?? 5000);
      }, START_TIMEOUT_MS);
      // printname: a file was closed; only measured (peakBytes), as running recordings keep to their share.
      proc.child.stdout?.on('data', () => {
        void makeRoom(0).catch((err: unknown) =>
          deps.log.error({ err, recording: m.id }, 'recording budget check failed'),
        );
      });
      void proc.exited.then((exit) => {
        running.delete(m.id);
        stats.active = running.size;
        delete m.pid;
        m.stoppedMs ??= clock.now();
        // dumpcap's last words, even with -q: "Packets captured: N".
        const captured = /Packets captured: (\d+)/.exec(exit.stderr);
        if (captured) m.packets = Number(captured[1]);
        startTimer.cancel();
        if (m.state === 'recording' || !opened) {
          const err: CaptureError = exit.spawnError
            ? spawnFailure(m.interface, dumpcapPath, exit.spawnError)
            : classifyDumpcapExit(m.interface, exit.stderr, exit);
          m.state = 'failed';
          m.error = { code: err.code, message: err.message };
          deps.log.warn({ recording: m.id, code: err.code }, err.message);
          if (!opened) reject(err);
        }
        void save();
      });
    });
  };

  return {
    async load() {
      await mkdir(deps.dir, { recursive: true });
      for (const m of await loadIndex(deps.dir)) {
        if (m.state === 'recording') {
          endLeftover(m.pid, folder(m.id));
          m.state = 'interrupted';
          m.stoppedMs ??= clock.now();
          delete m.pid;
        }
        metas.set(m.id, m);
      }
      await save();
    },
    async close() {
      await Promise.all([...running.keys()].map((id) => this.stop(id)));
      await save();
    },
    async start(req) {
      const reserveBytes = deps.fileSizeBytes + (req.snaplen ?? DEFAULT_SNAPLEN) + FRAME_OVERHEAD_BYTES;
      const ringFiles = ringFilesPerRecording(deps.maxDiskBytes, reserveBytes, deps.maxRecordings);
      const shareBytes = ringFiles * reserveBytes;
      if (ringFiles === 0 || running.size >= deps.maxRecordings || !(await makeRoom(shareBytes))) {
        throw new RecordingError(
          'FLOWLENS_ERR_RECORDING_BUDGET',
          `no room for another recording: ${running.size} of at most ${deps.maxRecordings} running, ` +
            `each needs at least two ${reserveBytes}-byte files within maxDisk ${deps.maxDiskBytes} bytes ` +
            `(stop one, or raise capture.recording.maxDisk)`,
        );
      }
      const id = `${clock.now().toString(36)}-${randomBytes(4).toString('hex')}`;
      const m: RecordingMeta = {
        id,
        name: req.name ?? `${req.interface}${req.filter ? ` (${req.filter})` : ''}`,
        ...{ interface: req.interface, filter: req.filter ?? '', state: 'recording', startedMs: clock.now() },
        ...(req.netns ? { netns: req.netns } : {}),
        ...(req.snaplen ? { snaplen: req.snaplen } : {}),
        ...(req.promiscuous === false ? { promiscuous: false } : {}),
      };
      await mkdir(folder(id), { recursive: true });
      metas.set(id, m);
      stats.active = running.size + 1;
      await save();
      await launch(m, ringFiles, shareBytes);
      return view(m);
    },
    async stop(id) {
      const m = find(id);
      const r = running.get(id);
      if (r && m.state === 'recording') {
        m.state = 'stopped';
        m.stoppedMs = clock.now();
        await r.proc.stop(deps.stopGraceMs ?? 5000);
      }
      await save();
      return view(m);
    },
    async list() {
      return Promise.all([...metas.values()].sort((a, b) => a.startedMs - b.startedMs).map(view));
    },
    async open(id, file) {
      const m = find(id);
      const known = (await listRecordingFiles(folder(id), m)).find((f) => f.name === file);
      if (!known)
        throw new RecordingError('FLOWLENS_ERR_RECORDING_NOT_FOUND', `no file "${file}" in "${id}"`);
      return createReadStream(join(folder(id), known.name));
    },
    async delete(id) {
      find(id);
      if (running.has(id)) await this.stop(id);
      metas.delete(id);
      await rm(folder(id), { recursive: true, force: true });
      await save();
    },
    stats: () => ({ ...stats }),
  };
}

/** Ends a dumpcap a previous FlowLens left writing into `dir` (only if it is that one). */
function endLeftover(pid: number | undefined, dir: string): void {
  if (pid === undefined) return;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('dumpcap') && cmdline.includes(dir)) process.kill(pid, 'SIGTERM');
  } catch {
    // Gone already, or not ours to end.
  }
}
