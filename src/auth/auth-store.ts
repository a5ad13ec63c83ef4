/**
 * Users and API keys, kept in the auth file. Every change re-reads the file
 * first and writes it whole, and reads pick up a file another process (the
 * `flowlens user` CLI) wrote, so the CLI and a running service can share it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  authFileMtime,
  readAuthFile,
  writeAuthFile,
  type AuthData,
  type StoredApiKey,
  type StoredUser,
} from './auth-file.ts';
import { DUMMY_HASH, hashPassword, passwordProblem, randomPassword, verifyPassword } from './password.ts';
import type { Role } from './roles.ts';

/** A user as the API shows it. */
export interface UserView {
  name: string;
  role: Role;
  createdMs: number;
  mustChangePassword: boolean;
}

/** An API key as the API shows it (never its secret). */
export type ApiKeyView = Omit<StoredApiKey, 'sha256'>;

/** Who made a request authenticated by a key. */
export interface KeyPrincipal {
  kind: 'apiKey' | 'envToken';
  name: string;
  role: Role;
}

/** Refused changes, with stable codes the API maps to statuses. */
export class AuthError extends Error {
  readonly code:
    | 'FLOWLENS_ERR_USER_EXISTS'
    | 'FLOWLENS_ERR_USER_NOT_FOUND'
    | 'FLOWLENS_ERR_API_KEY_NOT_FOUND'
    | 'FLOWLENS_ERR_BAD_USERNAME'
    | 'FLOWLENS_ERR_WEAK_PASSWORD'
    | 'FLOWLENS_ERR_LAST_ADMIN';
  constructor(code: AuthError['code'], message: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
  }
}

/** User and key management over one auth file. */
export interface AuthStore {
  users(): UserView[];
  user(name: string): UserView | undefined;
  addUser(name: string, role: Role, password: string, mustChangePassword?: boolean): Promise<UserView>;
  setPassword(name: string, password: string): Promise<void>;
  deleteUser(name: string): void;
  /** The user when name and password match; always takes one scrypt, known user or not. */
  verifyLogin(name: string, password: string): Promise<UserView | undefined>;
  apiKeys(): ApiKeyView[];
  /** Returns the key text once; only its hash is kept. */
  createApiKey(name: string, role: Role, createdBy: string): { key: string; apiKey: ApiKeyView };
  deleteApiKey(id: string): void;
  /** The principal of a Bearer key (stored keys and FLOWLENS_API_TOKEN), or undefined. */
  verifyKey(text: string): KeyPrincipal | undefined;
  /** With no user at all: creates "admin" with a one-time password and returns it. */
  bootstrapAdmin(): Promise<string | undefined>;
}

export interface AuthStoreDeps {
  file: string;
  now: () => number;
  /** FLOWLENS_API_TOKEN: accepted as an admin key. */
  envToken?: string | undefined;
}

/** Usernames: letters, digits, `.`, `_`, `-`; 1 to 64 characters, starting with a letter or digit. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_PREFIX = 'flk_';
const KEY = /^flk_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
const sameHash = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);
const view = (u: StoredUser): UserView => ({
  name: u.name,
  role: u.role,
  createdMs: u.createdMs,
  mustChangePassword: u.mustChangePassword === true,
});

/** Opens the auth file (read lazily, re-read when it changes on disk). */
export function createAuthStore(deps: AuthStoreDeps): AuthStore {
  let data: AuthData | undefined;
  let mtime = -1;
  const envHash = deps.envToken ? sha256(deps.envToken) : undefined;

  const current = (): AuthData => {
    const m = authFileMtime(deps.file);
    if (!data || m !== mtime) {
      data = readAuthFile(deps.file);
      mtime = m;
    }
    return data;
  };
  const change = (fn: (d: AuthData) => void): void => {
    data = undefined;
    const d = current();
    fn(d);
    writeAuthFile(deps.file, d);
    mtime = authFileMtime(deps.file);
  };
  const find = (d: AuthData, name: string): StoredUser => {
    const u = d.users.find((x) => x.name === name);
    if (!u) throw new AuthError('FLOWLENS_ERR_USER_NOT_FOUND', `no user "${name}"`);
    return u;
  };
  const checkPassword = (password: string): void => {
    const why = passwordProblem(password);
    if (why) throw new AuthError('FLOWLENS_ERR_WEAK_PASSWORD', why);
  };

  const store: AuthStore = {
    users: () => current().users.map(view),
    user(name) {
      const u = current().users.find((x) => x.name === name);
      return u && view(u);
    },
    async addUser(name, role, password, mustChangePassword = false) {
      if (!USERNAME.test(name))
        throw new AuthError(
          'FLOWLENS_ERR_BAD_USERNAME',
          'a user name is 1-64 letters, digits, ".", "_" or "-"',
        );
      checkPassword(password);
      if (current().users.some((u) => u.name === name))
        throw new AuthError('FLOWLENS_ERR_USER_EXISTS', `user "${name}" exists`);
      const hash = await hashPassword(password);
      const user: StoredUser = { name, role, password: hash, createdMs: deps.now() };
      if (mustChangePassword) user.mustChangePassword = true;
      change((d) => {
        if (d.users.some((u) => u.name === name))
          throw new AuthError('FLOWLENS_ERR_USER_EXISTS', `user "${name}" exists`);
        d.users.push(user);
      });
      return view(user);
    },
    async setPassword(name, password) {
      checkPassword(password);
      find(current(), name);
      const hash = await hashPassword(password);
      change((d) => {
        const u = find(d, name);
        u.password = hash;
        delete u.mustChangePassword;
      });
    },
    deleteUser(name) {
      change((d) => {
        const u = find(d, name);
        if (u.role === 'admin' && d.users.filter((x) => x.role === 'admin').length === 1)
          throw new AuthError('FLOWLENS_ERR_LAST_ADMIN', 'the last admin cannot be deleted');
        d.users = d.users.filter((x) => x !== u);
      });
    },
    async verifyLogin(name, password) {
      const u = current().users.find((x) => x.name === name);
      const ok = await verifyPassword(password, u?.password ?? DUMMY_HASH);
      return ok && u ? view(u) : undefined;
    },
    apiKeys: () => current().apiKeys.map(({ sha256: _h, ...k }) => k),
    createApiKey(name, role, createdBy) {
      const id = randomBytes(8).toString('hex');
      const key = `${KEY_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
      const stored: StoredApiKey = {
        id,
        name,
        role,
        sha256: sha256(key).toString('hex'),
        createdMs: deps.now(),
        createdBy,
      };
      change((d) => d.apiKeys.push(stored));
      const { sha256: _h, ...apiKey } = stored;
      return { key, apiKey };
    },
    deleteApiKey(id) {
      change((d) => {
        if (!d.apiKeys.some((k) => k.id === id))
          throw new AuthError('FLOWLENS_ERR_API_KEY_NOT_FOUND', `no API key "${id}"`);
        d.apiKeys = d.apiKeys.filter((k) => k.id !== id);
      });
    },
    verifyKey(text) {
      const h = sha256(text);
      if (envHash && sameHash(h, envHash))
        return { kind: 'envToken', name: 'FLOWLENS_API_TOKEN', role: 'admin' };
      const id = KEY.exec(text)?.[1];
      const k = id === undefined ? undefined : current().apiKeys.find((x) => x.id === id);
      if (!k || !sameHash(h, Buffer.from(k.sha256, 'hex'))) return undefined;
      return { kind: 'apiKey', name: k.name, role: k.role };
    },
    async bootstrapAdmin() {
      if (current().users.length > 0) return undefined;
      const password = randomPassword();
      await store.addUser('admin', 'admin', password, true);
      return password;
    },
  };
  return store;
}
