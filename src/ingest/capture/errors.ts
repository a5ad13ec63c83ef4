/** Why a dumpcap could not capture; stable codes (architecture.md §8). */
export type CaptureErrorCode =
  | 'FLOWLENS_ERR_DUMPCAP_MISSING'
  | 'FLOWLENS_ERR_CAPTURE_PERMISSION'
  | 'FLOWLENS_ERR_CAPTURE_NO_INTERFACE'
  | 'FLOWLENS_ERR_CAPTURE_BAD_FILTER'
  | 'FLOWLENS_ERR_CAPTURE_EXITED'
  | 'FLOWLENS_ERR_CAPTURE_STREAM';

const RETRYABLE = new Set<CaptureErrorCode>([
  'FLOWLENS_ERR_CAPTURE_EXITED',
  'FLOWLENS_ERR_CAPTURE_STREAM',
  'FLOWLENS_ERR_CAPTURE_NO_INTERFACE',
]);

/** A capture problem with a stable code and the interface it concerns. */
export class CaptureError extends Error {
  readonly code: CaptureErrorCode;
  readonly interface: string;
  /**
   * False when restarting dumpcap cannot help (missing binary, no permission,
   * bad filter); a missing interface may come back (VPN, hot-plug), so it is retried.
   */
  readonly retryable: boolean;
  constructor(code: CaptureErrorCode, ifName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CaptureError';
    this.code = code;
    this.interface = ifName;
    this.retryable = RETRYABLE.has(code);
  }
}

const INSTALL_HINT =
  'install it with `apt-get install -y wireshark-common` or set capture.dumpcap to its path';
const CAPABILITY_HINT =
  'give dumpcap the capture capabilities instead of running FlowLens as root: ' +
  '`setcap cap_net_raw,cap_net_admin=eip /usr/bin/dumpcap` (Debian: `dpkg-reconfigure wireshark-common` ' +
  'and add the FlowLens user to the `wireshark` group); see docs/adr/0002-live-capture-dumpcap.md';

/** The error for a dumpcap binary that could not be started at all (spawn failure). */
export function spawnFailure(
  ifName: string,
  dumpcapPath: string,
  cause: NodeJS.ErrnoException,
): CaptureError {
  if (cause.code === 'EACCES') {
    return new CaptureError(
      'FLOWLENS_ERR_CAPTURE_PERMISSION',
      ifName,
      `cannot execute ${dumpcapPath}: permission denied (${CAPABILITY_HINT})`,
      { cause },
    );
  }
  return new CaptureError(
    'FLOWLENS_ERR_DUMPCAP_MISSING',
    ifName,
    `dumpcap not found at "${dumpcapPath}": ${INSTALL_HINT}`,
    { cause },
  );
}

/**
 * Turns what a failed dumpcap wrote on stderr into a CaptureError; the
 * message keeps dumpcap's own words (a bad filter's reason is only there).
 * Patterns are those of dumpcap 4.0 (capture_opts.c, dumpcap.c).
 */
export function classifyDumpcapExit(
  ifName: string,
  stderr: string,
  exit: { code: number | null; signal: string | null },
): CaptureError {
  const said = dumpcapMessage(stderr);
  if (/exec of .*dumpcap.* failed|ip netns exec: .*No such file|: not found$/im.test(stderr)) {
    return new CaptureError('FLOWLENS_ERR_DUMPCAP_MISSING', ifName, `dumpcap not found: ${INSTALL_HINT}`);
  }
  if (/don't have permission|do not have permission|Operation not permitted/i.test(stderr)) {
    return new CaptureError(
      'FLOWLENS_ERR_CAPTURE_PERMISSION',
      ifName,
      `no permission to capture on "${ifName}" (${said}); ${CAPABILITY_HINT}`,
    );
  }
  if (/no device named|No such device|doesn't exist|no such interface/i.test(stderr)) {
    return new CaptureError(
      'FLOWLENS_ERR_CAPTURE_NO_INTERFACE',
      ifName,
      `no interface "${ifName}" (${said})`,
    );
  }
  if (/Invalid capture filter/i.test(stderr)) {
    return new CaptureError('FLOWLENS_ERR_CAPTURE_BAD_FILTER', ifName, `bad capture filter: ${said}`);
  }
  const how = exit.signal ? `signal ${exit.signal}` : `status ${exit.code}`;
  return new CaptureError(
    'FLOWLENS_ERR_CAPTURE_EXITED',
    ifName,
    `dumpcap on "${ifName}" exited with ${how}${said ? `: ${said}` : ''}`,
  );
}

/** dumpcap's "dumpcap: ..." lines plus the reason that follows, on one line. */
function dumpcapMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const i = lines.findIndex((l) => l.startsWith('dumpcap:'));
  if (i < 0) return lines.filter((l) => l && !/^(Capturing on|File:)/.test(l)).join(' ');
  const picked = [lines[i] ?? ''];
  // The reason is on the next non-empty lines (a bad filter: "That string isn't a valid ...").
  for (const l of lines.slice(i + 1, i + 4)) if (l && !/^(See the|Please)/.test(l)) picked.push(l);
  return picked
    .join(' ')
    .replace(/^dumpcap:\s*/, '')
    .replace(/\s+/g, ' ');
}
