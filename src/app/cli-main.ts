import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import { ListenError } from '../ingest/udp/index.ts';
import { runConfigCheck } from './commands/config-check.ts';
import { runDecode } from './commands/decode.ts';
import { runServe } from './commands/serve.ts';
import { UsageError } from './commands/usage.ts';

const USAGE = `usage: flowlens <command> [options]
  serve [--config FILE]                 run the service
  decode [--format jsonl|csv] FILE...   flow-export captures -> flow records (stdout)
  config check [--config FILE]          validate a configuration`;

/** Runs one command line; returns the exit status (0 ok, 1 failure, 2 usage/config). */
export async function runCli(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        format: { type: 'string', default: 'jsonl' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const [command, ...rest] = positionals;
    if (values.help || !command) return (process.stdout.write(`${USAGE}\n`), command || values.help ? 0 : 2);
    if (values.format !== 'jsonl' && values.format !== 'csv')
      throw new UsageError(`--format must be jsonl or csv, not "${values.format}"`);
    switch (command) {
      case 'serve':
        return await runServe(values.config);
      case 'decode':
        await runDecode(rest, values.format, { stdout: process.stdout, stderr: process.stderr });
        return 0;
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
