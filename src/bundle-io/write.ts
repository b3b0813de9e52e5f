// Writes a bundle directory (protocol.md §7) and inclusion packets. Node only.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { produceAtomic, writeFileAtomic } from '../fs/atomic.js';
import { CIRCUIT_KINDS } from '../protocol/families.js';
import { RESERVES_EVIDENCE_FILE, prettyJson, snarkjsJson, vkeyFileText } from '../bundle/format.js';
import type { BundleData, InclusionPacket } from '../bundle/format.js';

/** Writes manifest.json, verification_keys/ and proofs/ of `bundle` into `dir` (created if needed). */
export async function writeBundle(dir: string, bundle: BundleData): Promise<void> {
  await mkdir(path.join(dir, 'verification_keys'), { recursive: true });
  for (const kind of CIRCUIT_KINDS) {
    await writeFileAtomic(
      path.join(dir, 'verification_keys', `${kind}.vkey.json`),
      vkeyFileText(bundle.vkeys[kind]),
    );
  }
  for (const entry of bundle.manifest.proofs) {
    const p = bundle.proofs[entry.id];
    if (!p) continue;
    await writeProof(dir, entry.path, p);
  }
  if (bundle.reserves !== undefined) await writeReservesEvidence(dir, bundle.reserves);
  await writeFileAtomic(path.join(dir, 'manifest.json'), prettyJson(bundle.manifest));
}

/** Writes (replaces, atomically) a bundle's `reserves/evidence.json`; an interrupted write leaves the old one. */
export async function writeReservesEvidence(dir: string, evidence: unknown): Promise<void> {
  const file = path.join(dir, RESERVES_EVIDENCE_FILE);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, prettyJson(evidence));
}

/** Writes proof.json and public.json exactly as `snarkjs groth16 prove` does. */
export async function writeProof(
  dir: string,
  relPath: string,
  p: { proof: unknown; publicSignals: unknown },
): Promise<void> {
  const d = path.join(dir, relPath);
  await mkdir(d, { recursive: true });
  await writeFileAtomic(path.join(d, 'proof.json'), snarkjsJson(p.proof));
  await writeFileAtomic(path.join(d, 'public.json'), snarkjsJson(p.publicSignals));
}

/** File name of a user's packet: `<accountId>.json`. */
export function packetFileName(accountId: string): string {
  if (!/^[0-9a-f]{64}$/.test(accountId))
    throw new InvalidArgumentError(`packet account id must be 64 lowercase hex digits, got ${accountId}`);
  return `${accountId}.json`;
}

/** Writes a user's packet, private: mode 0600 (the prover creates its directory 0700). */
export async function writePacket(dir: string, packet: InclusionPacket): Promise<void> {
  await produceAtomic(path.join(dir, packetFileName(packet.accountId)), (tmp) =>
    writeFile(tmp, prettyJson(packet), { mode: 0o600 }),
  );
}

/**
 * Writes packets into a staging directory (one the caller renames into place as a whole when the run
 * succeeds and discards otherwise, src/prover/output-dirs.ts): each file is created directly (mode 0600,
 * never replacing an existing file), without writePacket's per-file temp file and rename, which cost
 * about ten times as much here and add nothing inside a directory that is itself committed atomically.
 * At most `concurrency` writes are in flight.
 */
export async function writePacketsToStaging(
  dir: string,
  packets: readonly InclusionPacket[],
  concurrency = 32,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < packets.length) {
      const p = packets[next++]!;
      await writeFile(path.join(dir, packetFileName(p.accountId)), prettyJson(p), {
        mode: 0o600,
        flag: 'wx',
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, packets.length) }, lane));
}
