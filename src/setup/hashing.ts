// Streaming file hashes used to pin setup artifacts (ptau, r1cs, wasm, zkey, vkey).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type HashAlgorithm = 'sha256' | 'blake2b512';

/** Hex digest of a file, streamed (ptau files reach gigabytes). */
export async function hashFile(file: string, algorithm: HashAlgorithm): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

export function sha256File(file: string): Promise<string> {
  return hashFile(file, 'sha256');
}

export function blake2bFile(file: string): Promise<string> {
  return hashFile(file, 'blake2b512');
}
