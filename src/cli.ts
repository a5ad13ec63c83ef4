/** Entry point of the `flowlens` command: parse argv, run one command, exit with its status. */
import { runCli } from './app/cli-main.ts';

// Output piped into `head` and closed early is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const argv = process.argv.slice(2);
const code = await runCli(argv);
// A one-shot command ends here: its output is written (stdout and stderr write synchronously to
// files and pipes on POSIX). Exiting now skips tearing the heap down piece by piece.
if (argv[0] === 'meter') process.exit(code);
process.exitCode = code;
