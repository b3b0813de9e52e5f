import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circuitSizes, maxRequiredPower } from '../../src/setup/circuit-sizes.js';
import { ensureDevPtau } from '../../src/setup/dev-ceremony.js';
import {
  InsecurePtauError,
  PtauFormatError,
  PtauHashMismatchError,
  PtauTooSmallError,
  PtauVerifyError,
} from '../../src/setup/errors.js';
import { HERMEZ_PTAU, hermezEntryForPower } from '../../src/setup/hermez.js';
import { assertPtauFits, importPtau, readPtauHeader, requiredPower } from '../../src/setup/ptau.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { snarkjs, terminateCurves } from '../../src/zk/snarkjs.js';
import {
  HERMEZ_ABSENT,
  copyWithFlippedByte,
  ensureTestPtau,
  hermez08,
  hermezDir,
  hermezPresent,
  tempDir,
} from './helpers.js';

let tmp: string;
beforeAll(async () => {
  tmp = await tempDir('ptau');
});
afterAll(async () => {
  await terminateCurves();
});

describe('requiredPower', () => {
  it('is ceil(log2(constraints + nPublic + 1))', () => {
    expect(requiredPower(254, 1)).toBe(8); // 256
    expect(requiredPower(255, 1)).toBe(9); // 257
    expect(requiredPower(213, 1)).toBe(8);
    expect(requiredPower(3074, 2)).toBe(12);
    expect(requiredPower(4094, 1)).toBe(12);
    expect(requiredPower(4095, 1)).toBe(13);
    expect(requiredPower(0, 0)).toBe(0);
  });
  it('rejects non-integers', () => {
    expect(() => requiredPower(1.5, 0)).toThrow(RangeError);
    expect(() => requiredPower(-1, 0)).toThrow(RangeError);
  });
  it('assertPtauFits names the required and available powers', () => {
    expect(() => assertPtauFits({ name: 'x', constraints: 254, nPublic: 1 }, 8)).not.toThrow();
    const err = (() => {
      try {
        assertPtauFits({ name: 'big', constraints: 3074, nPublic: 2 }, 8);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(PtauTooSmallError);
    expect((err as PtauTooSmallError).message).toMatch(/needs 2\^12.*has 2\^8/);
    expect((err as PtauTooSmallError).required).toBe(12);
    expect((err as PtauTooSmallError).available).toBe(8);
  });
});

describe('circuitSizes', () => {
  it('reports the required power of the dev family circuits (all fit the 2^12 dev ptau)', async () => {
    const sizes = await circuitSizes([B64_N8_K8]);
    expect(sizes.map((s) => s.name)).toEqual([
      'b64-n8-k8-chunk',
      'b64-n8-k8-aggregate',
      'b64-n8-k8-solvency',
    ]);
    for (const s of sizes) {
      expect(s.requiredPower).toBe(requiredPower(s.constraints, s.nPublic));
      expect(2 ** s.requiredPower).toBeGreaterThanOrEqual(s.constraints + s.nPublic + 1);
      expect(2 ** (s.requiredPower - 1)).toBeLessThan(s.constraints + s.nPublic + 1);
    }
    expect(maxRequiredPower(sizes)).toBe(12);
  });
});

describe('embedded Hermez list', () => {
  it('has one entry per power 8..28 with a 512-bit hash', () => {
    expect(HERMEZ_PTAU.map((e) => e.power)).toEqual(Array.from({ length: 21 }, (_, i) => i + 8));
    for (const e of HERMEZ_PTAU) expect(e.blake2b).toMatch(/^[0-9a-f]{128}$/);
    expect(new Set(HERMEZ_PTAU.map((e) => e.blake2b)).size).toBe(21);
  });
  it.skipIf(!hermezPresent)(
    hermezPresent ? 'the 2^8 entry is the hash published next to the shared fixture' : HERMEZ_ABSENT,
    async () => {
      const readme = await readFile(path.join(hermezDir, 'README.md'), 'utf8');
      expect(readme).toContain(hermezEntryForPower(8)!.blake2b);
    },
  );
});

describe.skipIf(!hermezPresent)(
  hermezPresent ? 'importPtau with the real Hermez 2^8 file' : HERMEZ_ABSENT,
  () => {
    it('accepts the published file and records its origin', async () => {
      const rec = await importPtau(hermez08);
      expect(rec.origin).toBe('hermez');
      expect(rec.power).toBe(8);
      expect(rec.hermezFile).toBe('powersOfTau28_hez_final_08.ptau');
      expect(rec.blake2b).toBe(hermezEntryForPower(8)!.blake2b);
      expect(rec.source).toMatch(/snarkjs/);
    });

    it('refuses a copy with one flipped byte, naming expected and actual hashes (even with allowUnlisted)', async () => {
      const dir = path.join(tmp, 'flipped');
      await mkdir(dir, { recursive: true });
      const bad = path.join(dir, 'powersOfTau28_hez_final_08.ptau');
      await copyWithFlippedByte(hermez08, bad, -100);
      for (const allowUnlisted of [false, true]) {
        const err = await importPtau(bad, { allowUnlisted }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PtauHashMismatchError);
        const e = err as PtauHashMismatchError;
        expect(e.code).toBe('PTAU_HASH_MISMATCH');
        expect(e.expected).toBe(hermezEntryForPower(8)!.blake2b);
        expect(e.actual).toMatch(/^[0-9a-f]{128}$/);
        expect(e.actual).not.toBe(e.expected);
        expect(e.message).toContain(`expected blake2b-512 ${e.expected}`);
        expect(e.message).toContain(`actual ${e.actual}`);
      }
    });

    it('a flipped byte under another name is refused without the flag, with the expected hash', async () => {
      const bad = path.join(tmp, 'renamed-flipped.ptau');
      await copyWithFlippedByte(hermez08, bad, -100);
      const err = await importPtau(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PtauHashMismatchError);
      expect((err as Error).message).toContain(`expected blake2b-512 ${hermezEntryForPower(8)!.blake2b}`);
    });
  },
);

// snarkjs powersoftau verify recomputes the initial challenge of the original ceremony (2^28 points for the
// Hermez files: far too slow for a test), so the verify option is exercised on a small ptau made here.
describe('importPtau with snarkjs powersoftau verify (small unlisted ptau made here)', () => {
  let small: string;
  beforeAll(async () => {
    const curve = await snarkjs.curves.getCurveFromName('bn128');
    const p0 = path.join(tmp, 'small0.ptau');
    const p1 = path.join(tmp, 'small1.ptau');
    small = path.join(tmp, 'small-final.ptau');
    await snarkjs.powersOfTau.newAccumulator(curve, 5, p0);
    await snarkjs.powersOfTau.contribute(p0, p1, 'tester', 'some entropy');
    await snarkjs.powersOfTau.preparePhase2(p1, small);
  });

  it('passes on a valid file', async () => {
    const rec = await importPtau(small, { allowUnlisted: true, verify: true });
    expect(rec).toMatchObject({ origin: 'unlisted', power: 5, verified: true });
  });

  it('fails on a copy with one flipped byte', async () => {
    const bad = path.join(tmp, 'small-flipped.ptau');
    await copyWithFlippedByte(small, bad, -100);
    const accepted = await importPtau(bad, { allowUnlisted: true });
    expect(accepted.verified).toBe(false);
    await expect(importPtau(bad, { allowUnlisted: true, verify: true })).rejects.toBeInstanceOf(
      PtauVerifyError,
    );
  });
});

describe('importPtau of unlisted and malformed files', () => {
  it('refuses the public dev ptau, even with allowUnlisted; accepts it as insecure-dev only when asked', async () => {
    const dev = await ensureDevPtau();
    const err = await importPtau(dev.file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsecurePtauError);
    expect((err as Error).message).toMatch(/public insecure development powers of tau/);
    const err2 = await importPtau(dev.file, { allowUnlisted: true }).catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(InsecurePtauError);
    expect((err2 as Error).message).toMatch(/forgeable/);
    const rec = await importPtau(dev.file, { allowInsecureDev: true });
    expect(rec).toMatchObject({
      origin: 'insecure-dev',
      power: 12,
      sha256: dev.sha256,
      blake2b: dev.blake2b,
    });
    expect(rec.hermezFile).toBeUndefined();
    expect((await readPtauHeader(dev.file)).power).toBe(12);
  });

  it('refuses another unlisted ptau without the flag, accepts and records it as unlisted with it', async () => {
    const file = await ensureTestPtau();
    const err = await importPtau(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PtauHashMismatchError);
    expect((err as Error).message).toContain(hermezEntryForPower(12)!.blake2b);
    expect((err as Error).message).toMatch(/--allow-unlisted/);
    const rec = await importPtau(file, { allowUnlisted: true });
    expect(rec).toMatchObject({ origin: 'unlisted', power: 12 });
    expect(err as PtauHashMismatchError).toMatchObject({ actual: rec.blake2b });
  });

  it('refuses a ptau that is not prepared for phase 2', async () => {
    const curve = await snarkjs.curves.getCurveFromName('bn128');
    const raw = path.join(tmp, 'raw4.ptau');
    await snarkjs.powersOfTau.newAccumulator(curve, 4, raw);
    const h = await readPtauHeader(raw);
    expect(h).toMatchObject({ power: 4, preparedForPhase2: false });
    await expect(importPtau(raw, { allowUnlisted: true })).rejects.toThrow(/not prepared for phase 2/);
  });

  it('refuses a file that is not a ptau', async () => {
    const junk = path.join(tmp, 'junk.ptau');
    await writeFile(junk, 'this is not a powers of tau file');
    await expect(importPtau(junk, { allowUnlisted: true })).rejects.toBeInstanceOf(PtauFormatError);
    await expect(importPtau(path.join(tmp, 'missing.ptau'))).rejects.toBeInstanceOf(PtauFormatError);
  });
});
