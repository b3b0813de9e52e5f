// The verifier, the bundle format and the solvency tree must bundle for a browser: no `node:` import.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

async function bundleFor(entry: string) {
  return build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

describe('browser safety', () => {
  it.each(['src/verify/index.ts', 'src/bundle/format.ts', 'src/tree/solvency-tree.ts'])(
    '%s bundles for the browser without node built-ins',
    async (entry) => {
      const result = await bundleFor(entry);
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((p) => p.startsWith('node:'))).toBe(false);
      expect(inputs).toContain(entry);
    },
  );

  it('a Node-only module is refused (the check can fail)', async () => {
    await expect(bundleFor('src/bundle-io/read.ts')).rejects.toThrow(/node:/);
  });
});
