// A phase-2 ceremony through the library on a random 2^12 test ptau (unlisted; not the public dev ptau, which is
// refused), for two circuits: the dev family's solvency circuit and a tiny Poseidon(1) one. Two contributions and a
// beacon verify; the contributors' published receipts are checked against the chain; then each kind of tampering is
// detected. Tampering checks run on the Poseidon(1) circuit only (setupVerify's `circuits` option). The whole-family
// ceremony on a 2^12 ptau, its export loaded as a key set and a bundle proved with it, runs through the CLI in
// test/cli/ceremony-e2e.test.ts; this file keeps the circuits small so the many re-verifications stay cheap.
import { existsSync } from 'node:fs';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readCeremony,
  readReceipt,
  setupBeacon,
  setupContribute,
  setupExport,
  setupInit,
  setupVerify,
  verifyKeyExport,
  type CeremonyState,
  type ContributionReceipt,
} from '../../src/setup/ceremony/index.js';
import { usableInputs, verificationInputs } from '../../src/setup/ceremony/verified-record.js';
import { ensureDevPtau } from '../../src/setup/dev-ceremony.js';
import {
  CeremonyStateError,
  InsecurePtauError,
  PtauHashMismatchError,
  ReceiptFormatError,
} from '../../src/setup/errors.js';
import { sha256File } from '../../src/setup/hashing.js';
import { exportedFiles, readManifest, type KeyManifest } from '../../src/setup/keyset.js';
import { readZkeyContributions } from '../../src/setup/zkey-info.js';
import { B64_N8_K8, circuitName } from '../../src/protocol/families.js';
import { snarkjs, terminateCurves } from '../../src/zk/snarkjs.js';
import { compileCircuit, type CompiledCircuit } from '../../src/zk/compile.js';
import { compilePoseidon1, copyWithFlippedByte, editJson, ensureTestPtau, tempDir } from './helpers.js';

const SOLVENCY = circuitName(B64_N8_K8, 'solvency');
/** The second circuit: Poseidon(1), 213 constraints (test/setup/fixtures/poseidon1.circom). */
const P1 = 'setup-test-poseidon1';
const BEACON = '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20';
/** The circuit the receipt and tampering checks re-derive (the smaller one: each re-derivation is cheaper). */
const TARGET = P1;
const OTHER = SOLVENCY;
const only = { circuits: [TARGET] };

let root: string;
let dir: string;
let keys: string;
let ptauFile: string;
let circuits: CompiledCircuit[];
let alice: ContributionReceipt;
let bob: ContributionReceipt;
let beacon: ContributionReceipt;

const zkeyPath = (d: string, name: string, i: number) =>
  path.join(d, 'zkeys', `${name}_${String(i).padStart(4, '0')}.zkey`);

/** A copy of the finished ceremony to tamper with. */
async function copyCeremony(tag: string): Promise<string> {
  const d = path.join(root, tag);
  await cp(dir, d, { recursive: true });
  return d;
}

beforeAll(async () => {
  root = await tempDir('ceremony');
  dir = path.join(root, 'ceremony');
  keys = path.join(root, 'keys');
  ptauFile = await ensureTestPtau();
  circuits = [await compileCircuit(B64_N8_K8, 'solvency'), await compilePoseidon1()];
  await setupInit(dir, { circuits, ptauFile, allowUnlistedPtau: true });
  alice = await setupContribute(dir, { name: 'alice', entropy: 'alice typed this' });
  bob = await setupContribute(dir, { name: 'bob' });
  beacon = await setupBeacon(dir, { beaconHex: BEACON, iterationsExp: 10 });
});

afterAll(async () => {
  await terminateCurves();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('a ceremony on an unlisted 2^12 ptau', () => {
  it('records the ptau as unlisted and every circuit with its size', async () => {
    const s = await readCeremony(dir);
    expect(s.ptau).toMatchObject({ origin: 'unlisted', power: 12, file: 'phase1.ptau' });
    expect(s.circuits.map((c) => c.name)).toEqual([SOLVENCY, P1]);
    for (const c of s.circuits) expect(c.requiredPower).toBeLessThanOrEqual(10);
    expect(s.finalized).toBe(true);
  });

  it('refuses the ptau without allowUnlisted, and refuses a second init in the same directory', async () => {
    await expect(setupInit(path.join(root, 'other'), { circuits, ptauFile })).rejects.toBeInstanceOf(
      PtauHashMismatchError,
    );
    await expect(setupInit(dir, { circuits, ptauFile, allowUnlistedPtau: true })).rejects.toThrow(
      /already holds a ceremony/,
    );
  });

  it('receipts carry one contribution hash per circuit, in order, matching the zkeys', async () => {
    expect([alice.index, bob.index, beacon.index]).toEqual([1, 2, 3]);
    expect(alice.name).toBe('alice');
    expect(beacon.type).toBe('beacon');
    expect(Object.keys(alice.contributions).sort()).toEqual([SOLVENCY, P1].sort());
    const info = await readZkeyContributions(zkeyPath(dir, P1, 3));
    expect(info.contributions.map((c) => [c.name, c.contributionHash])).toEqual([
      ['alice', alice.contributions[P1]],
      ['bob', bob.contributions[P1]],
      ['final beacon', beacon.contributions[P1]],
    ]);
    expect(JSON.parse(await readFile(path.join(dir, 'receipts', '0002.json'), 'utf8'))).toEqual(bob);
  });

  it('setupVerify passes on the whole ceremony (every circuit, from the r1cs and the ptau)', async () => {
    const r = await setupVerify(dir);
    expect(r.reasons).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.circuits.map((c) => c.name)).toEqual([SOLVENCY, P1]);
    expect(r.transcript.map((t) => t.name)).toEqual(['alice', 'bob', 'final beacon']);
    expect(r.warnings.join(' ')).toMatch(/not a published Hermez file/);
  });

  it('refuses further contributions and a second beacon once finalized', async () => {
    await expect(setupContribute(dir, { name: 'late' })).rejects.toThrow(/finalized/);
    await expect(setupBeacon(dir, { beaconHex: BEACON, iterationsExp: 10 })).rejects.toThrow(/finalized/);
  });

  it('exports keys that verify, and whose vkeys are derived from the final zkeys', async () => {
    const m = await setupExport(dir, keys, { verify: false });
    expect(m.kind).toBe('ceremony');
    expect(m.transcript.map((t) => t.name)).toEqual(['alice', 'bob', 'final beacon']);
    expect(m.ptau.origin).toBe('unlisted');
    expect(Object.keys(m.circuits).sort()).toEqual([SOLVENCY, P1].sort());
    expect(await readManifest(keys)).toEqual(m);
    expect(JSON.parse(await readFile(exportedFiles(keys, TARGET).vkey, 'utf8'))).toEqual(
      await snarkjs.zKey.exportVerificationKey(zkeyPath(dir, TARGET, 3)),
    );
    const r = await verifyKeyExport(keys, { ptauFile, ...only });
    expect(r.reasons).toEqual([]);
    expect(r.ok).toBe(true);
    const r2 = await setupVerify(dir, { keysDir: keys, ...only });
    expect(r2.reasons).toEqual([]);
  });

  it('export reuses the full setupVerify above (verified.json) and verifies again once a file changed', async () => {
    const record = JSON.parse(await readFile(path.join(dir, 'verified.json'), 'utf8')) as {
      files: Record<string, string>;
    };
    expect(Object.keys(record.files).sort()).toEqual(
      [
        'ceremony.json',
        'phase1.ptau',
        ...[SOLVENCY, P1].flatMap((n) => [`circuits/${n}.r1cs`, `zkeys/${n}_0003.zkey`]),
      ].sort(),
    );
    expect(record.files['ceremony.json']).toBe(await sha256File(path.join(dir, 'ceremony.json')));
    // A state read before a contribution landed is no longer the file: such inputs are never recorded or matched.
    const state = await readCeremony(dir);
    expect(usableInputs(await verificationInputs(dir, state))).toBe(true);
    expect(usableInputs(await verificationInputs(dir, { ...state, finalized: false }))).toBe(false);
    const stages = (events: { stage: string }[]) => [...new Set(events.map((e) => e.stage))];
    const reused: { stage: string; message: string }[] = [];
    await setupExport(dir, path.join(root, 'keys-reused'), { onProgress: (e) => reused.push(e) });
    expect(reused.map((e) => e.message).join('\n')).toMatch(/no file changed since \(verified.json\)/);
    expect(stages(reused)).not.toContain('zkey-verify');
    const forced: { stage: string }[] = [];
    await setupExport(dir, path.join(root, 'keys-forced'), {
      reverify: true,
      onProgress: (e) => forced.push(e),
    });
    expect(stages(forced)).toContain('zkey-verify');

    // Attack on the cache: a final zkey replaced by a corrupt one (its hash fixed up in ceremony.json) after the
    // record was written. The record no longer matches, so export verifies again and refuses.
    const d = await copyCeremony('stale-record');
    const z = zkeyPath(d, OTHER, 3);
    await copyWithFlippedByte(z, `${z}.bad`, -2000);
    await cp(`${z}.bad`, z);
    const sha = await sha256File(z);
    await editJson<CeremonyState>(path.join(d, 'ceremony.json'), (st) => {
      st.transcript[2]!.zkeys[OTHER] = sha;
    });
    await expect(setupExport(d, path.join(root, 'keys-stale'))).rejects.toThrow(
      /ceremony does not verify: .*snarkjs zkey verify (rejected|failed)/,
    );
    // The failed verification left the stale record as it was (it records only a pass) ...
    expect(JSON.parse(await readFile(path.join(d, 'verified.json'), 'utf8'))).toEqual(record);
    // ... and a check of some circuits only (here the intact one) records nothing.
    await rm(path.join(d, 'verified.json'));
    expect((await setupVerify(d, only)).ok).toBe(true);
    expect(existsSync(path.join(d, 'verified.json'))).toBe(false);
  });

  it("checks the contributors' receipts against a key export too", async () => {
    const good = await verifyKeyExport(keys, { ptauFile, ...only, receipts: [alice, bob, beacon] });
    expect(good.reasons).toEqual([]);
    expect(good.receipts.map((r) => r.ok)).toEqual([true, true, true]);
    const edited = { ...bob, contributions: { ...bob.contributions, [TARGET]: 'cd'.repeat(64) } };
    const bad = await verifyKeyExport(keys, { ptauFile, ...only, receipts: [alice, edited] });
    expect(bad.ok).toBe(false);
    expect(bad.receipts.map((r) => r.ok)).toEqual([true, false]);
    expect(bad.reasons.join('\n')).toMatch(
      new RegExp(
        `receipt of "bob" \\(#2\\): ${TARGET}: the zkey's contribution #2 .* the receipt says (cd){64}`,
      ),
    );
  });
});

describe("contributors' published receipts", () => {
  it('the honest receipts, read back from the files the contributors publish, match the chain', async () => {
    const published = [];
    for (const i of [1, 2, 3]) published.push(await readReceipt(path.join(dir, 'receipts', `000${i}.json`)));
    expect(published).toEqual([alice, bob, beacon]);
    const r = await setupVerify(dir, { ...only, receipts: published });
    expect(r.reasons).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.receipts).toEqual([
      { name: 'alice', index: 1, ok: true, reasons: [] },
      { name: 'bob', index: 2, ok: true, reasons: [] },
      { name: 'final beacon', index: 3, ok: true, reasons: [] },
    ]);
  });

  it('a receipt whose hash was edited fails, naming the contributor and the circuit', async () => {
    const edited = { ...bob, contributions: { ...bob.contributions, [TARGET]: 'cd'.repeat(64) } };
    const r = await setupVerify(dir, { ...only, receipts: [alice, edited] });
    expect(r.ok).toBe(false);
    expect(r.receipts.map((x) => x.ok)).toEqual([true, false]);
    const text = r.reasons.join('\n');
    expect(text).toContain(
      `receipt of "bob" (#2): ${TARGET}: the receipt's contribution hash ${'cd'.repeat(64)} differs from the transcript's ${bob.contributions[TARGET]}`,
    );
    expect(text).toContain(
      `receipt of "bob" (#2): ${TARGET}: the zkey's contribution #2 (by "bob") has hash ${bob.contributions[TARGET]}, the receipt says ${'cd'.repeat(64)}`,
    );
    // A circuit that is not re-verified in this run is still compared with the transcript.
    const p1Edited = { ...alice, contributions: { ...alice.contributions, [P1]: 'ef'.repeat(64) } };
    const r2 = await setupVerify(dir, { ...only, receipts: [p1Edited] });
    expect(r2.ok).toBe(false);
    expect(r2.reasons.join('\n')).toMatch(new RegExp(`receipt of "alice" \\(#1\\): ${P1}: .*differs`));
  });

  it('the receipt of a contribution dropped from the chain fails, though the directory is self-consistent', async () => {
    const d = await copyCeremony('dropped-receipt');
    // Bob's step removed: the beacon applied straight onto alice's zkey, and ceremony.json rewritten to match.
    const hash: Uint8Array = await snarkjs.zKey.beacon(
      zkeyPath(d, TARGET, 1),
      zkeyPath(d, TARGET, 2),
      'final beacon',
      BEACON,
      10,
    );
    const sha = await sha256File(zkeyPath(d, TARGET, 2));
    await editJson<CeremonyState>(path.join(d, 'ceremony.json'), (s) => {
      const b = s.transcript[2]!;
      s.transcript = [
        s.transcript[0]!,
        {
          ...b,
          index: 2,
          contributions: { ...b.contributions, [TARGET]: Buffer.from(hash).toString('hex') },
          zkeys: { ...b.zkeys, [TARGET]: sha },
        },
      ];
    });
    // Without the receipts, the doctored directory verifies: it only vouches for itself.
    const alone = await setupVerify(d, only);
    expect(alone.reasons).toEqual([]);
    expect(alone.transcript.map((t) => t.name)).toEqual(['alice', 'final beacon']);
    const r = await setupVerify(d, { ...only, receipts: [alice, bob] });
    expect(r.ok).toBe(false);
    expect(r.receipts.map((x) => x.ok)).toEqual([true, false]);
    const text = r.reasons.join('\n');
    expect(text).toMatch(
      /receipt of "bob" \(#2\): this contribution is missing from the chain \(step #2 is a beacon by "final beacon"; no step is by "bob"\)/,
    );
    expect(text).toContain(
      `receipt of "bob" (#2): ${TARGET}: the zkey's contribution #2 (by "final beacon")`,
    );
  });

  it('refuses receipts out of chain order, a receipt missing a circuit, and a file that is not a receipt', async () => {
    const r = await setupVerify(dir, { ...only, receipts: [bob, alice] });
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(/receipt of "alice" \(#1\): receipts must be given in chain order/);
    const { [P1]: _dropped, ...rest } = alice.contributions;
    const partial = { ...alice, contributions: rest };
    const r2 = await setupVerify(dir, { ...only, receipts: [partial] });
    expect(r2.ok).toBe(false);
    expect(r2.reasons.join('\n')).toContain(
      `receipt of "alice" (#1): ${P1}: the receipt has no contribution hash for this circuit`,
    );
    const junk = path.join(root, 'junk-receipt.json');
    await writeFile(junk, JSON.stringify({ name: 'alice', contributions: {} }));
    await expect(readReceipt(junk)).rejects.toBeInstanceOf(ReceiptFormatError);
    await expect(readReceipt(path.join(root, 'no-such-receipt.json'))).rejects.toThrow(/cannot read receipt/);
  });
});

describe('the public dev ptau', () => {
  it('is refused for a ceremony, and a ceremony forced onto it never verifies and exports insecure-dev keys', async () => {
    const dev = (await ensureDevPtau()).file;
    const circuit = await compilePoseidon1();
    const d = path.join(root, 'on-dev-ptau');
    const refused = await setupInit(d, { circuits: [circuit], ptauFile: dev, allowUnlistedPtau: true }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(InsecurePtauError);
    expect((refused as Error).message).toMatch(/forgeable/);
    const state = await setupInit(d, { circuits: [circuit], ptauFile: dev, allowInsecureDevPtau: true });
    expect(state.ptau.origin).toBe('insecure-dev');
    await setupContribute(d, { name: 'alice' });
    await setupBeacon(d, { beaconHex: BEACON, iterationsExp: 10 });
    const r = await setupVerify(d);
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(/ptau: it is the public insecure development powers of tau/);
    // Only the ptau is wrong: the chain itself is fine.
    expect(r.circuits.every((c) => c.ok)).toBe(true);
    const k = path.join(root, 'on-dev-ptau-keys');
    await expect(setupExport(d, k)).rejects.toThrow(/does not verify: ptau: it is the public insecure/);
    const m = await setupExport(d, k, { verify: false });
    expect(m.kind).toBe('insecure-dev');
    expect((await readManifest(k)).warning).toMatch(/INSECURE/);
    const rk = await verifyKeyExport(k, { ptauFile: dev });
    expect(rk.ok).toBe(false);
    expect(rk.reasons.join('\n')).toMatch(/insecure development keys/);
  });
});

describe('tampering is detected', () => {
  it('a contribution forged under a transcript name (bob replaced by mallory, hashes in ceremony.json fixed up)', async () => {
    const d = await copyCeremony('forged');
    // Mallory redoes step 2 under bob's name and re-applies the same public beacon: a valid chain, same names.
    const forged2 = path.join(root, 'forged-2.zkey');
    await snarkjs.zKey.contribute(zkeyPath(d, TARGET, 1), forged2, 'bob', 'mallory knows this');
    await snarkjs.zKey.beacon(forged2, zkeyPath(d, TARGET, 3), 'final beacon', BEACON, 10);
    const sha = await sha256File(zkeyPath(d, TARGET, 3));
    await editJson<CeremonyState>(path.join(d, 'ceremony.json'), (s) => {
      s.transcript[2]!.zkeys[TARGET] = sha;
    });
    const r = await setupVerify(d, only);
    expect(r.ok).toBe(false);
    // snarkjs alone accepts the chain; the transcript's hashes are what catch it.
    expect(r.circuits[0]!.reasons.join('\n')).not.toMatch(/snarkjs zkey verify rejected/);
    expect(r.reasons.join('\n')).toMatch(
      new RegExp(
        `contribution #2 \\("bob"\\) has hash [0-9a-f]{128}, the transcript says ${bob.contributions[TARGET]}`,
      ),
    );
  });

  it('an extra contribution by someone not in the transcript', async () => {
    const d = await copyCeremony('extra');
    const tmp = path.join(root, 'extra.zkey');
    await snarkjs.zKey.contribute(zkeyPath(d, TARGET, 3), tmp, 'mallory', 'x');
    await cp(tmp, zkeyPath(d, TARGET, 3));
    const r = await setupVerify(d, only);
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(/has 4 contributions, the transcript lists 3/);
  });

  it('a transcript entry whose hash was edited', async () => {
    const d = await copyCeremony('edited');
    await editJson<CeremonyState>(path.join(d, 'ceremony.json'), (s) => {
      s.transcript[0]!.contributions[TARGET] = 'ab'.repeat(64);
    });
    const r = await setupVerify(d, only);
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(
      /contribution #1 \("alice"\) has hash [0-9a-f]{128}, the transcript says (ab){64}/,
    );
  });

  it('a transcript entry whose name was edited', async () => {
    const d = await copyCeremony('renamed');
    await editJson<CeremonyState>(path.join(d, 'ceremony.json'), (s) => {
      s.transcript[1]!.name = 'carol';
    });
    const r = await setupVerify(d, only);
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(/contribution #2 is by "bob", the transcript says "carol"/);
  });

  it('a dropped contribution (transcript lists 3, the zkey has 2)', async () => {
    const d = await copyCeremony('dropped');
    // Bob's step skipped: the beacon applied straight onto alice's zkey.
    await snarkjs.zKey.beacon(zkeyPath(d, TARGET, 1), zkeyPath(d, TARGET, 3), 'final beacon', BEACON, 10);
    const sha = await sha256File(zkeyPath(d, TARGET, 3));
    await editJson<CeremonyState>(path.join(d, 'ceremony.json'), (s) => {
      s.transcript[2]!.zkeys[TARGET] = sha;
    });
    const r = await setupVerify(d, only);
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(/has 2 contributions, the transcript lists 3/);
  });

  it('a zkey that is not a valid chain from the r1cs and ptau (flipped byte in the zkey)', async () => {
    const d = await copyCeremony('corrupt-zkey');
    const z = zkeyPath(d, TARGET, 3);
    await copyWithFlippedByte(z, `${z}.bad`, -2000); // inside the H section
    await cp(`${z}.bad`, z);
    const sha = await sha256File(z);
    await editJson<CeremonyState>(path.join(d, 'ceremony.json'), (s) => {
      s.transcript[2]!.zkeys[TARGET] = sha;
    });
    const r = await setupVerify(d, only);
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(/snarkjs zkey verify (rejected|failed)/);
  });

  it('a ptau with a flipped byte', async () => {
    const d = await copyCeremony('bad-ptau');
    await copyWithFlippedByte(ptauFile, path.join(d, 'phase1.ptau'), -1000);
    const r = await setupVerify(d, only);
    expect(r.ok).toBe(false);
    expect(r.ptau.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(
      /does not match the recorded hash: expected blake2b-512 [0-9a-f]{128}, actual [0-9a-f]{128}/,
    );
  });

  it('a verification key in the keys export that does not match the final zkey', async () => {
    const k = path.join(root, 'bad-keys');
    await cp(keys, k, { recursive: true });
    // Swap in another circuit's vkey and fix up the manifest hash, so only the derivation check can catch it.
    await cp(path.join(k, `${OTHER}.vkey.json`), path.join(k, `${TARGET}.vkey.json`));
    const sha = await sha256File(path.join(k, `${TARGET}.vkey.json`));
    await editJson<KeyManifest>(path.join(k, 'manifest.json'), (m) => {
      m.circuits[TARGET]!.vkey = sha;
    });
    const r = await verifyKeyExport(k, { ptauFile, ...only });
    expect(r.ok).toBe(false);
    expect(r.reasons.join('\n')).toMatch(
      /exported verification key is not the one derived from the final zkey/,
    );
    const r2 = await setupVerify(dir, { keysDir: k, ...only });
    expect(r2.ok).toBe(false);
    expect(r2.reasons.join('\n')).toMatch(/not the one derived/);
    // Without the manifest fix-up, the file-hash check catches it too.
    await editJson<KeyManifest>(path.join(k, 'manifest.json'), (m) => {
      m.circuits[TARGET]!.vkey = '00'.repeat(32);
    });
    const r3 = await verifyKeyExport(k, { ptauFile, ...only });
    expect(r3.ok).toBe(false);
    expect(r3.reasons.join('\n')).toMatch(
      new RegExp(`${TARGET}\\.vkey\\.json has sha256 [0-9a-f]{64}, manifest.json says (00){32}`),
    );
  });

  it('a swapped zkey in the ceremony directory stops the next contribution', async () => {
    const d = await copyCeremony('swapped');
    await editJson<CeremonyState>(path.join(d, 'ceremony.json'), (s) => {
      s.finalized = false;
      s.transcript.pop();
    });
    // Step 2 replaced by step 1's file: the directory no longer matches the recorded hashes.
    await cp(zkeyPath(d, TARGET, 1), zkeyPath(d, TARGET, 2));
    await expect(setupContribute(d, { name: 'carol' })).rejects.toBeInstanceOf(CeremonyStateError);
  });
});
