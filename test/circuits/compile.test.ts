import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCircuit, compileSource, readR1csHeader, repoRoot } from '../../src/zk/compile.js';
import type { CompiledCircuit } from '../../src/zk/compile.js';
import { CircuitCompileError } from '../../src/zk/errors.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { mainSource } from '../../src/zk/main-source.js';

const scratch = join('build', `test-compile-${process.pid}`);
afterAll(async () => {
  await rm(join(repoRoot(), scratch), { recursive: true, force: true });
});

const tiny = (arity: number, comment = '') =>
  [
    'pragma circom 2.2.0;',
    `// ${comment}`,
    'include "circomlib/circuits/poseidon.circom";',
    `component main = Poseidon(${arity});`,
    '',
  ].join('\n');

describe('compileCircuit / compileSource', () => {
  it('compiles a family circuit into build/circuits/<name>/ and reads its r1cs header', async () => {
    const c = await compileCircuit(B64_N8_K8, 'solvency');
    expect(c.name).toBe('b64-n8-k8-solvency');
    expect(c.r1csPath).toBe(join(repoRoot(), 'build', 'circuits', c.name, `${c.name}.r1cs`));
    expect(existsSync(c.wasmPath)).toBe(true);
    expect(existsSync(c.symPath)).toBe(true);
    expect(await readFile(join(repoRoot(), 'build', 'circuits', c.name, `${c.name}.circom`), 'utf8')).toBe(
      mainSource(B64_N8_K8, 'solvency'),
    );
    const header = await readR1csHeader(c.r1csPath);
    expect(header.nConstraints).toBe(c.constraints);
    expect(header.nPubOut + header.nPubIn).toBe(c.nPublic);
    expect(header.nPubIn).toBe(9);
    expect(header.prime).toBe(21888242871839275222246405745257275088548364400416034343698204186575808495617n);
    expect(c.sourceHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('caches by source hash: a second call does not recompile, a changed source does', async () => {
    const log: string[] = [];
    const opts = { buildDir: scratch, onProgress: (m: string) => log.push(m) };
    const a = await compileSource('cache-probe', tiny(2, 'v1'), opts);
    expect(log.some((m) => m.includes('compiling'))).toBe(true);
    log.length = 0;
    const b = await compileSource('cache-probe', tiny(2, 'v1'), opts);
    expect(b).toEqual(a);
    expect(log).toEqual([`cache-probe: cached (${a.constraints} constraints)`]);
    log.length = 0;
    const c = await compileSource('cache-probe', tiny(2, 'v2'), opts);
    expect(c.sourceHash).not.toBe(a.sourceHash);
    expect(log.some((m) => m.includes('compiling'))).toBe(true);
    const stamp = JSON.parse(await readFile(join(repoRoot(), scratch, 'cache-probe', 'stamp.json'), 'utf8'));
    expect(stamp.sourceHash).toBe(c.sourceHash);
    // Flags are part of the hash.
    const d = await compileSource('cache-probe', tiny(2, 'v2'), { ...opts, wasm: false });
    expect(d.sourceHash).not.toBe(c.sourceHash);
  });

  it('the hash covers included circuits/ files (not just the main text)', async () => {
    const a = await compileCircuit(B64_N8_K8, 'chunk');
    const b = await compileCircuit(B64_N8_K8, 'aggregate');
    expect(a.sourceHash).not.toBe(b.sourceHash);
  });

  it("surfaces circom's error message", async () => {
    const bad = [
      'pragma circom 2.2.0;',
      'template Cube() { signal input a; signal output b; b <== a * a * a; }',
      'component main = Cube();',
      '',
    ].join('\n');
    const err = await compileSource('bad-cube', bad, { buildDir: scratch }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CircuitCompileError);
    expect((err as Error).message).toMatch(/Non quadratic constraints are not allowed/);
    expect((err as Error).message).not.toContain('\u001b[');
    const missing = await compileSource(
      'bad-include',
      'pragma circom 2.2.0;\ninclude "circuits/nope.circom";\n',
      {
        buildDir: scratch,
      },
    ).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(CircuitCompileError);
  });

  it('refuses a build directory outside the repository and a non-kebab-case name', async () => {
    await expect(compileSource('x', tiny(2), { buildDir: '/tmp/zkreserve-outside' })).rejects.toThrow(
      /inside the repository/,
    );
    expect(() => compileSource('Bad_Name', tiny(2))).toThrow(CircuitCompileError);
  });

  it('two processes compiling the same circuit at once both succeed and leave one build', async () => {
    const dir = join(scratch, 'race');
    const run = () =>
      new Promise<CompiledCircuit>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join('test', 'circuits', 'fixtures', 'compile-child.ts'), 'race', dir, '3'],
          { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) =>
          code === 0
            ? resolve(JSON.parse(out.trim().split('\n').pop()!))
            : reject(new Error(`exit ${code}: ${err}`)),
        );
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.sourceHash).toBe(b.sourceHash);
    expect(a.r1csPath).toBe(b.r1csPath);
    expect((await readR1csHeader(a.r1csPath)).nConstraints).toBe(a.constraints);
    // No temporary or stale directories are left behind.
    expect(await readdir(join(repoRoot(), dir))).toEqual(['race']);
    const log: string[] = [];
    const same = tiny(3).replace('// \n', '');
    const cached = await compileSource('race', same, { buildDir: dir, onProgress: (m) => log.push(m) });
    expect(cached).toEqual(a);
    expect(log).toEqual([`race: cached (${a.constraints} constraints)`]);
  });
});
