/**
 * Discovery failures with stable codes, so logs and the failures metric say
 * what went wrong (a missing binary, a permission, a bad interface) rather
 * than a raw errno.
 */

/** Stable codes of discovery failures. */
export type DiscoveryErrorCode =
  | 'FLOWLENS_ERR_DISCOVERY_TIMEOUT'
  | 'FLOWLENS_ERR_DISCOVERY_BUSY'
  | 'FLOWLENS_ERR_DISCOVERY_STOPPED'
  | 'FLOWLENS_ERR_DISCOVERY_BINARY_MISSING'
  | 'FLOWLENS_ERR_DISCOVERY_PERMISSION'
  | 'FLOWLENS_ERR_DISCOVERY_BAD_INTERFACE'
  | 'FLOWLENS_ERR_DISCOVERY_SOURCE'
  | 'FLOWLENS_ERR_DISCOVERY_FAILED';

/** A discovery run failed. */
export class DiscoveryError extends Error {
  readonly code: DiscoveryErrorCode;

  constructor(code: DiscoveryErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  /** `err` as a DiscoveryError of method `method` (errno codes mapped). */
  static from(method: string, err: unknown): DiscoveryError {
    if (err instanceof DiscoveryError) return err;
    const errno = (err as NodeJS.ErrnoException | undefined)?.code;
    const msg = err instanceof Error ? err.message : String(err);
    if (errno === 'ENOENT')
      return new DiscoveryError('FLOWLENS_ERR_DISCOVERY_SOURCE', `${method}: not found: ${msg}`, {
        cause: err,
      });
    if (errno === 'EACCES' || errno === 'EPERM')
      return new DiscoveryError('FLOWLENS_ERR_DISCOVERY_PERMISSION', `${method}: permission denied: ${msg}`, {
        cause: err,
      });
    return new DiscoveryError('FLOWLENS_ERR_DISCOVERY_FAILED', `${method}: ${msg}`, { cause: err });
  }
}
