// solc-js (npm `solc`, pinned): compiles zkreserve's contracts with fixed settings so the same source
// always gives the same bytecode. Refuses any compiler but SOLC_VERSION. Node only.
import { createRequire } from 'node:module';
import type { Abi, Hex } from 'viem';
import { ContractBuildError } from './errors.js';

/** The one solc version zkreserve compiles with (package.json pins `solc` to it). */
export const SOLC_VERSION = '0.8.28';

/** The EVM version targeted: Shanghai (PUSH0), which every current chain and ganache run. */
export const EVM_VERSION = 'shanghai';

interface Solc {
  version(): string;
  compile(input: string): string;
}

/** A compiled contract: its ABI and creation bytecode. */
export interface CompiledContract {
  abi: Abi;
  bytecode: Hex;
}

let cached: Solc | undefined;

/** Throws ContractBuildError unless `version` (solc's `version()`, e.g. `0.8.28+commit.7893614a…`) is SOLC_VERSION. */
export function checkSolcVersion(version: string): void {
  if (!version.startsWith(`${SOLC_VERSION}+`))
    throw new ContractBuildError(
      `solc ${version} is installed, zkreserve compiles with solc ${SOLC_VERSION} only`,
    );
}

/** The solc-js compiler, after checking it is SOLC_VERSION. */
export function loadSolc(): Solc {
  if (cached) return cached;
  const solc = createRequire(import.meta.url)('solc') as Solc;
  checkSolcVersion(solc.version());
  cached = solc;
  return solc;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

/** The compiler's standard JSON input for `sources` (file name -> Solidity text), with fixed settings. */
export function solcInput(sources: Record<string, string>): string {
  return JSON.stringify({
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: EVM_VERSION,
      metadata: { bytecodeHash: 'none' },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  });
}

/** Compiles `sources` and returns `contractName` of `file`; any compiler error throws ContractBuildError. */
export function compileContract(
  sources: Record<string, string>,
  file: string,
  contractName: string,
): CompiledContract {
  const output = JSON.parse(loadSolc().compile(solcInput(sources))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new ContractBuildError(
      `cannot compile ${file}: ${errors.map((e) => e.formattedMessage.trim()).join('\n')}`,
    );
  }
  const contract = output.contracts?.[file]?.[contractName];
  if (!contract) throw new ContractBuildError(`${file} has no contract ${contractName}`);
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}
