// prove / verify / verify-inclusion / export-verifier through the real CLI, on one small proved bundle.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_NAMES } from '../../src/zk/solidity.js';
import { snarkjsCliPath } from '../../src/zk/snarkjs-package.js';
import { GOOD_CSV, repoRoot, tempDir, writeText, zk } from './helpers.js';

const AT = '2025-01-01T00:00:00Z';
let dir: string;
let db: string;
let secret: string;
let bundle: string;
let packets: string;
let proveResult: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  dir = await tempDir('prove');
  db = path.join(dir, 'ledger.db');
  secret = path.join(dir, 'op.secret');
  bundle = path.join(dir, 'bundle');
  packets = `${bundle}-packets`;
  await zk(['init', db]);
  const csv = await writeText(dir, 'b.csv', GOOD_CSV);
  const imp = await zk(['import', db, csv]);
  if (imp.code !== 0) throw new Error(imp.stderr);
  await zk(['secret', 'new', secret]);
  proveResult = await zk([
    'prove',
    db,
    '--allow-open-snapshot',
    '--at',
    AT,
    '--currency',
    'USD',
    '--out',
    bundle,
    '--secret-file',
    secret,
    '--insecure-dev-keys',
    '--publish-total',
    '--json',
  ]);
});

const packetOf = (ref: string): string => {
  for (const f of readdirSync(packets)) {
    const p = JSON.parse(readFileSync(path.join(packets, f), 'utf8'));
    if (p.externalRef === ref) return path.join(packets, f);
  }
  throw new Error(`no packet for ${ref}`);
};

describe('prove', () => {
  it('writes a bundle and one packet per user with --insecure-dev-keys', () => {
    expect(proveResult.code, proveResult.stderr).toBe(0);
    const r = JSON.parse(proveResult.stdout);
    expect(r).toMatchObject({
      ok: true,
      currency: 'USD',
      users: 4,
      proofs: 3,
      total: '133513',
      reserves: '200000',
      insecureKeys: true,
    });
    expect(existsSync(path.join(bundle, 'manifest.json'))).toBe(true);
    expect(existsSync(path.join(bundle, 'proofs', 'solvency', 'proof.json'))).toBe(true);
    expect(readdirSync(packets)).toHaveLength(4);
    expect(proveResult.stderr).toMatch(/INSECURE DEVELOPMENT KEYS/);
    expect(proveResult.stderr).toMatch(/proving USD .* 3\/3/);
  });

  it('without --insecure-dev-keys: exit 2 with a loud explanation, nothing written', async () => {
    const out = path.join(dir, 'nokeys');
    const r = await zk([
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
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/REFUSING TO USE INSECURE DEVELOPMENT KEYS/);
    expect(r.stderr).toMatch(/--insecure-dev-keys/);
    expect(existsSync(out)).toBe(false);
  });

  it('an existing non-empty --out without --force: exit 2, the bundle is untouched', async () => {
    const before = readFileSync(path.join(bundle, 'manifest.json'), 'utf8');
    const r = await zk([
      'prove',
      db,
      '--allow-open-snapshot',
      '--at',
      AT,
      '--currency',
      'USD',
      '--out',
      bundle,
      '--secret-file',
      secret,
      '--insecure-dev-keys',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty \(pass --force/);
    expect(readFileSync(path.join(bundle, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('insolvent: exit 1 naming liabilities and reserves, no bundle', async () => {
    const idb = path.join(dir, 'insolvent.db');
    await zk(['init', idb]);
    const f = await writeText(
      dir,
      'i.csv',
      'external_ref,owner_type,currency,balance\nu,USER,USD,10.00\nv,USER,USD,5.00\nr,RESERVE,USD,14.99\n',
    );
    await zk(['import', idb, f]);
    const out = path.join(dir, 'insolvent-bundle');
    const r = await zk([
      'prove',
      idb,
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
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/insolvent: USD user liabilities 15\.00 exceed reserves 14\.99/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}-packets`)).toBe(false);
  });

  it('a bad secret file or currency is a usage error (exit 2)', async () => {
    const bad = await writeText(dir, 'short.secret', 'abcd\n');
    const out = path.join(dir, 'x');
    expect(
      (
        await zk([
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
          bad,
          '--insecure-dev-keys',
        ])
      ).stderr,
    ).toMatch(/at least 32 bytes/);
    const r = await zk([
      'prove',
      db,
      '--allow-open-snapshot',
      '--at',
      AT,
      '--currency',
      'XYZ',
      '--out',
      out,
      '--secret-file',
      secret,
      '--insecure-dev-keys',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown currency "XYZ"/);
  });
});

describe('verify', () => {
  it('exit 0 with a human summary and the unmissable insecure-keys warning', async () => {
    const r = await zk(['verify', bundle]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/currency\s+USD/);
    expect(r.stdout).toMatch(/snapshot time\s+2025-01-01T00:00:00\.000Z/);
    expect(r.stdout).toMatch(/users committed\s+at most 8/);
    expect(r.stdout).toMatch(/total\s+1335\.13 USD/);
    expect(r.stdout).toMatch(/reserves\s+2000\.00 USD/);
    expect(r.stdout).toMatch(/audit head\s+[0-9a-f]{64}\n\s+audit sequence\s+#\d+ \(claimed, not verified\)/);
    expect(r.stdout).toMatch(/ceremony\s+insecure-dev/);
    expect(r.stdout).toMatch(/RESULT: VALID/);
    expect(r.stdout).toMatch(/!!!!!.*\n!! INSECURE DEVELOPMENT KEYS/);
    expect(r.stdout).toMatch(/NOT evidence of solvency/);
    const j = await zk([
      'verify',
      bundle,
      '--json',
      '--trusted-keys',
      path.join(repoRoot, 'keys/dev/manifest.json'),
    ]);
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({
      ok: true,
      proofsVerified: 3,
      summary: { currency: 'USD', total: '133513' },
    });
    expect(j.stderr).toMatch(/INSECURE DEVELOPMENT KEYS/);
  });

  it('exit 1 after a public.json is tampered, naming the problem', async () => {
    const copy = path.join(dir, 'tampered');
    await cp(bundle, copy, { recursive: true });
    const file = path.join(copy, 'proofs', 'solvency', 'public.json');
    const signals = JSON.parse(readFileSync(file, 'utf8')) as string[];
    signals[2] = (BigInt(signals[2]!) + 1n).toString(); // claim more reserves
    await writeFile(file, JSON.stringify(signals, null, 1));
    const r = await zk(['verify', copy]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/RESULT: INVALID/);
    expect(r.stdout).toMatch(/solvency/);
    const j = await zk(['verify', copy, '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).ok).toBe(false);
  });

  it('exit 1 when the keys are not the trusted ones; exit 2 for a directory that is no bundle', async () => {
    const fake = await writeText(dir, 'trusted.json', JSON.stringify({ circuits: {} }));
    const r = await zk(['verify', bundle, '--trusted-keys', fake]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/have no b64-n8-k8-chunk circuit/);
    expect((await zk(['verify', dir])).code).toBe(2);
  });
});

describe('verify-inclusion', () => {
  it('exit 0: the balance is included and bound to the public figures', async () => {
    const r = await zk(['verify-inclusion', packetOf('carol'), '--bundle', bundle]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/balance\s+1234\.56 USD/);
    expect(r.stdout).toMatch(/INCLUDED/);
    expect(r.stdout).toMatch(/reserves\s+2000\.00 USD/);
    const j = await zk(['verify-inclusion', packetOf('carol'), '--bundle', bundle, '--json']);
    const out = JSON.parse(j.stdout);
    expect(out).toMatchObject({
      ok: true,
      included: true,
      externalRef: 'carol',
      balance: '123456',
      boundTo: { currency: 'USD', reserves: '200000', total: '133513' },
    });
  });

  it('exit 1 with a changed balance', async () => {
    const p = JSON.parse(readFileSync(packetOf('carol'), 'utf8'));
    p.balance = '999999';
    const f = await writeText(dir, 'forged.json', JSON.stringify(p));
    const r = await zk(['verify-inclusion', f, '--bundle', bundle]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT INCLUDED: leaf/);
    expect((await zk(['verify-inclusion', path.join(dir, 'none.json'), '--bundle', bundle])).code).toBe(2);
  });
});

describe('export-verifier', () => {
  it('writes the Solidity verifiers snarkjs would write (modulo the contract name)', async () => {
    const out = path.join(dir, 'sol');
    await mkdir(out);
    const r = await zk(['export-verifier', bundle, '--out', path.join(out, 'Verifier.sol')]);
    expect(r.code, r.stderr).toBe(0);
    const files = {
      solvency: 'Verifier.sol',
      chunk: 'Verifier.chunk.sol',
      aggregate: 'Verifier.aggregate.sol',
    } as const;
    for (const [kind, name] of Object.entries(files) as [keyof typeof files, string][]) {
      const ours = readFileSync(path.join(out, name), 'utf8');
      expect(ours).toMatch(new RegExp(`contract ${CONTRACT_NAMES[kind]} \\{`));
      const ref = path.join(out, `snarkjs-${kind}.sol`);
      execFileSync(process.execPath, [
        snarkjsCliPath(),
        'zkey',
        'export',
        'solidityverifier',
        path.join(repoRoot, 'build/keys/dev', `b64-n8-k8-${kind}.zkey`),
        ref,
      ]);
      expect(ours.replace(CONTRACT_NAMES[kind], 'Groth16Verifier')).toBe(readFileSync(ref, 'utf8'));
    }
    expect(new Set(Object.values(CONTRACT_NAMES)).size).toBe(3);
  });
});
