// The one bundle summary (src/bundle/summary.ts): what `verify` prints (text and JSON) and the page shows.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../src/bundle/format.js';
import { summarizeManifest } from '../../src/bundle/summary.js';

const golden = async (file: string): Promise<unknown> =>
  JSON.parse(await readFile(`test/golden/expected/${file}`, 'utf8'));

describe('summarizeManifest', () => {
  it.each(['usd', 'eth'])(
    'gives the golden %s bundle the summary of its committed verify report, field order included',
    async (name) => {
      const manifest = (await golden(`${name}/bundle/manifest.json`)) as BundleManifest;
      const report = (await golden(`${name}/verify-report.json`)) as { summary: unknown };
      const summary = summarizeManifest(manifest, true);
      expect(summary).toEqual(report.summary);
      expect(JSON.stringify(summary)).toBe(JSON.stringify(report.summary));
    },
  );

  it("takes the verifier's verdict on the keys, whatever the manifest says", async () => {
    const manifest = (await golden('usd/bundle/manifest.json')) as BundleManifest;
    expect(manifest.keys.insecure).toBe(true);
    expect(summarizeManifest(manifest, false).insecure).toBe(false);
  });

  it('summarises a manifest with parts missing without throwing', () => {
    const s = summarizeManifest({ currency: 'USD', total: null } as unknown as BundleManifest, true);
    expect(s).toMatchObject({ currency: 'USD', chunks: 0, levels: [], paddedUsers: 0, total: null });
    expect(s.auditHead).toEqual({ sequence: undefined, hash: undefined });
    expect(s.family).toBeUndefined();
  });
});
