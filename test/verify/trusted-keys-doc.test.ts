// docs/protocol.md §9 "Trusted keys" publishes the dev keys' vkey hashes: they must be keys/dev/manifest.json's.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('docs/protocol.md trusted keys', () => {
  it("publishes exactly the dev keys' vkey hashes of keys/dev/manifest.json", async () => {
    const doc = await readFile('docs/protocol.md', 'utf8');
    const section = doc.slice(doc.indexOf('### Trusted keys (pinning)'), doc.indexOf('## 10. '));
    expect(section.length).toBeGreaterThan(100);
    const published = Object.fromEntries(
      [...section.matchAll(/^\| `([a-z0-9-]+)`\s*\| `([0-9a-f]{64})`\s*\|$/gm)].map((m) => [m[1], m[2]]),
    );
    const manifest = JSON.parse(await readFile('keys/dev/manifest.json', 'utf8')) as {
      circuits: Record<string, { vkey: string }>;
    };
    const expected = Object.fromEntries(Object.entries(manifest.circuits).map(([n, c]) => [n, c.vkey]));
    expect(published).toEqual(expected);
  });

  it('says a bundle with the dev keys that claims a ceremony fails (not only "warn")', async () => {
    const doc = await readFile('docs/protocol.md', 'utf8');
    expect(doc).toMatch(
      /while the\s+manifest claims secure keys[\s\S]{0,120}?the\s+bundle \*\*fails\*\* verification/,
    );
  });
});
