import { UsageError } from './commands/usage.ts';

// Not `import { parseArgs } from 'node:util'`: bundled (scripts/build-cli.ts), an import of a built-in
// copies the module's properties, and node:util's lazy ones then load worker_threads, its diff and
// colours (about 4 ms of every command's start).
const { parseArgs } = process.getBuiltinModule('node:util');

// Commands are loaded when used: `meter` or `decode` must not pay for DuckDB,
// Fastify and prom-client at start-up (~0.7 s of CPU for the whole graph).
const commands = {
  serve: () => import('./commands/serve.ts'),
  decode: () => import('./commands/decode.ts'),
  meter: () => import('./commands/meter.ts'),
  importFiles: () => import('./commands/import.ts'),
  query: () => import('./commands/query.ts'),
  user: () => import('./commands/user.ts'),
  config: () => import('./commands/config-check.ts'),
};

const USAGE = `usage: flowlens <command> [options]
  serve [--config FILE]                 run the service
  decode [--format jsonl|csv] FILE...   flow-export captures -> flow records (stdout)
  meter [--format jsonl|csv] [--threads N] FILE...
                                        packet captures -> metered flows (stdout); N threads
                                        for a large file (default: the idle cores if 3+)
  import [--config FILE] FILE...        store the flows of captures of either kind
  query top DIMENSION [--metric bytes|packets|flows] [--limit N] [--filter EXPR] [--from T] [--to T]
  query flows [--filter EXPR] [--limit N] [--from T] [--to T]
  query series [--step 5m] [--metric ...] [--filter EXPR] [--from T] [--to T]
  user add NAME [--role admin|operator|viewer] [--password-stdin]   create a user (password prompted)
  user list                             list users
  apikey create [--role ROLE] [--name NAME]   create an API key (printed once)
  config check [--config FILE]          validate a configuration`;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  format: { type: 'string', default: 'jsonl' },
  metric: { type: 'string' },
  limit: { type: 'string' },
  filter: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  step: { type: 'string' },
  threads: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one command line; returns the exit status (0 ok, 1 failure, 2 usage/config). */
export async function runCli(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
    const [command, ...rest] = positionals;
    if (values.help || !command) return (process.stdout.write(`${USAGE}\n`), command || values.help ? 0 : 2);
    const format = values.format;
    if (format !== 'jsonl' && format !== 'csv')
      throw new UsageError(`--format must be jsonl or csv, not "${format}"`);
    const io = { stdout: process.stdout, stderr: process.stderr };
    switch (command) {
      case 'serve':
        return await (await commands.serve()).runServe(values.config);
      case 'decode':
        return (await (await commands.decode()).runDecode(rest, format, io), 0);
      case 'meter': {
        const threading = values.threads === undefined ? {} : { threads: parseThreads(values.threads) };
        return (await (await commands.meter()).runMeter(rest, format, io, {}, threading), 0);
      }
      case 'import':
        return (await (await commands.importFiles()).runImport(rest, { config: values.config }, io), 0);
      case 'query': {
        const [what = '', dimension] = rest;
        // runQuery resolves to the number of lines written; success is exit 0 whatever it printed.
        return (await (await commands.query()).runQuery({ what, dimension, ...values }, io), 0);
      }
      case 'user': {
        const { runUserAdd, runUserList } = await commands.user();
        if (rest[0] === 'add') {
          const o = { name: rest[1], role: values.role, passwordStdin: values['password-stdin'] ?? false };
          return await runUserAdd({ ...o, config: values.config }, { ...io, stdin: process.stdin });
        }
        if (rest[0] === 'list') return await runUserList({ config: values.config }, io);
        throw new UsageError('expected "user add NAME" or "user list"');
      }
      case 'apikey':
        if (rest[0] !== 'create') throw new UsageError('expected "apikey create"');
        return await (
          await commands.user()
        ).runApiKeyCreate(
          { role: values.role, ...(values.name ? { name: values.name } : {}), config: values.config },
          io,
        );
      case 'config':
        if (rest[0] !== 'check') throw new UsageError('expected "config check"');
        return (await commands.config()).runConfigCheck(values.config, process.stdout);
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } catch (err) {
    return reportError(err);
  }
}

/** `--threads N`: a whole number from 1 to 64. */
function parseThreads(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 64)
    throw new UsageError(`--threads must be a number from 1 to 64, not "${text}"`);
  return n;
}

/**
 * Errors are told apart by their stable codes, not their classes: importing
 * ConfigError and ListenError here would load the configuration schema (zod,
 * yaml: about 200 modules, 0.1 s of CPU) for every command, `meter` included.
 */
const hasCode = (err: unknown, code: string): err is Error =>
  err instanceof Error && (err as { code?: unknown }).code === code;

function reportError(err: unknown): number {
  if (hasCode(err, 'FLOWLENS_ERR_CONFIG')) {
    process.stderr.write(`flowlens: configuration error\n${err.message.replace(/^/gm, '  ')}\n`);
    return 2;
  }
  if (err instanceof UsageError) return (process.stderr.write(`flowlens: ${err.message}\n`), 2);
  if (hasCode(err, 'FLOWLENS_ERR_LISTEN')) return (process.stderr.write(`flowlens: ${err.message}\n`), 1);
  if (
    err instanceof Error &&
    'code' in err &&
    typeof err.code === 'string' &&
    err.code.startsWith('ERR_PARSE_ARGS')
  ) {
    return (process.stderr.write(`flowlens: ${err.message}\n${USAGE}\n`), 2);
  }
  process.stderr.write(`flowlens: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}
