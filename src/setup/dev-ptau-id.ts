// Identity of the insecure dev powers of tau (made by dev-ceremony.ts from a public beacon), kept apart so that
// the phase-1 import and the verifiers can recognise the file without loading the dev-key machinery.

export const DEV_PTAU_POWER = 12;
/**
 * sha256 of the dev ptau: `snarkjs powersoftau new bn128 12`, `powersoftau beacon <DEV_PTAU_BEACON_HEX> 10
 * -n "zkreserve insecure dev beacon"`, `powersoftau prepare phase2` (snarkjs 0.7.6). The programmatic
 * generation in dev-ceremony.ts and the CLI give this same file.
 */
export const DEV_PTAU_SHA256 = 'da211122eb6c9353664076a4d0d499679cfbd05fa4e23727d6cb5284557fde2f';
export const DEV_PTAU_BLAKE2B =
  'db072fe1f62294852fcb5d47ffccbddc9f4b399e47fee06cd21a5e26f96a7077d26b6dc2b1277f8145857b92c2d54588bcd6084f1fc6aea5d460b6afeeb7f18d';

/**
 * Why keys on the dev ptau are worthless: its phase-1 secrets (tau, alpha, beta) are public, and with them the
 * proving key's delta-scaled points give 1/delta, so anyone can forge proofs whatever the phase-2 contributions.
 */
export const DEV_PTAU_INSECURE_REASON =
  'it is the public insecure development powers of tau (zkreserve-dev-12.ptau): its phase-1 secrets are ' +
  'public, so keys built on it are forgeable whatever the phase-2 contributions (and every zkreserve ' +
  'verifier rejects them)';

/** Power of the insecure test ptau (../shared/fixtures/ptau16/zkreserve-test-16.ptau, see its README). */
export const TEST_PTAU16_POWER = 16;
/** File name of the insecure 2^16 test ptau. */
export const TEST_PTAU16_FILE = 'zkreserve-test-16.ptau';
/**
 * sha256 of the insecure 2^16 test ptau: `snarkjs powersoftau new bn128 16`, `powersoftau beacon
 * 7a6b726573657276652d696e7365637572652d746573742d7074617531360000 10`, `powersoftau prepare phase2`
 * (snarkjs 0.7.6), as its README gives it.
 */
export const TEST_PTAU16_SHA256 = '46e7e2f19e8fac043fdf4bb6065ae07c316355278fafab4bf77c6442c9258b2a';
/** blake2b-512 of the insecure 2^16 test ptau. */
export const TEST_PTAU16_BLAKE2B =
  '6980433f9c37c5ad00cd6151778acb805cd2db3e55ca2044c8fd0d3590e1b71c5a4fe77d4236f4fa3c8879df373aa2d818b25f457e17495e5070e555b354fcbb';

/** Why keys on the test ptau are worthless (the same reason as the dev ptau's). */
export const TEST_PTAU16_INSECURE_REASON =
  `it is the public insecure test powers of tau (${TEST_PTAU16_FILE}, made from a public beacon): its ` +
  'phase-1 secrets are public, so keys built on it are forgeable whatever the phase-2 contributions';

/**
 * Why a phase-1 file with this blake2b-512 is insecure (one of zkreserve's own public ptau files), or null
 * when it is not one of them.
 */
export function insecurePtauReason(blake2b: string): string | null {
  if (blake2b === DEV_PTAU_BLAKE2B) return DEV_PTAU_INSECURE_REASON;
  if (blake2b === TEST_PTAU16_BLAKE2B) return TEST_PTAU16_INSECURE_REASON;
  return null;
}
