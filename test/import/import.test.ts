// The importer, called directly: balance CSV and JSON-lines edge cases, atomicity, idempotency.
import { describe, expect, it } from 'vitest';
import { accountId } from '../../src/ledger/account.js';
import type { Ledger } from '../../src/ledger/index.js';
import { openMemoryLedger } from '../../src/storage/open-ledger.js';
import { DecimalParseError } from '../../src/money/errors.js';
import { TimeOrderError } from '../../src/ledger/errors.js';
import { atLine } from '../../src/import/errors.js';
import {
  DEFAULT_OPENING_TIME,
  ImportError,
  ImportRuleError,
  OPENING_BALANCE_REF,
  importText,
  parseCsv,
} from '../../src/import/index.js';
import { GOOD_CSV } from '../cli/helpers.js';

const T = '2025-01-01T00:00:00Z';
const csv = (...rows: string[]) => ['external_ref,owner_type,currency,balance', ...rows].join('\n');

function importCsv(ledger: Ledger, text: string, at?: string) {
  return importText(ledger, text, 'csv', { source: 'b.csv', ...(at ? { at } : {}) });
}

function expectImportError(fn: () => unknown, line: number, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).line).toBe(line);
    expect((e as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected an ImportError');
}

const settled = (
  l: Ledger,
  type: 'USER' | 'RESERVE' | 'PLATFORM' | 'CLEARING',
  ref: string,
  cur = 'USD',
  at = T,
) => l.balance(accountId(type, cur, ref), at).settled;

describe('CSV reader', () => {
  it('handles quotes, doubled quotes, embedded commas and line breaks, CRLF, a BOM and trailing blank lines', () => {
    const text = '\uFEFFa,b\r\n"x, ""y""",2\r\n"multi\r\nline",3\r\n\r\n\r\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"', '2'] },
      { line: 3, fields: ['multi\nline', '3'] },
    ]);
  });

  it('refuses an unterminated quote, text after a closing quote, a stray quote and a blank line mid-data', () => {
    expect(() => parseCsv('a,b\n"x,1\n')).toThrow(/2: unterminated quoted field/);
    expect(() => parseCsv('a,b\n"x"y,1\n')).toThrow(/2: unexpected text after a closing quote/);
    expect(() => parseCsv('a,b\nx"y,1\n')).toThrow(/2: a quote inside an unquoted field/);
    expect(() => parseCsv('a,b\n\nx,1\n')).toThrow(/2: blank line in the middle/);
  });
});

describe('balance CSV import', () => {
  it('opens every account and books opening balances that keep double entry', () => {
    const l = openMemoryLedger();
    const s = importCsv(l, GOOD_CSV);
    expect(s).toMatchObject({ rows: 6, accountsOpened: 7, transactionsPosted: 6, unchanged: 0 });
    expect(settled(l, 'USER', 'alice')).toBe(10050n);
    expect(settled(l, 'USER', 'Smith, Bob')).toBe(-2000n);
    expect(settled(l, 'RESERVE', 'bank-1')).toBe(200000n);
    expect(settled(l, 'PLATFORM', 'platform')).toBe(68487n);
    // The opening-balance account (debit-normal) nets to liabilities - assets: (100.50 - 20 + 1234.56 + 0.07 + 684.87) - 2000 = 0
    expect(settled(l, 'CLEARING', OPENING_BALANCE_REF)).toBe(0n);
    const [r] = l.requiredReserves(T, 'USD');
    expect(r).toMatchObject({ userLiabilities: 133513n, reserves: 200000n, solvent: true });
    // Dated at the documented default time, not the wall clock.
    expect(l.head.at).toBe(Date.parse(DEFAULT_OPENING_TIME));
    expect(l.verifyChain().ok).toBe(true);
    expect(l.replayBalances().ok).toBe(true);
  });

  it("sums the opening-balance account to the books' difference and uses --at when given", () => {
    const l = openMemoryLedger();
    importCsv(l, csv('u,USER,USD,10.00', 'r,RESERVE,USD,25.00'), '2024-12-31T00:00:00Z');
    // debits - credits of CLEARING: 10.00 debited against the user, 25.00 credited against the reserve.
    expect(settled(l, 'CLEARING', OPENING_BALANCE_REF)).toBe(1000n - 2500n);
    expect(l.head.at).toBe(Date.parse('2024-12-31T00:00:00Z'));
  });

  it('re-importing the same file is a no-op; a changed balance is refused naming the line', () => {
    const l = openMemoryLedger();
    importCsv(l, GOOD_CSV);
    const head = l.head;
    const again = importCsv(l, GOOD_CSV.replace(/\n/g, '\r\n'));
    expect(again).toMatchObject({ accountsOpened: 0, transactionsPosted: 0, unchanged: 6 });
    expect(l.head).toEqual(head);
    const changed = GOOD_CSV.replace('carol,USER,USD,1234.56', 'carol,USER,USD,1234.57');
    expectImportError(
      () => importCsv(l, changed),
      4,
      /carol.*already holds 1234\.56.*this file says 1234\.57/,
    );
    expect(l.head).toEqual(head);
    // A zero balance cannot silently become non-zero either.
    const l2 = openMemoryLedger();
    importCsv(l2, csv('z,USER,USD,0'));
    expectImportError(() => importCsv(l2, csv('z,USER,USD,5.00')), 2, /already holds 0\.00/);
  });

  it('a bad row stops the import at its line and commits nothing', () => {
    const l = openMemoryLedger();
    const text = csv('a,USER,USD,1.00', 'b,USER,USD,2.00', 'c,USER,USD,3.001', 'd,USER,USD,4.00');
    expectImportError(() => importCsv(l, text), 4, /3 decimals but USD has 2: refusing to round/);
    expect(l.head.sequence).toBe(0);
    expect([...l.auditEvents()]).toHaveLength(0);
  });

  it('a failure while applying (after parsing) also commits nothing', () => {
    const l = openMemoryLedger();
    importCsv(l, csv('x,USER,USD,5.00'));
    const head = l.head;
    // Line 2 parses and applies inside the batch; line 3 conflicts with the ledger: both are rolled back.
    expectImportError(
      () => importCsv(l, csv('early,USER,USD,1.00', 'x,USER,USD,6.00')),
      3,
      /already holds 5\.00/,
    );
    expect(l.head).toEqual(head);
    expect(l.getAccount(accountId('USER', 'USD', 'early'))).toBeUndefined();
  });

  it.each([
    ['an unknown owner type', csv('a,CUSTOMER,USD,1.00'), 2, /unknown owner_type "CUSTOMER"/],
    ['an unknown currency', csv('a,USER,XYZ,1.00'), 2, /unknown currency "XYZ"/],
    ['a lower-case currency', csv('a,USER,usd,1.00'), 2, /unknown currency "usd"/],
    ['too many decimals, even zeros', csv('a,USER,USD,1.000'), 2, /3 decimals but USD has 2/],
    ['decimals on a 0-decimal currency', csv('a,USER,JPY,1.5'), 2, /1 decimals but JPY has 0/],
    ['a thousands separator', csv('a,USER,USD,"1,000.00"'), 2, /malformed USD amount/],
    ['a plus sign', csv('a,USER,USD,+1.00'), 2, /malformed/],
    ['an exponent', csv('a,USER,USD,1e3'), 2, /malformed/],
    ['a leading zero', csv('a,USER,USD,01.00'), 2, /malformed/],
    ['a bare dot', csv('a,USER,USD,.5'), 2, /malformed/],
    ['an empty balance', csv('a,USER,USD,'), 2, /malformed/],
    ['an empty external_ref', csv(',USER,USD,1.00'), 2, /external_ref is empty/],
    ['a missing field', csv('a,USER,USD'), 2, /expected 4 fields, found 3/],
    ['an extra field', csv('a,USER,USD,1.00,x'), 2, /expected 4 fields, found 5/],
    [
      'a duplicate row',
      csv('a,USER,USD,1.00', 'b,USER,USD,1.00', 'a,USER,USD,1.00'),
      4,
      /duplicate row.*line 2/,
    ],
    ["the importer's own account", csv('opening-balance,CLEARING,USD,1.00'), 2, /importer's own/],
    ['an unknown column', 'external_ref,owner,currency,balance\na,USER,USD,1\n', 1, /unknown column "owner"/],
    ['a missing column', 'external_ref,owner_type,currency\na,USER,USD\n', 1, /missing column balance/],
    ['a repeated column', 'external_ref,owner_type,currency,balance,balance\n', 1, /balance appears twice/],
    ['an empty file', '', 0, /empty file/],
  ])('refuses %s', (_name, text, line, pattern) => {
    const l = openMemoryLedger();
    expectImportError(() => importCsv(l, text), line, pattern);
    expect(l.head.sequence).toBe(0);
  });

  it('accepts columns in any order, 18-decimal ETH amounts and blank trailing lines with a BOM', () => {
    const l = openMemoryLedger();
    const text =
      '\uFEFFcurrency,balance,owner_type,external_ref\r\nETH,0.000000000000000001,USER,w\r\nETH,12.5,RESERVE,cold\r\n\r\n';
    importCsv(l, text);
    expect(settled(l, 'USER', 'w', 'ETH')).toBe(1n);
    expect(settled(l, 'RESERVE', 'cold', 'ETH')).toBe(125n * 10n ** 17n);
  });

  it("refuses a time before the ledger's latest event with the line", () => {
    const l = openMemoryLedger();
    l.openAccount('USER', 'USD', 'x', { openedAt: '2026-01-01T00:00:00Z' });
    expectImportError(() => importCsv(l, csv('a,USER,USD,1.00')), 2, /earlier than the latest audit event/);
  });
});

const J = (o: unknown) => JSON.stringify(o);
const HISTORY = [
  J({ op: 'open', ownerType: 'RESERVE', currency: 'USD', externalRef: 'bank', at: T }),
  J({ op: 'open', ownerType: 'USER', currency: 'USD', externalRef: 'alice', at: T }),
  J({ op: 'open', ownerType: 'FEE', currency: 'USD', externalRef: 'fees', at: T }),
  J({
    op: 'post',
    ref: 'd1',
    at: '2025-01-02T00:00:00Z',
    purpose: 'deposit',
    transfers: [{ from: 'RESERVE:bank', to: 'USER:alice', amount: '500.00', currency: 'USD' }],
  }),
  J({ op: 'settle', tx: 'd1', at: '2025-01-02T00:05:00Z' }),
  '',
  J({
    op: 'post',
    ref: 'f1',
    at: '2025-01-03T00:00:00Z',
    purpose: 'fee',
    initiator: 'billing',
    references: ['inv-1'],
    metadata: { plan: 'pro' },
    transfers: [{ from: 'USER:alice', to: 'FEE:fees', amount: '1.50', currency: 'USD' }],
  }),
  J({ op: 'settle', tx: 'f1', at: '2025-01-03T00:00:00Z' }),
  J({
    op: 'post',
    ref: 'd2',
    at: '2025-01-04T00:00:00Z',
    purpose: 'deposit',
    transfers: [{ from: 'RESERVE:bank', to: 'USER:alice', amount: '75.00', currency: 'USD' }],
  }),
  J({ op: 'fail', tx: 'd2', at: '2025-01-04T00:10:00Z', reason: 'card declined' }),
  J({
    op: 'post',
    ref: 'd3',
    at: '2025-01-05T00:00:00Z',
    purpose: 'deposit',
    idempotencyKey: 'psp-1',
    transfers: [{ from: 'RESERVE:bank', to: 'USER:alice', amount: '40.00', currency: 'USD' }],
  }),
  J({ op: 'settle', tx: 'd3', at: '2025-01-05T00:01:00Z' }),
  J({ op: 'reverse', tx: 'd3', at: '2025-01-06T00:00:00Z', reason: 'chargeback' }),
  J({
    op: 'post',
    ref: 'd4',
    at: '2025-01-07T00:00:00Z',
    purpose: 'deposit',
    transfers: [{ from: 'RESERVE:bank', to: 'USER:alice', amount: '10.00', currency: 'USD' }],
  }),
  '',
].join('\r\n');

describe('JSON-lines import', () => {
  const at = '2025-02-01T00:00:00Z';
  const importJ = (l: Ledger, text: string) => importText(l, text, 'jsonl', { source: 'h.jsonl' });

  it('replays opens, pending, settled, failed and reversed transactions', () => {
    const l = openMemoryLedger();
    const s = importJ(l, HISTORY);
    expect(s).toMatchObject({ rows: 13, accountsOpened: 3, transactionsPosted: 5, lifecycleChanges: 5 });
    const alice = l.balance(accountId('USER', 'USD', 'alice'), at);
    expect(alice.settled).toBe(50000n - 150n); // d1 - fee; d2 failed; d3 reversed
    expect(alice.pendingCredits).toBe(1000n); // d4 pending
    expect(l.requiredReserves(at, 'USD')[0]).toMatchObject({ required: 49850n + 1000n, reserves: 50000n });
    expect(l.replayBalances().ok).toBe(true);
  });

  it('re-importing is a no-op; changed content for the same ref is refused with its line', () => {
    const l = openMemoryLedger();
    importJ(l, HISTORY);
    const head = l.head;
    const again = importJ(l, HISTORY);
    expect(again).toMatchObject({
      accountsOpened: 0,
      transactionsPosted: 0,
      lifecycleChanges: 0,
      unchanged: 13,
    });
    expect(l.head).toEqual(head);
    expectImportError(
      () => importJ(l, HISTORY.replace('"500.00"', '"501.00"')),
      4,
      /idempotency key "jsonl\/d1" already used/,
    );
    expectImportError(
      () => importJ(l, HISTORY.replace('"reason":"card declined"', '"reason":"other"')),
      10,
      /cannot fail/,
    );
    expect(l.head).toEqual(head);
  });

  it('a bad line late in the file commits nothing of the import', () => {
    const l = openMemoryLedger();
    const bad = `${HISTORY}${J({ op: 'settle', tx: 'd4', at: '2024-01-01T00:00:00Z' })}\n`;
    expectImportError(() => importJ(l, bad), 15, /settledAt .* before the transaction's initiation/);
    expect(l.head.sequence).toBe(0);
  });

  it.each([
    ['invalid JSON', '{"op":"open",', 1, /not valid JSON/],
    ['a non-object', '[1,2]', 1, /must be a JSON object/],
    ['an unknown op', J({ op: 'delete' }), 1, /"op" must be one of/],
    [
      'an unknown field',
      J({ op: 'open', ownerType: 'USER', currency: 'USD', externalRef: 'a', at: T, note: 'x' }),
      1,
      /unknown field "note"/,
    ],
    [
      'a missing field',
      J({ op: 'open', ownerType: 'USER', currency: 'USD', at: T }),
      1,
      /needs "externalRef"/,
    ],
    [
      'an unknown owner type',
      J({ op: 'open', ownerType: 'BANK', currency: 'USD', externalRef: 'a', at: T }),
      1,
      /unknown ownerType/,
    ],
    [
      'an unknown currency',
      J({ op: 'open', ownerType: 'USER', currency: 'DOGE', externalRef: 'a', at: T }),
      1,
      /unknown currency/,
    ],
    [
      'a zone-less time',
      J({ op: 'open', ownerType: 'USER', currency: 'USD', externalRef: 'a', at: '2025-01-01T00:00:00' }),
      1,
      /has no zone/,
    ],
    [
      'a numeric time',
      J({ op: 'open', ownerType: 'USER', currency: 'USD', externalRef: 'a', at: 1 }),
      1,
      /ISO-8601/,
    ],
    [
      'a negative amount',
      J({
        op: 'post',
        ref: 'x',
        at: T,
        purpose: 'p',
        transfers: [{ from: 'USER:a', to: 'USER:b', amount: '-1.00', currency: 'USD' }],
      }),
      1,
      /must be positive/,
    ],
    [
      'a numeric amount',
      J({
        op: 'post',
        ref: 'x',
        at: T,
        purpose: 'p',
        transfers: [{ from: 'USER:a', to: 'USER:b', amount: 1, currency: 'USD' }],
      }),
      1,
      /"amount" must be a non-empty string/,
    ],
    [
      'too many decimals',
      J({
        op: 'post',
        ref: 'x',
        at: T,
        purpose: 'p',
        transfers: [{ from: 'USER:a', to: 'USER:b', amount: '1.505', currency: 'USD' }],
      }),
      1,
      /refusing to round/,
    ],
    [
      'a bad account reference',
      J({
        op: 'post',
        ref: 'x',
        at: T,
        purpose: 'p',
        transfers: [{ from: 'alice', to: 'USER:b', amount: '1.00', currency: 'USD' }],
      }),
      1,
      /OWNER_TYPE:externalRef/,
    ],
    ['no transfers', J({ op: 'post', ref: 'x', at: T, purpose: 'p', transfers: [] }), 1, /non-empty list/],
    ['an undefined ref', J({ op: 'settle', tx: 'nope', at: T }), 1, /neither a ref posted earlier/],
    [
      'a duplicate ref',
      [HISTORY.split('\r\n').slice(0, 4).join('\n'), HISTORY.split('\r\n')[3]].join('\n'),
      5,
      /duplicate ref "d1" \(first on line 4\)/,
    ],
    ['an empty file', '\n\n', 0, /no data lines/],
  ])('refuses %s', (_name, text, line, pattern) => {
    const l = openMemoryLedger();
    expectImportError(() => importJ(l, text), line, pattern);
    expect(l.head.sequence).toBe(0);
  });

  it('refuses posting to an account that is not open, naming the line', () => {
    const l = openMemoryLedger();
    const text = [
      HISTORY.split('\r\n')[0],
      J({
        op: 'post',
        ref: 'x',
        at: T,
        purpose: 'p',
        transfers: [{ from: 'RESERVE:bank', to: 'USER:ghost', amount: '1.00', currency: 'USD' }],
      }),
    ].join('\n');
    expectImportError(() => importJ(l, text), 2, /unknown account/);
    expect(l.head.sequence).toBe(0);
  });

  it('settles a transaction of an earlier import by its id', () => {
    const l = openMemoryLedger();
    const first = HISTORY.split('\r\n').slice(0, 4).join('\n');
    importJ(l, first);
    const id = [...l.auditEvents()]
      .filter((e) => e.type === 'TX_POSTED')
      .map((e) => JSON.parse(e.payload).id as string)[0]!;
    importJ(l, J({ op: 'settle', tx: id, at: '2025-01-03T00:00:00Z' }));
    expect(l.getTransaction(id)!.status).toBe('SETTLED');
  });

  it('refuses --at for JSON lines', () => {
    expect(() => importText(openMemoryLedger(), HISTORY, 'jsonl', { at: T })).toThrow(/balance CSV only/);
  });
});

describe('import errors keep the code of what refused the line', () => {
  const caught = (fn: () => unknown): ImportError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ImportError);
      return e as ImportError;
    }
    throw new Error('expected an ImportError');
  };

  it('a bad amount is INVALID_DECIMAL, a ledger rule keeps its code, a format rule is IMPORT_ERROR', () => {
    const decimal = caught(() => importCsv(openMemoryLedger(), csv('a,USER,USD,1.001')));
    expect([decimal.code, decimal.line, decimal.source]).toEqual(['INVALID_DECIMAL', 2, 'b.csv']);
    expect(decimal.cause).toBeInstanceOf(DecimalParseError);
    expect(decimal.message).toBe(`b.csv:2: ${(decimal.cause as Error).message}`);

    const l = openMemoryLedger();
    l.openAccount('USER', 'USD', 'x', { openedAt: '2026-01-01T00:00:00Z' });
    const late = caught(() => importCsv(l, csv('a,USER,USD,1.00')));
    expect([late.code, late.line]).toEqual(['TIME_ORDER', 2]);
    expect(late.cause).toBeInstanceOf(TimeOrderError);

    const time = caught(() =>
      importText(openMemoryLedger(), '{"op":"settle","tx":"r","at":"yesterday"}\n', 'jsonl'),
    );
    expect([time.code, time.line]).toEqual(['INVALID_TIME', 1]);

    const rule = caught(() => importCsv(openMemoryLedger(), csv('a,CUSTOMER,USD,1.00')));
    expect([rule.code, rule.line, rule.cause]).toEqual(['IMPORT_ERROR', 2, expect.any(ImportRuleError)]);
    const header = caught(() => importCsv(openMemoryLedger(), ''));
    expect([header.code, header.line, header.cause]).toEqual(['IMPORT_ERROR', 0, undefined]);
  });

  it('a bug (an untyped error) is not dressed up as a bad line', () => {
    const bug = new TypeError('x is not a function');
    expect(() =>
      atLine(3, 'f.csv', () => {
        throw bug;
      }),
    ).toThrow(bug);
    const typed = new ImportRuleError('bad');
    const wrapped = caught(() =>
      atLine(3, 'f.csv', () => {
        throw typed;
      }),
    );
    expect([wrapped.message, wrapped.code, wrapped.cause]).toEqual(['f.csv:3: bad', 'IMPORT_ERROR', typed]);
  });
});
