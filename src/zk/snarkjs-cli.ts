// Runs the snarkjs command line itself (`node node_modules/snarkjs/build/cli.cjs groth16 verify ...`) on every
// proof of a bundle, a few at a time: an independent check that needs no zkreserve code.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { snarkjsCliPath } from './snarkjs-package.js';

export interface CliVerifyResult {
  id: string;
  ok: boolean;
  output: string;
}

function verifyOne(
  bundleDir: string,
  kind: string,
  proofPath: string,
): Promise<{ ok: boolean; output: string }> {
  const args = [
    snarkjsCliPath(),
    'groth16',
    'verify',
    path.join(bundleDir, 'verification_keys', `${kind}.vkey.json`),
    path.join(bundleDir, proofPath, 'public.json'),
    path.join(bundleDir, proofPath, 'proof.json'),
  ];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      resolve({ ok: !error && /OK!/.test(stdout), output });
    });
  });
}

/** A proof of a bundle directory, as its manifest lists it: `proofs/<id>`, checked with `<kind>.vkey.json`. */
export interface CliProofRef {
  id: string;
  kind: string;
}

/** `snarkjs groth16 verify` on every listed proof of a bundle (the manifest's `proofs`), `concurrency` at a time. */
export async function verifyWithSnarkjsCli(
  bundleDir: string,
  proofs: readonly CliProofRef[],
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<CliVerifyResult[]> {
  const entries = proofs;
  const results: CliVerifyResult[] = new Array(entries.length);
  let next = 0;
  let done = 0;
  options.onProgress?.(0, entries.length);
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      const e = entries[i]!;
      const r = await verifyOne(bundleDir, e.kind, `proofs/${e.id}`);
      results[i] = { id: e.id, ...r };
      options.onProgress?.(++done, entries.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return results;
}
