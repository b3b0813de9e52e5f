// The anchor through the real command (node bin/zkreserve.js, compiled dist/) against a local EVM node:
// anchor deploy, anchor publish, verify --anchored; the key file's rules; the key never printed.
import { chmod, copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEvmNode } from '../support/evm-node.js';
import type { EvmNode } from '../support/evm-node.js';
import { tempDir, zk } from '../cli/helpers.js';
import type { RunResult } from '../cli/helpers.js';
import { anchorBundles } from './fixtures.js';
import type { AnchorBundles } from './fixtures.js';

let node: EvmNode;
let bundles: AnchorBundles;
let dir: string;
let keyFile: string;
let strangerKeyFile: string;
let registry: string;

/** The key (without 0x) must appear in no output of any command. */
function noKey(r: RunResult): void {
  for (const k of node.privateKeys) {
    expect(r.stdout + r.stderr).not.toContain(k.slice(2));
  }
}

beforeAll(async () => {
  [bundles, node] = await Promise.all([anchorBundles(), startEvmNode()]);
  dir = await tempDir('anchor');
  keyFile = path.join(dir, 'operator.key');
  await writeFile(keyFile, `${node.privateKeys[0]}\n`, { mode: 0o600 });
  strangerKeyFile = path.join(dir, 'stranger.key');
  await writeFile(strangerKeyFile, `${node.privateKeys[1]!.slice(2)}\n`, { mode: 0o600 });
});

afterAll(async () => {
  await node?.close();
});

const deployArgs = () => [
  'anchor',
  'deploy',
  '--rpc',
  node.url,
  '--keys',
  'keys/dev',
  '--family',
  'b64-n8-k8',
];

describe('zkreserve anchor (CLI, local EVM)', () => {
  it('anchor, anchor deploy and anchor publish have --help', async () => {
    for (const c of [['anchor'], ['anchor', 'deploy'], ['anchor', 'publish']]) {
      const r = await zk([...c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: zkreserve ${c.join(' ')}`);
    }
  });

  it('refuses a key file that group or others may read (0644), without printing the key', async () => {
    const open = path.join(dir, 'open.key');
    await copyFile(keyFile, open);
    await chmod(open, 0o644);
    const r = await zk([...deployArgs(), '--insecure-dev-keys', '--key-file', open]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`key file ${open} is accessible by group or others (mode 0644)`);
    expect(r.stderr).toContain('INSECURE_SECRET');
    noKey(r);
  });

  it('refuses a key file that holds no key, without quoting its content', async () => {
    const bad = path.join(dir, 'bad.key');
    const content = `${node.privateKeys[2]!.slice(2)}zz`;
    await writeFile(bad, content, { mode: 0o600 });
    const r = await zk([...deployArgs(), '--insecure-dev-keys', '--key-file', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('must hold one Ethereum private key');
    expect(r.stderr).not.toContain(content.slice(0, 16));
    noKey(r);
  });

  it('refuses the insecure dev keys without --insecure-dev-keys', async () => {
    const r = await zk([...deployArgs(), '--key-file', keyFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--insecure-dev-keys was not given');
  });

  it('deploys the verifier and the registry, printing addresses and gas', async () => {
    const r = await zk([...deployArgs(), '--insecure-dev-keys', '--key-file', keyFile, '--json']);
    expect(r.code, r.stderr).toBe(0);
    noKey(r);
    const d = JSON.parse(r.stdout);
    expect(d.chainId).toBe(node.chainId);
    expect(d.solvencyKey.circuit).toBe('b64-n8-k8-solvency');
    for (const c of [d.verifier, d.registry]) {
      expect(c.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
      expect(c.transaction).toMatch(/^0x[0-9a-f]{64}$/);
      expect(Number(c.gasUsed)).toBeGreaterThan(100_000);
    }
    registry = d.registry.address;
  });

  it('publishes a bundle: transaction hash, block and gas', async () => {
    const r = await zk([
      'anchor',
      'publish',
      bundles.t1,
      '--rpc',
      node.url,
      '--registry',
      registry,
      '--key-file',
      keyFile,
    ]);
    expect(r.code, r.stderr).toBe(0);
    noKey(r);
    expect(r.stdout).toMatch(/transaction {3}0x[0-9a-f]{64}/);
    expect(r.stdout).toMatch(/block {9}\d+/);
    expect(r.stdout).toMatch(/gas used {6}\d{6,}/);
  });

  it('attack: another address publishes: refused by the contract (NotOperator), key not printed', async () => {
    const r = await zk([
      'anchor',
      'publish',
      bundles.t2,
      '--rpc',
      node.url,
      '--registry',
      registry,
      '--key-file',
      strangerKeyFile,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NotOperator');
    noKey(r);
  });

  it('verify --anchored passes for the published bundle', async () => {
    const r = await zk(['verify', bundles.t1, '--anchored', '--rpc', node.url, '--registry', registry]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('matches the bundle exactly');
  });

  it('verify --anchored fails a valid bundle whose reserves differ from the record, naming the field', async () => {
    const r = await zk([
      'verify',
      bundles.t1OtherReserves,
      '--anchored',
      '--rpc',
      node.url,
      '--registry',
      registry,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.anchor.matches).toBe(false);
    expect(report.errors.some((e: string) => e.startsWith('anchor: reserves differs'))).toBe(true);
    // Without --anchored the same bundle is valid: only the chain's record tells them apart.
    expect((await zk(['verify', bundles.t1OtherReserves])).code).toBe(0);
  });

  it('verify --anchored fails a bundle that was never published', async () => {
    const r = await zk(['verify', bundles.t2, '--anchored', '--rpc', node.url, '--registry', registry]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the registry has no record for currencyId');
  });

  it('verify --anchored needs --rpc and --registry', async () => {
    const r = await zk(['verify', bundles.t1, '--anchored', '--rpc', node.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--anchored needs --rpc <url> and --registry <address>');
  });
});
