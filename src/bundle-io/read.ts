// Loads a bundle directory (or an inclusion packet) from disk. Node only; the assembling is load.ts's.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleReadError } from '../bundle/errors.js';
import { loadBundle } from '../bundle/load.js';
import { parsePacket } from '../bundle/packet.js';
import type { BundleData, InclusionPacket } from '../bundle/format.js';

export interface ReadBundleOptions {
  /** Skip proofs whose files are missing (a partial bundle, e.g. one user's path); default false. */
  partial?: boolean;
}

/** Reads manifest.json, the three verification keys and every proof listed in the manifest. */
export async function readBundle(dir: string, options: ReadBundleOptions = {}): Promise<BundleData> {
  return loadBundle(
    async (rel) => {
      try {
        return await readFile(path.join(dir, rel), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    { describe: (rel) => path.join(dir, rel), ...(options.partial ? { partial: true } : {}) },
  );
}

/** Reads and checks an inclusion packet file (bundle/packet.ts parsePacket: a wrong shape is refused). */
export async function readPacket(file: string): Promise<InclusionPacket> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new BundleReadError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parsePacket(text, file);
}
