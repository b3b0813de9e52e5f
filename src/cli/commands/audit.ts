// zkreserve audit verify <ledger.db> [--json]: hash chain + replay consistency; exit 1 at the first break.
import type { Command } from 'commander';
import { formatInstant } from '../../time.js';
import { withLedger } from '../ledger-file.js';
import { CliExit, EXIT_FAILED } from '../errors.js';
import { out, printJson } from '../../terminal/output.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('audit-log checks');
  audit
    .command('verify')
    .description('verify the audit hash chain and that the ledger tables replay from the log')
    .argument('<ledger.db>', 'an existing ledger')
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { json?: boolean }) => {
      const result = await withLedger(file, (l) => {
        const chain = l.verifyChain();
        const replay = chain.ok ? l.replayBalances() : null;
        return { chain, replay };
      });
      const { chain, replay } = result;
      const ok = chain.ok && replay !== null && replay.ok;
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
            `replay ok: ${replay!.accounts} accounts and ${replay!.transactions} transactions match the log`,
          );
        } else {
          out(
            `REPLAY MISMATCH: the ledger tables differ from what the audit log says (${replay!.mismatches.length}):`,
          );
          for (const m of replay!.mismatches.slice(0, 20)) out(`  ${m}`);
        }
      }
      if (!ok) throw new CliExit(EXIT_FAILED);
    });
}
