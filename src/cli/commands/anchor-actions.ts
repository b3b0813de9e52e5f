// The actions of `zkreserve anchor deploy | publish` (registered in anchor.ts, loaded only when run: viem
// takes seconds to load, and no other command needs it).
import { connect, parseAddress } from '../../anchor/chain.js';
import { deployAnchor } from '../../anchor/deploy.js';
import { anchorRound, publishRound, readRegistryInfo } from '../../anchor/registry.js';
import { readSolvencyKey } from '../../anchor/solvency-key.js';
import type { TxResult } from '../../anchor/transact.js';
import { vkeyHash } from '../../bundle/format.js';
import { INSECURE_DEV_KEYS_WARNING } from '../../setup/keyset.js';
import { CliExit, CliUsageError, EXIT_FAILED, EXIT_USAGE } from '../errors.js';
import { readEthKeyFile } from '../eth-key-file.js';
import { banner, out, printJson } from '../../terminal/output.js';
import { loadAndVerify } from './verify.js';
import { readBundle } from '../../bundle-io/read.js';

/** Options of anchor deploy. */
export interface DeployOptions {
  rpc: string;
  keyFile: string;
  keys: string;
  family?: string;
  insecureDevKeys?: boolean;
  json?: boolean;
}

/** Options of anchor publish. */
export interface PublishOptions {
  rpc: string;
  registry: string;
  keyFile: string;
  json?: boolean;
}

function tx(r: TxResult) {
  return { transaction: r.hash, block: r.blockNumber.toString(), gasUsed: r.gasUsed.toString() };
}

/** anchor deploy: the verifier and the registry of a key set. */
export async function deploy(opts: DeployOptions): Promise<void> {
  const key = await readSolvencyKey(opts.keys, opts.family);
  if (key.ceremony === 'insecure-dev') {
    banner([
      'INSECURE DEVELOPMENT KEYS: a registry on these keys records nothing anyone can trust.',
      INSECURE_DEV_KEYS_WARNING,
    ]);
    if (!opts.insecureDevKeys)
      throw new CliExit(
        EXIT_USAGE,
        `error: ${opts.keys} holds insecure development keys and --insecure-dev-keys was not given`,
      );
  }
  const side = await connect(opts.rpc, readEthKeyFile(opts.keyFile));
  const d = await deployAnchor(side, key);
  if (opts.json) {
    printJson({
      chainId: side.chain.id,
      operator: d.operator,
      solvencyKey: { circuit: key.circuit, sha256: key.vkeyHash, ceremony: key.ceremony },
      verifier: { address: d.verifier.contractAddress, ...tx(d.verifier) },
      registry: { address: d.registry.contractAddress, ...tx(d.registry) },
    });
    return;
  }
  out(`deployed on chain ${side.chain.id} by the operator ${d.operator}`);
  out(`  verifier  ${d.verifier.contractAddress}  (ZkReserveSolvencyVerifier of ${key.circuit})`);
  out(
    `            transaction ${d.verifier.hash}, block ${d.verifier.blockNumber}, gas ${d.verifier.gasUsed}`,
  );
  out(`  registry  ${d.registry.contractAddress}  (SolvencyRegistry)`);
  out(
    `            transaction ${d.registry.hash}, block ${d.registry.blockNumber}, gas ${d.registry.gasUsed}`,
  );
  out(`  solvency key sha256 ${key.vkeyHash}`);
  out(
    `publish a bundle with: zkreserve anchor publish <bundle> --rpc ${opts.rpc} --registry ${d.registry.contractAddress} --key-file <file>`,
  );
}

/** anchor publish: a verified bundle's round sent to the registry. */
export async function publish(dir: string, opts: PublishOptions): Promise<void> {
  const registry = parseAddress(opts.registry, '--registry');
  const key = readEthKeyFile(opts.keyFile);
  const { report } = await loadAndVerify(dir, undefined);
  if (!report.ok)
    throw new CliExit(
      EXIT_FAILED,
      `error: refusing to publish ${dir}: it does not verify:\n${report.errors.map((e) => `  - ${e}`).join('\n')}`,
    );
  const bundle = await readBundle(dir);
  if (bundle.manifest.keys?.insecure)
    banner(['INSECURE DEVELOPMENT KEYS: this round proves nothing, on chain or off.']);
  const side = await connect(opts.rpc, key);
  const info = await readRegistryInfo(side, registry);
  const mine = vkeyHash(bundle.vkeys.solvency);
  if (info.solvencyVkeyHash !== mine)
    throw new CliUsageError(
      `registry ${registry} verifies solvency key ${info.solvencyVkeyHash}, the bundle's is ${mine}`,
    );
  const round = anchorRound(bundle);
  const r = await publishRound(side, registry, round);
  if (opts.json) {
    printJson({ chainId: side.chain.id, registry, bundleDigest: round.digest, ...tx(r) });
    return;
  }
  out(`published ${dir} to registry ${registry} on chain ${side.chain.id}`);
  out(`  transaction   ${r.hash}`);
  out(`  block         ${r.blockNumber}`);
  out(`  gas used      ${r.gasUsed}`);
  out(`  bundle digest ${round.digest}`);
}
