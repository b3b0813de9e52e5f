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
