// The JSON-lines transaction importer: a full history of account opens, transactions (pending until
// settled) and their settle / fail / reverse, in time order. docs/import-formats.md describes the format.
import { HEX64_RE } from '../audit/tagged-hash.js';
import { accountId, assertExternalRef } from '../ledger/account.js';
import type { Ledger } from '../ledger/ledger.js';
import { TransactionBuilder } from '../ledger/transaction.js';
import type { OwnerType, TransactionRecord } from '../ledger/types.js';
import { OWNER_TYPES } from '../ledger/types.js';
import { defaultCurrencies } from '../money/currency.js';
import type { CurrencyRegistry } from '../money/currency.js';
import { Money } from '../money/money.js';
import { formatInstant, parseInstant } from '../time.js';
import { parseAmount } from '../money/amount.js';
import { ImportError, ImportRuleError, atLine } from './errors.js';
import type { ImportSummary } from './summary.js';
import { splitLines } from './text.js';

interface AccountRef {
  ownerType: OwnerType;
  externalRef: string;
}

export interface Transfer {
  from: AccountRef;
  to: AccountRef;
  currency: string;
  amount: bigint;
}

export type JsonlOp =
  | { line: number; op: 'open'; ownerType: OwnerType; currency: string; externalRef: string; at: number }
  | {
      line: number;
      op: 'post';
      ref: string;
      at: number;
      purpose: string;
      initiator: string;
      transfers: Transfer[];
      idempotencyKey: string;
      references: string[];
      metadata: Record<string, string>;
    }
  | { line: number; op: 'settle'; tx: string; at: number }
  | { line: number; op: 'fail' | 'reverse'; tx: string; at: number; reason: string };

const FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  open: { required: ['ownerType', 'currency', 'externalRef', 'at'], optional: [] },
  post: {
    required: ['ref', 'at', 'purpose', 'transfers'],
    optional: ['initiator', 'idempotencyKey', 'references', 'metadata'],
  },
  settle: { required: ['tx', 'at'], optional: [] },
  fail: { required: ['tx', 'at', 'reason'], optional: [] },
  reverse: { required: ['tx', 'at', 'reason'], optional: [] },
};
const OWNER_SET = new Set<string>(OWNER_TYPES);

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0)
    throw new ImportRuleError(`"${key}" must be a non-empty string`);
  return v;
}

function time(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'string')
    throw new ImportRuleError(`"${key}" must be an ISO-8601 time string with a zone`);
  return parseInstant(v, `"${key}"`);
}

function accountRef(v: unknown, what: string): AccountRef {
  if (typeof v !== 'string') throw new ImportRuleError(`${what} must be "OWNER_TYPE:externalRef"`);
  const colon = v.indexOf(':');
  const ownerType = colon < 0 ? '' : v.slice(0, colon);
  const externalRef = colon < 0 ? '' : v.slice(colon + 1);
  if (!OWNER_SET.has(ownerType) || externalRef.length === 0) {
    throw new ImportRuleError(
      `${what} ${JSON.stringify(v)} must be "OWNER_TYPE:externalRef" with OWNER_TYPE one of ${OWNER_TYPES.join(', ')}`,
    );
  }
  return { ownerType: ownerType as OwnerType, externalRef };
}

function currencyOf(o: Record<string, unknown>, registry: CurrencyRegistry): string {
  const c = str(o, 'currency');
  if (!/^[A-Z0-9]{1,31}$/.test(c) || !registry.has(c))
    throw new ImportRuleError(`unknown currency ${JSON.stringify(c)}`);
  return c;
}

function parseTransfer(t: unknown, i: number, registry: CurrencyRegistry): Transfer {
  if (typeof t !== 'object' || t === null || Array.isArray(t))
    throw new ImportRuleError(`transfer ${i} is not an object`);
  const tr = t as Record<string, unknown>;
  for (const k of Object.keys(tr)) {
    if (!['from', 'to', 'amount', 'currency'].includes(k))
      throw new ImportRuleError(`transfer ${i}: unknown field ${JSON.stringify(k)}`);
  }
  const currency = currencyOf(tr, registry);
  const amount = parseAmount(str(tr, 'amount'), currency, registry, { strict: true });
  if (amount <= 0n)
    throw new ImportRuleError(`transfer ${i}: amount must be positive (direction is from -> to)`);
  return {
    from: accountRef(tr.from, `transfer ${i} "from"`),
    to: accountRef(tr.to, `transfer ${i} "to"`),
    currency,
    amount,
  };
}

function parsePost(o: Record<string, unknown>, line: number, registry: CurrencyRegistry): JsonlOp {
  const ref = str(o, 'ref');
  if (!Array.isArray(o.transfers) || o.transfers.length === 0) {
    throw new ImportRuleError('"transfers" must be a non-empty list');
  }
  const transfers = o.transfers.map((t: unknown, i: number) => parseTransfer(t, i, registry));
  const references = o.references ?? [];
  if (!Array.isArray(references) || !references.every((r) => typeof r === 'string')) {
    throw new ImportRuleError('"references" must be a list of strings');
  }
  const metadata = o.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new ImportRuleError('"metadata" must be an object of strings');
  }
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new ImportRuleError(`metadata ${JSON.stringify(k)} must be a string`);
  }
  return {
    line,
    op: 'post',
    ref,
    at: time(o, 'at'),
    purpose: str(o, 'purpose'),
    initiator: o.initiator === undefined ? 'zkreserve import' : str(o, 'initiator'),
    transfers,
    idempotencyKey: o.idempotencyKey === undefined ? `jsonl/${ref}` : str(o, 'idempotencyKey'),
    references: references as string[],
    metadata: metadata as Record<string, string>,
  };
}

function parseOp(o: Record<string, unknown>, line: number, registry: CurrencyRegistry): JsonlOp {
  const op = o.op;
  if (typeof op !== 'string' || !(op in FIELDS)) {
    throw new ImportRuleError(
      `"op" must be one of ${Object.keys(FIELDS).join(', ')}, got ${JSON.stringify(op)}`,
    );
  }
  const spec = FIELDS[op]!;
  for (const k of Object.keys(o)) {
    if (k !== 'op' && !spec.required.includes(k) && !spec.optional.includes(k)) {
      throw new ImportRuleError(`unknown field ${JSON.stringify(k)} for op ${op}`);
    }
  }
  for (const k of spec.required) if (!(k in o)) throw new ImportRuleError(`op ${op} needs "${k}"`);
  if (op === 'open') {
    const ownerType = str(o, 'ownerType');
    if (!OWNER_SET.has(ownerType)) {
      throw new ImportRuleError(
        `unknown ownerType ${JSON.stringify(ownerType)}: expected one of ${OWNER_TYPES.join(', ')}`,
      );
    }
    const externalRef = str(o, 'externalRef');
    assertExternalRef(externalRef);
    return {
      line,
      op,
      ownerType: ownerType as OwnerType,
      currency: currencyOf(o, registry),
      externalRef,
      at: time(o, 'at'),
    };
  }
  if (op === 'post') return parsePost(o, line, registry);
  const tx = str(o, 'tx');
  const at = time(o, 'at');
  if (op === 'settle') return { line, op, tx, at };
  return { line, op: op as 'fail' | 'reverse', tx, at, reason: str(o, 'reason') };
}

/** Parses and validates every line (refs defined before use, no duplicates); nothing touches a ledger. */
export function parseJsonl(
  text: string,
  source = 'input',
  registry: CurrencyRegistry = defaultCurrencies,
): JsonlOp[] {
  const lines = splitLines(text);
  const ops: JsonlOp[] = [];
  const refs = new Map<string, number>();
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim().length === 0) return;
    const op = atLine(line, source, () => {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (e) {
        throw new ImportRuleError(`not valid JSON: ${(e as Error).message}`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new ImportRuleError('each line must be a JSON object');
      const parsed = parseOp(value as Record<string, unknown>, line, registry);
      if (parsed.op === 'post') {
        const first = refs.get(parsed.ref);
        if (first !== undefined)
          throw new ImportRuleError(`duplicate ref ${JSON.stringify(parsed.ref)} (first on line ${first})`);
        refs.set(parsed.ref, line);
      } else if (parsed.op !== 'open' && !refs.has(parsed.tx) && !HEX64_RE.test(parsed.tx)) {
        throw new ImportRuleError(
          `"tx" ${JSON.stringify(parsed.tx)} is neither a ref posted earlier in this file nor a transaction id`,
        );
      }
      return parsed;
    });
    ops.push(op);
  });
  if (ops.length === 0) throw new ImportError(0, 'no data lines', source);
  return ops;
}

/** An import in progress: the ledger, the ids of the refs posted so far, the counts. */
interface Apply {
  readonly ledger: Ledger;
  readonly txOf: Map<string, string>;
  readonly summary: ImportSummary;
}

type OpOf<K extends JsonlOp['op']> = Extract<JsonlOp, { op: K }>;

function applyOpen(s: Apply, op: OpOf<'open'>): void {
  const existing = s.ledger.getAccount(accountId(op.ownerType, op.currency, op.externalRef));
  if (existing) {
    if (existing.openedAt !== op.at) {
      throw new ImportRuleError(
        `${op.ownerType} ${JSON.stringify(op.externalRef)} (${op.currency}) is already open since ${formatInstant(existing.openedAt)}, not ${formatInstant(op.at)}`,
      );
    }
    s.summary.unchanged++;
    return;
  }
  s.ledger.openAccount(op.ownerType, op.currency, op.externalRef, { openedAt: op.at });
  s.summary.accountsOpened++;
}

function applyPost(s: Apply, op: OpOf<'post'>): void {
  const b = new TransactionBuilder(op.purpose, op.initiator, { initiatedAt: op.at }).idempotencyKey(
    op.idempotencyKey,
  );
  for (const r of op.references) b.reference(r);
  for (const [k, v] of Object.entries(op.metadata)) b.metadata(k, v);
  for (const t of op.transfers) {
    const m = Money.of(t.amount, t.currency, s.ledger.currencies);
    b.transfer(
      accountId(t.from.ownerType, t.currency, t.from.externalRef),
      accountId(t.to.ownerType, t.currency, t.to.externalRef),
      m,
    );
  }
  const tx = b.build();
  const existed = s.ledger.getTransaction(tx.id) !== undefined;
  s.ledger.post(tx);
  s.txOf.set(op.ref, tx.id);
  if (existed) s.summary.unchanged++;
  else s.summary.transactionsPosted++;
}

/** True when the transaction already stands where `op` would put it, at the same time (and reason). */
function alreadyApplied(r: TransactionRecord, op: OpOf<'settle' | 'fail' | 'reverse'>): boolean {
  switch (op.op) {
    case 'settle':
      return r.settledAt === op.at && (r.status === 'SETTLED' || r.status === 'REVERSED');
    case 'fail':
      return r.status === 'FAILED' && r.failedAt === op.at && r.failReason === op.reason;
    case 'reverse':
      return r.status === 'REVERSED' && r.reversedAt === op.at && r.reversalReason === op.reason;
  }
}

function applyLifecycle(s: Apply, op: OpOf<'settle' | 'fail' | 'reverse'>): void {
  const id = s.txOf.get(op.tx) ?? op.tx;
  const r = s.ledger.getTransaction(id);
  if (r && alreadyApplied(r, op)) {
    s.summary.unchanged++;
    return;
  }
  if (op.op === 'settle') s.ledger.settle(id, op.at);
  else if (op.op === 'fail') s.ledger.fail(id, op.reason, op.at);
  else s.ledger.reverse(id, op.at, op.reason);
  s.summary.lifecycleChanges++;
}

/** Applies the ops in one ledger batch. Re-importing the same file is a no-op; changed content is refused. */
export function importJsonl(
  ledger: Ledger,
  ops: readonly JsonlOp[],
  options: { source?: string } = {},
): ImportSummary {
  const source = options.source ?? 'input';
  const summary: ImportSummary = {
    format: 'transactions-jsonl',
    rows: ops.length,
    accountsOpened: 0,
    transactionsPosted: 0,
    lifecycleChanges: 0,
    unchanged: 0,
  };
  ledger.batch(() => {
    const s: Apply = { ledger, txOf: new Map(), summary };
    for (const op of ops) {
      atLine(op.line, source, () => {
        if (op.op === 'open') applyOpen(s, op);
        else if (op.op === 'post') applyPost(s, op);
        else applyLifecycle(s, op);
      });
    }
  });
  return summary;
}
