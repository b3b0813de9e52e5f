// Builds the `zkreserve` program and runs it: exit 0 ok, 1 verification failed / insolvent / chain broken,
// 2 usage or input error (commander's own usage errors included). One error line; a stack only with --debug.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ZkReserveError } from '../errors.js';
import { InsolventError } from '../prover/errors.js';
import { terminateCurves } from '../zk/snarkjs.js';
import { registerAnchor } from './commands/anchor.js';
import { registerAudit } from './commands/audit.js';
import { registerDemo } from './commands/demo.js';
import { registerExportVerifier } from './commands/export-verifier.js';
import { registerImport } from './commands/import.js';
import { registerInit } from './commands/init.js';
import { registerProve } from './commands/prove.js';
import { registerReserve } from './commands/reserve.js';
import { registerReserves } from './commands/reserves.js';
import { registerSecret } from './commands/secret.js';
import { registerSetup } from './commands/setup/index.js';
import { registerSign } from './commands/sign.js';
import { registerSigner } from './commands/signer.js';
import { registerSnapshotIndex } from './commands/snapshot-index.js';
import { registerVerify } from './commands/verify.js';
import { registerVerifyInclusion } from './commands/verify-inclusion.js';
import { registerWorker } from './commands/worker.js';
import { CliExit, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './errors.js';
import { err, errLines, safeLines } from '../terminal/output.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('zkreserve');
  program
    .description('Zero-knowledge proof of solvency: ledger, reserve report, proofs and their verification.')
    .version(packageVersion(), '-V, --version', 'print the zkreserve version')
    .option('--debug', 'print stack traces on errors')
    .exitOverride()
    // Commander's help and usage errors quote the command line: escaped like every other line.
    .configureOutput({
      writeOut: (s) => process.stdout.write(safeLines(s)),
      writeErr: (s) => process.stderr.write(safeLines(s)),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok; 1 verification failed, insolvent or audit chain broken; 2 usage or input error.',
    );
  registerInit(program);
  registerImport(program);
  registerReserve(program);
  registerReserves(program);
  registerAudit(program);
  registerSecret(program);
  registerProve(program);
  registerVerify(program);
  registerVerifyInclusion(program);
  registerSigner(program);
  registerSign(program);
  registerSnapshotIndex(program);
  registerExportVerifier(program);
  registerAnchor(program);
  registerSetup(program);
  registerDemo(program);
  registerWorker(program);
  return program;
}

function describe(e: unknown): string {
  if (e instanceof InsolventError) return `insolvent: ${e.message}`;
  if (e instanceof ZkReserveError) return `error: ${e.message} [${e.code}]`;
  if (e instanceof Error) return `error: ${e.message}`;
  return `error: ${String(e)}`;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error it already printed.
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.help' ||
        e.code === 'commander.version'
      ) {
        return EXIT_OK;
      }
      return EXIT_USAGE;
    }
    if (e instanceof CliExit) {
      // CliExit messages are the CLI's own text (several lines for the demo's failures); each line escaped.
      if (e.message) errLines(e.message);
      return e.exitCode;
    }
    err(describe(e));
    if (debug && e instanceof Error && e.stack) errLines(e.stack);
    else if (!(e instanceof ZkReserveError)) err('(run with --debug for a stack trace)');
    return e instanceof InsolventError ? EXIT_FAILED : EXIT_USAGE;
  } finally {
    await terminateCurves();
  }
}
