// Runs the auditor's snarkjs-only check (scripts/verify-with-snarkjs.sh) on a bundle, with the locally
// installed snarkjs CLI, and returns its exit code and output (stdout and stderr together).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = path.resolve('scripts/verify-with-snarkjs.sh');
const SNARKJS = `node ${path.resolve('node_modules/snarkjs/build/cli.cjs')}`;

export async function runAuditorScript(dir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('bash', [SCRIPT, dir], { env: { ...process.env, SNARKJS } });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}
