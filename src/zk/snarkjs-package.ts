// Where the installed snarkjs package is (Node only): its main entry, its directory, its CLI script and its
// own dependencies, so that the prover's workers, the snarkjs CLI runner and the Solidity renderer all use
// the very copy that zkreserve verifies with.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Absolute path of snarkjs' main entry (what `import 'snarkjs'` loads in Node). */
export function snarkjsMainPath(): string {
  return require.resolve('snarkjs');
}

/** The snarkjs package directory (the one holding its package.json). */
export function snarkjsDir(): string {
  let dir = path.dirname(snarkjsMainPath());
  while (dir !== path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'snarkjs') return dir;
    } catch {
      // keep walking up
    }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the snarkjs package directory');
}

/** Path of snarkjs' CLI script (build/cli.cjs next to its main entry). */
export function snarkjsCliPath(): string {
  return path.join(path.dirname(snarkjsMainPath()), 'cli.cjs');
}

/** Loads or resolves one of snarkjs' own dependencies (ffjavascript, ejs): the copy snarkjs itself uses. */
export function snarkjsDependency(name: string): { path: string; load<T>(): T } {
  const req = createRequire(path.join(snarkjsDir(), 'package.json'));
  return { path: req.resolve(name), load: <T>() => req(name) as T };
}
