// Structural checks of a Groth16 verification key (protocol.md §9 step 3), whatever the pinning: a key that
// is degenerate lets anyone forge proofs for any public signals, or makes the pairing check meaningless.
// Browser-safe. All curve arithmetic is @noble/curves' bn254 (on-curve and subgroup checks included; BN254's
// G2 has a cofactor, so "on the twist" is not enough).
//
// snarkjs writes a key's points as projective decimal strings: G1 [x, y, z], G2 [[x0, x1], [y0, y1], [z0, z1]]
// with an Fp2 element c0 + c1·u written [c0, c1] (the same order as noble's Fp2.fromBigTuple). snarkjs writes
// affine points (z = 1, the point at infinity as z = 0); any other z is refused as non-canonical, so that this
// module and snarkjs cannot read the same JSON as different points.
import { bn254 } from '@noble/curves/bn254';

const G1 = bn254.G1.ProjectivePoint;
const G2 = bn254.G2.ProjectivePoint;
const Fp2 = bn254.fields.Fp2;
const P = bn254.fields.Fp.ORDER;
const DEC = /^(0|[1-9][0-9]*)$/;

type G1Point = InstanceType<typeof G1>;
type G2Point = InstanceType<typeof G2>;

/** An element of Fp as snarkjs writes it: a canonical decimal string below p. */
function fp(x: unknown): bigint | null {
  if (typeof x !== 'string' || !DEC.test(x)) return null;
  const v = BigInt(x);
  return v < P ? v : null;
}

function fp2(x: unknown): [bigint, bigint] | null {
  if (!Array.isArray(x) || x.length !== 2) return null;
  const c0 = fp(x[0]);
  const c1 = fp(x[1]);
  return c0 === null || c1 === null ? null : [c0, c1];
}

/** A G1 point [x, y, z] with z in {0, 1}; 'infinity', an error message, or the point (on the curve). */
function g1(x: unknown): G1Point | 'infinity' | string {
  if (!Array.isArray(x) || x.length !== 3) return 'is not a G1 point [x, y, z]';
  const [px, py, pz] = x.map(fp);
  if (px === null || py === null || pz === null)
    return 'has a coordinate that is not a canonical decimal below p';
  if (pz === 0n) return 'infinity';
  if (pz !== 1n) return `has z = ${pz}: not an affine point (z must be 1)`;
  const point = G1.fromAffine({ x: px, y: py });
  try {
    point.assertValidity();
  } catch {
    return 'is not on the BN254 curve';
  }
  return point;
}

/** A G2 point [[x0, x1], [y0, y1], [z0, z1]] with z in {0, 1}; on the twist and in the order-r subgroup. */
function g2(x: unknown): G2Point | 'infinity' | string {
  if (!Array.isArray(x) || x.length !== 3) return 'is not a G2 point [[x0, x1], [y0, y1], [z0, z1]]';
  const [px, py, pz] = x.map(fp2);
  if (px === null || py === null || pz === null)
    return 'has a coordinate that is not a pair of canonical decimals below p';
  if (pz[0] === 0n && pz[1] === 0n) return 'infinity';
  if (pz[0] !== 1n || pz[1] !== 0n) return 'has z other than 1: not an affine point';
  const point = G2.fromAffine({ x: Fp2.fromBigTuple(px), y: Fp2.fromBigTuple(py) });
  const { x: ax, y: ay } = point.toAffine();
  if (!Fp2.eql(Fp2.sqr(ay), bn254.G2.weierstrassEquation(ax))) return 'is not on the BN254 twist curve';
  try {
    point.assertValidity();
  } catch {
    return 'is on the twist but not in the order-r subgroup of G2 (a small-subgroup point)';
  }
  return point;
}

/**
 * The problems of verification key `vk` (of circuit kind `label`, for messages): protocol and curve, nPublic
 * against IC, every point on its curve and in its subgroup, no point at infinity, alpha and beta not the
 * group generators, gamma not equal to delta. An empty list: the key is structurally sound (which says
 * nothing about whose key it is: that is what pinning is for).
 */
export function checkVkeyStructure(label: string, vk: unknown): string[] {
  const at = `verification key ${label}`;
  if (!vk || typeof vk !== 'object') return [`${at}: not an object`];
  const k = vk as Record<string, unknown>;
  const errors: string[] = [];
  if (k.protocol !== 'groth16')
    errors.push(`${at}: protocol is ${JSON.stringify(k.protocol)}, expected "groth16"`);
  if (k.curve !== 'bn128') errors.push(`${at}: curve is ${JSON.stringify(k.curve)}, expected "bn128"`);
  const nPublic = k.nPublic;
  if (!Number.isSafeInteger(nPublic) || (nPublic as number) < 0) {
    errors.push(`${at}: nPublic ${JSON.stringify(nPublic)} is not a non-negative integer`);
  } else if (!Array.isArray(k.IC) || k.IC.length !== (nPublic as number) + 1) {
    errors.push(
      `${at}: IC has ${Array.isArray(k.IC) ? k.IC.length : 'no'} points, nPublic ${String(nPublic)} needs ${(nPublic as number) + 1}`,
    );
  }

  const g1Of = (name: string, x: unknown): G1Point | null => {
    const p = g1(x);
    if (p === 'infinity') errors.push(`${at}: ${name} is the point at infinity`);
    else if (typeof p === 'string') errors.push(`${at}: ${name} ${p}`);
    else return p;
    return null;
  };
  const g2Of = (name: string, x: unknown): G2Point | null => {
    const p = g2(x);
    if (p === 'infinity') errors.push(`${at}: ${name} is the point at infinity`);
    else if (typeof p === 'string') errors.push(`${at}: ${name} ${p}`);
    else return p;
    return null;
  };

  const alpha = g1Of('vk_alpha_1', k.vk_alpha_1);
  const beta = g2Of('vk_beta_2', k.vk_beta_2);
  const gamma = g2Of('vk_gamma_2', k.vk_gamma_2);
  const delta = g2Of('vk_delta_2', k.vk_delta_2);
  if (Array.isArray(k.IC)) k.IC.forEach((p, i) => g1Of(`IC[${i}]`, p));
  if (alpha?.equals(G1.BASE)) errors.push(`${at}: vk_alpha_1 is the G1 generator (a degenerate key)`);
  if (beta?.equals(G2.BASE)) errors.push(`${at}: vk_beta_2 is the G2 generator (a degenerate key)`);
  if (gamma && delta && gamma.equals(delta)) {
    // With gamma = delta the proof's C and the public-input term share one pairing: a prover can move any
    // public input into C and "prove" any statement.
    errors.push(`${at}: vk_gamma_2 equals vk_delta_2 (a degenerate key: proofs can be forged)`);
  }
  return errors;
}
