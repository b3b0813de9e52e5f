// Helpers of the CLI tests: run the real `zkreserve` command as a subprocess, temp dirs, fixtures.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(repoRoot, 'bin', 'zkreserve.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/zkreserve.js ...args` in `cwd` (default: the repo root). Never rejects. */
export function zk(args: readonly string[], cwd = repoRoot): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `zkreserve-cli-${prefix}-`));
}

export async function writeText(dir: string, name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

/** A small solvent balance file: 3 users (one owing the platform), reserves, platform equity. */
export const GOOD_CSV = [
  'external_ref,owner_type,currency,balance',
  'alice,USER,USD,100.50',
  '"Smith, Bob",USER,USD,-20.00',
  'carol,USER,USD,1234.56',
  'dave,USER,USD,0.07',
  'bank-1,RESERVE,USD,2000.00',
  'platform,PLATFORM,USD,684.87',
  '',
].join('\n');

export const hermez08 = path.resolve(repoRoot, '../shared/fixtures/hermez/powersOfTau28_hez_final_08.ptau');
export const hermezPresent = existsSync(hermez08);
