// Shared helpers of the red-team tests: building real bundles, and the attacker's tools (a bundle on disk
// edited in place, a Groth16 "verification key" whose trapdoor the attacker knows).
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readBundle, readPacket } from '../../src/bundle-io/read.js';
import type { BundleData, InclusionPacket } from '../../src/bundle/format.js';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { vkeyHash } from '../../src/bundle/format.js';
import { SECRET, T, devKeys, makeLedger, tempDir } from '../prover/fixtures.js';

export const clone = <X>(x: X): X => structuredClone(x);

export interface BuiltBundle {
  dir: string;
  bundle: BundleData;
  packets: InclusionPacket[];
}

/** A real dev-key bundle of `users` users (b64-n8-k8), read back from disk with its packets. */
export async function buildBundle(
  prefix: string,
  users: number,
  options: { padToUsers?: number; publishTotal?: boolean; secret?: Uint8Array; at?: number } = {},
): Promise<BuiltBundle> {
  const keys = await devKeys();
  const work = await tempDir(prefix);
  const dir = path.join(work, 'bundle');
  const packetsDir = path.join(work, 'packets');
  await proveSolvency({
    statement: await statementFromLedger(makeLedger(users).ledger, options.at ?? T, 'USD'),
    secret: options.secret ?? SECRET,
    keys,
    outDir: dir,
    packetsDir,
    allowInsecureDevKeys: true,
    publishTotal: options.publishTotal ?? false,
    ...(options.padToUsers === undefined ? {} : { padToUsers: options.padToUsers }),
  });
  const files = (await readdir(packetsDir)).sort();
  return {
    dir,
    bundle: await readBundle(dir),
    packets: await Promise.all(files.map((f) => readPacket(path.join(packetsDir, f)))),
  };
}

/** The bundle with its manifest claiming a real ceremony, and vkey hashes recomputed to match its keys. */
export function claimCeremony(b: BundleData): BundleData {
  const out = clone(b);
  out.manifest.keys.ceremony = 'ceremony';
  out.manifest.keys.insecure = false;
  for (const kind of ['chunk', 'aggregate', 'solvency'] as const) {
    out.manifest.keys.circuits[kind].hashes.vkey = vkeyHash(out.vkeys[kind]);
  }
  return out;
}

const ZERO_G1 = ['0', '1', '0'];

/**
 * A "verification key" the attacker made up: every IC point is the point at infinity, so the public signals
 * do not enter the pairing at all, and the proof (pi_a = alpha, pi_b = beta, pi_c = infinity) satisfies
 * e(-alpha, beta) e(0, gamma) e(0, delta) e(alpha, beta) = 1 for ANY public signals. Its alpha is the G1
 * generator (not the dev one). An operator running their own setup gets the same power with a key that
 * looks perfectly normal; this one just needs no toxic waste to build.
 */
export function forgedKey(template: Record<string, unknown>, nPublic: number) {
  const vkey = {
    ...clone(template),
    nPublic,
    vk_alpha_1: ['1', '2', '1'],
    IC: Array.from({ length: nPublic + 1 }, () => [...ZERO_G1]),
  };
  const proof = {
    pi_a: ['1', '2', '1'],
    pi_b: clone(template.vk_beta_2),
    pi_c: [...ZERO_G1],
    protocol: 'groth16',
    curve: 'bn128',
  };
  return { vkey, proof };
}

export async function readJsonFile<T = unknown>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 1));
}
