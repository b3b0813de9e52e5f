// Finding and checking the rapidsnark binary: the flag, then ZKRESERVE_RAPIDSNARK, then the PATH; a missing,
// non-executable, crashing or foreign binary is refused with RapidsnarkBinaryError naming it; the CLI
// option helper prints its choice and falls back to snarkjs only when nothing was named or found.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RapidsnarkBinaryError } from '../../src/prover/errors.js';
import { checkRapidsnarkBinary, findRapidsnark } from '../../src/prover/rapidsnark-binary.js';
import { resolveProver } from '../../src/cli/prover-options.js';
import { CliUsageError } from '../../src/cli/errors.js';
import { rapidsnarkBinary, writeDouble } from '../support/rapidsnark.js';
import { tempDir } from './fixtures.js';

let dir: string;
let usageDouble: string;
let pathDir: string;

async function script(name: string, body: string, mode = 0o755): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, mode);
  return file;
}

beforeAll(async () => {
  dir = await tempDir('rapidsnark-bin');
  usageDouble = await writeDouble(dir, 'usage-double', 'usage-only', null);
  pathDir = path.join(dir, 'on-path');
  await mkdir(pathDir);
  await writeDouble(pathDir, 'rapidsnark', 'usage-only', null);
});

describe('findRapidsnark', () => {
  it('takes the flag first, then ZKRESERVE_RAPIDSNARK, then rapidsnark on the PATH', () => {
    const env = {
      ZKRESERVE_RAPIDSNARK: '/opt/rs/rapidsnark',
      PATH: `/nonexistent${path.delimiter}${pathDir}`,
    };
    expect(findRapidsnark('rel/rapidsnark', env)).toEqual({
      path: path.resolve('rel/rapidsnark'),
      source: 'flag',
    });
    expect(findRapidsnark(undefined, env)).toEqual({ path: '/opt/rs/rapidsnark', source: 'env' });
    expect(findRapidsnark(undefined, { PATH: env.PATH })).toEqual({
      path: path.join(pathDir, 'rapidsnark'),
      source: 'path',
    });
    expect(findRapidsnark(undefined, { PATH: '/nonexistent' })).toBeNull();
  });

  it('skips a non-executable rapidsnark on the PATH', async () => {
    const d = path.join(dir, 'not-exec-path');
    await mkdir(d);
    await writeFile(path.join(d, 'rapidsnark'), 'not a program');
    expect(findRapidsnark(undefined, { PATH: d })).toBeNull();
  });
});

describe('checkRapidsnarkBinary refuses what is not a working rapidsnark, naming it', () => {
  it('accepts a program that prints rapidsnark usage', async () => {
    await expect(checkRapidsnarkBinary(usageDouble)).resolves.toBeUndefined();
  });

  it.skipIf(!rapidsnarkBinary)('accepts the real rapidsnark', async () => {
    await expect(checkRapidsnarkBinary(rapidsnarkBinary!)).resolves.toBeUndefined();
  });

  it('refuses a missing file', async () => {
    const missing = path.join(dir, 'no-such-rapidsnark');
    const e = await checkRapidsnarkBinary(missing).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RapidsnarkBinaryError);
    expect((e as RapidsnarkBinaryError).code).toBe('RAPIDSNARK_BINARY');
    expect((e as RapidsnarkBinaryError).binary).toBe(missing);
    expect((e as Error).message).toBe(`rapidsnark binary ${missing}: not found`);
  });

  it('refuses a file that is not executable, and a directory', async () => {
    const f = await script('not-executable', 'exit 0', 0o644);
    await expect(checkRapidsnarkBinary(f)).rejects.toThrow(`rapidsnark binary ${f}: not executable`);
    await expect(checkRapidsnarkBinary(dir)).rejects.toThrow(`rapidsnark binary ${dir}: not a file`);
  });

  it('refuses another program (exit 0, no usage) and says what it printed', async () => {
    const f = await script('other-program', 'echo hello');
    await expect(checkRapidsnarkBinary(f)).rejects.toThrow(
      new RegExp(`${f} is not a working rapidsnark: .*exited with code 0 .*it printed: "hello"`),
    );
  });

  it('refuses a binary that crashes', async () => {
    const f = await script('crashes', 'kill -SEGV $$');
    await expect(checkRapidsnarkBinary(f)).rejects.toThrow(/killed by SIGSEGV/);
  });

  it('refuses a file the kernel cannot run', async () => {
    const f = path.join(dir, 'not-a-binary');
    await writeFile(f, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]));
    await chmod(f, 0o755);
    await expect(checkRapidsnarkBinary(f)).rejects.toThrow(
      /cannot be run \(ENOEXEC|is not a working rapidsnark/,
    );
  });
});

describe('resolveProver (the --prover / --rapidsnark options)', () => {
  const quiet = (lines: string[]) => (l: string) => lines.push(l);

  it('defaults to rapidsnark when one is found, and prints the choice', async () => {
    const lines: string[] = [];
    const r = await resolveProver({}, { PATH: pathDir }, quiet(lines));
    expect(r).toEqual({ backend: 'rapidsnark', rapidsnarkPath: path.join(pathDir, 'rapidsnark') });
    expect(lines).toEqual([`prover: rapidsnark (${path.join(pathDir, 'rapidsnark')}, from the PATH)`]);
  });

  it('defaults to snarkjs when none is found, and says why', async () => {
    const lines: string[] = [];
    expect(await resolveProver({}, { PATH: '/nonexistent' }, quiet(lines))).toEqual({ backend: 'snarkjs' });
    expect(lines[0]).toMatch(
      /^prover: snarkjs \(rapidsnark not found: no --rapidsnark, \$ZKRESERVE_RAPIDSNARK/,
    );
  });

  it('--prover snarkjs wins over a rapidsnark on the PATH', async () => {
    const lines: string[] = [];
    const r = await resolveProver({ prover: 'snarkjs' }, { PATH: pathDir }, quiet(lines));
    expect(r).toEqual({ backend: 'snarkjs' });
  });

  it('a named binary that is broken is an error, never a silent fallback to snarkjs', async () => {
    const missing = path.join(dir, 'gone');
    await expect(resolveProver({}, { ZKRESERVE_RAPIDSNARK: missing }, () => undefined)).rejects.toThrow(
      `rapidsnark binary ${missing}: not found (from ZKRESERVE_RAPIDSNARK; fix it, or pass --prover snarkjs)`,
    );
    const other = await script('other-2', 'exit 0');
    await expect(resolveProver({ rapidsnark: other }, {}, () => undefined)).rejects.toBeInstanceOf(
      RapidsnarkBinaryError,
    );
  });

  it('--prover rapidsnark with nothing found is an error naming where it looked', async () => {
    await expect(
      resolveProver({ prover: 'rapidsnark' }, { PATH: '/nonexistent' }, () => undefined),
    ).rejects.toThrow(
      /--prover rapidsnark: no rapidsnark binary found \(no --rapidsnark, \$ZKRESERVE_RAPIDSNARK or rapidsnark on the PATH\)/,
    );
  });

  it('refuses an unknown --prover and --rapidsnark with --prover snarkjs', async () => {
    await expect(resolveProver({ prover: 'gpu' }, {}, () => undefined)).rejects.toBeInstanceOf(CliUsageError);
    await expect(
      resolveProver({ prover: 'snarkjs', rapidsnark: usageDouble }, {}, () => undefined),
    ).rejects.toThrow(/--rapidsnark names a binary for --prover rapidsnark/);
  });
});
