// `zkreserve prove --plan` and `--family` through the real CLI: the plan is printed before any proving (no
// output written), from the chosen family's key manifest and one calibration proof; a family that does not
// fit the currency, or an unknown one, is a usage error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasTestPtau16, testPtau16Path } from '../../src/setup/test-ptau.js';
import { GOOD_CSV, tempDir, writeText, zk } from './helpers.js';

const AT = '2025-01-01T00:00:00Z';
let dir: string;
let db: string;
let secret: string;

const args = (out: string, ...extra: string[]) => [
  'prove',
  db,
  '--allow-open-snapshot',
  '--at',
  AT,
  '--currency',
  'USD',
  '--out',
  out,
  '--secret-file',
  secret,
  '--insecure-dev-keys',
  ...extra,
];

beforeAll(async () => {
  dir = await tempDir('plan');
  db = path.join(dir, 'ledger.db');
  secret = path.join(dir, 'op.secret');
  await zk(['init', db]);
  const imp = await zk(['import', db, await writeText(dir, 'b.csv', GOOD_CSV)]);
  if (imp.code !== 0) throw new Error(imp.stderr);
  await zk(['secret', 'new', secret]);
}, 120_000);

describe('prove --plan', () => {
  it('prints users, chunks, proofs per level, constraints, ptau and an estimate, and proves nothing', async () => {
    const out = path.join(dir, 'plan-bundle');
    const r = await zk(args(out, '--plan', '--json', '--workers', '2', '--machines', '8', '--cores', '16'));
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.plan).toMatchObject({
      family: 'b64-n8-k8',
      users: 4,
      chunks: 1,
      proofsPerLevel: [1, 1, 1],
      proofs: 3,
      totalConstraints: 3074 + 3426 + 535,
      ptauPower: 12,
    });
    expect(j.chunkSeconds).toBeGreaterThan(0);
    expect(j.estimates.map((e: { slots: number }) => e.slots)).toEqual([2, 128]);
    expect(existsSync(out)).toBe(false);
    const text = await zk(args(out, '--plan'));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/chunks\s+1/);
    expect(text.stdout).toMatch(/calibration\s+[\d.]+ s per chunk proof/);
    expect(text.stdout).toMatch(/estimate\s+/);
  }, 300_000);

  it.skipIf(!hasTestPtau16())(
    `--family b64-n128-k16 plans with the production keys (needs ${testPtau16Path()})`,
    async () => {
      const r = await zk(args(path.join(dir, 'p'), '--plan', '--json', '--family', 'b64-n128-k16'));
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.plan).toMatchObject({ family: 'b64-n128-k16', chunks: 1, ptauPower: 16 });
      expect(j.plan.constraintsByKind.chunk).toBe(44426);
    },
    1_800_000,
  );
});

describe('prove --family', () => {
  it('refuses a family whose balance width does not fit the currency, and an unknown family', async () => {
    const wide = await zk(args(path.join(dir, 'x'), '--family', 'b100-n8-k8'));
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(/b100-n8-k8 has 100-bit balances.*use b64-n8-k8/);
    const unknown = await zk(args(path.join(dir, 'y'), '--family', 'b64-n9-k9'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown --family "b64-n9-k9"/);
  });

  it('prints the chosen family and records it in the result', async () => {
    const r = await zk(args(path.join(dir, 'fam'), '--json'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/family b64-n8-k8 \(dev\)/);
    expect(JSON.parse(r.stdout).family).toBe('b64-n8-k8');
  }, 300_000);
});
