// `verify --anchored --rpc <url> --registry <addr>`: after the off-chain checks, the chain's record for the
// bundle's currency and snapshot time must match the bundle exactly (src/anchor/compare.ts); every
// difference becomes an error of the report, so the verdict fails.
import type { AnchorCheck } from '../../anchor/compare.js';
import { readBundle } from '../../bundle-io/read.js';
import type { BundleReport } from '../../verify/index.js';
import { ZkReserveError } from '../../errors.js';
import { CliUsageError } from '../errors.js';

/** The anchored options of `verify`. */
export interface AnchoredOptions {
  anchored?: boolean;
  rpc?: string;
  registry?: string;
}

/** Runs the anchored check on `dir` and adds its problems to `report`; null when --anchored was not given. */
export async function addAnchorCheck(
  dir: string,
  report: BundleReport,
  opts: AnchoredOptions,
): Promise<AnchorCheck | null> {
  if (!opts.anchored) {
    // --rpc alone is fine: it also checks the EVM reserve evidence online.
    if (opts.registry !== undefined) throw new CliUsageError('--registry is only used with --anchored');
    return null;
  }
  if (opts.rpc === undefined || opts.registry === undefined)
    throw new CliUsageError('--anchored needs --rpc <url> and --registry <address>');
  // Loaded here only: viem takes seconds to load and a plain verify does not need it.
  const { connect, parseAddress } = await import('../../anchor/chain.js');
  const { checkAnchored } = await import('../../anchor/compare.js');
  const registry = parseAddress(opts.registry, '--registry');
  const side = await connect(opts.rpc);
  let check: AnchorCheck;
  try {
    check = await checkAnchored(side, registry, await readBundle(dir));
  } catch (e) {
    if (!(e instanceof ZkReserveError)) throw e;
    report.errors.push(`anchor: ${e.message}`);
    report.ok = false;
    return null;
  }
  if (check.problems.length > 0) {
    report.errors.push(...check.problems);
    report.ok = false;
  }
  return check;
}

/** The anchored check's lines for the text report. */
export function anchorLines(check: AnchorCheck): string[] {
  const head = `  anchored         registry ${check.registry}, currencyId ${check.currencyId}, snapshotTime ${check.snapshotTime}`;
  if (!check.record) return [head, '                   no record on chain'];
  const r = check.record;
  return [
    head,
    `                   recorded in block ${r.blockNumber} (block time ${r.blockTimestamp}): ${check.problems.length === 0 ? 'matches the bundle exactly' : 'DIFFERS from the bundle'}`,
  ];
}

/** The anchored check for --json (integers as decimal strings). */
export function anchorJson(check: AnchorCheck): unknown {
  const r = check.record;
  return {
    registry: check.registry,
    currencyId: check.currencyId,
    snapshotTime: check.snapshotTime,
    matches: check.problems.length === 0 && r !== null,
    record: r ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])) : null,
  };
}
