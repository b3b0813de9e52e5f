import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTRACT_NAMES, renderSolidityVerifier } from '../../src/zk/solidity.js';

const vkeyOf = async (name: string) =>
  JSON.parse(await readFile(path.resolve('keys/dev', `${name}.vkey.json`), 'utf8')) as {
    nPublic: number;
    vk_delta_2: string[][];
  };

describe('renderSolidityVerifier', () => {
  it("renders snarkjs' Groth16 verifier for the key, renamed when asked", async () => {
    const vkey = await vkeyOf('b64-n8-k8-solvency');
    const plain = renderSolidityVerifier(vkey);
    expect(plain).toMatch(/\bcontract Groth16Verifier\b/);
    expect(plain).toContain(vkey.vk_delta_2[0]![0]!);
    expect(plain).toContain(`uint[${vkey.nPublic}] calldata _pubSignals`);
    const named = renderSolidityVerifier(vkey, CONTRACT_NAMES.solvency);
    expect(named).not.toMatch(/\bcontract Groth16Verifier\b/);
    expect(named).toMatch(/\bcontract ZkReserveSolvencyVerifier \{/);
    expect(named.replace('ZkReserveSolvencyVerifier', 'Groth16Verifier')).toBe(plain);
  });

  it('gives another verifier for another key', async () => {
    const chunk = renderSolidityVerifier(await vkeyOf('b64-n8-k8-chunk'));
    const solvency = renderSolidityVerifier(await vkeyOf('b64-n8-k8-solvency'));
    expect(chunk).not.toBe(solvency);
    expect(new Set(Object.values(CONTRACT_NAMES)).size).toBe(3);
  });
});
