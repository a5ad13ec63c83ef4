/**
 * `flowlens user add NAME --role ROLE [--password-stdin]`, `flowlens user
 * list`, `flowlens apikey create --role ROLE [--name NAME]`: users and API
 * keys in the auth file (auth.file, default <storage.path>/auth.json), with or
 * without a running server (it picks the change up). A password is prompted
 * for (twice, not echoed) on a terminal, or read from stdin otherwise.
 */
import type { Readable, Writable } from 'node:stream';
import { loadConfig } from '../../config/index.ts';
import {
  AuthError,
  authFilePath,
  createAuthStore,
  isRole,
  ROLES,
  type AuthStore,
  type Role,
} from '../../auth/index.ts';
import { UsageError } from './usage.ts';

/** Where the commands read and write. */
export interface UserCommandIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
}

/** Options every command takes. */
export interface UserCommandBase {
  config?: string | undefined;
  /** Base of relative paths (default: the working directory). */
  cwd?: string;
  now?: () => number;
}

function openStore(o: UserCommandBase): AuthStore {
  const { config } = loadConfig({ path: o.config });
  return createAuthStore({ file: authFilePath(config, o.cwd ?? process.cwd()), now: o.now ?? Date.now });
}

function roleOf(role: string | undefined): Role {
  if (role === undefined || !isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  return role;
}

async function readAll(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += String(chunk);
  return text;
}

/** Reads one line from a terminal without echoing it. */
function promptHidden(io: UserCommandIo, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    io.stderr.write(question);
    io.stdin.setRawMode?.(true);
    let text = '';
    const done = (err?: Error): void => {
      io.stdin.setRawMode?.(false);
      io.stdin.off('data', onData);
      io.stdin.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f') text = text.slice(0, -1);
        else text += ch;
      }
    };
    io.stdin.on('data', onData);
    io.stdin.resume();
  });
}

async function readPassword(io: UserCommandIo, fromStdin: boolean): Promise<string> {
  if (fromStdin || !io.stdin.isTTY) return (await readAll(io.stdin)).replace(/\r?\n$/, '');
  const first = await promptHidden(io, 'Password: ');
  const again = await promptHidden(io, 'Again: ');
  if (first !== again) throw new UsageError('the passwords differ');
  return first;
}

const usageOf = (err: unknown): never => {
  if (err instanceof AuthError) throw new UsageError(err.message, { cause: err });
  throw err;
};

/** `user add NAME --role ROLE [--password-stdin]`; exit status 0, or throws UsageError (2). */
export async function runUserAdd(
  o: UserCommandBase & { name: string | undefined; role: string | undefined; passwordStdin?: boolean },
  io: UserCommandIo,
): Promise<number> {
  if (!o.name) throw new UsageError('user add needs a NAME');
  const role = roleOf(o.role);
  const store = openStore(o);
  if (store.user(o.name)) throw new UsageError(`user "${o.name}" exists`);
  const password = await readPassword(io, o.passwordStdin === true);
  const user = await store.addUser(o.name, role, password).catch(usageOf);
  io.stdout.write(`user ${user.name} added (${user.role})\n`);
  return 0;
}

/** `user list`: one JSON object per line. */
export async function runUserList(o: UserCommandBase, io: Pick<UserCommandIo, 'stdout'>): Promise<number> {
  for (const u of openStore(o).users())
    io.stdout.write(
      `${JSON.stringify({ name: u.name, role: u.role, created: new Date(u.createdMs).toISOString(), mustChangePassword: u.mustChangePassword })}\n`,
    );
  return 0;
}

/** `apikey create --role ROLE [--name NAME]`: prints the key once (stdout), its id on stderr. */
export async function runApiKeyCreate(
  o: UserCommandBase & { role: string | undefined; name?: string | undefined },
  io: Pick<UserCommandIo, 'stdout' | 'stderr'>,
): Promise<number> {
  const role = roleOf(o.role);
  const { key, apiKey } = openStore(o).createApiKey(o.name ?? `${role} key`, role, 'cli');
  io.stdout.write(`${key}\n`);
  io.stderr.write(`API key ${apiKey.id} (${apiKey.role}) created; it is shown only now\n`);
  return 0;
}
