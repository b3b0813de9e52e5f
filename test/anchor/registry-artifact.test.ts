// The registry's ABI and bytecode are generated (scripts/build-contracts.ts), never edited: regenerating them
// from contracts/SolvencyRegistry.sol with the pinned solc gives the committed file byte for byte.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { REGISTRY_ARTIFACT, renderRegistryArtifact } from '../../scripts/build-contracts.js';
import { ContractBuildError } from '../../src/anchor/errors.js';
import { SOLC_VERSION, checkSolcVersion, compileContract, loadSolc } from '../../src/anchor/solc.js';

describe('the generated registry artifact', () => {
  it('is what the pinned solc makes of contracts/SolvencyRegistry.sol', async () => {
    expect(await renderRegistryArtifact()).toBe(await readFile(REGISTRY_ARTIFACT, 'utf8'));
  });

  it('uses solc 0.8.28 and refuses any other version', () => {
    expect(loadSolc().version().startsWith(`${SOLC_VERSION}+`)).toBe(true);
    expect(() => checkSolcVersion('0.8.28+commit.7893614a.Emscripten.clang')).not.toThrow();
    for (const v of ['0.8.29+commit.ab55807c.Emscripten.clang', '0.8.2+commit.661d1103', '0.8.280+x'])
      expect(() => checkSolcVersion(v)).toThrow(ContractBuildError);
  });

  it('reports a compile error as ContractBuildError naming the file', () => {
    expect(() => compileContract({ 'Bad.sol': 'contract Bad { function f( }' }, 'Bad.sol', 'Bad')).toThrow(
      /cannot compile Bad\.sol/,
    );
  });
});
