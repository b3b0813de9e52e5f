// The warnings shown whenever the insecure development keys (keys/dev/) are in use, in one place. Browser-safe.
// Both texts are outputs: the first is written into keys/dev/manifest.json, the second into every
// verification report; changing either changes the committed dev keys or the golden reports.

/**
 * About the keys themselves: in the dev keys' manifest, and shown by the CLI, the prover and the demo
 * whenever they are used to prove.
 */
export const INSECURE_DEV_KEYS_WARNING =
  'INSECURE DEVELOPMENT KEYS: these Groth16 keys come from a public, deterministic setup whose secrets ' +
  'anyone can recompute, so anyone can forge a "proof of solvency" for an insolvent ledger. They are for ' +
  'tests and demos only; never use them in production and never trust a proof made with them.';

/** About a bundle proven with them: the verifiers' warning (protocol.md §9 step 3), in every report. */
export const INSECURE_BUNDLE_WARNING =
  'INSECURE DEVELOPMENT KEYS: this bundle was proven with keys from a public, deterministic setup; anyone can ' +
  'forge such proofs, so it proves nothing about real reserves.';
