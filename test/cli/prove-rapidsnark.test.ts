// `zkreserve prove --prover/--rapidsnark` through the real CLI: the choice is printed; a missing binary or an
// unknown prover is a usage/input error (exit 2) naming it, before anything is written; with rapidsnark the
// bundle verifies.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rapidsnarkBinary } from '../support/rapidsnark.js';
import { GOOD_CSV, tempDir, writeText, zk } from './helpers.js';

const AT = '2025-01-01T00:00:00Z';
let dir: string;
let db: string;
let secret: string;

beforeAll(async () => {
  dir = await tempDir('prove-rs');
  db = path.join(dir, 'ledger.db');
  secret = path.join(dir, 'op.secret');
  await zk(['init', db]);
  const imp = await zk(['import', db, await writeText(dir, 'b.csv', GOOD_CSV)]);
  if (imp.code !== 0) throw new Error(imp.stderr);
  await zk(['secret', 'new', secret]);
});

const proveArgs = (out: string, ...extra: string[]) => [
  'prove',
  db,
  '--allow-open-snapshot',
  '--at',
  AT,
  '--currency',
  'USD',
  '--out',
  path.join(dir, out),
  '--secret-file',
  secret,
  '--insecure-dev-keys',
  ...extra,
];

describe('prove --prover / --rapidsnark', () => {
  it('a missing --rapidsnark binary: exit 2, the error names it, nothing written', async () => {
    const missing = path.join(dir, 'no-such-rapidsnark');
    const r = await zk(proveArgs('b-missing', '--rapidsnark', missing));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error: rapidsnark binary ${missing}: not found (from --rapidsnark; fix it, or pass --prover snarkjs) [RAPIDSNARK_BINARY]`,
    );
    expect(existsSync(path.join(dir, 'b-missing'))).toBe(false);
  });

  it('an unknown --prover is a usage error', async () => {
    const r = await zk(proveArgs('b-bogus', '--prover', 'gpu'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--prover must be snarkjs or rapidsnark, got "gpu"');
  });

  it.skipIf(!rapidsnarkBinary)('proves with rapidsnark, says so, and the bundle verifies', async () => {
    const r = await zk(proveArgs('b-rs', '--prover', 'rapidsnark', '--rapidsnark', rapidsnarkBinary!));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`prover: rapidsnark (${rapidsnarkBinary}, from --rapidsnark)`);
    const v = await zk(['verify', path.join(dir, 'b-rs')]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });
});
