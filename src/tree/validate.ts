// Checks a solvency statement against a circuit family and counts its chunks. Browser-safe.
import { accountIdProblem, auditHeadProblem, MAX_CURRENCY_DECIMALS } from '../protocol/encoding.js';
import { balanceBitsFor } from '../protocol/families.js';
import type { CircuitFamily } from '../protocol/families.js';
import { isCurrencyCode } from '../money/currency.js';
import { InvalidStatementError } from './errors.js';
import type { SolvencyStatement, SolvencyUser } from './types.js';

/** Throws InvalidStatementError unless `statement` fits `family` (ranges, codes, distinct accounts). */
export function validateStatement(statement: SolvencyStatement, family: CircuitFamily): void {
  const { snapshotTime, reserves, users } = statement;
  if (!isCurrencyCode(statement.currency)) {
    throw new InvalidStatementError(
      `statement currency ${JSON.stringify(statement.currency)} is not a currency code ([A-Z0-9]{1,31})`,
    );
  }
  const { decimals } = statement;
  if (!Number.isSafeInteger(decimals) || decimals < 0 || decimals > MAX_CURRENCY_DECIMALS) {
    throw new InvalidStatementError(
      `statement decimals must be an integer in [0, ${MAX_CURRENCY_DECIMALS}], got ${String(decimals)}`,
    );
  }
  if (family.balanceBits !== balanceBitsFor(decimals)) {
    throw new InvalidStatementError(
      `family ${family.id} has B = ${family.balanceBits}, but a currency with ${decimals} decimals needs B = ${balanceBitsFor(decimals)} (protocol.md §2)`,
    );
  }
  if (!Number.isSafeInteger(snapshotTime) || snapshotTime < 0) {
    throw new InvalidStatementError(
      `snapshotTime must be non-negative integer Unix ms, got ${String(snapshotTime)}`,
    );
  }
  if (typeof reserves !== 'bigint')
    throw new InvalidStatementError('reserves must be a bigint (minor units)');
  if (reserves < 0n || reserves >= 1n << BigInt(family.sumBits)) {
    throw new InvalidStatementError(`reserves ${reserves} out of range [0, 2^${family.sumBits})`);
  }
  if (!Number.isSafeInteger(statement.auditHead?.sequence) || statement.auditHead.sequence < 0) {
    throw new InvalidStatementError('audit head sequence must be a non-negative integer');
  }
  const headProblem = auditHeadProblem(statement.auditHead.hash);
  if (headProblem !== null) throw new InvalidStatementError(headProblem);
  validateUsers(users, family);
}

function validateUsers(users: readonly SolvencyUser[], family: CircuitFamily): void {
  const limit = 1n << BigInt(family.balanceBits);
  const seen = new Set<string>();
  for (const u of users) {
    const idProblem = accountIdProblem(u.accountId);
    if (idProblem !== null) throw new InvalidStatementError(idProblem);
    if (seen.has(u.accountId)) throw new InvalidStatementError(`account ${u.accountId} appears twice`);
    seen.add(u.accountId);
    if (typeof u.liability !== 'bigint') {
      throw new InvalidStatementError(
        `liability of account ${u.accountId} must be a bigint (minor units), got ${typeof u.liability}`,
      );
    }
    if (u.liability < 0n || u.liability >= limit) {
      throw new InvalidStatementError(
        `liability ${u.liability} of account ${u.accountId} is out of range [0, 2^${family.balanceBits})`,
      );
    }
  }
}

/** The chunk count: enough for every user (at least one chunk), and for `padToUsers` leaf slots. */
export function chunkCounts(
  userCount: number,
  n: number,
  padTo: number | undefined,
): { exact: number; total: number } {
  if (padTo !== undefined && (!Number.isSafeInteger(padTo) || padTo < userCount)) {
    throw new InvalidStatementError(
      `padToUsers (${String(padTo)}) must be an integer >= the user count (${userCount})`,
    );
  }
  const exact = Math.max(1, Math.ceil(userCount / n));
  return { exact, total: Math.max(exact, Math.ceil((padTo ?? 0) / n)) };
}
