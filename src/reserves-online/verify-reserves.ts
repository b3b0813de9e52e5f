// verifyReserves: the reserve evidence verified offline and, with an RPC URL, online for the EVM items. The
// online checker (viem) is loaded only when an RPC URL is given: a plain `zkreserve verify` does not pay its
// start-up cost.
import type { BundleData } from '../bundle/format.js';
import { challengeForManifest } from '../reserves/challenge.js';
import { parseEvidence } from '../reserves/evidence.js';
import { verifyReservesEvidence } from '../reserves/verify-evidence.js';
import type { EvidenceReport, VerifyEvidenceOptions } from '../reserves/verify-evidence.js';

/**
 * verifyReservesEvidence, plus the online EVM checks when `rpc` is given (a malformed evidence file is
 * left to the offline report, which names the problem).
 */
export async function verifyReserves(
  bundle: Pick<BundleData, 'manifest' | 'proofs' | 'reserves'>,
  options: Omit<VerifyEvidenceOptions, 'online'> & { rpc?: string } = {},
): Promise<EvidenceReport> {
  const { rpc, ...offline } = options;
  if (rpc === undefined || bundle.reserves === undefined) return verifyReservesEvidence(bundle, offline);
  let online;
  try {
    const evidence = parseEvidence(bundle.reserves);
    const { checkEvmOnline } = await import('./check-evm.js');
    online = await checkEvmOnline(evidence, challengeForManifest(bundle.manifest, evidence.operator), rpc);
  } catch (e) {
    const report = await verifyReservesEvidence(bundle, offline);
    if (report.problems.length === 0) {
      report.problems.push(`online check with ${rpc} failed: ${(e as Error).message.split('\n')[0]}`);
      report.ok = false;
    }
    return report;
  }
  return verifyReservesEvidence(bundle, { ...offline, online });
}
