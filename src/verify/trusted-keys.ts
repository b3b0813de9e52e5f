// The trusted-keys manifest: the key manifest.json a ceremony publishes (`setup export`, or keys/dev/), whose
// verification-key hashes a verifier pins a bundle's keys to (`verify --trusted-keys`). Browser-safe: the CLI
// reads the file, a page can take the text from its user. Only the `circuits` map and each circuit's `vkey`
// hash are read; the rest of the manifest (setup/keyset.ts KeyManifest) is the ceremony tools' business.
// The format is protocol.md §9.1 ("Trusted keys").
import { CIRCUIT_KINDS, circuitName } from '../protocol/families.js';
import type { CircuitFamily, CircuitKind } from '../protocol/families.js';
import { TrustedKeysError } from './errors.js';

export interface TrustedKeys {
  /** Where the manifest came from, for messages (e.g. its file path). */
  source: string;
  /** Circuit name (e.g. `b64-n8-k8-chunk`) -> SHA-256 (hex) of its verification key file. */
  vkeyHashes: ReadonlyMap<string, string>;
}

/**
 * Said, in words no one can miss, wherever a bundle is checked with keys nobody pinned (CLI and page): the
 * bundle's own keys prove only what their maker allows.
 */
export const UNPINNED_KEYS_WARNING =
  'KEYS NOT PINNED: these proofs are only as good as keys you have not checked. The verification keys ' +
  'came from the bundle itself, so whoever made them can "prove" any figures, and the circuit family is ' +
  "the bundle's claim. Pin the keys with the key manifest the setup ceremony published.";

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Parses a key manifest's JSON text; throws TrustedKeysError when it is not JSON, has no `circuits` map, or a
 * circuit's `vkey` is not a lowercase hex SHA-256.
 */
export function parseTrustedKeys(text: string, source: string): TrustedKeys {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (e) {
    throw new TrustedKeysError(`cannot read trusted key manifest ${source}: ${(e as Error).message}`);
  }
  const circuits = (manifest as { circuits?: unknown } | null)?.circuits;
  if (typeof circuits !== 'object' || circuits === null) {
    throw new TrustedKeysError(`${source} is not a zkreserve key manifest`);
  }
  const vkeyHashes = new Map<string, string>();
  for (const [name, entry] of Object.entries(circuits)) {
    const vkey = (entry as { vkey?: unknown } | null)?.vkey;
    if (typeof vkey !== 'string' || !HEX64.test(vkey)) {
      throw new TrustedKeysError(
        `${source}: circuits.${name}.vkey is not a SHA-256 of 64 lowercase hex digits`,
      );
    }
    vkeyHashes.set(name, vkey);
  }
  return { source, vkeyHashes };
}

export type PinnedVkeyHashes =
  | { ok: true; hashes: Record<CircuitKind, string> }
  /** The manifest has no key for one of the family's circuits: the bundle does not use these keys. */
  | { ok: false; error: string };

/** The pinned verification-key hash of each circuit of `family` (only its id is read: a bundle's claim). */
export function pinnedVkeyHashes(keys: TrustedKeys, family: Pick<CircuitFamily, 'id'>): PinnedVkeyHashes {
  const hashes = {} as Record<CircuitKind, string>;
  for (const kind of CIRCUIT_KINDS) {
    // circuitName reads only the family's id.
    const name = circuitName(family as CircuitFamily, kind);
    const hash = keys.vkeyHashes.get(name);
    if (hash === undefined) {
      return {
        ok: false,
        error:
          `keys: the bundle claims circuit family ${JSON.stringify(family.id)}, but the trusted keys ` +
          `${keys.source} have no ${name} circuit (they pin ${pinnedFamilies(keys).join(', ') || 'no family'}): ` +
          'this bundle does not use them',
      };
    }
    hashes[kind] = hash;
  }
  return { ok: true, hashes };
}

/** The families whose three circuits the trusted keys all pin, sorted. */
export function pinnedFamilies(keys: TrustedKeys): string[] {
  const families = new Set<string>();
  for (const name of keys.vkeyHashes.keys()) {
    const kind = CIRCUIT_KINDS.find((k) => name.endsWith(`-${k}`));
    if (kind === undefined) continue;
    const id = name.slice(0, -kind.length - 1);
    if (CIRCUIT_KINDS.every((k) => keys.vkeyHashes.has(`${id}-${k}`))) families.add(id);
  }
  return [...families].sort();
}
