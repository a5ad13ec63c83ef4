/** Entry point of the `flowlens` command: parse argv, run one command, exit with its status. */
import { runCli } from './app/cli-main.ts';

process.exitCode = await runCli(process.argv.slice(2));
