// Builds the `zkreserve` program and runs it: exit 0 ok, 1 verification failed / insolvent / chain broken,
// 2 usage or input error (commander's own usage errors included). One error line; a stack only with --debug.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ZkReserveError } from '../errors.js';
import { InsolventError } from '../prover/errors.js';
import { terminateCurves } from '../zk/curves.js';
import { CliExit, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './errors.js';
import { err, errLines, safeLines } from '../terminal/output.js';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

type Register = (program: Command) => void;

/**
 * Every top-level command, in the order of the help listing, with a loader of the module that registers
 * it. A run loads only the module of the command it names: each module brings its own dependencies
 * (snarkjs, SQLite, BullMQ, viem, solc...), and loading all of them cost about a second of CPU per start.
 */
const COMMANDS: readonly (readonly [string, () => Promise<Register>])[] = [
  ['init', async () => (await import('./commands/init.js')).registerInit],
  ['import', async () => (await import('./commands/import.js')).registerImport],
  ['reserve', async () => (await import('./commands/reserve.js')).registerReserve],
  ['reserves', async () => (await import('./commands/reserves.js')).registerReserves],
  ['audit', async () => (await import('./commands/audit.js')).registerAudit],
  ['secret', async () => (await import('./commands/secret.js')).registerSecret],
  ['prove', async () => (await import('./commands/prove.js')).registerProve],
  ['verify', async () => (await import('./commands/verify.js')).registerVerify],
  ['verify-inclusion', async () => (await import('./commands/verify-inclusion.js')).registerVerifyInclusion],
  ['signer', async () => (await import('./commands/signer.js')).registerSigner],
  ['sign', async () => (await import('./commands/sign.js')).registerSign],
  // One module registers both `index` and `verify-index`.
  ['index', async () => (await import('./commands/snapshot-index.js')).registerSnapshotIndex],
  ['export-verifier', async () => (await import('./commands/export-verifier.js')).registerExportVerifier],
  ['anchor', async () => (await import('./commands/anchor.js')).registerAnchor],
  ['setup', async () => (await import('./commands/setup/index.js')).registerSetup],
  ['demo', async () => (await import('./commands/demo.js')).registerDemo],
  ['worker', async () => (await import('./commands/worker.js')).registerWorker],
];

/** Top-level names registered by another name's module. */
const ALIASES: Readonly<Record<string, string>> = { 'verify-index': 'index' };

/** The command `argv` names (its first argument that is not an option), if it is one of COMMANDS. */
function namedCommand(argv: readonly string[]): (() => Promise<Register>) | undefined {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined) return undefined;
  const name = ALIASES[first] ?? first;
  return COMMANDS.find(([n]) => n === name)?.[1];
}

/**
 * The `zkreserve` program. With `argv`, only the command it names is registered (all of them when it names
 * none, or an unknown one: the help listing and commander's "unknown command" need every name).
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
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
  const only = argv === undefined ? undefined : namedCommand(argv);
  const loaders = only ? [only] : COMMANDS.map(([, load]) => load);
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program);
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
  const program = await buildProgram(argv);
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
