// Red team, issue 9 §1: structurally degenerate verification keys. An operator who writes its own key file
// can make the pairing check meaningless (IC at infinity: the public signals drop out; gamma = delta: any
// public input moves into C; alpha or beta the generator: a key with a known trapdoor; a G2 point outside
// the order-r subgroup: small-subgroup tricks). Such keys are refused whatever the pinning
// (src/verify/vkey-structure.ts, called from checkVkeys), each with a reason naming the fault.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { bn254 } from '@noble/curves/bn254';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleData, InclusionPacket } from '../../src/bundle/format.js';
import { verifyBundle, verifyInclusion } from '../../src/verify/index.js';
import { checkVkeyStructure } from '../../src/verify/vkey-structure.js';
import { snarkjs, terminateCurves } from '../../src/zk/snarkjs.js';
import type { VerificationKey } from '../../src/zk/snarkjs.js';
import { compilePoseidon1, ensureTestPtau, tempDir } from '../setup/helpers.js';
import { buildBundle, claimCeremony, clone, forgedKey } from './support.js';

type Vk = Record<string, unknown>;
const KINDS = ['chunk', 'aggregate', 'solvency'] as const;

let dev: Vk;
let ceremonyVkey: Vk;
let golden: BundleData;
let packet: InclusionPacket;

beforeAll(async () => {
  dev = JSON.parse(await readFile('keys/dev/b64-n8-k8-chunk.vkey.json', 'utf8')) as Vk;
  const built = await buildBundle('keys-structure', 3);
  golden = built.bundle;
  packet = built.packets[0]!;
  // A genuine key of a real (if tiny) ceremony: the unlisted random phase-1 file and one phase-2 contribution.
  const circuit = await compilePoseidon1();
  const work = await tempDir('keys-structure');
  const z0 = path.join(work, 'c0.zkey');
  const z1 = path.join(work, 'c1.zkey');
  await snarkjs.zKey.newZKey(circuit.r1csPath, await ensureTestPtau(), z0);
  await snarkjs.zKey.contribute(z0, z1, 'alice', 'some entropy for the test contribution');
  ceremonyVkey = (await snarkjs.zKey.exportVerificationKey(z1)) as Vk;
}, 300_000);

afterAll(async () => {
  await terminateCurves();
});

const G2_GENERATOR = (): unknown => clone(dev.vk_gamma_2); // snarkjs keys use the G2 generator as gamma

/** A point on the BN254 twist that is not in the order-r subgroup, as snarkjs JSON (found with noble). */
function twistPointOutsideSubgroup(): string[][] {
  const Fp2 = bn254.fields.Fp2;
  for (let i = 1n; ; i++) {
    const x = Fp2.fromBigTuple([i, 1n]);
    let y;
    try {
      y = Fp2.sqrt(bn254.G2.weierstrassEquation(x));
    } catch {
      continue;
    }
    const p = bn254.G2.ProjectivePoint.fromAffine({ x, y });
    if (p.isTorsionFree()) continue;
    return [
      [x.c0.toString(), x.c1.toString()],
      [y.c0.toString(), y.c1.toString()],
      ['1', '0'],
    ];
  }
}

describe('genuine keys are structurally sound', () => {
  it('accepts every dev key (keys/dev) and a ceremony key', async () => {
    for (const file of (await readdir('keys/dev')).filter((f) => f.endsWith('.vkey.json'))) {
      const vk = JSON.parse(await readFile(path.join('keys/dev', file), 'utf8')) as Vk;
      expect(checkVkeyStructure(file, vk), file).toEqual([]);
    }
    expect(checkVkeyStructure('ceremony', ceremonyVkey)).toEqual([]);
    for (const kind of KINDS) expect(checkVkeyStructure(kind, golden.vkeys[kind])).toEqual([]);
  });
});

describe('degenerate keys are refused, each with a reason naming the fault', () => {
  const cases: [string, (vk: Vk) => void, RegExp][] = [
    [
      'IC[0] at infinity',
      (vk) => ((vk.IC as unknown[])[0] = ['0', '1', '0']),
      /IC\[0\] is the point at infinity/,
    ],
    [
      'IC[2] at infinity',
      (vk) => ((vk.IC as unknown[])[2] = ['0', '1', '0']),
      /IC\[2\] is the point at infinity/,
    ],
    ['alpha = the G1 generator', (vk) => (vk.vk_alpha_1 = ['1', '2', '1']), /vk_alpha_1 is the G1 generator/],
    ['beta = the G2 generator', (vk) => (vk.vk_beta_2 = G2_GENERATOR()), /vk_beta_2 is the G2 generator/],
    ['gamma = delta', (vk) => (vk.vk_delta_2 = clone(vk.vk_gamma_2)), /vk_gamma_2 equals vk_delta_2/],
    [
      'delta at infinity',
      (vk) =>
        (vk.vk_delta_2 = [
          ['0', '0'],
          ['1', '0'],
          ['0', '0'],
        ]),
      /vk_delta_2 is the point at infinity/,
    ],
    [
      'alpha off the curve (y + 1)',
      (vk) => {
        const a = vk.vk_alpha_1 as string[];
        vk.vk_alpha_1 = [a[0], (BigInt(a[1]!) + 1n).toString(), '1'];
      },
      /vk_alpha_1 is not on the BN254 curve/,
    ],
    [
      'IC[1] off the curve',
      (vk) => ((vk.IC as unknown[])[1] = ['1', '3', '1']),
      /IC\[1\] is not on the BN254 curve/,
    ],
    [
      'delta off the twist',
      (vk) => {
        const d = clone(vk.vk_delta_2) as string[][];
        d[1]![0] = (BigInt(d[1]![0]!) + 1n).toString();
        vk.vk_delta_2 = d;
      },
      /vk_delta_2 is not on the BN254 twist curve/,
    ],
    [
      'beta on the twist but outside the order-r subgroup (the G2 cofactor)',
      (vk) => (vk.vk_beta_2 = twistPointOutsideSubgroup()),
      /vk_beta_2 is on the twist but not in the order-r subgroup/,
    ],
    [
      'gamma outside the subgroup',
      (vk) => (vk.vk_gamma_2 = twistPointOutsideSubgroup()),
      /vk_gamma_2 is on the twist but not in the order-r subgroup/,
    ],
    [
      'nPublic equal to the IC length',
      (vk) => (vk.nPublic = (vk.IC as unknown[]).length),
      /IC has (\d+) points, nPublic \1 needs/,
    ],
    ['nPublic not an integer', (vk) => (vk.nPublic = '2'), /nPublic "2" is not a non-negative integer/],
    [
      'an extra IC point',
      (vk) => (vk.IC as unknown[]).push(clone((vk.IC as unknown[])[1])),
      /IC has \d+ points, nPublic \d+ needs/,
    ],
    ['protocol plonk', (vk) => (vk.protocol = 'plonk'), /protocol is "plonk", expected "groth16"/],
    ['curve bls12381', (vk) => (vk.curve = 'bls12381'), /curve is "bls12381", expected "bn128"/],
    [
      'a projective z other than 1 (snarkjs and this check could read different points)',
      (vk) => (vk.vk_alpha_1 = [...(vk.vk_alpha_1 as string[]).slice(0, 2), '2']),
      /vk_alpha_1 has z = 2: not an affine point/,
    ],
    [
      'a coordinate >= p',
      (vk) => {
        const a = vk.vk_alpha_1 as string[];
        vk.vk_alpha_1 = [(BigInt(a[0]!) + bn254.fields.Fp.ORDER).toString(), a[1], '1'];
      },
      /vk_alpha_1 has a coordinate that is not a canonical decimal below p/,
    ],
    [
      'a hex coordinate',
      (vk) => ((vk.IC as string[][])[0]![0] = '0x1'),
      /IC\[0\] has a coordinate that is not a canonical decimal below p/,
    ],
  ];
  for (const [what, edit, reason] of cases) {
    it(`refuses ${what}`, () => {
      for (const base of [dev, ceremonyVkey]) {
        const vk = clone(base);
        edit(vk);
        expect(checkVkeyStructure('chunk', vk).join('\n'), what).toMatch(reason);
      }
    });
  }
});

describe('in the bundle checks, whatever the pinning', () => {
  /** The genuine bundle with every key replaced by one with IC at infinity and alpha = G1 (support.ts). */
  function forged(): BundleData {
    const b = clone(golden);
    const nPublic = { chunk: 2, aggregate: 18, solvency: 9 };
    for (const kind of KINDS) {
      const { vkey, proof } = forgedKey(b.vkeys[kind] as Vk, nPublic[kind]);
      b.vkeys[kind] = vkey as unknown as VerificationKey;
      for (const e of b.manifest.proofs) if (e.kind === kind) b.proofs[e.id]!.proof = clone(proof) as never;
    }
    const reserves = (10n ** 30n).toString();
    b.manifest.reserves = reserves;
    b.proofs.solvency!.publicSignals[2] = reserves;
    return claimCeremony(b);
  }

  it('refuses a bundle "proven" under forgeable operator keys with NO keys pinned (it verified before)', async () => {
    const r = await verifyBundle(forged());
    expect(r.ok).toBe(false);
    const errors = r.errors.join('\n');
    for (const kind of KINDS) {
      expect(errors).toMatch(new RegExp(`verification key ${kind}: IC\\[0\\] is the point at infinity`));
      expect(errors).toMatch(new RegExp(`verification key ${kind}: vk_alpha_1 is the G1 generator`));
    }
  });

  it('refuses the same keys in an inclusion check', async () => {
    const r = await verifyInclusion(packet, forged());
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/verification key chunk: IC\[0\] is the point at infinity/);
  });

  it('still verifies the untouched bundle', async () => {
    expect((await verifyBundle(golden)).errors).toEqual([]);
  });
});
