// Compiles the circuits of a family with circom2 (circom 2.2.3 as WebAssembly), with a cache keyed by
// a hash of every source that goes in. Node only.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { moveDirIntoPlace } from '../fs/atomic.js';
import { circuitName } from '../protocol/families.js';
import type { CircuitFamily, CircuitKind } from '../protocol/families.js';
import { CircuitCompileError } from './errors.js';
import { mainSource } from './main-source.js';

export interface CompiledCircuit {
  /** E.g. 'b64-n8-k8-chunk'. */
  name: string;
  r1csPath: string;
  /** The witness generator; absent on disk when compiled with `wasm: false`. */
  wasmPath: string;
  /** Absent on disk when compiled with `sym: false`. */
  symPath: string;
  /** Number of R1CS constraints (after --O2). */
  constraints: number;
  /** Public outputs + public inputs. */
  nPublic: number;
  /** SHA-256 (hex) of the main source, every circuits/ file it includes, the compiler and the flags. */
  sourceHash: string;
}

export interface CompileOptions {
  onProgress?: (message: string) => void;
  /** Recompile even when the cache is current. */
  force?: boolean;
  /** Output root (default <repo>/build/circuits); must lie inside the repository (circom2's sandbox). */
  buildDir?: string;
  /** Emit the witness generator (default true). */
  wasm?: boolean;
  /** Emit the .sym file (default true). */
  sym?: boolean;
}

const STAMP = 'stamp.json';
const require = createRequire(import.meta.url);

let rootCache: string | undefined;

/** The repository root: the nearest directory above this module whose package.json is `zkreserve`. */
export function repoRoot(): string {
  if (rootCache) return rootCache;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'circuits'))) {
      rootCache = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new CircuitCompileError('cannot find the zkreserve repository root (with circuits/)');
    dir = up;
  }
}

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Compiles one circuit of a family (cached; see compileSource). */
export function compileCircuit(
  family: CircuitFamily,
  kind: CircuitKind,
  opts: CompileOptions = {},
): Promise<CompiledCircuit> {
  return compileSource(circuitName(family, kind), mainSource(family, kind), opts);
}

const inFlight = new Map<string, Promise<CompiledCircuit>>();

/**
 * Compiles a main-file text under <buildDir>/<name>/ (files <name>.circom, .r1cs, .sym,
 * <name>_js/<name>.wasm, stamp.json). Includes resolve against `-l node_modules -l .` from the repo root.
 * Skips the compile when stamp.json records the same sourceHash. Compiles into a temporary directory
 * and renames it into place, so concurrent compiles of the same circuit (other processes) are safe.
 */
export function compileSource(
  name: string,
  source: string,
  opts: CompileOptions = {},
): Promise<CompiledCircuit> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new CircuitCompileError(`circuit name ${JSON.stringify(name)} must be kebab-case [a-z0-9-]`);
  }
  const root = repoRoot();
  const buildDir = resolve(root, opts.buildDir ?? join('build', 'circuits'));
  const key = `${buildDir}${sep}${name}`;
  const prev = inFlight.get(key) ?? Promise.resolve(undefined);
  const next = prev.catch(() => undefined).then(() => doCompile(root, buildDir, name, source, opts));
  inFlight.set(key, next);
  void next
    .finally(() => {
      if (inFlight.get(key) === next) inFlight.delete(key);
    })
    .catch(() => undefined);
  return next;
}

interface Stamp {
  sourceHash: string;
  constraints: number;
  nPublic: number;
}

function flagsFor(opts: CompileOptions): string[] {
  const flags = ['--r1cs'];
  if (opts.wasm ?? true) flags.push('--wasm');
  if (opts.sym ?? true) flags.push('--sym');
  flags.push('-l', 'node_modules', '-l', '.', '--O2');
  return flags;
}

async function doCompile(
  root: string,
  buildDir: string,
  name: string,
  source: string,
  opts: CompileOptions,
): Promise<CompiledCircuit> {
  const progress = opts.onProgress ?? (() => undefined);
  const rel = relative(root, buildDir);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new CircuitCompileError(`build directory ${buildDir} must lie inside the repository ${root}`);
  }
  const flags = flagsFor(opts);
  const sourceHash = await hashSources(root, source, flags);
  const finalDir = join(buildDir, name);
  const result = (stamp: Stamp): CompiledCircuit => ({
    name,
    r1csPath: join(finalDir, `${name}.r1cs`),
    wasmPath: join(finalDir, `${name}_js`, `${name}.wasm`),
    symPath: join(finalDir, `${name}.sym`),
    constraints: stamp.constraints,
    nPublic: stamp.nPublic,
    sourceHash,
  });

  if (!opts.force) {
    const cached = await readStamp(finalDir, name, sourceHash);
    if (cached) {
      progress(`${name}: cached (${cached.constraints} constraints)`);
      return result(cached);
    }
  }

  await mkdir(buildDir, { recursive: true });
  const tmpDir = join(buildDir, `.tmp-${name}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir, { recursive: true });
  try {
    const mainFile = join(tmpDir, `${name}.circom`);
    await writeFile(mainFile, source);
    progress(`${name}: compiling with circom2 (${flags.join(' ')})`);
    await runCircom(root, [relative(root, mainFile), ...flags, '-o', relative(root, tmpDir)]);
    const header = await readR1csHeader(join(tmpDir, `${name}.r1cs`));
    const stamp: Stamp = {
      sourceHash,
      constraints: header.nConstraints,
      nPublic: header.nPubOut + header.nPubIn,
    };
    await writeFile(join(tmpDir, STAMP), JSON.stringify(stamp, null, 2) + '\n');
    const placed = await moveDirIntoPlace(
      tmpDir,
      finalDir,
      async (dir) => (await readStamp(dir, name, sourceHash)) !== undefined,
    );
    if (!placed) throw new CircuitCompileError(`could not move the build of ${name} into ${finalDir}`);
    progress(`${name}: ${stamp.constraints} constraints, ${stamp.nPublic} public signals`);
    return result(stamp);
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

async function readStamp(dir: string, name: string, sourceHash: string): Promise<Stamp | undefined> {
  try {
    const stamp = JSON.parse(await readFile(join(dir, STAMP), 'utf8')) as Stamp;
    if (stamp.sourceHash !== sourceHash) return undefined;
    if (!existsSync(join(dir, `${name}.r1cs`))) return undefined;
    return stamp;
  } catch {
    return undefined;
  }
}

/* eslint-disable-next-line no-control-regex */
const ANSI = /\u001b\[[0-9;]*m/g;

function runCircom(root: string, args: string[]): Promise<string> {
  const cli = join(dirname(require.resolve('circom2/package.json')), 'cli.js');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => reject(new CircuitCompileError(`cannot run circom2: ${err.message}`)));
    child.on('close', (code, signal) => {
      const text = out.replace(ANSI, '');
      if (code === 0 && !/\berror\[/.test(text)) resolvePromise(text);
      else {
        const tail = text.trim().split('\n').slice(-40).join('\n');
        reject(
          new CircuitCompileError(
            `circom2 ${args[0]} failed (${signal ? `signal ${signal}` : `exit code ${String(code)}`}):\n${tail}`,
          ),
        );
      }
    });
  });
}

const INCLUDE = /^\s*include\s+"([^"]+)"\s*;/gm;

/** SHA-256 over the compiler versions, the flags, the main source and every circuits/ file it includes. */
async function hashSources(root: string, source: string, flags: string[]): Promise<string> {
  const h = createHash('sha256');
  h.update(
    `zkreserve-compile/1\ncircom2 ${packageVersion('circom2')}\ncircomlib ${packageVersion('circomlib')}\n`,
  );
  h.update(`flags ${flags.join(' ')}\n`);
  h.update(`main\0${source}\0`);
  const circuitsDir = join(root, 'circuits') + sep;
  const seen = new Map<string, string>();
  const queue: { text: string; dir: string }[] = [{ text: source, dir: root }];
  while (queue.length > 0) {
    const { text, dir } = queue.pop()!;
    for (const m of text.matchAll(INCLUDE)) {
      const target = m[1]!;
      const candidates = [resolve(dir, target), resolve(root, 'node_modules', target), resolve(root, target)];
      const file = candidates.find((c) => existsSync(c));
      if (!file) throw new CircuitCompileError(`include "${target}" (from ${dir}) not found`);
      if (!file.startsWith(circuitsDir) || seen.has(file)) continue;
      const content = await readFile(file, 'utf8');
      seen.set(file, content);
      queue.push({ text: content, dir: dirname(file) });
    }
  }
  for (const file of [...seen.keys()].sort()) {
    h.update(`${relative(root, file)}\0${seen.get(file)!}\0`);
  }
  return h.digest('hex');
}

export interface R1csHeader {
  nWires: number;
  nPubOut: number;
  nPubIn: number;
  nPrvIn: number;
  nLabels: number;
  nConstraints: number;
  prime: bigint;
}

/** Reads the header section of an .r1cs file (iden3 binary format v1). */
export async function readR1csHeader(path: string): Promise<R1csHeader> {
  const fh = await open(path, 'r');
  try {
    const fixed = Buffer.alloc(12);
    await fh.read(fixed, 0, 12, 0);
    if (fixed.toString('latin1', 0, 4) !== 'r1cs')
      throw new CircuitCompileError(`${path} is not an r1cs file`);
    const nSections = fixed.readUInt32LE(8);
    let pos = 12;
    for (let i = 0; i < nSections; i++) {
      const sh = Buffer.alloc(12);
      await fh.read(sh, 0, 12, pos);
      const type = sh.readUInt32LE(0);
      const size = Number(sh.readBigUInt64LE(4));
      pos += 12;
      if (type === 1) {
        const body = Buffer.alloc(size);
        await fh.read(body, 0, size, pos);
        const n8 = body.readUInt32LE(0);
        let prime = 0n;
        for (let b = n8 - 1; b >= 0; b--) prime = (prime << 8n) | BigInt(body[4 + b]!);
        let o = 4 + n8;
        const nWires = body.readUInt32LE(o);
        const nPubOut = body.readUInt32LE(o + 4);
        const nPubIn = body.readUInt32LE(o + 8);
        const nPrvIn = body.readUInt32LE(o + 12);
        const nLabels = Number(body.readBigUInt64LE(o + 16));
        o += 24;
        const nConstraints = body.readUInt32LE(o);
        return { nWires, nPubOut, nPubIn, nPrvIn, nLabels, nConstraints, prime };
      }
      pos += size;
    }
    throw new CircuitCompileError(`${path} has no r1cs header section`);
  } finally {
    await fh.close();
  }
}
