// Red team (issue 9 §2, protocol zkreserve/2): everything the manifest shows is bound by a proof or checked
// against the protocol. A dishonest operator edits the manifest of a genuine bundle (keys not pinned):
// - rescales every figure by changing `decimals` (2 -> 0: 29,285.65 USD would read 2,928,565 USD);
// - reorders `publicSignals` names, so that a tool labelling signals by them is misled;
// - relabels the family's B against the currency's decimals;
// - uses a look-alike currency code ("USD\u200b", Cyrillic "UЅD", "usd");
// - hands out a zkreserve/1 bundle or packet, which must be refused by name, not obscurely.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleData, InclusionPacket } from '../../src/bundle/format.js';
import { currencyId } from '../../src/protocol/encoding.js';
import { checkSolvencyClaims } from '../../src/verify/checks.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { verifyInclusion } from '../../src/verify/verify-inclusion.js';
import { buildSolvencyTree } from '../../src/tree/solvency-tree.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { InvalidStatementError } from '../../src/tree/errors.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { copyDir, tempDir } from '../prover/fixtures.js';
import { zk } from '../cli/helpers.js';
import { buildBundle, clone } from './support.js';

let dir: string;
let A: BundleData;
let packets: InclusionPacket[];

async function errorsOf(b: BundleData): Promise<string> {
  const r = await verifyBundle(b);
  expect(r.ok).toBe(false);
  return r.errors.join('\n');
}

async function reasonOf(p: InclusionPacket, b: BundleData = A): Promise<string> {
  const r = await verifyInclusion(p, b);
  expect(r.ok).toBe(false);
  return r.reason;
}

const LOOK_ALIKES = ['USD\u200b', 'U\u0405D', 'usd'];

beforeAll(async () => {
  ({ dir, bundle: A, packets } = await buildBundle('redteam-binding', 10, { publishTotal: true }));
}, 600_000);

afterAll(async () => {
  await terminateCurves();
});

describe('baseline', () => {
  it('accepts the genuine bundle and a packet', async () => {
    expect((await verifyBundle(A)).errors).toEqual([]);
    expect((await verifyInclusion(packets[0]!, A)).reason).toBe('');
    expect(A.manifest.protocol).toBe('zkreserve/2');
    expect(A.manifest.currencyId).toBe(currencyId('USD', 2).toString());
  });
});

describe('decimals are bound into the currency signal', () => {
  it('refuses a manifest whose decimals were changed 2 -> 0 (every figure rescaled x100)', async () => {
    const b = clone(A);
    b.manifest.decimals = 0;
    expect(await errorsOf(b)).toMatch(/currencyId .* is not currencyId\(USD, 0\)/);
    expect(await reasonOf(packets[0]!, b)).toMatch(/decimals|currencyId/);
  });

  it('refuses it when the attacker also recomputes currencyId: the solvency proof binds the old one', async () => {
    const b = clone(A);
    b.manifest.decimals = 0;
    b.manifest.currencyId = currencyId('USD', 0).toString();
    expect(await errorsOf(b)).toMatch(/USD has 2 decimals \(built-in currency\), the manifest says 0/);
    // For a currency outside the registry, the proof is what refuses it: its currencyId signal says 2.
    expect(checkSolvencyClaims(b.manifest, A.proofs.solvency!.publicSignals, undefined).join()).toMatch(
      /claim currencyId: manifest says \d+, the solvency proof says/,
    );
  });
});

describe('publicSignals names are the protocol list', () => {
  it('refuses reordered solvency names (reserves and disclosedTotal swapped)', async () => {
    const b = clone(A);
    const names = b.manifest.publicSignals.solvency;
    [names[2], names[8]] = [names[8]!, names[2]!];
    expect(await errorsOf(b)).toMatch(/publicSignals.solvency is not the protocol's list/);
  });

  it('refuses reordered or renamed aggregate and chunk names', async () => {
    const b = clone(A);
    b.manifest.publicSignals.aggregate.reverse();
    b.manifest.publicSignals.chunk = ['sumCommit', 'root'];
    const errors = await errorsOf(b);
    expect(errors).toMatch(/publicSignals.aggregate is not/);
    expect(errors).toMatch(/publicSignals.chunk is not/);
  });
});

describe('B is tied to the decimals', () => {
  it('refuses a USD bundle relabelled b100 (sumBits and id made consistent)', async () => {
    const b = clone(A);
    b.manifest.family = { ...b.manifest.family, id: 'b100-n8-k8', balanceBits: 100, sumBits: 132 };
    expect(await errorsOf(b)).toMatch(
      /family b100-n8-k8 has balanceBits 100, a currency with 2 decimals needs 64/,
    );
  });

  it('the prover refuses a statement whose family does not fit its decimals', () => {
    const st = {
      currency: 'ETH',
      decimals: 18,
      snapshotTime: 1,
      auditHead: { sequence: 0, hash: '00'.repeat(32) },
      reserves: 0n,
      users: [],
    };
    expect(() => buildSolvencyTree(st, new Uint8Array(32).fill(1), B64_N8_K8)).toThrow(/needs B = 100/);
  });
});

describe('currency codes follow the ledger grammar [A-Z0-9]{1,31}', () => {
  for (const code of LOOK_ALIKES) {
    it(`refuses the manifest currency ${JSON.stringify(code)}`, async () => {
      const b = clone(A);
      b.manifest.currency = code;
      expect(await errorsOf(b)).toMatch(/is not a currency code: 1..31 uppercase ASCII letters or digits/);
    });

    it(`refuses the packet currency ${JSON.stringify(code)}`, async () => {
      const p = clone(packets[0]!);
      p.currency = code;
      expect(await reasonOf(p)).toMatch(/^packet: currency .* is not a currency code/);
    });

    it(`the prover refuses the statement currency ${JSON.stringify(code)}`, () => {
      const st = {
        currency: code,
        decimals: 2,
        snapshotTime: 1,
        auditHead: { sequence: 0, hash: '00'.repeat(32) },
        reserves: 0n,
        users: [],
      };
      expect(() => buildSolvencyTree(st, new Uint8Array(32).fill(1), B64_N8_K8)).toThrow(
        InvalidStatementError,
      );
    });
  }
});

describe('manifest integers are canonical', () => {
  it('refuses a non-canonical snapshotTimeMs, reserves or audit sequence', async () => {
    const b = clone(A);
    b.manifest.snapshotTimeMs = '0' + b.manifest.snapshotTimeMs;
    expect(await errorsOf(b)).toMatch(/snapshotTimeMs is not a canonical decimal string/);
    const c = clone(A);
    c.manifest.reserves = '+' + c.manifest.reserves;
    expect(await errorsOf(c)).toMatch(/reserves is not a decimal string/);
    const d = clone(A);
    (d.manifest.auditHead as { sequence: unknown }).sequence = '5';
    expect(await errorsOf(d)).toMatch(/auditHead.sequence is not a non-negative integer/);
  });
});

describe('a zkreserve/1 bundle or packet is refused by name', () => {
  it('verifyBundle and verifyInclusion say "unsupported protocol zkreserve/1"', async () => {
    const b = clone(A);
    (b.manifest as { protocol: string }).protocol = 'zkreserve/1';
    const r = await verifyBundle(b);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([
      'manifest: unsupported protocol zkreserve/1 (this verifier reads zkreserve/2)',
    ]);
    const p = clone(packets[0]!);
    (p as { protocol: string }).protocol = 'zkreserve/1';
    expect(await reasonOf(p)).toBe(
      'packet: unsupported protocol zkreserve/1 (this verifier reads zkreserve/2)',
    );
    (p as { protocol: string }).protocol = 'zkreserve/3';
    expect(await reasonOf(p)).toMatch(/^packet: unsupported protocol zkreserve\/3 /);
  });

  it('the CLI verify and verify-inclusion print it', async () => {
    const copy = await copyDir(dir, 'binding-v1');
    const file = path.join(copy, 'manifest.json');
    const m = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...m, protocol: 'zkreserve/1' }, null, 2));
    const v = await zk(['verify', copy]);
    expect(v.code).not.toBe(0);
    expect(v.stdout + v.stderr).toContain('unsupported protocol zkreserve/1');

    const work = await tempDir('binding-v1-packet');
    const packetFile = path.join(work, 'packet.json');
    await writeFile(packetFile, JSON.stringify({ ...packets[0]!, protocol: 'zkreserve/1' }));
    const vi = await zk(['verify-inclusion', packetFile, '--bundle', dir]);
    expect(vi.code).not.toBe(0);
    expect(vi.stdout + vi.stderr).toContain('unsupported protocol zkreserve/1');
  }, 120_000);
});
