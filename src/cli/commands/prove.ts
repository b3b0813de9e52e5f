// zkreserve prove: ledger snapshot at T -> statement -> Groth16 proofs -> bundle + private packets.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { isNonEmptyDir } from '../../fs/atomic.js';
import { UnsafeOutputDirError } from '../../prover/errors.js';
import { isWithin } from '../../prover/output-dirs.js';
import type { Command } from 'commander';
import { proveSolvency, statementFromLedger, type ProveSolvencyResult } from '../../prover/index.js';
import { getCurrency } from '../../money/currency.js';
import { formatInstant, parseInstant } from '../../time.js';
import { INSECURE_DEV_KEYS_WARNING } from '../../setup/keyset.js';
import { withLedger } from '../ledger-file.js';
import { createProgress } from '../../terminal/progress.js';
import { resolveKeys } from '../keys.js';
import { CliExit, CliUsageError, EXIT_FAILED, OpenSnapshotError } from '../errors.js';
import { positiveInt } from '../options.js';
import { banner, err, formatMinor, out, printJson } from '../../terminal/output.js';
import { readSecretFile } from './secret.js';
import type { QueuePool } from '../../queue/coordinator.js';
import { printPlan } from './prove-plan.js';
import { familySize } from '../../protocol/families.js';
import { PROVER_OPTION, RAPIDSNARK_OPTION, resolveProver, type ProverCliOptions } from '../prover-options.js';

interface ProveOptions extends ProverCliOptions {
  at: string;
  currency: string;
  out: string;
  secretFile: string;
  packets?: string;
  keys?: string;
  insecureDevKeys?: boolean;
  publishTotal?: boolean;
  padTo?: string;
  force?: boolean;
  allowOpenSnapshot?: boolean;
  json?: boolean;
  queue?: string;
  family?: string;
  plan?: boolean;
  workers?: string;
  machines?: string;
  cores?: string;
  resume?: boolean;
}

export function registerProve(program: Command): void {
  program
    .command('prove')
    .description(
      'prove that user liabilities at a time are covered by reserves; writes a public bundle and private per-user packets',
    )
    .argument('<ledger.db>', 'an existing ledger')
    .requiredOption('--at <time>', 'snapshot instant T, ISO-8601 with a zone')
    .requiredOption('--currency <code>', 'currency to prove, e.g. USD')
    .requiredOption('--out <bundle-dir>', 'bundle directory (public)')
    .requiredOption('--secret-file <file>', 'operator secret (zkreserve secret new)')
    .option('--packets <dir>', 'inclusion packets directory (private; default <out>-packets)')
    .option(
      '--keys <dir>',
      'keys exported by a ceremony (zkreserve setup export); default: the insecure dev keys',
    )
    .option('--insecure-dev-keys', 'allow the public, insecure development keys (tests and demos only)')
    .option('--publish-total', 'disclose the total liabilities in the proof')
    .option(
      '--pad-to <users>',
      'pad the tree with padding chunks to at least this many leaf slots (hides the user count)',
    )
    .option('--force', 'replace output directories that hold an earlier bundle or packets')
    .option(
      '--allow-open-snapshot',
      'prove at a T that no ledger event is later than (a later write may still be dated T or earlier)',
    )
    .option(...PROVER_OPTION)
    .option(...RAPIDSNARK_OPTION)
    .option('--json', 'machine-readable result')
    .option(
      '--queue <url>',
      'coordinate: publish the proof jobs to Redis (redis://[:password@]host:port/db, rediss:// for TLS) for `zkreserve worker`s',
    )
    .option(
      '--family <id>',
      'circuit family, e.g. b64-n128-k16 (default: production when --keys has it, else the dev family)',
    )
    .option('--plan', 'print users, chunks, proofs, constraints and an estimated time, then stop')
    .option('--workers <n>', 'proving worker threads on this machine (default: its cores)')
    .option('--machines <m>', 'with --plan: also estimate for M machines ...')
    .option('--cores <c>', '... of C cores each')
    .option('--no-resume', 'prove everything afresh (default: reuse the proofs a killed run left)')
    .action(prove);
}

async function prove(ledgerFile: string, opts: ProveOptions): Promise<void> {
  const at = parseInstant(opts.at, '--at');
  const decimals = getCurrency(opts.currency).exponent;
  const secret = readSecretFile(opts.secretFile);
  const padTo = opts.padTo === undefined ? undefined : positiveInt(opts.padTo, '--pad-to');
  const packetsDir = opts.packets ?? `${opts.out.replace(/[\\/]+$/, '')}-packets`;
  checkOutputsSpareInputs(
    [opts.out, packetsDir],
    [
      ['ledger', ledgerFile],
      ['secret file', opts.secretFile],
    ],
  );
  const { statement, head } = await withLedger(ledgerFile, async (l) => ({
    statement: await statementFromLedger(l, at, opts.currency),
    head: l.head,
  }));
  const total = statement.users.reduce((s, u) => s + u.liability, 0n);
  if (total > statement.reserves) {
    throw new CliExit(
      EXIT_FAILED,
      `insolvent: ${opts.currency} user liabilities ${formatMinor(total, decimals)} exceed reserves ` +
        `${formatMinor(statement.reserves, decimals)} at ${formatInstant(at)} (shortfall ` +
        `${formatMinor(total - statement.reserves, decimals)}): no proof was made and nothing was written`,
    );
  }
  if (statement.users.length === 0)
    throw new CliUsageError(`no ${opts.currency} user accounts at ${formatInstant(at)}`);
  checkSnapshotClosed(head, at, opts.allowOpenSnapshot === true);
  const workers = opts.workers === undefined ? undefined : positiveInt(opts.workers, '--workers');
  if (opts.plan) {
    const keys = await resolveKeys(opts, decimals, (e) => err(`[keys] ${e.message}`));
    await printPlan(keys, {
      users: statement.users.length,
      ...(padTo !== undefined ? { padToUsers: padTo } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(opts.machines !== undefined ? { machines: positiveInt(opts.machines, '--machines') } : {}),
      ...(opts.cores !== undefined ? { cores: positiveInt(opts.cores, '--cores') } : {}),
      json: opts.json === true,
    });
    return;
  }
  if (!opts.force) {
    for (const d of [opts.out, packetsDir]) {
      if (await isNonEmptyDir(d))
        throw new CliUsageError(`output directory ${d} is not empty (pass --force to replace it)`);
    }
  }
  const prover = await resolveProver(opts);
  const progress = createProgress(process.stderr);
  const keys = await resolveKeys(opts, decimals, (e) => progress.note(`[keys] ${e.message}`));
  if (keys.insecure)
    banner([`${opts.currency}: proving with INSECURE DEVELOPMENT KEYS.`, INSECURE_DEV_KEYS_WARNING]);
  progress.note(`family ${keys.family.id} (${familySize(keys.family)})`);
  const phase = `proving ${opts.currency}`;
  const publishTotal = opts.publishTotal === true;
  // Loaded only with --queue: BullMQ takes most of a second to load and a local run does not need it.
  const queue = opts.queue === undefined ? null : await import('../queue-prove.js');
  const run = (pool?: QueuePool): Promise<ProveSolvencyResult> =>
    proveSolvency({
      statement,
      secret,
      keys,
      outDir: opts.out,
      packetsDir,
      allowInsecureDevKeys: opts.insecureDevKeys === true,
      publishTotal,
      ...(padTo !== undefined ? { padToUsers: padTo } : {}),
      force: opts.force === true,
      ...(pool ? { pool } : {}),
      prover,
      ...(workers !== undefined ? { workers } : {}),
      resume: opts.resume !== false,
      onResume: (r) => {
        for (const d of r.discarded) progress.note(`discarded saved proof ${d.id}: ${d.reason}`);
        if (r.resumed > 0) progress.note(`resumed ${r.resumed} proofs of ${r.total} from ${r.workDir}`);
      },
      onProgress: (p) => {
        if (p.phase === 'write') progress.note('writing the bundle and the packets');
        else
          progress.update({
            phase,
            done: p.done,
            total: p.total,
            ...(pool ? { rateUnit: 'proofs', detail: queue!.workersText(pool) } : {}),
          });
      },
    });
  const result =
    opts.queue === undefined || queue === null
      ? await run()
      : await queue.withQueuePool(
          opts.queue,
          { statement, secret, keys, publishTotal, ...(padTo !== undefined ? { padToUsers: padTo } : {}) },
          progress,
          run,
        );
  progress.finish();
  if (opts.json) printProveJson(result);
  else printProveResult(result);
}

/** `p` absolute, through symbolic links where it exists. */
function real(p: string): string {
  return existsSync(p) ? realpathSync(p) : path.resolve(p);
}

/**
 * Refuses an output directory that is or holds one of the inputs: `--out .` next to the ledger, or
 * `--packets` above the secret, would write into (with --force: replace) the directory holding them.
 */
function checkOutputsSpareInputs(dirs: readonly string[], inputs: readonly [string, string][]): void {
  for (const dir of dirs) {
    for (const [what, file] of inputs) {
      if (isWithin(real(file), real(dir))) {
        throw new UnsafeOutputDirError(
          `output directory ${dir} holds the ${what} ${file}: choose an output directory outside it`,
        );
      }
    }
  }
}

/**
 * A ledger write may be dated at its latest audit event's time or later (ledger time never goes backwards),
 * so the snapshot at T is final only once some event is dated after T. Before that, refuse unless the
 * operator says the ledger is open on purpose (--allow-open-snapshot), and then say so.
 */
function checkSnapshotClosed(head: { sequence: number; at: number }, at: number, allow: boolean): void {
  if (head.at > at) return;
  const what =
    `the ledger's latest audit event (#${head.sequence}` +
    `${head.sequence > 0 ? ` at ${formatInstant(head.at)}` : ''}) is not later than --at ${formatInstant(at)}: ` +
    'a later write may still be dated at or before that time and change the snapshot';
  if (!allow) {
    throw new OpenSnapshotError(
      `${what}. Prove at a time before the ledger's latest event, or pass --allow-open-snapshot`,
    );
  }
  err(`note: open snapshot: ${what} (allowed by --allow-open-snapshot)`);
}

function printProveJson(result: ProveSolvencyResult): void {
  const m = result.manifest;
  printJson({
    ok: true,
    currency: m.currency,
    snapshotTime: m.snapshotTime,
    bundle: result.outDir,
    packets: result.packetsDir,
    proofs: result.proofs,
    users: result.userCount,
    paddedUsers: m.users.paddedUsers,
    reserves: m.reserves,
    total: m.total,
    root: result.root,
    auditHead: m.auditHead,
    insecureKeys: m.keys.insecure,
    family: m.family.id,
  });
}

function printProveResult(result: ProveSolvencyResult): void {
  const m = result.manifest;
  out(
    `proved ${m.currency} solvency at ${m.snapshotTime}: ${result.userCount} users, ${result.proofs} proofs`,
  );
  out(`  reserves    ${formatMinor(m.reserves, m.decimals)} ${m.currency}`);
  if (m.total !== null) out(`  total       ${formatMinor(m.total, m.decimals)} ${m.currency} (published)`);
  out(`  audit head  #${m.auditHead.sequence} ${m.auditHead.hash}`);
  out(`  bundle      ${result.outDir}   (public: give it to auditors and users)`);
  out(`  packets     ${result.packetsDir}   (private: send each user only their own packet)`);
  if (m.keys.insecure) out('  WARNING: made with INSECURE DEVELOPMENT KEYS: this bundle proves nothing.');
}
