/**
 * The users and API keys file (by default <storage.path>/auth.json). Written
 * atomically (a temporary file with mode 0600, then renamed over the old
 * one), so a crash leaves the old or the new file, never half of one, and
 * only the service's own user can read the hashes.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PasswordHash } from './password.ts';
import type { Role } from './roles.ts';

/** A local user. */
export interface StoredUser {
  name: string;
  role: Role;
  password: PasswordHash;
  createdMs: number;
  /** Set for the generated first admin: every route but the password change answers 403 until then. */
  mustChangePassword?: boolean;
}

/** An API key: only the SHA-256 of its secret is kept (the secret is random, 256 bits). */
export interface StoredApiKey {
  id: string;
  name: string;
  role: Role;
  /** hex SHA-256 of the whole key text. */
  sha256: string;
  createdMs: number;
  createdBy: string;
}

/** The file's content. */
export interface AuthData {
  version: 1;
  users: StoredUser[];
  apiKeys: StoredApiKey[];
}

/** The file is unreadable or not an auth file: the service refuses to start rather than lose users. */
export class AuthFileError extends Error {
  readonly code = 'FLOWLENS_ERR_AUTH_FILE';
}

const EMPTY: AuthData = { version: 1, users: [], apiKeys: [] };

/** Reads the file; an absent file is an empty one. */
export function readAuthFile(file: string): AuthData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
    throw new AuthFileError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  let doc: Partial<AuthData>;
  try {
    doc = JSON.parse(text) as Partial<AuthData>;
  } catch (err) {
    throw new AuthFileError(`${file} is not valid JSON`, { cause: err });
  }
  if (doc.version !== 1 || !Array.isArray(doc.users) || !Array.isArray(doc.apiKeys))
    throw new AuthFileError(`${file}: unknown auth file version ${String(doc.version)}`);
  return { version: 1, users: doc.users, apiKeys: doc.apiKeys };
}

/** Writes the file atomically, readable by its owner only. */
export function writeAuthFile(file: string, data: AuthData): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  // An existing tmp file keeps its old mode: set it explicitly.
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Modification time (ms), or 0 when absent: the service reloads when another process (the CLI) wrote it. */
export function authFileMtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
