// Resumable proving through the real CLI: `zkreserve prove` is killed with SIGKILL at random moments (by the
// number of proofs already saved in its work directory) and once during the final write; each rerun of the
// same command resumes, reuses exactly the proofs that were saved when it was killed (so none of them is
// proved twice), and the final bundle verifies and has the public signals and packets of an uninterrupted
// run. A changed T or secret never reuses the work, and a corrupted saved proof is proved again.
// Dev family b64-n8-k8: 96 users = 12 chunks, levels [12, 2, 1], 16 proofs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundle, readPacket } from '../../src/bundle-io/read.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { verifyInclusion } from '../../src/verify/verify-inclusion.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { BIN, tempDir, writeText, zk } from '../cli/helpers.js';
import { listFiles } from './fixtures.js';

const USERS = 96;
const PROOFS = 16;
const AT = '2025-01-01T00:00:00Z';
const OTHER_AT = '2025-01-01T00:00:01Z';
const PROOF_FILE = /^(L\d+-\d+|solvency)\.json$/;

let dir: string;
let db: string;
let secret: string;
let otherSecret: string;

function csv(): string {
  const lines = ['external_ref,owner_type,currency,balance'];
  let sum = 0;
  for (let i = 0; i < USERS; i++) {
    lines.push(`user-${i},USER,USD,${100 + i}.00`);
    sum += 100 + i;
  }
  lines.push(`bank-1,RESERVE,USD,${sum + 1000}.00`, 'platform,PLATFORM,USD,1000.00', '');
  return lines.join('\n');
}

const proveArgs = (out: string, opts: { at?: string; secretFile?: string; force?: boolean } = {}) => [
  'prove',
  db,
  '--allow-open-snapshot',
  '--at',
  opts.at ?? AT,
  '--currency',
  'USD',
  '--out',
  out,
  '--secret-file',
  opts.secretFile ?? secret,
  '--insecure-dev-keys',
  '--workers',
  '2',
  ...(opts.force ? ['--force'] : []),
];

/** The work directories beside `out` (`<out>.work-<hash>`). */
async function workDirs(out: string): Promise<string[]> {
  const base = path.basename(out);
  const names = await readdir(path.dirname(out));
  return names
    .filter((n) => n.startsWith(`${base}.work-`))
    .map((n) => path.join(path.dirname(out), n))
    .sort();
}

/** Finished proof files in a work directory (temporary files of an interrupted write do not count). */
async function savedProofs(work: string): Promise<string[]> {
  const p = path.join(work, 'proofs');
  if (!existsSync(p)) return [];
  return (await readdir(p)).filter((n) => PROOF_FILE.test(n)).sort();
}

interface Run {
  code: number | null;
  killed: boolean;
  stderr: string;
  stdout: string;
}

/**
 * Runs `zkreserve ...args`; kills it with SIGKILL as soon as `shouldKill(stderr)` holds (checked on every
 * stderr write and every 20 ms). Resolves when the process is gone.
 */
function runAndKill(
  args: string[],
  shouldKill: (stderr: string) => Promise<boolean> | boolean,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let stdout = '';
    let killed = false;
    const check = async () => {
      if (!killed && child.exitCode === null && (await shouldKill(stderr))) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      void check();
    });
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setInterval(() => void check(), 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, killed, stderr, stdout });
    });
  });
}

function resumedCount(stderr: string): number {
  const m = /resumed (\d+) proofs of (\d+)/.exec(stderr);
  return m ? Number(m[1]) : 0;
}

/** Public outputs of a bundle: everything but the proofs' own proof.json (fresh randomness each run). */
async function publicOutputs(out: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const f of await listFiles(out)) {
    if (f.endsWith('proof.json')) continue;
    m.set(f, await readFile(path.join(out, f), 'utf8'));
  }
  for (const f of await listFiles(`${out}-packets`)) {
    m.set(`packets/${f}`, await readFile(path.join(`${out}-packets`, f), 'utf8'));
  }
  return m;
}

const randomIn = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

beforeAll(async () => {
  dir = await tempDir('resume');
  db = path.join(dir, 'ledger.db');
  secret = path.join(dir, 'op.secret');
  otherSecret = path.join(dir, 'other.secret');
  expect((await zk(['init', db])).code).toBe(0);
  const imp = await zk(['import', db, await writeText(dir, 'b.csv', csv())]);
  expect(imp.code, imp.stderr).toBe(0);
  expect((await zk(['secret', 'new', secret])).code).toBe(0);
  expect((await zk(['secret', 'new', otherSecret])).code).toBe(0);
}, 120_000);

describe('prove resumes after SIGKILL', () => {
  it('killed at random moments and during the final write, each rerun resumes; the result equals an uninterrupted run', async () => {
    const base = path.join(dir, 'base');
    const plain = await zk(proveArgs(base));
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toMatch(/resumed/);
    expect(await workDirs(base)).toEqual([]); // removed once the bundle is in place

    const out = path.join(dir, 'bundle');
    // Kill points by proofs saved; the machine's speed decides where between them each kill lands.
    const targets = [randomIn(1, 4), randomIn(5, 9), randomIn(10, 14)];
    console.info(`resume-kill: kill targets ${targets.join(', ')} saved proofs, then during the write`);
    let saved = 0;
    let onDisk = 0;
    let work = '';
    for (const [i, target] of targets.entries()) {
      // At least one new proof per run, so that the run has read its work directory before the kill.
      const killAt = Math.max(target, onDisk + 2);
      const r = await runAndKill(proveArgs(out), async () => {
        const dirs = await workDirs(out);
        return dirs.length === 1 && (await savedProofs(dirs[0]!)).length >= killAt;
      });
      expect(r.killed, `run ${i + 1} finished before its kill: ${r.stderr}`).toBe(true);
      // Every proof saved when it was killed is reused by this run (none is proved twice).
      expect(resumedCount(r.stderr)).toBe(saved);
      if (i === 1) expect(r.stderr).toMatch(/discarded saved proof \S+: it does not verify/);
      [work] = await workDirs(out);
      saved = (await savedProofs(work!)).length;
      onDisk = saved;
      expect(saved).toBeGreaterThanOrEqual(killAt);

      if (i === 0) {
        // A changed T or secret is another statement: its own work directory, nothing reused.
        for (const other of [{ at: OTHER_AT }, { secretFile: otherSecret }]) {
          const o = await runAndKill(proveArgs(out, other), async () => (await workDirs(out)).length > 1);
          expect(o.stderr).not.toMatch(/resumed/);
          const dirs = await workDirs(out);
          expect(dirs).toContain(work);
          expect(dirs.length).toBe(2);
          for (const d of dirs.filter((x) => x !== work)) await rm(d, { recursive: true });
        }
        expect(await savedProofs(work!)).toHaveLength(saved);
        // A corrupted saved proof is refused on resume and proved again.
        const victim = path.join(work!, 'proofs', (await savedProofs(work!))[0]!);
        const p = JSON.parse(await readFile(victim, 'utf8'));
        p.proof.pi_a[0] = (BigInt(p.proof.pi_a[0]) + 1n).toString();
        await writeFile(victim, JSON.stringify(p));
        saved -= 1;
      }
    }
    expect(saved).toBeLessThan(PROOFS);

    const w = await runAndKill(proveArgs(out), (stderr) => stderr.includes('writing the bundle'));
    expect(w.killed).toBe(true);
    expect(resumedCount(w.stderr)).toBe(saved);
    expect(await savedProofs(work!)).toHaveLength(PROOFS);
    // A kill after both directories were renamed into place leaves a finished bundle: only --force replaces it.
    const committed = existsSync(out);
    const last = await zk(proveArgs(out, { force: committed }));
    expect(last.code, last.stderr).toBe(0);
    expect(resumedCount(last.stderr)).toBe(PROOFS);
    expect(await workDirs(out)).toEqual([]);
    expect((await readdir(dir)).filter((n) => n.includes('.partial-'))).toEqual([]);

    expect(await publicOutputs(out)).toEqual(await publicOutputs(base));
    const bundle = await readBundle(out);
    const report = await verifyBundle(bundle);
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    const packets = (await readdir(`${out}-packets`)).slice(0, 8);
    for (const f of packets) {
      expect((await verifyInclusion(await readPacket(path.join(`${out}-packets`, f)), bundle)).ok).toBe(true);
    }
    await terminateCurves();
  }, 600_000);
});
