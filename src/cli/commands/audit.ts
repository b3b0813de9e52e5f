// zkreserve audit verify <ledger.db> [--expect-head <hash> [--sequence <n>]] [--bundle <dir>] [--json]: hash
// chain + replay consistency (every row of every table) + the chain against heads published outside the ledger;
// exit 1 at the first break, 2 for a usage error.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { HEX64_RE } from '../../audit/tagged-hash.js';
import type { ExternalHead, ExternalHeadCheck } from '../../audit/external-head.js';
import { checkExternalHead } from '../../audit/external-head.js';
import { formatInstant } from '../../time.js';
import { withLedger } from '../ledger-file.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../errors.js';
import { out, printJson } from '../../terminal/output.js';

interface AuditOptions {
  json?: boolean;
  expectHead?: string;
  sequence?: string;
  bundle?: string;
}

function headHash(value: string, what: string): string {
  if (!HEX64_RE.test(value)) {
    throw new CliUsageError(
      `${what} must be 64 lowercase hex digits (an audit head hash), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function sequenceOf(value: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new CliUsageError(`--sequence must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** The audit head a bundle commits to (manifest.json `auditHead`), with its snapshot time. */
function bundleHead(dir: string): ExternalHead {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliUsageError(`no bundle directory ${dir}`);
  if (!existsSync(file)) throw new CliUsageError(`${dir} is not a bundle: no manifest.json`);
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliUsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
  const manifest = (typeof m === 'object' && m !== null ? m : {}) as {
    auditHead?: { sequence?: unknown; hash?: unknown };
    snapshotTimeMs?: unknown;
  };
  const h = manifest.auditHead;
  const seq = h?.sequence;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw new CliUsageError(`${file}: auditHead.sequence is not a non-negative integer`);
  }
  if (typeof h?.hash !== 'string' || !HEX64_RE.test(h.hash)) {
    throw new CliUsageError(`${file}: auditHead.hash is not 64 lowercase hex digits`);
  }
  const t = manifest.snapshotTimeMs;
  if (typeof t !== 'string' || !/^(0|[1-9][0-9]*)$/.test(t) || !Number.isSafeInteger(Number(t))) {
    throw new CliUsageError(`${file}: snapshotTimeMs is not a canonical decimal integer`);
  }
  return { hash: h.hash, sequence: seq, at: Number(t), source: `the bundle's audit head (${dir})` };
}

/** The external heads the options name (usage errors first, before the ledger is opened). */
function externalHeads(opts: AuditOptions): ExternalHead[] {
  if (opts.sequence !== undefined && opts.expectHead === undefined) {
    throw new CliUsageError('--sequence needs --expect-head <hash>');
  }
  const heads: ExternalHead[] = [];
  if (opts.expectHead !== undefined) {
    const hash = headHash(opts.expectHead, '--expect-head');
    heads.push(
      opts.sequence === undefined
        ? { hash, source: '--expect-head' }
        : { hash, sequence: sequenceOf(opts.sequence), source: '--expect-head' },
    );
  }
  if (opts.bundle !== undefined) heads.push(bundleHead(opts.bundle));
  return heads;
}

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('audit-log checks');
  audit
    .command('verify')
    .description(
      'verify the audit hash chain, that every row of every ledger table replays from the log, and the chain ' +
        'against published heads',
    )
    .argument('<ledger.db>', 'an existing ledger')
    .option(
      '--expect-head <hash>',
      "the chain's head must be this hash (with --sequence: the event at that sequence)",
    )
    .option('--sequence <n>', 'with --expect-head: the sequence of the expected hash (0: the genesis head)')
    .option(
      '--bundle <dir>',
      'a proof bundle: the event at its auditHead.sequence must have its auditHead.hash and be the head at its snapshot time',
    )
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: AuditOptions) => {
      const wanted = externalHeads(opts);
      const result = await withLedger(file, (l) => {
        const chain = l.verifyChain();
        const replay = chain.ok ? l.replayBalances() : null;
        const heads: { head: ExternalHead; check: ExternalHeadCheck }[] = chain.ok
          ? wanted.map((head) => ({ head, check: checkExternalHead(l.auditEvents(), head) }))
          : [];
        return { chain, replay, heads };
      });
      const { chain, replay, heads } = result;
      const ok = chain.ok && replay !== null && replay.ok && heads.every((h) => h.check.ok);
      if (opts.json) {
        printJson({
          ok,
          chain: chain.ok
            ? { ok: true, length: chain.length, head: chain.head }
            : { ok: false, sequence: chain.sequence, reason: chain.reason },
          replay: replay
            ? {
                ok: replay.ok,
                events: replay.events,
                accounts: replay.accounts,
                transactions: replay.transactions,
                mismatches: replay.mismatches,
              }
            : null,
          externalHeads: chain.ok
            ? heads.map(({ head, check }) => ({ source: head.source, ...check }))
            : null,
        });
      } else if (!chain.ok) {
        out(`AUDIT CHAIN BROKEN at event sequence ${chain.sequence}: ${chain.reason}`);
      } else {
        out(
          `audit chain ok: ${chain.length} events, head sequence ${chain.head.sequence} ${chain.head.hash}` +
            (chain.head.sequence > 0 ? ` at ${formatInstant(chain.head.at)}` : ''),
        );
        if (replay!.ok) {
          out(
            `replay ok: every row of every table matches the log (${replay!.accounts} accounts, ${replay!.transactions} transactions)`,
          );
        } else {
          out(
            `REPLAY MISMATCH: the ledger tables differ from what the audit log says (${replay!.mismatches.length}):`,
          );
          for (const m of replay!.mismatches.slice(0, 20)) out(`  ${m}`);
        }
        for (const { head, check } of heads) {
          if (check.ok) out(`external head ok: event ${check.sequence} is ${check.hash} (${head.source})`);
          else out(`EXTERNAL HEAD MISMATCH at sequence ${check.sequence} (${head.source}): ${check.reason}`);
        }
      }
      if (!ok) throw new CliExit(EXIT_FAILED);
    });
}
