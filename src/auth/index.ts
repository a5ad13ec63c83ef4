/**
 * Authentication: local users (scrypt-hashed passwords), API keys, login
 * sessions and roles. The HTTP side (cookies, CSRF, role checks) lives in
 * src/api; this component knows nothing about HTTP.
 */

/** Roles and their order. */
export { ROLES, roleAllows, isRole, type Role } from './roles.ts';
/** Users and API keys in the auth file. */
export {
  createAuthStore,
  AuthError,
  type AuthStore,
  type AuthStoreDeps,
  type UserView,
  type ApiKeyView,
  type KeyPrincipal,
} from './auth-store.ts';
/** The auth file itself (atomic writes, mode 0600). */
export { AuthFileError, readAuthFile, type AuthData } from './auth-file.ts';
/** Login sessions. */
export { createSessionStore, type Session, type SessionStore, type SessionOptions } from './sessions.ts';
/** Password rules and hashing. */
export { passwordProblem, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './password.ts';
/** Where the auth file is: `auth.file`, or auth.json in the data folder. */
export { authFilePath } from './paths.ts';
