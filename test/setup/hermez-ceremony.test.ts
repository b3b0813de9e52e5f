// End to end on the real, published Hermez 2^8 powers of tau: a tiny Poseidon(1) circuit (213 constraints)
// goes through init -> contribute -> beacon -> verify -> export, then proves and verifies one proof.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { poseidon1 } from 'poseidon-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  setupBeacon,
  setupContribute,
  setupExport,
  setupInit,
  setupVerify,
  verifyKeyExport,
  type CeremonyCircuitInput,
} from '../../src/setup/ceremony/index.js';
import { CeremonyStateError, PtauTooSmallError } from '../../src/setup/errors.js';
import { hermezEntryForPower } from '../../src/setup/hermez.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { snarkjs, terminateCurves } from '../../src/zk/snarkjs.js';
import { HERMEZ_ABSENT, compilePoseidon1, hermez08, hermezPresent, tempDir } from './helpers.js';

const NAME = 'setup-test-poseidon1';
let root: string;
let circuit: CeremonyCircuitInput;

beforeAll(async () => {
  root = await tempDir('hermez');
  circuit = await compilePoseidon1();
});
afterAll(async () => {
  await terminateCurves();
  if (root) await rm(root, { recursive: true, force: true });
});

describe.skipIf(!hermezPresent)(
  hermezPresent ? 'ceremony on the real Hermez 2^8 ptau' : HERMEZ_ABSENT,
  () => {
    it('the test circuit is small enough for 2^8', () => {
      expect(circuit.constraints).toBeLessThan(250);
      expect(circuit.nPublic).toBe(1);
    });

    it('refuses a ptau too small for the circuits, naming required and available powers', async () => {
      const err = await setupInit(path.join(root, 'too-small'), {
        families: [B64_N8_K8],
        ptauFile: hermez08,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PtauTooSmallError);
      expect((err as Error).message).toMatch(/b64-n8-k8-\w+: it needs 2\^12 .* the ptau has 2\^8/);
    });

    it('init -> contribute -> beacon -> verify -> export -> prove -> verify proof', async () => {
      const dir = path.join(root, 'ceremony');
      const keys = path.join(root, 'keys');
      const state = await setupInit(dir, { circuits: [circuit], ptauFile: hermez08 });
      expect(state.ptau).toMatchObject({
        origin: 'hermez',
        power: 8,
        hermezFile: 'powersOfTau28_hez_final_08.ptau',
      });
      expect(state.ptau.blake2b).toBe(hermezEntryForPower(8)!.blake2b);

      // The honest path is enforced: no beacon, export or contribution that would leave the secret known.
      await expect(setupBeacon(dir, { beaconHex: 'abcd', iterationsExp: 10 })).rejects.toThrow(
        /no contribution yet/,
      );
      await expect(setupExport(dir, keys)).rejects.toThrow(/no contribution yet/);
      const unverified = await setupVerify(dir);
      expect(unverified.ok).toBe(false);
      expect(unverified.reasons.join('\n')).toMatch(/no contribution yet/);
      await expect(setupContribute(dir, { name: '' })).rejects.toBeInstanceOf(CeremonyStateError);
      await expect(setupContribute(dir, { name: 'x'.repeat(65) })).rejects.toBeInstanceOf(CeremonyStateError);

      const receipt = await setupContribute(dir, { name: 'alice' });
      expect(receipt.contributions[NAME]).toMatch(/^[0-9a-f]{128}$/);
      await expect(setupExport(dir, keys)).rejects.toThrow(/not finalized/);
      await expect(setupBeacon(dir, { beaconHex: 'abc', iterationsExp: 10 })).rejects.toThrow(/hex/);
      await expect(setupBeacon(dir, { beaconHex: 'abcd', iterationsExp: 9 })).rejects.toThrow(/\[10, 63\]/);
      await setupBeacon(dir, { beaconHex: 'ff'.repeat(32), iterationsExp: 10 });

      const report = await setupVerify(dir);
      expect(report.reasons).toEqual([]);
      expect(report.warnings).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.circuits[0]!.contributions.map((c) => c.contributionHash)[0]).toBe(
        receipt.contributions[NAME],
      );

      const manifest = await setupExport(dir, keys, { verify: false });
      expect(manifest.ptau).toMatchObject({
        origin: 'hermez',
        hermezFile: 'powersOfTau28_hez_final_08.ptau',
      });
      const exported = await verifyKeyExport(keys, { ptauFile: hermez08 });
      expect(exported.reasons).toEqual([]);

      const zkey = path.join(keys, `${NAME}.zkey`);
      const wasm = path.join(keys, `${NAME}.wasm`);
      const vkey = JSON.parse(await readFile(path.join(keys, `${NAME}.vkey.json`), 'utf8')) as unknown;
      const { proof, publicSignals } = (await snarkjs.groth16.fullProve({ a: '42' }, wasm, zkey)) as {
        proof: unknown;
        publicSignals: string[];
      };
      expect(publicSignals).toEqual([poseidon1([42n]).toString()]);
      expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
      expect(await snarkjs.groth16.verify(vkey, [poseidon1([43n]).toString()], proof)).toBe(false);
    });
  },
);
