// The bundle's manifest.json (protocol.md §7) from a tree and the key set.
import type { KeySet } from '../setup/keyset.js';
import { CIRCUIT_KINDS, publicSignalNames } from '../protocol/families.js';
import type { CircuitKind } from '../protocol/families.js';
import type { SolvencyTree } from '../tree/solvency-tree.js';
import { PROTOCOL_VERSION, SOLVENCY_PROOF_ID, proofId } from '../bundle/format.js';
import type { BundleManifest, ManifestCircuitKeys, ManifestProofEntry } from '../bundle/format.js';

/** What the bundle reveals about the number of users. */
export function userCountPolicy(tree: SolvencyTree): BundleManifest['users'] {
  const n = tree.family.chunkUsers;
  const chunks = tree.chunks.length;
  if (tree.padded) {
    return {
      paddedUsers: tree.paddedUsers,
      policy: 'padded',
      revealed: `at most ${tree.paddedUsers} users: the tree was padded to ${chunks} chunks of ${n}, padding leaves at keyed pseudo-random positions in every chunk, so neither the count nor a leaf's position tells more`,
    };
  }
  const low = chunks === 1 ? 0 : (chunks - 1) * n + 1;
  return {
    paddedUsers: tree.paddedUsers,
    policy: 'exact-chunks',
    revealed: `between ${low} and ${tree.paddedUsers} users (${chunks} chunks of ${n}, fewer than ${n} padding leaves, at keyed pseudo-random positions)`,
  };
}

export function buildManifest(tree: SolvencyTree, keys: KeySet, publishTotal: boolean): BundleManifest {
  const proofs: ManifestProofEntry[] = [];
  tree.levelCounts.forEach((count, level) => {
    for (let index = 0; index < count; index++) {
      const id = proofId(level, index);
      proofs.push({ id, kind: level === 0 ? 'chunk' : 'aggregate', level, index, path: `proofs/${id}` });
    }
  });
  proofs.push({
    id: SOLVENCY_PROOF_ID,
    kind: 'solvency',
    level: tree.levelCounts.length,
    index: 0,
    path: `proofs/${SOLVENCY_PROOF_ID}`,
  });
  const circuits = {} as Record<CircuitKind, ManifestCircuitKeys>;
  const publicSignals = {} as Record<CircuitKind, string[]>;
  for (const kind of CIRCUIT_KINDS) {
    const c = keys.circuits[kind];
    circuits[kind] = { name: c.name, hashes: { ...c.hashes } };
    publicSignals[kind] = publicSignalNames(tree.family, kind);
  }
  const f = tree.family;
  return {
    protocol: PROTOCOL_VERSION,
    currency: tree.currency,
    decimals: tree.decimals,
    currencyId: tree.currencyId.toString(),
    snapshotTime: new Date(tree.snapshotTime).toISOString(),
    snapshotTimeMs: String(tree.snapshotTime),
    auditHead: {
      sequence: tree.auditHead.sequence,
      hash: tree.auditHead.hash,
      hi: tree.auditHead.hi.toString(),
      lo: tree.auditHead.lo.toString(),
    },
    reserves: tree.reserves.toString(),
    total: publishTotal ? tree.total.toString() : null,
    family: {
      id: f.id,
      balanceBits: f.balanceBits,
      chunkUsers: f.chunkUsers,
      aggChildren: f.aggChildren,
      sumBits: f.sumBits,
    },
    tree: { levels: [...tree.levelCounts] },
    users: userCountPolicy(tree),
    keys: { ceremony: keys.ceremony, insecure: keys.insecure, transcript: keys.transcript, circuits },
    publicSignals,
    proofs,
  };
}
