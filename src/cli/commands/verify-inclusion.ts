// zkreserve verify-inclusion <packet.json> --bundle <dir> [--json]: is this user's balance in the proven total?
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readBundle, readPacket } from '../../bundle-io/read.js';
import { SOLVENCY_PROOF_ID } from '../../bundle/format.js';
import { verifyInclusion } from '../../verify/index.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../errors.js';
import { banner, err, formatMinor, out, printJson } from '../../terminal/output.js';

export function registerVerifyInclusion(program: Command): void {
  program
    .command('verify-inclusion')
    .description("check that a user's inclusion packet is counted in a bundle's proven total")
    .argument('<packet.json>', "the user's private packet")
    .requiredOption(
      '--bundle <bundle-dir>',
      'the bundle the packet belongs to (only the proofs on its path are needed)',
    )
    .option('--json', 'machine-readable result')
    .action(async (file: string, opts: { bundle: string; json?: boolean }) => {
      if (!existsSync(file)) throw new CliUsageError(`no packet file ${file}`);
      if (!existsSync(path.join(opts.bundle, 'manifest.json'))) {
        throw new CliUsageError(`${opts.bundle} is not a bundle (no manifest.json)`);
      }
      const packet = await readPacket(file);
      const bundle = await readBundle(opts.bundle, { partial: true });
      const r = await verifyInclusion(packet, bundle);
      const m = bundle.manifest;
      const decimals = typeof m.decimals === 'number' ? m.decimals : 0;
      const balance = /^[0-9]+$/.test(r.balance) ? formatMinor(r.balance, decimals) : r.balance;
      const solvency = bundle.proofs[SOLVENCY_PROOF_ID]?.publicSignals;
      const boundTo = {
        currency: m.currency,
        snapshotTime: m.snapshotTime,
        root: solvency?.[0] ?? null,
        sumCommit: solvency?.[1] ?? null,
        reserves: m.reserves,
        total: m.total,
        auditHead: { sequence: m.auditHead?.sequence, hash: m.auditHead?.hash },
      };
      if (opts.json) {
        printJson({
          ok: r.ok,
          included: r.ok,
          reason: r.reason,
          accountId: packet.accountId,
          externalRef: packet.externalRef,
          balance: r.balance,
          balanceFormatted: balance,
          boundTo,
          figures: r.figures,
          warnings: r.warnings,
        });
        if (r.warnings.length > 0) banner(r.warnings, err);
      } else {
        // The verdict first: nothing printed before it (a packet's strings included) can fake one.
        out(
          r.ok
            ? 'INCLUDED: this balance is counted in the total that the solvency proof shows is covered by reserves'
            : `NOT INCLUDED: ${r.reason}`,
        );
        if (r.warnings.length > 0) banner(r.warnings, out);
        out(`packet ${file}`);
        out(`  account        ${packet.externalRef} (${packet.accountId})`);
        out(`  balance        ${balance} ${m.currency}`);
        if (r.ok) {
          out(`  currency       ${m.currency}`);
          out(`  snapshot time  ${m.snapshotTime}`);
          out(`  reserves       ${formatMinor(m.reserves, decimals)} ${m.currency}`);
          out(
            `  total          ${m.total === null ? 'not published' : `${formatMinor(m.total, decimals)} ${m.currency}`}`,
          );
          out(`  audit head     #${boundTo.auditHead.sequence} ${boundTo.auditHead.hash}`);
          out(`  root           ${boundTo.root}`);
          out(`  sum commitment ${boundTo.sumCommit}`);
          out(`  proofs checked ${r.figures?.proofs.join(', ')}`);
          out('Check that the account, the reference and the balance are yours at that time.');
        }
        if (r.warnings.length > 0)
          out('WARNING: INSECURE DEVELOPMENT KEYS: this check proves nothing about real reserves.');
      }
      if (!r.ok) throw new CliExit(EXIT_FAILED);
    });
}
