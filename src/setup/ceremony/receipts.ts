// Contributors' published receipts: reading and checking their shape, and checking each against the chain
// (the transcript and the contributions recomputed from the zkeys).
import { readFile } from 'node:fs/promises';
import { ReceiptFormatError } from '../errors.js';
import type { TranscriptEntry } from '../keyset.js';
import type { ZkeyContribution } from '../zkey-info.js';
import { CEREMONY_FORMAT, type ContributionReceipt } from './state.js';

/** The outcome of checking one contributor's published receipt against the chain. */
export interface ReceiptCheck {
  name: string;
  index: number;
  ok: boolean;
  reasons: string[];
}

/** A circuit whose zkey was verified in this run, with the contributions read from it. */
export interface VerifiedZkey {
  name: string;
  contributions: readonly ZkeyContribution[];
}

const HASH_HEX = /^[0-9a-f]{128}$/;

/**
 * Check a parsed receipt's shape (throws ReceiptFormatError naming `where` and the problem). Accepts what
 * `setup contribute` / `setup beacon` write to receipts/NNNN.json and print.
 */
export function parseReceipt(value: unknown, where: string): ContributionReceipt {
  const bad = (why: string): never => {
    throw new ReceiptFormatError(`${where} is not a zkreserve contribution receipt: ${why}`);
  };
  if (!value || typeof value !== 'object' || Array.isArray(value)) bad('not a JSON object');
  const r = value as Record<string, unknown>;
  if (r.ceremony !== CEREMONY_FORMAT) bad(`"ceremony" must be ${JSON.stringify(CEREMONY_FORMAT)}`);
  if (typeof r.name !== 'string' || r.name.length === 0) bad('"name" must be a non-empty string');
  if (typeof r.index !== 'number' || !Number.isSafeInteger(r.index) || r.index < 1)
    bad('"index" must be a positive integer');
  if (r.type !== 'contribution' && r.type !== 'beacon') bad('"type" must be "contribution" or "beacon"');
  const c = r.contributions;
  if (!c || typeof c !== 'object' || Array.isArray(c) || Object.keys(c).length === 0)
    bad('"contributions" must map circuit names to contribution hashes');
  for (const [circuit, hash] of Object.entries(c as Record<string, unknown>)) {
    if (typeof hash !== 'string' || !HASH_HEX.test(hash))
      bad(`the hash of ${circuit} must be 128 lowercase hex digits (blake2b-512)`);
  }
  if (r.beacon !== undefined) {
    const b = r.beacon as { hash?: unknown; iterationsExp?: unknown } | null;
    if (!b || typeof b.hash !== 'string' || typeof b.iterationsExp !== 'number')
      bad('"beacon" must hold "hash" and "iterationsExp"');
  }
  return value as ContributionReceipt;
}

/** Read a contributor's published receipt (a JSON file, as `setup contribute` writes it). */
export async function readReceipt(file: string): Promise<ContributionReceipt> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ReceiptFormatError(`cannot read receipt ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ReceiptFormatError(`receipt ${file} is not JSON: ${(err as Error).message}`);
  }
  return parseReceipt(value, `receipt ${file}`);
}

/**
 * Every published receipt must be a step of the chain: in the order given, at its index, with the same name
 * and type, a hash for exactly the ceremony's circuits, each equal to the transcript's and, for the circuits
 * that were verified, to the hash recomputed from the zkey. Never throws: reasons name contributor and circuit.
 */
export function checkReceipts(
  receipts: readonly ContributionReceipt[],
  transcript: readonly TranscriptEntry[],
  circuitNames: readonly string[],
  verified: readonly VerifiedZkey[],
): ReceiptCheck[] {
  const checks: ReceiptCheck[] = [];
  let previous = 0;
  for (const r of receipts) {
    const reasons: string[] = [];
    const who = `receipt of ${JSON.stringify(r.name)} (#${r.index})`;
    if (r.index <= previous)
      reasons.push(`${who}: receipts must be given in chain order, and this one comes after #${previous}`);
    previous = Math.max(previous, r.index);
    const entry = transcript[r.index - 1];
    const same = entry !== undefined && entry.name === r.name && entry.type === r.type;
    if (!same) reasons.push(missingStep(who, r, entry, transcript));
    if (
      r.type === 'beacon' &&
      same &&
      (entry.beacon?.hash !== r.beacon?.hash || entry.beacon?.iterationsExp !== r.beacon?.iterationsExp)
    ) {
      reasons.push(`${who}: the beacon value or iterations differ from the transcript's`);
    }
    for (const circuit of circuitNames) {
      reasons.push(...checkCircuitHash(who, r, circuit, same ? entry : undefined, verified));
    }
    for (const circuit of Object.keys(r.contributions)) {
      if (!circuitNames.includes(circuit)) {
        reasons.push(
          `${who}: ${circuit}: the receipt covers this circuit but the ceremony has no such circuit (dropped?)`,
        );
      }
    }
    checks.push({ name: r.name, index: r.index, ok: reasons.length === 0, reasons });
  }
  return checks;
}

function missingStep(
  who: string,
  r: ContributionReceipt,
  entry: TranscriptEntry | undefined,
  transcript: readonly TranscriptEntry[],
): string {
  const elsewhere = transcript.filter((t) => t.name === r.name).map((t) => `#${t.index}`);
  const at = entry
    ? `step #${r.index} is a ${entry.type} by ${JSON.stringify(entry.name)}`
    : `the chain has only ${transcript.length} steps`;
  return (
    `${who}: this ${r.type} is missing from the chain (${at}; ` +
    `${elsewhere.length > 0 ? `${JSON.stringify(r.name)} appears as ${elsewhere.join(', ')}` : `no step is by ${JSON.stringify(r.name)}`}) ` +
    `for circuits ${Object.keys(r.contributions).join(', ')}`
  );
}

/** The receipt's hash of `circuit` against the transcript's step (`entry`, when it is the same step) and the zkey. */
function checkCircuitHash(
  who: string,
  r: ContributionReceipt,
  circuit: string,
  entry: TranscriptEntry | undefined,
  verified: readonly VerifiedZkey[],
): string[] {
  const mine = r.contributions[circuit];
  if (mine === undefined)
    return [`${who}: ${circuit}: the receipt has no contribution hash for this circuit`];
  const reasons: string[] = [];
  if (entry && entry.contributions[circuit] !== mine) {
    reasons.push(
      `${who}: ${circuit}: the receipt's contribution hash ${mine} differs from the transcript's ${entry.contributions[circuit] ?? '(none)'}`,
    );
  }
  const report = verified.find((v) => v.name === circuit);
  if (!report) return reasons; // not verified in this run: only compared with the transcript
  const z = report.contributions[r.index - 1];
  if (!z) {
    reasons.push(
      `${who}: ${circuit}: the zkey has no contribution #${r.index} (it has ${report.contributions.length}): the contribution was dropped`,
    );
  } else if (z.contributionHash !== mine || z.name !== r.name) {
    reasons.push(
      `${who}: ${circuit}: the zkey's contribution #${r.index} (by ${JSON.stringify(z.name)}) has hash ${z.contributionHash}, the receipt says ${mine}`,
    );
  }
  return reasons;
}
