// Red team, issue 9 §1 and §2: users could not pin the keys. `verify-inclusion` had no --trusted-keys, so an
// operator with its own keys (or a relabelled family) got INCLUDED with no warning. Now: with pinned keys a
// bundle whose family or keys are not the pinned ones is refused; without pinning both commands say "these
// proofs are only as good as keys you have not checked" and show the family and the other unbound manifest
// fields as "(claimed, not verified)".
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { zk } from '../cli/helpers.js';
import { tempDir } from '../prover/fixtures.js';
import { buildBundle } from './support.js';

const DEV_MANIFEST = path.resolve('keys/dev/manifest.json');
const UNPINNED = /these proofs are only as good as keys you have not checked/;
let work: string;
let bundle: string;
let packetFile: string;

/** A copy of the bundle with its manifest edited. */
async function edited(name: string, edit: (m: { family: Record<string, unknown> }) => void): Promise<string> {
  const dir = path.join(work, name);
  await cp(bundle, dir, { recursive: true });
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(await readFile(file, 'utf8'));
  edit(m);
  await writeFile(file, JSON.stringify(m, null, 2));
  return dir;
}

beforeAll(async () => {
  const b = await buildBundle('keys-pinning', 3, { publishTotal: true });
  await terminateCurves();
  bundle = b.dir;
  work = await tempDir('keys-pinning-work');
  packetFile = path.join(work, 'packet.json');
  await writeFile(packetFile, JSON.stringify(b.packets.find((p) => BigInt(p.balance) > 0n)));
}, 300_000);

afterAll(async () => {
  await terminateCurves();
});

describe('verify-inclusion --trusted-keys', () => {
  it('unpinned: INCLUDED, but the warning no one can miss, and the family shown as unverified', async () => {
    const r = await zk(['verify-inclusion', packetFile, '--bundle', bundle]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/INCLUDED/);
    expect(r.stdout).toMatch(/!! KEYS NOT PINNED: these proofs are only as good as keys you have not/);
    expect(r.stdout).toMatch(/WARNING: KEYS NOT PINNED: .*pin them with --trusted-keys/);
    expect(r.stdout).toMatch(/family\s+b64-n8-k8 \(claimed, not verified\): keys not pinned/);
    expect(r.stdout).toMatch(/audit sequence #\d+ \(claimed, not verified\)/);
    const j = await zk(['verify-inclusion', packetFile, '--bundle', bundle, '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({
      ok: true,
      keysPinned: false,
      boundTo: { keysPinned: false },
    });
    expect(j.stderr).toMatch(/!! KEYS NOT PINNED: these proofs are only as good as keys you have not/);
  });

  it('pinned to the keys the bundle uses: INCLUDED, the family pinned, no unpinned warning', async () => {
    const r = await zk(['verify-inclusion', packetFile, '--bundle', bundle, '--trusted-keys', DEV_MANIFEST]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/INCLUDED/);
    expect(r.stdout).toMatch(/family\s+b64-n8-k8 \(pinned by /);
    expect(r.stdout).not.toMatch(UNPINNED);
  });

  it('refuses a bundle whose keys are not the pinned ones (an operator that made its own keys)', async () => {
    // Trusted keys for the same family, with other hashes: the ceremony the user trusts is not this one.
    const dev = JSON.parse(await readFile(DEV_MANIFEST, 'utf8'));
    for (const c of Object.values(dev.circuits) as { vkey: string }[]) c.vkey = 'ab'.repeat(32);
    const other = path.join(work, 'other-keys.json');
    await writeFile(other, JSON.stringify(dev));
    const r = await zk(['verify-inclusion', packetFile, '--bundle', bundle, '--trusted-keys', other]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /NOT INCLUDED: verification key chunk: SHA-256 [0-9a-f]{64} is not the trusted key/,
    );
  });

  it('refuses a bundle relabelled b64 -> b100 when the pinned keys hold both families', async () => {
    const relabelled = await edited('relabelled', (m) => {
      m.family = { ...m.family, id: 'b100-n8-k8', balanceBits: 100, sumBits: 132 };
    });
    // Unpinned, zkreserve/2's rule tying B to the currency's decimals (protocol.md §2) already refuses it.
    const u = await zk(['verify-inclusion', packetFile, '--bundle', relabelled]);
    expect(u.code).toBe(1);
    expect(u.stdout).toMatch(/balanceBits 100, a currency with 2 decimals needs 64/);
    const r = await zk([
      'verify-inclusion',
      packetFile,
      '--bundle',
      relabelled,
      '--trusted-keys',
      DEV_MANIFEST,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      // Refused either way: by the B rule or by the pinned hashes (b100's keys are not these).
      /NOT INCLUDED: (verification key chunk: SHA-256 [0-9a-f]{64} is not the trusted key|manifest: family b100-n8-k8 has balanceBits 100)/,
    );
  });

  it('refuses a bundle whose family the trusted keys do not pin at all, naming the families they pin', async () => {
    const dev = JSON.parse(await readFile(DEV_MANIFEST, 'utf8'));
    for (const name of Object.keys(dev.circuits)) if (name.startsWith('b64-')) delete dev.circuits[name];
    const only100 = path.join(work, 'only-b100.json');
    await writeFile(only100, JSON.stringify(dev));
    const r = await zk(['verify-inclusion', packetFile, '--bundle', bundle, '--trusted-keys', only100]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /NOT INCLUDED: keys: the bundle claims circuit family "b64-n8-k8", but the trusted keys .* have no b64-n8-k8-chunk circuit \(they pin b100-n8-k8\)/,
    );
    const v = await zk(['verify', bundle, '--trusted-keys', only100]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/they pin b100-n8-k8/);
  });

  it('a bad trusted-keys file is a usage error (exit 2)', async () => {
    const bad = path.join(work, 'bad.json');
    await writeFile(bad, JSON.stringify({ circuits: { 'b64-n8-k8-chunk': { vkey: 'xyz' } } }));
    const r = await zk(['verify-inclusion', packetFile, '--bundle', bundle, '--trusted-keys', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/circuits\.b64-n8-k8-chunk\.vkey is not a SHA-256/);
  });
});

describe('verify: unbound manifest fields are labelled', () => {
  it('unpinned: the warning, and family, circuit names, users.policy, audit sequence, transcript claimed', async () => {
    const r = await zk(['verify', bundle]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/!! KEYS NOT PINNED: these proofs are only as good as keys you have not/);
    expect(r.stdout).toMatch(/circuit family\s+b64-n8-k8 \(claimed, not verified\): keys not pinned/);
    expect(r.stdout).toMatch(
      /circuits\s+b64-n8-k8-chunk, b64-n8-k8-aggregate, b64-n8-k8-solvency \(claimed, not verified\)/,
    );
    expect(r.stdout).toMatch(/users policy\s+\S+ \(claimed, not verified\)/);
    expect(r.stdout).toMatch(/audit sequence\s+#\d+ \(claimed, not verified\)/);
    expect(r.stdout).toMatch(/transcript\s+\(claimed, not verified\)/);
    const p = await zk(['verify', bundle, '--trusted-keys', DEV_MANIFEST]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/circuit family\s+b64-n8-k8 \(pinned by the trusted keys\)/);
    expect(p.stdout).not.toMatch(UNPINNED);
    expect(JSON.parse((await zk(['verify', bundle, '--json'])).stdout).summary).toMatchObject({
      keysPinned: false,
      unverified: ['family', 'auditHead.sequence', 'users.policy', 'keys.transcript', 'keys.circuits.*.name'],
    });
  });
});
