/** A wrong command line or an unreadable input: exit status 2 with a one-line reason. */
export class UsageError extends Error {
  readonly code = 'FLOWLENS_ERR_USAGE';
}
