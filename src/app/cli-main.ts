import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import { ListenError } from '../ingest/udp/index.ts';
import { runConfigCheck } from './commands/config-check.ts';
import { runDecode } from './commands/decode.ts';
import { runImport } from './commands/import.ts';
import { runMeter } from './commands/meter.ts';
import { runQuery } from './commands/query.ts';
import { runServe } from './commands/serve.ts';
import { UsageError } from './commands/usage.ts';

const USAGE = `usage: flowlens <command> [options]
  serve [--config FILE]                 run the service
  decode [--format jsonl|csv] FILE...   flow-export captures -> flow records (stdout)
  meter [--format jsonl|csv] FILE...    packet captures -> metered flows (stdout)
  import [--config FILE] FILE...        store the flows of captures of either kind
  query top DIMENSION [--metric bytes|packets|flows] [--limit N] [--filter EXPR] [--from T] [--to T]
  query flows [--filter EXPR] [--limit N] [--from T] [--to T]
  query series [--step 5m] [--metric ...] [--filter EXPR] [--from T] [--to T]
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
        return await runServe(values.config);
      case 'decode':
        return (await runDecode(rest, format, io), 0);
      case 'meter':
        return (await runMeter(rest, format, io), 0);
      case 'import':
        return (await runImport(rest, { config: values.config }, io), 0);
      case 'query': {
        const [what = '', dimension] = rest;
        return await runQuery({ what, dimension, ...values }, io);
      }
      case 'config':
        if (rest[0] !== 'check') throw new UsageError('expected "config check"');
        return runConfigCheck(values.config, process.stdout);
      default:
        throw new UsageError(`unknown command "${command}"\n${USAGE}`);
    }
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof ConfigError) {
    process.stderr.write(`flowlens: configuration error\n${err.message.replace(/^/gm, '  ')}\n`);
    return 2;
  }
  if (err instanceof UsageError) return (process.stderr.write(`flowlens: ${err.message}\n`), 2);
  if (err instanceof ListenError) return (process.stderr.write(`flowlens: ${err.message}\n`), 1);
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
