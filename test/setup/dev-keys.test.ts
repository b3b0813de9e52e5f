import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEV_PTAU_SHA256,
  devKeyDirs,
  ensureDevKeys,
  ensureDevPtau,
  makeDevZkey,
} from '../../src/setup/dev-ceremony.js';
import { InsecureKeysError, KeyMismatchError } from '../../src/setup/errors.js';
import { sha256File } from '../../src/setup/hashing.js';
import {
  INSECURE_DEV_KEYS_WARNING,
  assertKeysAllowed,
  readManifest,
  type KeySet,
} from '../../src/setup/keyset.js';
import { readPtauHeader } from '../../src/setup/ptau.js';
import { B64_N8_K8, CIRCUIT_KINDS, circuitName } from '../../src/protocol/families.js';
import { snarkjs, terminateCurves } from '../../src/zk/snarkjs.js';
import { editJson } from './helpers.js';

let tmp: string;
let keySet: KeySet;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'zkreserve-setup-dev-'));
  keySet = await ensureDevKeys(B64_N8_K8);
});
afterAll(async () => {
  await terminateCurves();
  await rm(tmp, { recursive: true, force: true });
});

describe('dev ptau', () => {
  it('is the pinned deterministic 2^12 file', async () => {
    const rec = await ensureDevPtau();
    expect(await sha256File(rec.file)).toBe(DEV_PTAU_SHA256);
    expect(rec).toMatchObject({ power: 12, origin: 'insecure-dev' });
    expect((await readPtauHeader(rec.file)).power).toBe(12);
  });

  // Regeneration takes minutes of CPU (preparePhase2): run with ZKRESERVE_SLOW_TESTS=1.
  it.skipIf(!process.env.ZKRESERVE_SLOW_TESTS)(
    'a corrupted cached file is regenerated to the pinned hash',
    async () => {
      const cache = path.join(tmp, 'cache');
      const saved = process.env.ZKRESERVE_CACHE_DIR;
      process.env.ZKRESERVE_CACHE_DIR = cache;
      try {
        await mkdir(cache, { recursive: true });
        await writeFile(path.join(cache, 'zkreserve-dev-12.ptau'), 'corrupted');
        const rec = await ensureDevPtau();
        expect(await sha256File(rec.file)).toBe(DEV_PTAU_SHA256);
      } finally {
        if (saved === undefined) delete process.env.ZKRESERVE_CACHE_DIR;
        else process.env.ZKRESERVE_CACHE_DIR = saved;
      }
    },
    900_000,
  );
});

describe('dev keys', () => {
  it('are insecure, carry the warning, and equal the committed keys/dev', async () => {
    expect(keySet.ceremony).toBe('insecure-dev');
    expect(keySet.insecure).toBe(true);
    expect(keySet.manifest.warning).toBe(INSECURE_DEV_KEYS_WARNING);
    const committed = await readManifest(devKeyDirs().committedDir);
    expect(committed.kind).toBe('insecure-dev');
    for (const kind of CIRCUIT_KINDS) {
      const c = keySet.circuits[kind];
      expect(c.name).toBe(circuitName(B64_N8_K8, kind));
      const file = path.join(devKeyDirs().committedDir, `${c.name}.vkey.json`);
      expect(c.vkey).toEqual(JSON.parse(await readFile(file, 'utf8')));
      expect(committed.circuits[c.name]).toMatchObject({
        zkey: c.hashes.zkey,
        vkey: c.hashes.vkey,
        r1cs: c.hashes.r1cs,
      });
      expect(await sha256File(c.zkeyPath)).toBe(c.hashes.zkey);
    }
    expect(keySet.transcript).toHaveLength(1);
    expect(keySet.transcript[0]).toMatchObject({ type: 'beacon', name: 'zkreserve insecure dev key' });
  });

  it('are deterministic: zkey new + beacon from scratch gives the committed zkey byte for byte', async () => {
    const c = keySet.circuits.solvency;
    const out = path.join(tmp, 'regen-solvency.zkey');
    await makeDevZkey(c.r1csPath, (await ensureDevPtau()).file, out, c.name);
    expect(await sha256File(out)).toBe(c.hashes.zkey);
    expect(await snarkjs.zKey.exportVerificationKey(out)).toEqual(c.vkey);
  });

  it('concurrent callers get the same keys', async () => {
    const [a, b] = await Promise.all([ensureDevKeys(B64_N8_K8), ensureDevKeys(B64_N8_K8)]);
    expect(a.manifest).toEqual(b.manifest);
    expect(a.manifest).toEqual(keySet.manifest);
  });

  it('a committed verification key that differs is a loud error', async () => {
    const committed = path.join(tmp, 'committed');
    await cp(devKeyDirs().committedDir, committed, { recursive: true });
    const name = circuitName(B64_N8_K8, 'chunk');
    await editJson<{ IC: string[][] }>(path.join(committed, `${name}.vkey.json`), (v) => {
      v.IC[0]![0] = '1';
    });
    const err = await ensureDevKeys(B64_N8_K8, { committedDir: committed }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMismatchError);
    expect((err as Error).message).toMatch(new RegExp(`${name} differs from the committed`));
    expect((err as Error).message).toMatch(/scripts\/update-dev-keys\.ts/);
  });

  it('a committed manifest hash that differs, or missing committed keys, is an error too', async () => {
    const committed = path.join(tmp, 'committed2');
    await cp(devKeyDirs().committedDir, committed, { recursive: true });
    const name = circuitName(B64_N8_K8, 'solvency');
    await editJson<{ circuits: Record<string, { zkey: string }> }>(
      path.join(committed, 'manifest.json'),
      (m) => {
        m.circuits[name]!.zkey = '00'.repeat(32);
      },
    );
    await expect(ensureDevKeys(B64_N8_K8, { committedDir: committed })).rejects.toThrow(
      /zkey of b64-n8-k8-solvency/,
    );
    await expect(
      ensureDevKeys(B64_N8_K8, { committedDir: path.join(tmp, 'nothing') }),
    ).rejects.toBeInstanceOf(KeyMismatchError);
  });
});

describe('assertKeysAllowed', () => {
  it('refuses insecure dev keys unless explicitly allowed', () => {
    const err = (() => {
      try {
        assertKeysAllowed(keySet);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InsecureKeysError);
    expect((err as InsecureKeysError).code).toBe('INSECURE_DEV_KEYS');
    expect((err as Error).message).toContain(INSECURE_DEV_KEYS_WARNING);
    expect(() => assertKeysAllowed(keySet, { allowInsecureDevKeys: false })).toThrow(InsecureKeysError);
    expect(() => assertKeysAllowed(keySet, { allowInsecureDevKeys: true })).not.toThrow();
  });

  it('refuses a key set that only claims to be from a ceremony but has no contribution', () => {
    const fake: KeySet = {
      ...keySet,
      ceremony: 'ceremony',
      insecure: false,
      manifest: { ...keySet.manifest, kind: 'ceremony' },
    };
    expect(() => assertKeysAllowed(fake)).toThrow(/no phase-2 contribution/);
    const flagged: KeySet = { ...fake, insecure: true };
    expect(() => assertKeysAllowed(flagged)).toThrow(InsecureKeysError);
  });

  it('the warning says what it means', () => {
    expect(INSECURE_DEV_KEYS_WARNING).toMatch(/INSECURE DEVELOPMENT KEYS/);
    expect(INSECURE_DEV_KEYS_WARNING).toMatch(/never use them in production/);
    expect(INSECURE_DEV_KEYS_WARNING).toMatch(/forge/);
  });
});
