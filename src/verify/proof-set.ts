// The proof checks both verifiers run (protocol.md §9), over a set of proofs: every proof of a bundle
// (verify-bundle.ts) or one user's path to the solvency proof (verify-inclusion.ts). Browser-safe.
// In order: the shape of each proof's public signals, the links between levels, the solvency claims against
// the manifest, then Groth16. Runs on a manifest that passed checkManifest and keys that passed checkVkeys.
import { SOLVENCY_PROOF_ID, proofId } from '../bundle/format.js';
import type { BundleData } from '../bundle/format.js';
import type { CircuitKind } from '../protocol/families.js';
import { checkGroth16, checkLinkSlot, checkSignals, checkSolvencyClaims } from './checks.js';

export interface ProofSet {
  /** The proofs to check, in the order they are checked, with their circuit kinds. */
  proofs: readonly { id: string; kind: CircuitKind }[];
  /** The aggregation slots to check: parent proof, slot, and the child proof there (null: the padding child). */
  links: readonly { parent: string; slot: number; child: string | null }[];
}

export interface ProofSetOptions {
  /** Stop at the first problem (the inclusion verifier gives one reason); default false: collect them all. */
  firstOnly?: boolean;
  /** Run after the signal shapes passed and before the links: more checks on the signals (null: passed). */
  afterShapes?: (signals: (id: string) => string[]) => string | null;
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface ProofSetResult {
  errors: string[];
  /** Number of Groth16 proofs checked. */
  proofsVerified: number;
}

/** Every proof of the bundle and every slot of every aggregation proof. */
export function wholeBundle(bundle: BundleData): ProofSet {
  const { levels } = bundle.manifest.tree;
  const k = bundle.manifest.family.aggChildren;
  const links: { parent: string; slot: number; child: string | null }[] = [];
  for (let level = 1; level < levels.length; level++) {
    for (let j = 0; j < levels[level]!; j++) {
      for (let slot = 0; slot < k; slot++) {
        const c = j * k + slot;
        links.push({
          parent: proofId(level, j),
          slot,
          child: c < levels[level - 1]! ? proofId(level - 1, c) : null,
        });
      }
    }
  }
  return { proofs: bundle.manifest.proofs.map((e) => ({ id: e.id, kind: e.kind })), links };
}

export async function checkProofSet(
  bundle: BundleData,
  set: ProofSet,
  options: ProofSetOptions = {},
): Promise<ProofSetResult> {
  const m = bundle.manifest;
  const k = m.family.aggChildren;
  const errors: string[] = [];
  /** Records a problem; true when the run stops here. */
  const found = (error: string | null): boolean => {
    if (error) errors.push(error);
    return options.firstOnly === true && errors.length > 0;
  };
  const stopped = (): ProofSetResult => ({ errors, proofsVerified: 0 });

  for (const p of set.proofs) if (found(checkSignals(p.id, p.kind, bundle.proofs?.[p.id], k))) break;
  if (errors.length > 0) return stopped();
  const signals = (id: string): string[] => bundle.proofs[id]!.publicSignals;
  if (found(options.afterShapes?.(signals) ?? null)) return stopped();

  for (const { parent, slot, child } of set.links) {
    const c = child === null ? 'pad' : { id: child, signals: signals(child) };
    if (found(checkLinkSlot(parent, signals(parent), slot, k, c))) return stopped();
  }
  const top = proofId(m.tree.levels.length - 1, 0);
  for (const e of checkSolvencyClaims(m, signals(SOLVENCY_PROOF_ID), signals(top))) {
    if (found(e)) return stopped();
  }

  const total = set.proofs.length;
  let done = 0;
  options.onProgress?.({ done, total });
  for (const p of set.proofs) {
    const error = await checkGroth16(p.id, p.kind, bundle.vkeys[p.kind], bundle.proofs[p.id]!);
    done++;
    options.onProgress?.({ done, total });
    if (found(error)) break;
  }
  return { errors, proofsVerified: done };
}
