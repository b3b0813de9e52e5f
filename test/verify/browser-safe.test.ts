// The verifier, the bundle format, loader and packet parser, the solvency tree and the page must bundle for a
// browser: no `node:` import (tsconfig.browser.json checks the same set has no Node types).
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
  it.each([
    'src/verify/index.ts',
    'src/bundle/format.ts',
    'src/bundle/load.ts',
    'src/bundle/packet.ts',
    'src/tree/solvency-tree.ts',
    'web/src/main.ts',
  ])('%s bundles for the browser without node built-ins', async (entry) => {
    const result = await bundleFor(entry);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((p) => p.startsWith('node:'))).toBe(false);
    expect(inputs).toContain(entry);
  });

  it('a Node-only module is refused (the check can fail)', async () => {
    await expect(bundleFor('src/bundle-io/read.ts')).rejects.toThrow(/node:/);
  });
});
