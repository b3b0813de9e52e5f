// The reserve evidence in the CLI's output (docs/reserves.md): reading `--custodians`, checking a bundle's
// evidence (online with `--rpc`) and printing its per-item results and coverage line, shared by
// `reserves verify`, `verify` and `verify-inclusion`.
import { readFileSync } from 'node:fs';
import type { BundleData } from '../bundle/format.js';
import { parseCustodians } from '../reserves/custodian.js';
import type { PinnedCustodians } from '../reserves/custodian.js';
import { InvalidCustodiansError } from '../reserves/errors.js';
import type { EvidenceReport } from '../reserves/verify-evidence.js';
import { verifyReserves } from '../reserves-online/verify-reserves.js';
import { formatMinor } from '../terminal/output.js';
import { CliUsageError } from './errors.js';

/** What `reserves not evidenced` means, in words. */
export const NOT_EVIDENCED =
  "reserves not evidenced: the bundle has no reserves/evidence.json, so the reserves figure is the operator's own number";

/** Options every command that shows the evidence accepts. */
export interface EvidenceOptions {
  custodians?: string;
  rpc?: string;
  requireReservesEvidence?: boolean;
}

/** Reads a `--custodians` file; a bad one is a usage error naming it. */
export function readCustodians(file: string | undefined): PinnedCustodians {
  if (file === undefined) return new Map();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliUsageError(`cannot read custodians file ${file}: ${(e as Error).message}`);
  }
  try {
    return parseCustodians(text, file);
  } catch (e) {
    if (e instanceof InvalidCustodiansError) throw new CliUsageError(e.message);
    throw e;
  }
}

/** Checks a bundle's evidence with the command's `--custodians` and `--rpc`. */
export async function evidenceReport(
  bundle: Pick<BundleData, 'manifest' | 'proofs' | 'reserves'>,
  opts: EvidenceOptions,
): Promise<EvidenceReport> {
  return verifyReserves(bundle, {
    custodians: readCustodians(opts.custodians),
    ...(opts.rpc !== undefined ? { rpc: opts.rpc } : {}),
  });
}

/** The problem `--require-reserves-evidence` adds to a verdict, or null when the evidence is ok. */
export function requiredEvidenceProblem(r: EvidenceReport): string | null {
  if (r.ok) return null;
  if (!r.present) return `--require-reserves-evidence: ${NOT_EVIDENCED}`;
  return `--require-reserves-evidence: ${coverageLine(r)}`;
}

/** One line: covered, or the shortfall in major units. */
export function coverageLine(r: EvidenceReport): string {
  if (!r.present) return NOT_EVIDENCED;
  const f = (v: string) => `${formatMinor(v, r.decimals)} ${r.currency}`;
  const counts = `${r.counts.verified} verified, ${r.counts.unverified} unverified, ${r.counts.failed} failed`;
  const problems = r.problems.length > 0 ? `; ${r.problems.join('; ')}` : '';
  const head = r.covered
    ? `reserves evidenced: ${f(r.evidenced)} verified covers the proven reserves ${f(r.reserves)}`
    : `reserves NOT covered: ${f(r.evidenced)} verified of the proven reserves ${f(r.reserves)}, shortfall ${f(r.shortfall)}`;
  return `${head} (${counts}${r.counts.failed > 0 ? ': evidence has failed items' : ''}${problems})`;
}

/** The per-item lines and the coverage line. */
export function printEvidence(r: EvidenceReport, write: (l: string) => void, indent = '  '): void {
  if (!r.present) {
    write(`${indent}${NOT_EVIDENCED}`);
    return;
  }
  write(
    `${indent}reserves evidence by ${JSON.stringify(r.operator)}, window ${r.window?.from} .. ${r.window?.to}${r.onlineChecked ? ', EVM items checked online' : ', offline checks only'}`,
  );
  for (const i of r.items) {
    const amount = `${formatMinor(i.amount, r.decimals)} ${r.currency}`;
    const asset = i.assetSource === 'declared' ? ' [asset mapping declared by the operator]' : '';
    const online = i.online === 'not checked' ? '' : ` [online: ${i.online}]`;
    write(
      `${indent}  ${i.status.toUpperCase().padEnd(10)} #${i.index} ${i.label}: ${amount} at ${i.time}${asset}${online}`,
    );
    if (i.reason) write(`${indent}             ${i.reason}`);
  }
  write(`${indent}${coverageLine(r)}`);
}

/** `--custodians`, `--rpc` and `--require-reserves-evidence`, as commander `.option()` arguments. */
export const EVIDENCE_OPTIONS = {
  custodians: [
    '--custodians <file>',
    'pinned custodian keys for the reserve evidence (unpinned: not counted)',
  ],
  rpc: ['--rpc <url>', 'an EVM JSON-RPC node: check the EVM reserve evidence online'],
  require: [
    '--require-reserves-evidence',
    'fail unless the reserve evidence verifies and covers the reserves',
  ],
} as const satisfies Record<string, readonly [string, string]>;

/**
 * The evidence report of a verified bundle; with `--require-reserves-evidence`, missing or insufficient
 * evidence is added to the verdict's problems (so the verdict line, printed first, says INVALID).
 */
export async function checkEvidence(
  bundle: Pick<BundleData, 'manifest' | 'proofs' | 'reserves'>,
  verdict: { ok: boolean; errors?: string[]; reason?: string | null },
  opts: EvidenceOptions,
): Promise<EvidenceReport> {
  const r = await evidenceReport(bundle, opts);
  const problem = opts.requireReservesEvidence ? requiredEvidenceProblem(r) : null;
  if (problem) {
    verdict.ok = false;
    if (verdict.errors) verdict.errors.push(problem);
    else if (!verdict.reason) verdict.reason = problem;
  }
  return r;
}
