// vitest global setup, run before test/global-setup.ts: the tests that spawn `node bin/zkreserve.js` run the
// compiled CLI in dist/, so dist/ must match src/. `npm test` builds first; this covers a plain `npx vitest run`
// after editing src/ by rebuilding dist/ (as `npm run build` does) when it is missing or older than src/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = process.cwd();
const DIST = path.join(ROOT, 'dist');
const INPUTS = ['tsconfig.json', 'tsconfig.build.json'];

function files(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, ext));
    else if (e.name.endsWith(ext) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Why dist/ does not match src/, or null when it does. */
export function staleReason(): string | null {
  if (!existsSync(path.join(DIST, 'cli', 'main.js'))) return 'dist/ is not built';
  const sources = files(path.join(ROOT, 'src'), '.ts');
  const outputs = files(DIST, '.js');
  const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const newer = [...sources, ...INPUTS.map((f) => path.join(ROOT, f))].find(
    (f) => statSync(f).mtimeMs > built,
  );
  if (newer) return `${path.relative(ROOT, newer)} is newer than dist/`;
  const rel = (f: string, base: string, ext: string) => path.relative(base, f).slice(0, -ext.length);
  const expected = new Set(sources.map((f) => rel(f, path.join(ROOT, 'src'), '.ts')));
  const got = new Set(outputs.map((f) => rel(f, DIST, '.js')));
  const missing = [...expected].find((f) => !got.has(f));
  if (missing) return `dist/${missing}.js is missing`;
  const orphan = [...got].find((f) => !expected.has(f));
  if (orphan) return `dist/${orphan}.js has no source`;
  return null;
}

export default function setup(): void {
  const why = staleReason();
  if (why === null) return;
  console.log(`[dist] ${why}: building (npm run build)`);
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}
