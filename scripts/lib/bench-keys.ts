// Insecure keys of a production family for benchmarks: its three circuits compiled (build/circuits) and a
// zkey per circuit made from ../shared/fixtures/ptau16 (zkey new + the public dev beacon), cached under
// ~/.cache/zkreserve/bench/<family>/ (a few minutes once per machine). Such keys prove nothing; they exist
// so that benchmarks can time the production circuits before a ceremony. Once the project makes production
// dev keys of its own (issue 11), benchmarks may use those instead.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { compileCircuit, repoRoot } from '../../src/zk/compile.js';
import { devCacheDir, makeDevZkey } from '../../src/setup/dev-ceremony.js';
import { exportedFiles, INSECURE_DEV_KEYS_WARNING } from '../../src/setup/keyset.js';
import type { KeyManifest, KeySet, KeySetCircuit, ManifestCircuit } from '../../src/setup/keyset.js';
import { sha256File } from '../../src/setup/hashing.js';
import { vkeyFileText } from '../../src/bundle/format.js';
import { writeFileAtomic, writeJsonAtomic } from '../../src/fs/atomic.js';
import { CIRCUIT_KINDS } from '../../src/protocol/families.js';
import type { CircuitFamily, CircuitKind } from '../../src/protocol/families.js';
import { snarkjs } from '../../src/zk/snarkjs.js';
import type { VerificationKey } from '../../src/zk/snarkjs.js';

/** The insecure 2^16 test ptau (never copied into the project). */
export function ptau16Path(): string {
  return path.join(repoRoot(), '..', 'shared', 'fixtures', 'ptau16', 'zkreserve-test-16.ptau');
}

const PTAU16_SHA256 = '46e7e2f19e8fac043fdf4bb6065ae07c316355278fafab4bf77c6442c9258b2a';
const PTAU16_BLAKE2B =
  '6980433f9c37c5ad00cd6151778acb805cd2db3e55ca2044c8fd0d3590e1b71c5a4fe77d4236f4fa3c8879df373aa2d818b25f457e17495e5070e555b354fcbb';

/** One circuit of the benchmark keys: compiled and set up on first use (minutes), then from the cache. */
export async function benchCircuitKey(
  family: CircuitFamily,
  kind: CircuitKind,
  log: (m: string) => void = console.error,
): Promise<{ circuit: KeySetCircuit; entry: ManifestCircuit }> {
  const ptau = ptau16Path();
  if (!existsSync(ptau))
    throw new Error(`missing ${ptau}: the insecure 2^16 ptau (../shared/fixtures/ptau16)`);
  const dir = path.join(devCacheDir(), 'bench', family.id);
  await mkdir(dir, { recursive: true });
  const c = await compileCircuit(family, kind, { onProgress: (m) => log(`[compile] ${m}`) });
  const files = exportedFiles(dir, c.name);
  const stampFile = path.join(dir, `${c.name}.stamp.json`);
  const r1cs = await sha256File(c.r1csPath);
  const stamp = existsSync(stampFile)
    ? (JSON.parse(await readFile(stampFile, 'utf8')) as { r1cs: string; zkey: string })
    : null;
  const fresh =
    stamp !== null &&
    stamp.r1cs === r1cs &&
    existsSync(files.zkey) &&
    existsSync(files.vkey) &&
    (await sha256File(files.zkey)) === stamp.zkey;
  if (!fresh) {
    if ((await sha256File(ptau)) !== PTAU16_SHA256)
      throw new Error(`${ptau} does not have the pinned sha256`);
    log(`[bench keys] ${c.name}: zkey new from ptau16 (${c.constraints} constraints; minutes)`);
    await makeDevZkey(c.r1csPath, ptau, files.zkey, c.name, (e) => log(`[bench keys] ${e.message}`));
    const vk = (await snarkjs.zKey.exportVerificationKey(files.zkey)) as VerificationKey;
    await writeFileAtomic(files.vkey, vkeyFileText(vk));
    await writeJsonAtomic(stampFile, { r1cs, zkey: await sha256File(files.zkey) });
  }
  const vkey = JSON.parse(await readFile(files.vkey, 'utf8')) as VerificationKey;
  const hashes = {
    r1cs,
    wasm: await sha256File(c.wasmPath),
    zkey: await sha256File(files.zkey),
    vkey: await sha256File(files.vkey),
  };
  return {
    circuit: { name: c.name, wasmPath: c.wasmPath, zkeyPath: files.zkey, r1csPath: c.r1csPath, vkey, hashes },
    entry: { family: family.id, kind, constraints: c.constraints, nPublic: c.nPublic, ...hashes },
  };
}

/** The benchmark key set of `family`: compiled and set up on first use, then read from the cache. */
export async function benchProductionKeys(
  family: CircuitFamily,
  log: (m: string) => void = console.error,
): Promise<KeySet> {
  const circuits = {} as Record<CircuitKind, KeySetCircuit>;
  const manifestCircuits: Record<string, ManifestCircuit> = {};
  for (const kind of CIRCUIT_KINDS) {
    const { circuit, entry } = await benchCircuitKey(family, kind, log);
    circuits[kind] = circuit;
    manifestCircuits[circuit.name] = entry;
  }
  const manifest: KeyManifest = {
    kind: 'insecure-dev',
    warning: INSECURE_DEV_KEYS_WARNING,
    ptau: { power: 16, sha256: PTAU16_SHA256, blake2b: PTAU16_BLAKE2B, origin: 'insecure-dev' },
    circuits: manifestCircuits,
    transcript: [],
  };
  return { ceremony: 'insecure-dev', insecure: true, family, manifest, circuits, transcript: [] };
}
