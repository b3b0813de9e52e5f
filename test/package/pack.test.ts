// The package as others get it: `npm pack`, installed into an empty directory, then its bin, its two entry
// points ("zkreserve", "zkreserve/verify") and their types used from there. Fails when the exports map, the
// declarations, the "files" list, the bin or the runtime dependencies are broken.
//
// Offline by design (tests must not need the network):
// - The tarball is packed with --ignore-scripts: "prepare" would rebuild dist/ (delete, then compile) while
//   other test files spawn bin/zkreserve.js. dist/ is already current: `npm test` builds first, and
//   test/package/build-dist.ts rebuilds a stale dist/ before any test file runs.
// - The empty directory gets a package-lock.json made from this repository's lockfile (the runtime packages
//   only, the tarball for zkreserve), so npm installs from the local cache without asking the registry about
//   versions (a fresh clone's `npm install` puts those tarballs in the cache). A dependency missing from
//   "dependencies" is a dev package in the lockfile, is not installed, and fails the test.
// - --ignore-scripts also skips better-sqlite3's native build (a download or minutes of compiling).
//   better-sqlite3 loads its addon only when a database is opened, so `--help`, `verify` and the memory
//   ledger the program below uses work without it; no test here opens a SQLite file.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proveSolvency, statementFromLedger } from '../../src/prover/index.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { SECRET, T, devKeys, makeLedger, tempDir } from '../prover/fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      {
        cwd,
        maxBuffer: 1 << 24,
        env: {
          ...process.env,
          NO_COLOR: '1',
          npm_config_update_notifier: 'false',
          npm_config_offline: 'true',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function ok(cmd: string, args: readonly string[], cwd: string): Promise<string> {
  const r = await run(cmd, args, cwd);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

/** A lockfile for an app that depends on the tarball only: zkreserve's runtime tree, as this repo pins it. */
async function appLockfile(tarball: string, integrity: string): Promise<unknown> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { zkreserve: spec } },
    'node_modules/zkreserve': {
      version: pkg.version,
      resolved: spec,
      integrity,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key !== '' && !entry.dev && !entry.link) packages[key] = entry;
  }
  return { name: 'app', lockfileVersion: 3, requires: true, packages };
}

// A Node program that uses both entry points. The @ts-expect-error line is the proof that the types are
// real: were `zkreserve` typed as `any`, the directive would be unused and tsc would fail.
const NODE_PROGRAM = `
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  openMemoryLedger,
  Money,
  TransactionBuilder,
  ZkReserveError,
  PROTOCOL_VERSION,
  readBundle,
  readPacket,
  statementFromLedger,
  terminateCurves,
  verifyBundle as verifyFromRoot,
} from 'zkreserve';
import type { BundleData, SolvencyStatement } from 'zkreserve';
import { verifyBundle, verifyInclusion } from 'zkreserve/verify';
import type { BundleReport, InclusionResult } from 'zkreserve/verify';

function typeErrors(): void {
  // @ts-expect-error money is bigint minor units: a JS number does not type-check
  Money.of(1, 'USD');
}
void typeErrors;

const [bundleDir, packetsDir] = process.argv.slice(2) as [string, string];
const bundle: BundleData = await readBundle(bundleDir);
const report: BundleReport = await verifyBundle(bundle);
const packetFile = path.join(packetsDir, (await readdir(packetsDir)).sort()[0]!);
const inclusion: InclusionResult = await verifyInclusion(await readPacket(packetFile), bundle);

const ledger = openMemoryLedger();
const reserve = ledger.openAccount('RESERVE', 'USD', 'bank', { openedAt: 1000 });
const alice = ledger.openAccount('USER', 'USD', 'alice', { openedAt: 1001 });
const tx = new TransactionBuilder('deposit', 'd1', { initiatedAt: 1002 })
  .transfer(reserve, alice, Money.of(12_345n, 'USD'))
  .build();
ledger.post(tx);
ledger.settle(tx.id, 1003);
const statement: SolvencyStatement = await statementFromLedger(ledger, 2000, 'USD');
let refused = '';
try {
  Money.of(1 as unknown as bigint, 'USD');
} catch (e) {
  refused = e instanceof ZkReserveError ? e.code : 'not a ZkReserveError';
}
console.log(
  JSON.stringify({
    protocol: PROTOCOL_VERSION,
    bundleOk: report.ok,
    proofs: report.proofsVerified,
    insecure: report.insecureDevKeys,
    inclusionOk: inclusion.ok,
    oneVerifier: verifyFromRoot === verifyBundle,
    users: statement.users.length,
    liability: statement.users[0]?.liability.toString(),
    reserves: statement.reserves.toString(),
    refused,
  }),
);
await terminateCurves();
`;

// The browser side: zkreserve/verify type-checks with DOM types and no Node types at all.
const BROWSER_PROGRAM = `
import { verifyBundle, verifyInclusion, INSECURE_KEYS_WARNING } from 'zkreserve/verify';
import type { BundleReport } from 'zkreserve/verify';

export async function check(bundle: Parameters<typeof verifyBundle>[0]): Promise<string> {
  const report: BundleReport = await verifyBundle(bundle);
  document.title = report.ok ? 'valid' : INSECURE_KEYS_WARNING;
  return typeof verifyInclusion;
}
`;

function tsconfig(options: Record<string, unknown>, files: string[]): string {
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    outDir: 'out',
    ...options,
  };
  return JSON.stringify({ compilerOptions, files }, null, 2);
}

let work: string;
let app: string;
let bundleDir: string;
let packetsDir: string;
let packedFiles: string[];

beforeAll(async () => {
  expect(existsSync(path.join(ROOT, 'dist', 'index.js')), 'dist/ is missing: run npm run build').toBe(true);
  work = await tempDir('pack');
  const packed = JSON.parse(
    await ok('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT),
  ) as { filename: string; integrity: string; files: { path: string }[] }[];
  const tarball = packed[0]!;
  packedFiles = tarball.files.map((f) => f.path).sort();

  app = path.join(work, 'app');
  await mkdir(app);
  await writeFile(
    path.join(app, 'package.json'),
    JSON.stringify({
      name: 'app',
      private: true,
      type: 'module',
      dependencies: { zkreserve: `file:../${tarball.filename}` },
    }),
  );
  const lock = await appLockfile(`../${tarball.filename}`, tarball.integrity);
  await writeFile(path.join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
  await ok('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);

  // A small USD bundle from the library, with the cached dev keys (as test/golden does).
  const { ledger } = makeLedger(5);
  bundleDir = path.join(work, 'bundle');
  packetsDir = path.join(work, 'packets');
  await proveSolvency({
    statement: await statementFromLedger(ledger, T, 'USD'),
    secret: SECRET,
    keys: await devKeys(),
    outDir: bundleDir,
    packetsDir,
    allowInsecureDevKeys: true,
  });
}, 600_000);

afterAll(async () => {
  await terminateCurves();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the compiled code, its declarations, the bin, circuits and keys; no TypeScript sources', () => {
    for (const f of [
      'package.json',
      'README.md',
      'bin/zkreserve.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/verify/index.js',
      'dist/verify/index.d.ts',
      'dist/cli/main.js',
      'circuits/solvency.circom',
      'keys/dev/manifest.json',
      'docs/protocol.md',
    ]) {
      expect(packedFiles, f).toContain(f);
    }
    const sources = packedFiles.filter((f) => /^(src|test|scripts)\//.test(f) || /(?<!\.d)\.ts$/.test(f));
    expect(sources.filter((f) => !f.startsWith('web/src/'))).toEqual([]);
  });

  it('installs with the runtime dependencies only (no tsx: the bin runs compiled JavaScript)', async () => {
    const installed = await readdir(path.join(app, 'node_modules'));
    expect(installed).toContain('zkreserve');
    expect(installed).toContain('snarkjs');
    expect(installed).not.toContain('tsx');
    expect(installed).not.toContain('typescript');
  });

  it('installs every package the compiled code loads (an import, a dynamic import or a require.resolve)', async () => {
    // A package the code loads but package.json lists under devDependencies installs in the repository and
    // is missing here: circomlibjs (the tree's hashing workers, loaded by require.resolve) once was.
    const packages = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) await walk(f);
        else if (f.endsWith('.js')) {
          const text = await readFile(f, 'utf8');
          const res = [
            /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
            /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
            /\brequire(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/g,
          ];
          for (const m of res.flatMap((re) => [...text.matchAll(re)])) {
            const spec = m[1]!;
            if (spec.startsWith('node:') || spec.startsWith('.') || !/^(@[\w.-]+\/)?[\w.-]+(\/|$)/.test(spec))
              continue;
            packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
          }
        }
      }
    };
    await walk(path.join(app, 'node_modules', 'zkreserve', 'dist'));
    expect([...packages]).toContain('circomlibjs');
    const missing = [...packages].filter(
      (p) => !existsSync(path.join(app, 'node_modules', p, 'package.json')),
    );
    expect(missing, 'loaded by dist/ but not installed with the runtime dependencies').toEqual([]);
  });

  it('npx zkreserve --help prints the usage', async () => {
    const r = await run('npx', ['zkreserve', '--help'], app);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.stdout).toMatch(/^Usage: zkreserve /);
    expect(r.stdout).toContain('verify-inclusion');
  });

  it('npx zkreserve verify accepts a valid bundle and refuses a tampered one', async () => {
    const good = await run('npx', ['zkreserve', 'verify', bundleDir], app);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('RESULT: VALID');
    expect(good.stdout).toContain('INSECURE DEVELOPMENT KEYS');

    const bad = path.join(work, 'bundle-tampered');
    await cp(bundleDir, bad, { recursive: true });
    const signals = path.join(bad, 'proofs', 'solvency', 'public.json');
    const values = JSON.parse(await readFile(signals, 'utf8')) as string[];
    values[values.length - 1] = (BigInt(values[values.length - 1]!) + 1n).toString();
    await writeFile(signals, JSON.stringify(values));
    const r = await run('npx', ['zkreserve', 'verify', bad], app);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('RESULT: VALID');
  });

  it('a TypeScript program type-checks against "zkreserve" and "zkreserve/verify" and runs', async () => {
    await writeFile(path.join(app, 'main.ts'), NODE_PROGRAM);
    await writeFile(
      path.join(app, 'tsconfig.json'),
      tsconfig({ lib: ['ES2022'], types: ['node'] }, ['main.ts']),
    );
    await ok(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    const out = JSON.parse(await ok(process.execPath, ['out/main.js', bundleDir, packetsDir], app)) as Record<
      string,
      unknown
    >;
    expect(out).toEqual({
      protocol: 'zkreserve/2',
      bundleOk: true,
      proofs: expect.any(Number),
      insecure: true,
      inclusionOk: true,
      oneVerifier: true,
      users: 1,
      liability: '12345',
      reserves: '12345',
      refused: 'INVALID_AMOUNT',
    });
    expect(out.proofs).toBeGreaterThanOrEqual(2);
  });

  it('zkreserve/verify type-checks for the browser: DOM types, no Node types', async () => {
    await writeFile(path.join(app, 'page.ts'), BROWSER_PROGRAM);
    await writeFile(
      path.join(app, 'tsconfig.page.json'),
      tsconfig({ lib: ['ES2022', 'DOM'], types: [], noEmit: true }, ['page.ts']),
    );
    const r = await run(process.execPath, [TSC, '-p', 'tsconfig.page.json'], app);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
