// The prepared statements of a SQLite ledger store, by table. src/storage/sqlite-schema.ts has the tables.
import type BetterSqlite3 from 'better-sqlite3';

type Db = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;
/** Named prepared statements (typed by name so that the store's declaration file can name them). */
type Statements<K extends string> = Record<K, Statement>;

const TX_COLUMNS = 'INSERT INTO transactions (id, idempotency_key, initiated_at, reverses, posted_seq)';
const ENTRY_COLUMNS = 'INSERT INTO entries (tx_no, account_no, initiated_at, side, a0, a1, a2, a3)';

function accountStatements(
  db: Db,
): Statements<
  'insAccount' | 'getAccount' | 'countAccounts' | 'accountsAt' | 'insCurrency' | 'getCurrency' | 'currencies'
> {
  return {
    insAccount: db.prepare(
      'INSERT INTO accounts (id, owner_type, currency, external_ref, opened_at) VALUES (?, ?, ?, ?, ?)',
    ),
    getAccount: db.prepare('SELECT * FROM accounts WHERE id = ?'),
    countAccounts: db.prepare('SELECT count(*) FROM accounts').pluck(),
    accountsAt: db.prepare('SELECT * FROM accounts WHERE opened_at <= ? ORDER BY id'),
    insCurrency: db.prepare('INSERT INTO currencies (code, exponent, registered_at) VALUES (?, ?, ?)'),
    getCurrency: db.prepare('SELECT * FROM currencies WHERE code = ?'),
    currencies: db.prepare('SELECT * FROM currencies ORDER BY code'),
  };
}

function transactionStatements(
  db: Db,
): Statements<
  | 'insTx'
  | 'insTxIfNew'
  | 'insEntry'
  | 'insEntry2'
  | 'getTx'
  | 'hasTx'
  | 'txNo'
  | 'txInfo'
  | 'byIdem'
  | 'countTx'
  | 'txIds'
  | 'insOutcome'
  | 'insReversal'
> {
  return {
    insTx: db.prepare(`${TX_COLUMNS} VALUES (unhex(?), ?, ?, ?, ?)`),
    // Same, but a duplicate id or idempotency key inserts nothing (changes = 0) instead of raising.
    insTxIfNew: db.prepare(`${TX_COLUMNS} VALUES (unhex(?), ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
    insEntry: db.prepare(`${ENTRY_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    // A two-entry transaction (a transfer) in one statement.
    insEntry2: db.prepare(`${ENTRY_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?)`),
    getTx: db
      .prepare(
        'SELECT e.payload FROM transactions t JOIN audit_events e ON e.seq = t.posted_seq WHERE t.id = unhex(?)',
      )
      .pluck(),
    hasTx: db.prepare('SELECT 1 FROM transactions WHERE id = unhex(?)').pluck(),
    txNo: db.prepare('SELECT no FROM transactions WHERE id = unhex(?)').pluck(),
    txInfo: db.prepare(`
        SELECT t.no, t.initiated_at, t.reverses, o.outcome, o.at AS o_at, o.reason AS o_reason,
               r.at AS r_at, r.reason AS r_reason, lower(hex(rt.id)) AS r_id
        FROM transactions t
        LEFT JOIN tx_outcomes o ON o.tx_no = t.no
        LEFT JOIN tx_reversals r ON r.tx_no = t.no
        LEFT JOIN transactions rt ON rt.no = r.reversal_tx_no
        WHERE t.id = unhex(?)`),
    byIdem: db.prepare('SELECT lower(hex(id)) FROM transactions WHERE idempotency_key = ?').pluck(),
    countTx: db.prepare('SELECT count(*) FROM transactions').pluck(),
    txIds: db.prepare('SELECT lower(hex(id)) FROM transactions ORDER BY no').pluck(),
    insOutcome: db.prepare('INSERT INTO tx_outcomes (tx_no, outcome, at, reason) VALUES (?, ?, ?, ?)'),
    insReversal: db.prepare(
      'INSERT INTO tx_reversals (tx_no, reversal_tx_no, at, reason) VALUES (?, ?, ?, ?)',
    ),
  };
}

function eventStatements(
  db: Db,
): Statements<'insEvent' | 'lastEvent' | 'eventBySeq' | 'eventAtBySeq' | 'events'> {
  return {
    insEvent: db.prepare(
      'INSERT INTO audit_events (seq, type, at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    lastEvent: db.prepare('SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1'),
    eventBySeq: db.prepare('SELECT * FROM audit_events WHERE seq = ?'),
    eventAtBySeq: db.prepare('SELECT at FROM audit_events WHERE seq = ?').pluck(),
    events: db.prepare('SELECT * FROM audit_events ORDER BY seq'),
  };
}

/**
 * Entry sums at @t grouped by account, settled-or-pending and side, as raw bigint rows
 * [account_no, settled, side, SUM(a0), SUM(a1), SUM(a2), SUM(a3)]; failed-by-@t transactions are left out.
 */
function aggregateStatement(db: Db, from: string, accountFilter: string): Statement {
  return db
    .prepare(
      `SELECT e.account_no,
              CASE WHEN o.outcome = 'SETTLED' AND o.at <= @t THEN 1 ELSE 0 END AS settled,
              e.side, SUM(e.a0), SUM(e.a1), SUM(e.a2), SUM(e.a3)
       FROM ${from}
       LEFT JOIN tx_outcomes o ON o.tx_no = e.tx_no
       WHERE ${accountFilter}e.initiated_at <= @t AND (o.tx_no IS NULL OR o.at > @t OR o.outcome = 'SETTLED')
       GROUP BY e.account_no, settled, e.side`,
    )
    .raw()
    .safeIntegers();
}

export function prepareStatements(
  db: Db,
): ReturnType<typeof accountStatements> &
  ReturnType<typeof transactionStatements> &
  ReturnType<typeof eventStatements> &
  Statements<'aggregate' | 'aggregateOne'> {
  return {
    ...accountStatements(db),
    ...transactionStatements(db),
    ...eventStatements(db),
    // One pass over all entries (no per-account query); and one account's entries, through its index.
    aggregate: aggregateStatement(db, 'entries e NOT INDEXED', ''),
    aggregateOne: aggregateStatement(db, 'entries e', 'e.account_no = @a AND '),
  };
}

export type SqliteStatements = ReturnType<typeof prepareStatements>;
