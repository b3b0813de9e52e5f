// A real local EVM node for tests: ganache (from npm, no download) on a free loopback port, with
// deterministic funded accounts. Tests talk to it over JSON-RPC exactly as the CLI does with `--rpc`.
// Never use these keys anywhere but a local test chain.
import ganache from 'ganache';
import { freePort } from './ports.js';

export { freePort };

export interface EvmNode {
  /** `http://127.0.0.1:<port>` */
  url: string;
  chainId: number;
  /** Funded accounts' private keys (0x-prefixed hex) of ganache's deterministic mnemonic. */
  privateKeys: `0x${string}`[];
  close(): Promise<void>;
}

/** Starts ganache on 127.0.0.1 with `accounts` funded accounts (1000 ETH each); close() stops it. */
export async function startEvmNode(options: { chainId?: number; accounts?: number } = {}): Promise<EvmNode> {
  const chainId = options.chainId ?? 1337;
  const server = ganache.server({
    logging: { quiet: true },
    chain: { chainId, hardfork: 'shanghai' },
    wallet: { deterministic: true, totalAccounts: options.accounts ?? 10 },
    miner: { instamine: 'strict' },
  });
  const port = await freePort();
  await server.listen(port, '127.0.0.1');
  const initial = server.provider.getInitialAccounts() as Record<string, { secretKey: string }>;
  const privateKeys = Object.values(initial).map((a) => a.secretKey as `0x${string}`);
  return {
    url: `http://127.0.0.1:${port}`,
    chainId,
    privateKeys,
    close: () => server.close(),
  };
}
