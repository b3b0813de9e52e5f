// Start-up cost of the CLI: a command loads the heavy libraries only when it uses them. Every test spawns the
// CLI, and so does every operator script: loading snarkjs costs about 0.2 s of CPU per start, viem about 0.5 s.
// A static import added in the wrong place brings them back; these runs record the modules each command loads
// (a module-loading hook preloaded with `node --import`) and name the library that should not be there.
import { readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, repoRoot, tempDir } from './helpers.js';

const HOOK = path.join(repoRoot, 'test', 'cli', 'fixtures', 'log-loaded-modules.mjs');

/** The node_modules packages a CLI run loads, by name. */
async function packagesLoaded(args: readonly string[]): Promise<Set<string>> {
  const log = path.join(await tempDir('loaded'), 'loaded.txt');
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', HOOK, BIN, ...args],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ZKRESERVE_TEST_LOADED_LOG: log } },
      (error) => (error ? reject(error) : resolve()),
    );
  });
  const names = new Set<string>();
  for (const url of readFileSync(log, 'utf8').split('\n')) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (m) names.add(m[1]!);
  }
  return names;
}

describe('CLI start-up loads only what the command uses', () => {
  it('the hook sees what it should: `verify --help` loads snarkjs (the check is not vacuous)', async () => {
    expect(await packagesLoaded(['verify', '--help'])).toContain('snarkjs');
  });

  it('commands that never prove or verify do not load snarkjs', async () => {
    for (const command of ['init', 'import', 'audit']) {
      const loaded = await packagesLoaded([command, '--help']);
      expect(loaded.has('snarkjs'), `${command} loaded snarkjs`).toBe(false);
      expect(loaded.has('commander'), `${command}: the hook logged nothing`).toBe(true);
    }
  });

  it('verify and verify-inclusion load viem only for an online check (--rpc)', async () => {
    for (const command of ['verify', 'verify-inclusion']) {
      const loaded = await packagesLoaded([command, '--help']);
      expect(loaded.has('viem'), `${command} loaded viem`).toBe(false);
    }
  });
});
